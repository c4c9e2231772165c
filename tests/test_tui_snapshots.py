"""Each screen at a fixed terminal size, compared with its accepted snapshot
(tests/__snapshots__; refresh with `pytest --snapshot-update` after a deliberate change)."""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO

from interviewer.services import build_services
from interviewer.tui.app import InterviewerApp

SIZE = (120, 36)


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


def test_setup_screen(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert snap_compare(app(), terminal_size=SIZE, run_before=settle)


def test_interview_screen(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert snap_compare(app("practice", round_id="system-design", problem_id="streaming-chat"),
                        terminal_size=SIZE, run_before=settle)


def test_coding_interview_screen(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert snap_compare(app("practice", round_id="coding-refactor", problem_id="webhook-sender"),
                        terminal_size=SIZE, run_before=settle)


def test_review_screen(snap_compare, sessions_dir):
    assert snap_compare(app("review", transcripts_dir="saved"), terminal_size=SIZE, run_before=settle)


def test_scorecard_screen(snap_compare, sessions_dir):
    async def open_first(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app("review", transcripts_dir="saved"), terminal_size=SIZE, run_before=open_first)
