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
        assert screen.focused.id == "level"
        await pilot.press("down", "enter")  # L6
        assert screen.focused.id == "round"
        rounds = ids(screen.query_one("#round"))
        assert rounds[:2] == ROLES["mle"][1][:2] and sorted(rounds) == sorted(ROLES["swe"][1] + ["ml-coding",
                                                                                               "ml-system-design"])
        await pilot.press("enter")
        await settle(pilot)
        assert screen.focused.id == "problem" and screen.round_id == "ml-coding"
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
