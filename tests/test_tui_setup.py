"""The setup screen's choices, driven from the keyboard with Pilot."""

from __future__ import annotations

import pytest
from test_tui import settle

from interviewer.services import build_services
from interviewer.tui.app import InterviewerApp
from interviewer.tui.interview_screen import InterviewScreen
from interviewer.tui.setup_screen import ROLES, SetupScreen

pytestmark = pytest.mark.asyncio
SIZE = (120, 36)


def ids(option_list) -> list[str]:
    return [option_list.get_option_at_index(i).id for i in range(option_list.option_count)]


async def test_enter_walks_role_level_round_problem_and_starts(tmp_path):
    app = InterviewerApp(build_services(transcripts_dir=tmp_path, brain="offline", level="L5"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        assert screen.focused.id == "round" and screen.level == "L5"
        screen.query_one("#role").focus()
        await pilot.press("down", "down", "enter")  # machine learning engineer
        assert screen.focused.id == "plan"
        await pilot.press("enter")  # one round
        assert screen.focused.id == "level" and not screen.whole_loop
        await pilot.press("down", "enter")  # L6
        assert screen.focused.id == "round"
        rounds = ids(screen.query_one("#round"))
        mle_rounds = [r for r in ROLES["mle"][1] if r in rounds]
        assert rounds[:len(mle_rounds)] == mle_rounds == ROLES["mle"][1]  # every MLE round ships
        assert "work-trial" in ROLES["mle"][1] and sorted(rounds) == sorted(r.id for r in app.services.library.index())
        await pilot.press("down", "enter")  # the MLE loop's second round
        await settle(pilot)
        assert screen.focused.id == "problem" and screen.round_id == "ml-screen"
        problems = ids(screen.query_one("#problem"))
        assert problems[0] == "random-problem" and len(problems) > 1
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert (app.screen.level, app.screen.problem_id) == ("L6", problems[1])


async def test_voice_cannot_be_chosen_while_unavailable(tmp_path, monkeypatch):
    monkeypatch.setattr("interviewer.spoken.voice_status",
                        lambda voice: (False, "Voice: no microphone found; plug one in. Text mode works."))
    app = InterviewerApp(build_services(transcripts_dir=tmp_path, brain="offline"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        mode = app.screen.query_one("#mode")
        mode.focus()
        await pilot.press("down")
        assert mode.highlighted_option.id == "text"
        assert mode.get_option("voice").disabled
        assert "no microphone found" in str(app.screen.query_one("#voice-note").render())
        assert app.screen.voice is False


async def test_voice_is_offered_when_it_can_work_and_reaches_the_interview(tmp_path, monkeypatch):
    monkeypatch.setattr("interviewer.spoken.voice_status",
                        lambda voice: (True, "Voice: Whisper tiny.en on cpu (int8), push-to-talk with F8."))
    app = InterviewerApp(build_services(transcripts_dir=tmp_path, brain="offline"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        mode = app.screen.query_one("#mode")
        assert not mode.get_option("voice").disabled
        assert "tiny.en on cpu" in str(app.screen.query_one("#voice-note").render())
        mode.highlighted = 1
        assert app.screen.voice is True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen) and app.screen.voice is True


async def test_the_start_link_starts_the_interview(tmp_path):
    app = InterviewerApp(build_services(transcripts_dir=tmp_path, brain="offline"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#setup-keys", offset=(2, 0))  # on "Start interview"
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.round_id == "recruiter-screen"


async def test_the_whole_loop_plan_sits_the_roles_next_round_and_d_shows_the_debrief(tmp_path):
    from interviewer.loops.progress import find_run
    from interviewer.tui.debrief_screen import DebriefScreen

    app = InterviewerApp(build_services(transcripts_dir=tmp_path, brain="offline", level="L5"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#role").focus()
        await pilot.press("down", "down", "enter", "down", "enter")  # MLE, the whole loop
        assert screen.whole_loop
        await pilot.press("ctrl+s")
        interview = app.screen
        assert isinstance(interview, InterviewScreen) and interview.loop == "mle"
        await app.workers.wait_for_complete()
        await settle(pilot)
        run = find_run(None, tmp_path, "mle")
        assert run.target == "L5" and list(run.sessions) == ["recruiter"]
        assert interview.session.path.name == run.sessions["recruiter"]
        assert interview.session.problem.id == "mle-candidate"
        interview.leave("quit")
        app.pop_screen()
        await settle(pilot)
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await settle(pilot)
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen) and debrief.debrief is not None
        assert debrief.debrief.rounds[0].state == "in progress"
        await pilot.press("j")
        assert (run.path.parent / f"{run.name}.debrief.json").is_file()


async def test_collections_come_back_on_once_the_first_screen_is_drawn(tmp_path):
    """`interviewer` turns the garbage collector off while the app starts; the app turns it back on."""
    import gc

    app = InterviewerApp(build_services(transcripts_dir=tmp_path, brain="offline"))
    gc.disable()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("size", [SIZE, (80, 24), (160, 60)])
async def test_the_screen_comes_in_three_frames_and_the_round_list_stays_in_its_place(tmp_path, monkeypatch, size):
    """The first frame draws the title and the footer's bar; the second, the round list (focused) and the
    footer's keys; the other lists and the notes mount in the third, above and below the round list,
    which stays where it is in the form."""
    frames: list[dict[str, object]] = []
    show_rounds, complete = SetupScreen._show_rounds, SetupScreen._complete

    def drawn(screen) -> dict[str, object]:
        return {"widgets": {widget.id for widget in screen.query("OptionList, Static")},
                "keys": {key.key for key in screen.query("FooterKey")}}

    async def after_first(self):
        frames.append(drawn(self))
        await show_rounds(self)

    async def after_second(self):
        if len(frames) == 1:  # the first call mounts the rest; a later one finds it done
            frames.append(drawn(self) | {"round": self.query_one("#round").region.translate(
                self.query_one("#setup-form").scroll_offset), "focused": self.focused.id})
        await complete(self)

    monkeypatch.setattr(SetupScreen, "_show_rounds", after_first)
    monkeypatch.setattr(SetupScreen, "_complete", after_second)
    app = InterviewerApp(build_services(transcripts_dir=tmp_path, brain="offline"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        first, second = frames
        assert first == {"widgets": {"setup-title"}, "keys": set()}
        assert {"round", "setup-title"} <= second["widgets"] and "role" not in second["widgets"]
        assert {"ctrl+q", "ctrl+s", "r", "d", "f1"} <= second["keys"] and second["focused"] == "round"
        lists = [widget.id for widget in screen.query("OptionList")]
        assert lists == ["role", "plan", "level", "round", "problem", "mode"]  # the order Tab and Enter follow
        form, rounds = screen.query_one("#setup-form"), screen.query_one("#round")
        assert rounds.region.translate(form.scroll_offset) == second["round"] and screen.focused.id == "round"
        assert form.can_view_entire(rounds)  # a short terminal scrolls it into view
        assert "Start interview" in str(screen.query_one("#setup-keys").render())
        assert len(ids(screen.query_one("#problem"))) > 1  # the round's problems, listed by the work held back


async def test_ctrl_s_before_the_round_list_has_mounted_starts_the_first_round(tmp_path, monkeypatch):
    """Keys pressed before the second frame: the lists they read are mounted there and then."""
    async def not_yet(self):
        pass

    monkeypatch.setattr(SetupScreen, "_show_rounds", not_yet)
    app = InterviewerApp(build_services(transcripts_dir=tmp_path, brain="offline", level="L4"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.query("#round")
        await pilot.press("ctrl+s")
        await pilot.pause()
        interview = app.screen
        assert isinstance(interview, InterviewScreen)
        first_round = ids(screen.query_one("#round"))[0]
        assert (interview.round_id, interview.problem_id, interview.level) == (first_round, None, "L4")


def rest_held_back(tmp_path, monkeypatch, level: str) -> InterviewerApp:
    """The app, with the setup screen's rest never mounted after its first frame: as for keys pressed before."""
    async def not_yet(self):
        pass

    monkeypatch.setattr(SetupScreen, "_complete", not_yet)
    return InterviewerApp(build_services(transcripts_dir=tmp_path, brain="offline", level=level))


async def test_keys_pressed_before_the_rest_has_mounted_act_on_the_whole_screen(tmp_path, monkeypatch):
    """Enter on the round list, or Ctrl+S, before the frame that mounts the other lists: they are
    mounted there and then, with the same first choices."""
    app = rest_held_back(tmp_path, monkeypatch, "L6")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.query("#role") and screen.focused.id == "round"
        await pilot.press("down", "enter")
        assert screen.focused.id == "problem" and screen.round_id == ids(screen.query_one("#round"))[1]
        assert [widget.id for widget in screen.query("OptionList")] == ["role", "plan", "level", "round", "problem",
                                                                        "mode"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        interview = app.screen
        assert isinstance(interview, InterviewScreen)
        assert (interview.round_id, interview.problem_id, interview.level, interview.voice) == \
            (screen.round_id, None, "L6", False)


async def test_ctrl_s_before_the_rest_has_mounted_starts_the_first_round(tmp_path, monkeypatch):
    app = rest_held_back(tmp_path, monkeypatch, "L4")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert (app.screen.round_id, app.screen.level, app.screen.loop) == ("recruiter-screen", "L4", None)


async def test_a_setup_screen_opened_later_mounts_its_rest_too(tmp_path):
    """Not the first screen (New interview, from the command palette): no start-up frames to wait for."""
    app = InterviewerApp(build_services(transcripts_dir=tmp_path, brain="offline"), start="review")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_new_interview()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen) and screen.focused.id == "round"
        assert [widget.id for widget in screen.query("OptionList")] == ["role", "plan", "level", "round", "problem",
                                                                        "mode"]
        assert len(ids(screen.query_one("#problem"))) > 1
