"""The Textual app, driven end to end with Pilot. Workers are awaited, never slept on."""

from __future__ import annotations

import json

import pytest
from conftest import PASSIVE
from llm_server import FakeOpenAI, Reply

from interviewer.services import build_services
from interviewer.transcript import load_transcript
from interviewer.tui.app import InterviewerApp
from interviewer.tui.interview_screen import InterviewScreen
from interviewer.tui.review_screen import ReviewScreen
from interviewer.tui.scorecard_screen import ScorecardScreen
from interviewer.tui.setup_screen import ResumeModal, SetupScreen

pytestmark = pytest.mark.asyncio
SIZE = (140, 44)


async def settle(pilot, rounds: int = 4) -> None:
    """Let thread workers finish and their messages be handled."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def answer(pilot, text: str) -> None:
    box = pilot.app.screen.query_one("#answer")
    box.text = text
    await pilot.press("ctrl+s")
    await settle(pilot)


def saved(tmp_path):
    return sorted((tmp_path / "t").glob("*.jsonl"))


async def _full_flow(services, tmp_path, expect_in_reply: str):
    app = InterviewerApp(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        app.screen.choose("system-design", "streaming-chat")
        await settle(pilot)
        assert app.screen.problem_id == "streaming-chat"
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert expect_in_reply in screen.query(".interviewer").first().source
        for text in PASSIVE[:3]:
            await answer(pilot, text)
        assert len(screen.query(".candidate")) == 3
        assert "System design" in str(screen.query_one("#status").render())
        await pilot.press("f9")  # asks first
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, 6)
        assert isinstance(app.screen, ScorecardScreen)
        await pilot.press("m")
        await pilot.press("j")
        await pilot.pause()
        [path] = saved(tmp_path)
        assert path.with_name(path.stem + ".scorecard.md").exists()
        assert json.loads(path.with_name(path.stem + ".scorecard.json").read_text())["round"] == "system-design"
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one("#sessions").row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen)
    transcript = load_transcript(path)
    assert transcript.completed and [t.text for t in transcript.candidate_turns()] == PASSIVE[:3]
    return transcript


async def test_setup_interview_scorecard_review_offline(tmp_path):
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    transcript = await _full_flow(services, tmp_path, "Today's problem")
    assert all(t.llm is None for t in transcript.turns)


def phrased(body: dict) -> Reply:
    if "response_format" in body:
        dims = ["scale_thinking", "full_stack_coverage", "technical_depth", "failure_modes", "design_elegance",
                "requirements_and_estimation"]
        return Reply(text=json.dumps({"dimensions": [{"id": d, "level": "good", "score": 50, "rationale": "r",
                                                      "evidence": []} for d in dims],
                                      "overall": {"level": "good", "score": 50}, "level_signal": "L5"}))
    return Reply(text="(phrased) Tell me more about that. <notes>n</notes>", chunk_chars=3)


async def test_setup_interview_scorecard_review_with_the_llm(tmp_path):
    with FakeOpenAI(responder=phrased) as server:
        services = build_services(transcripts_dir=tmp_path / "t", base_url=server.base_url, model="test-model")
        transcript = await _full_flow(services, tmp_path, "(phrased)")
    assert all(t.llm for t in transcript.turns if t.role == "interviewer")
    score = json.loads(next((tmp_path / "t").glob("*.score.json")).read_text())
    assert score["scorer"] == "llm:test-model"


async def test_coding_round_shows_the_editor_and_snapshots_code(tmp_path):
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    app = InterviewerApp(services, start="practice", round_id="coding", problem_id="kv-store")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        editor = app.screen.query_one("#code")
        assert editor.display
        editor.text = "class Store:\n    def __init__(self):\n        self.data = {}\n"
        await answer(pilot, "Strings only, single-threaded? I'll assume so.")
        await answer(pilot, "Same code, more thoughts: get and set are O(1) on a dict.")
    [path] = saved(tmp_path)
    snapshots = [e for e in load_transcript(path).events if e["kind"] == "code_snapshot"]
    assert len(snapshots) == 1 and "class Store" in snapshots[0]["code"]  # unchanged code is not saved twice


async def test_f4_shows_the_rounds_rubric_even_when_pressed_before_the_session_has_opened(tmp_path):
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    app = InterviewerApp(services, start="practice", round_id="system-design", problem_id="streaming-chat")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")  # before the worker that opens the session has run
        await settle(pilot)
        [panel] = app.screen.query("#rubric")
        assert panel.display and app.services.library.load("system-design").rubric.title in panel.source
        await pilot.press("f4")
        assert not panel.display


async def test_ctrl_q_saves_and_the_next_start_offers_to_resume(tmp_path):
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    app = InterviewerApp(services, start="practice", round_id="behavioral", problem_id="ownership-and-pushback")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await answer(pilot, "I led our billing migration and decided to dual-run for two weeks because of risk.")
        await pilot.press("ctrl+q")
        await pilot.pause()
    [path] = saved(tmp_path)
    assert load_transcript(path).ended["reason"] == "quit"

    again = InterviewerApp(build_services(transcripts_dir=tmp_path / "t", brain="offline"))
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, ResumeModal)
        await pilot.click("#yes")
        await settle(pilot)
        assert isinstance(again.screen, InterviewScreen)
        assert len(again.screen.query(".candidate")) == 1  # the saved answer is back on screen
        await answer(pilot, "Then I owned the rollback plan myself.")
    assert len(load_transcript(path).candidate_turns()) == 2


async def test_typing_stays_responsive_while_a_reply_streams(tmp_path):
    slow = Reply(text="word " * 60, chunk_chars=5, chunk_delay=0.01)
    with FakeOpenAI(responder=lambda body: slow) as server:
        services = build_services(transcripts_dir=tmp_path / "t", base_url=server.base_url, model="test-model")
        app = InterviewerApp(services, start="practice", round_id="system-design", problem_id="streaming-chat")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            box = app.screen.query_one("#answer")
            box.focus()
            await pilot.press(*"typing")  # while the opening is still streaming
            assert box.text == "typing"
            await settle(pilot)
            assert box.text == "typing"  # the reply did not wipe the draft


async def test_errors_show_as_notifications_not_crashes(tmp_path):
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    app = InterviewerApp(services, start="practice", round_id="system-design", problem_id="no-such-problem")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert any("has no problem 'no-such-problem'" in n.message for n in app._notifications)
        assert isinstance(app.screen, InterviewScreen)


async def test_review_filters_rescores_and_shows_each_dimensions_trend(tmp_path):
    import shutil

    from textual.widgets import Sparkline

    from interviewer.scoring import score
    from interviewer.sessions import save_scorecard
    from conftest import REPO

    folder = tmp_path / "t"
    folder.mkdir()
    sample = REPO / "transcripts" / "samples" / "system-design-streaming-chat.jsonl"
    services = build_services(transcripts_dir=folder, brain="offline")
    rubric = services.library.load("system-design").rubric
    for name in ("a.jsonl", "b.jsonl"):
        shutil.copy(sample, folder / name)
        save_scorecard(folder / name, score(load_transcript(folder / name), rubric))
    shutil.copy(REPO / "transcripts" / "samples" / "coding-kv-store.jsonl", folder / "c.jsonl")

    app = InterviewerApp(services, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sessions")
        assert table.row_count == 3
        app.screen.query_one("#filter").value = "system-design"
        await settle(pilot)
        assert table.row_count == 2
        lines = app.screen.query(Sparkline)
        assert len(lines) == len(rubric.dimensions)
        assert all(list(s.data) == [s.data[0], s.data[0]] for s in lines)  # the same session twice
        app.screen.query_one("#filter").value = "coding"
        await settle(pilot)
        assert table.row_count == 1 and "not scored" in str(table.get_row_at(0))
        await pilot.press("s")  # re-score the selected session offline
        await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen)
    assert (folder / "c.score.json").exists()


async def test_command_palette_offers_the_apps_own_commands_and_themes(tmp_path):
    app = InterviewerApp(build_services(transcripts_dir=tmp_path / "t", brain="offline"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"New interview", "Past sessions"} <= titles and any("theme" in t.lower() for t in titles)
        app.action_review()
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_the_plain_modes_commands_typed_in_the_answer_box_act_and_other_slashes_are_answers(tmp_path):
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    app = InterviewerApp(services, start="practice", round_id="system-design", problem_id="webhook-delivery")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        await answer(pilot, "/v1/endpoints takes a URL and the event types, and returns the endpoint id and a secret.")
        assert len(screen.query(".candidate")) == 1
        await answer(pilot, "/hint")
        assert len(screen.query(".candidate")) == 1  # a hint asked for, not an answer
        await answer(pilot, "/done")
        await settle(pilot, 6)
        assert isinstance(app.screen, ScorecardScreen)
    [path] = saved(tmp_path)
    transcript = load_transcript(path)
    assert transcript.completed and [t.text for t in transcript.candidate_turns()] == [
        "/v1/endpoints takes a URL and the event types, and returns the endpoint id and a secret."]
