"""The interview screen as it starts: two frames, as an empty app draws, and no key acting on widgets that
are not there yet."""

from __future__ import annotations

import pytest
from test_tui import SIZE, settle

from interviewer.services import build_services
from interviewer.tui.app import InterviewerApp
from interviewer.tui.interview_screen import InterviewScreen

pytestmark = pytest.mark.asyncio


def practice(tmp_path, **where) -> InterviewerApp:
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    return InterviewerApp(services, start="practice", round_id=where.get("round_id", "system-design"),
                          problem_id=where.get("problem_id", "streaming-chat"))


def drawn(screen) -> dict[str, object]:
    return {"widgets": {w.id for w in screen.query("*") if w.id and w.id != "_footer"} - {None},
            "keys": {key.key for key in screen.query("FooterKey")}}


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_the_screen_comes_in_two_frames_and_the_session_opens_after_the_keys(tmp_path, monkeypatch, size):
    """The first frame draws the status line and the footer's bar; the second, the workspace with the answer
    box focused and the footer's keys. The session opens only after that."""
    frames: list[dict[str, object]] = []
    show = InterviewScreen._show_workspace

    async def recorded(self):
        frames.append(drawn(self) | {"session": self.session})
        await show(self)
        frames.append(drawn(self) | {"session": self.session, "focused": self.focused.id})

    monkeypatch.setattr(InterviewScreen, "_show_workspace", recorded)
    app = practice(tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        first, second = frames
        assert first == {"widgets": {"status"}, "keys": set(), "session": None}
        assert {"workspace", "talk", "conversation", "answer", "coding"} <= second["widgets"]
        assert not {"code", "checks"} & second["widgets"]  # the editor mounts only for a coding round
        assert second["focused"] == "answer" and second["session"] is None
        screen = app.screen
        assert screen.session is not None and screen.focused.id == "answer"
        assert {"ctrl+s", "f2", "f3", "f4", "f9"} <= {key.key for key in screen.query("FooterKey")}
        assert "would you like to know" in screen.query(".interviewer").first().source.lower()
        assert not screen.query("#code") and not screen.query_one("#coding").display


async def test_a_coding_round_mounts_its_editor_and_checks_when_the_session_opens(tmp_path):
    app = practice(tmp_path, round_id="coding", problem_id="kv-store")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#coding").display and screen.query_one("#checks").display
        assert screen.query_one("#code").text == (screen.session.problem.code or "")
        assert "f5" in {key.key for key in screen.query("FooterKey")}


async def test_keys_before_the_workspace_has_mounted_do_nothing_and_quit_still_quits(tmp_path, monkeypatch):
    async def not_yet(self):
        pass

    monkeypatch.setattr(InterviewScreen, "_show_workspace", not_yet)
    app = practice(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.query("#answer")
        assert not {"ctrl+s", "f2", "f9"} & {key.key for key in screen.query("FooterKey")}  # offered with the box
        await pilot.press("ctrl+s", "f2", "f3", "f5", "f6", "f7", "f8", "f9", "f10", "x")
        await pilot.pause()
        assert app.screen is screen and app.is_running and not app._exception
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code in (0, None) and app._exception is None
