"""Each screen at a fixed terminal size, compared with its accepted snapshot
(tests/__snapshots__; refresh with `pytest --snapshot-update` after a deliberate change)."""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO

from interviewer.services import build_services
from interviewer.tui.app import InterviewerApp

SIZE = (120, 36)
SMALL = (80, 24)  # the classic terminal: everything must still fit


@pytest.fixture
def sessions_dir(tmp_path, monkeypatch):
    """A relative folder holding the three sample sessions, so no temp path shows on screen."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "saved"
    folder.mkdir()
    for sample in sorted((REPO / "transcripts" / "samples").glob("*.jsonl")):
        shutil.copy(sample, folder / sample.name)
    return folder


def app(start="setup", transcripts_dir="empty", **where):
    services = build_services(transcripts_dir=transcripts_dir, brain="offline")
    return InterviewerApp(services, start=start, clock=lambda: 0.0, **where)


async def settle(pilot):
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    # A blinking cursor is drawn or not depending on when the picture is taken.
    for box in pilot.app.screen.query("TextArea"):
        box.cursor_blink = False
    await pilot.pause()


def test_setup_screen(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # What voice finds depends on the machine (a microphone, a GPU); pin it for the picture.
    monkeypatch.setattr("interviewer.spoken.voice_status",
                        lambda voice: (True, "Voice: Whisper tiny.en on cpu (int8), push-to-talk with F8; audio is "
                                             "transcribed on this machine and never leaves it."))
    assert snap_compare(app(), terminal_size=SIZE, run_before=settle)


def test_interview_screen(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert snap_compare(app("practice", round_id="system-design", problem_id="streaming-chat"),
                        terminal_size=SIZE, run_before=settle)


def test_interview_screen_at_80x24(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert snap_compare(app("practice", round_id="system-design", problem_id="streaming-chat"),
                        terminal_size=SMALL, run_before=settle)


def test_coding_interview_screen_at_80x24(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert snap_compare(app("practice", round_id="coding", problem_id="kv-store"), terminal_size=SMALL,
                        run_before=settle)


def test_coding_interview_screen(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert snap_compare(app("practice", round_id="coding-refactor", problem_id="webhook-sender"),
                        terminal_size=SIZE, run_before=settle)


def test_coding_checks_screen(snap_compare, tmp_path, monkeypatch):
    """Part 1 of the KV store after a run of its checks on code with a bug in it."""
    monkeypatch.chdir(tmp_path)
    from interviewer import workbench

    real_run = workbench.run_checks

    def run_in_a_pinned_time(*args, **kwargs):
        result = real_run(*args, **kwargs)
        result.duration_s = 0.1  # how long a run takes varies; the picture should not
        return result

    monkeypatch.setattr(workbench, "run_checks", run_in_a_pinned_time)

    async def run_checks(pilot):
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#answer").text = "Keys are strings, single-threaded for now. I'll assume that."
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen.query_one("#code").text = (REPO / "transcripts" / "samples" / "kv-store-first-try.py").read_text()
        await pilot.press("f5")
        await settle(pilot)

    assert snap_compare(app("practice", round_id="coding", problem_id="kv-store"), terminal_size=SIZE,
                        run_before=run_checks)


def test_review_screen(snap_compare, sessions_dir):
    assert snap_compare(app("review", transcripts_dir="saved"), terminal_size=SIZE, run_before=settle)


def test_review_screen_at_80x24(snap_compare, sessions_dir):
    assert snap_compare(app("review", transcripts_dir="saved"), terminal_size=SMALL, run_before=settle)


def test_scorecard_screen(snap_compare, sessions_dir):
    async def open_first(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app("review", transcripts_dir="saved"), terminal_size=SIZE, run_before=open_first)
