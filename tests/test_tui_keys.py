"""Keys as Textual's conventions have them, the draft kept across quit and resume, the theme
remembered, and an interview screen that works at 80x24 with the newest turn in view."""

from __future__ import annotations

import time

import pytest
from llm_server import FakeOpenAI, Reply
from test_tui import answer, saved, settle

from interviewer.drafts import draft_path
from interviewer.services import build_services
from interviewer.transcript import load_transcript
from interviewer.tui.app import InterviewerApp
from interviewer.tui.dialogs import Confirm
from interviewer.tui.interview_screen import InterviewScreen
from interviewer.tui.scorecard_screen import ScorecardScreen

pytestmark = pytest.mark.asyncio
SMALL = (80, 24)
CODE = "class Store:\n    def __init__(self):\n        self.data = {}\n"


def coding_app(tmp_path, **kwargs):
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    return InterviewerApp(services, start="practice", round_id="coding", problem_id="kv-store", **kwargs)


async def test_ctrl_c_copies_the_selection_in_the_editor_and_does_not_quit(tmp_path):
    app = coding_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        editor = app.screen.query_one("#code")
        editor.text = CODE
        editor.focus()
        editor.select_line(0)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.clipboard == "class Store:" and app.is_running
        assert isinstance(app.screen, InterviewScreen) and not app.screen.session.writer.closed


async def test_ctrl_q_keeps_the_draft_answer_and_the_code_for_resume(tmp_path):
    app = coding_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await answer(pilot, "Strings only, single-threaded? I'll assume so.")
        app.screen.query_one("#code").text = CODE
        app.screen.query_one("#answer").text = "I was halfway through saying"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_value.startswith("Saved ") and "interviewer resume" in app.return_value
    [path] = saved(tmp_path)
    assert load_transcript(path).ended["reason"] == "quit" and draft_path(path).exists()

    again = InterviewerApp(build_services(transcripts_dir=tmp_path / "t", brain="offline"), resume=path)
    async with again.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert again.screen.query_one("#answer").text == "I was halfway through saying"
        assert again.screen.query_one("#code").text == CODE
        await answer(pilot, "I was halfway through saying that a dict gives O(1) get and set.")
        await again.screen.workers.wait_for_complete()
        again.screen._autosave()  # the timer's job: the sent answer leaves the draft
        await settle(pilot)
    assert "halfway" not in draft_path(path).read_text()


async def test_the_draft_is_saved_while_typing_without_quitting(tmp_path):
    app = coding_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.screen.query_one("#answer").text = "thinking about TTLs"
        app.screen._autosave()
        await settle(pilot)
        [path] = saved(tmp_path)
        assert '"answer": "thinking about TTLs"' in draft_path(path).read_text()


async def test_f9_asks_before_ending_the_round(tmp_path):
    app = InterviewerApp(build_services(transcripts_dir=tmp_path / "t", brain="offline"), start="practice",
                         round_id="system-design", problem_id="streaming-chat")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen) and not app.screen.session.engine.finished
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, 6)
        assert isinstance(app.screen, ScorecardScreen)
    assert load_transcript(saved(tmp_path)[0]).completed


async def test_f1_lists_every_key(tmp_path):
    app = coding_app(tmp_path)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        rendered = app.screen.query_one("BindingsTable").render_bindings_table()
        table = " ".join(str(cell) for column in rendered.columns for cell in column._cells)
        for description in ("Send", "Hint", "Next part", "Rubric", "Run", "End", "Quit", "Help", "Copy"):
            assert description in table
        await pilot.press("f1")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")


async def test_the_chosen_theme_is_remembered(tmp_path):
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    app = InterviewerApp(services, start="review")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
    async with InterviewerApp(services, start="review").run_test(size=SMALL) as pilot:
        assert pilot.app.theme == "nord"


@pytest.mark.parametrize(("round_id", "problem", "keys"), [
    ("system-design", "streaming-chat", ["ctrl+s", "f1", "f2", "f3", "f4", "f9", "ctrl+q"]),
    ("coding", "kv-store", ["ctrl+s", "f1", "f2", "f3", "f4", "f5", "f9", "ctrl+q"]),
])
async def test_at_80x24_the_clock_the_interviewer_and_every_key_are_on_screen(tmp_path, round_id, problem, keys):
    with FakeOpenAI(responder=lambda body: Reply(text="Tell me more.")) as server:
        services = build_services(transcripts_dir=tmp_path / "t", base_url=server.base_url, model="test-model")
        app = InterviewerApp(services, start="practice", round_id=round_id, problem_id=problem)
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            status = str(app.screen.query_one("#status").render())
            assert "00:00/" in status and "round 00:00/" in status and status.endswith("LLM test-model")
            shown = {key.key: key for key in app.screen.query("FooterKey")}
            assert set(keys) <= set(shown)
            for key in keys:
                assert shown[key].region.right <= SMALL[0], f"{key} is cut off"


async def test_the_newest_turn_stays_in_view_after_a_resize(tmp_path):
    app = InterviewerApp(build_services(transcripts_dir=tmp_path / "t", brain="offline"), start="practice",
                         round_id="behavioral", problem_id="ownership-and-pushback")
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        for n in range(6):
            await answer(pilot, f"Answer {n}: I owned the migration, wrote the rollback plan and measured p95. " * 3)
        conversation = app.screen.query_one("#conversation")
        for size in (SMALL, (100, 30), SMALL):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert conversation.max_scroll_y > 0 and conversation.scroll_y == conversation.max_scroll_y


async def test_waiting_for_the_model_is_shown_and_bounded(tmp_path):
    with FakeOpenAI([Reply(fault="hang")], hang_seconds=20) as server:
        services = build_services(transcripts_dir=tmp_path / "t", base_url=server.base_url, model="test-model",
                                  llm={"timeout_s": 3.5, "read_timeout_s": 30, "max_attempts": 2})
        app = InterviewerApp(services, start="practice", round_id="system-design", problem_id="streaming-chat")
        async with app.run_test(size=SMALL) as pilot:
            deadline = time.monotonic() + 10
            while not app.screen.query(".waiting") and time.monotonic() < deadline:
                await pilot.pause(0.1)  # the model is waited on in another thread
            assert "waiting for test-model" in str(app.screen.query_one(".waiting").render())
            await settle(pilot)
            assert not app.screen.query(".waiting")
            assert "Today's problem" in app.screen.query(".interviewer").first().source  # offline took over
            assert "offline (LLM unavailable)" in str(app.screen.query_one("#status").render())
