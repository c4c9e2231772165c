"""A KV-store round in the app, as a new user plays it: write part 1, run the checks, fail,
fix, pass, explain the tradeoff, and see part 2 open with its own checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui import SIZE, answer, saved, settle

from interviewer.services import build_services
from interviewer.transcript import load_transcript
from interviewer.tui.app import InterviewerApp

pytestmark = pytest.mark.asyncio
REFERENCE = Path(__file__).resolve().parent / "references" / "coding" / "kv-store" / "gate1.py"
BROKEN = "class KVStore:\n    def __init__(self):\n        self.d = {}\n\n    def set(self, key, value):\n        self.d[key] = value\n"


def panel_text(app) -> str:
    return app.screen.query_one("#checks").render_text()


async def test_run_fail_fix_pass_explain_then_part_two_opens(tmp_path):
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    app = InterviewerApp(services, start="practice", round_id="coding", problem_id="kv-store")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#checks").display
        assert screen.check_action("run_checks", ()) is True  # F5 is in the footer
        await answer(pilot, "Keys are strings, values anything, single-threaded for now. I'll assume that.")
        await pilot.press("f3")  # done clarifying: part 1 opens and lists its checks
        await settle(pilot)
        assert "Part 1 checks" in panel_text(app) and "never set" in panel_text(app)

        screen.query_one("#code").text = BROKEN
        await pilot.press("f5")
        await settle(pilot)
        assert "failing" in panel_text(app) and "✗" in panel_text(app)
        assert screen.session.engine.state.gate == 1

        screen.query_one("#code").text = REFERENCE.read_text(encoding="utf-8")
        await pilot.press("f5")
        await settle(pilot)
        assert "all pass" in panel_text(app)
        assert "The checks pass." in screen.query(".interviewer").last().source

        await answer(pilot, "I kept a plain dict behind a small class rather than anything cleverer: O(1) for every "
                            "operation now, at the cost of adding a second structure when expiry arrives.")
        assert screen.session.engine.state.gate == 2
        assert "Part 2" in screen.query(".interviewer").last().source
        assert "Part 2 checks" in panel_text(app)
        assert "part 2/4" in str(screen.query_one("#status").render())
    [path] = saved(tmp_path)
    runs = [e for e in load_transcript(path).events if e["kind"] == "checks_run"]
    assert [r["status"] for r in runs] == ["failed", "passed"]


async def test_run_checks_is_not_offered_outside_coding_rounds(tmp_path):
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    app = InterviewerApp(services, start="practice", round_id="behavioral", problem_id="ownership-and-pushback")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#coding").display
        assert app.screen.check_action("run_checks", ()) is False
