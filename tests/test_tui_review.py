"""Managing sessions in the app: search, rename, delete; and sessions an older version left in
./transcripts offered for import once."""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO
from test_tui import settle

from interviewer.scoring import score
from interviewer.services import build_services
from interviewer.sessions import save_scorecard
from interviewer.transcript import load_transcript
from interviewer.tui.app import InterviewerApp
from interviewer.tui.dialogs import AskText, Confirm
from interviewer.tui.setup_screen import SetupScreen

pytestmark = pytest.mark.asyncio
SAMPLES = REPO / "transcripts" / "samples"
SIZE = (120, 36)


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    for name, sample in (("chat", "system-design-streaming-chat.jsonl"), ("kv", "coding-kv-store.jsonl"),
                         ("owner", "behavioral-ownership.jsonl")):
        shutil.copy(SAMPLES / sample, folder / f"{name}.jsonl")
    return folder


async def press_on(pilot, name: str, key: str) -> None:
    """Search for one session, select it in the table and press `key`."""
    await settle(pilot)
    pilot.app.screen.query_one("#search").value = name
    await settle(pilot)
    pilot.app.screen.query_one("#sessions").focus()
    await pilot.press(key)
    await settle(pilot)


def names(app) -> list[str]:
    table = app.screen.query_one("#sessions")
    return sorted(str(table.get_row_at(i)[-1]) for i in range(table.row_count))


async def test_search_matches_names_rounds_and_what_was_said(folder):
    app = InterviewerApp(build_services(transcripts_dir=folder, brain="offline"), start="review")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert names(app) == ["chat", "kv", "owner"]
        await pilot.press("slash", *"coding")
        await settle(pilot)
        assert names(app) == ["kv"]
        search = app.screen.query_one("#search")
        search.value = "SSE websockets"  # words the candidate said in the streaming-chat sample
        await settle(pilot)
        assert names(app) == ["chat"]
        search.value = "nothing anybody said"
        await settle(pilot)
        assert names(app) == [] and "0 matching" in str(app.screen.query_one("#status").render())


async def test_rename_moves_the_session_with_its_scorecard(folder):
    services = build_services(transcripts_dir=folder, brain="offline")
    save_scorecard(folder / "kv.jsonl", score(load_transcript(folder / "kv.jsonl"),
                                              services.library.load("coding").rubric))
    app = InterviewerApp(services, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await press_on(pilot, "kv", "n")
        assert isinstance(app.screen, AskText)
        app.screen.query_one("#text").value = "bad/name"
        await pilot.press("enter")
        await settle(pilot)
        assert any("cannot name a session" in n.message for n in app._notifications)
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#text").value = "kv store practice 1"
        await pilot.press("enter")
        await settle(pilot)
    assert sorted(p.name for p in folder.iterdir()) == ["chat.jsonl", "kv store practice 1.jsonl",
                                                        "kv store practice 1.score.json",
                                                        "kv store practice 1.scorecards.ndjson", "owner.jsonl"]


async def test_delete_asks_then_removes_the_session_and_its_files(folder):
    (folder / "owner.audio").mkdir()
    (folder / "owner.audio" / "turn-002.wav").write_bytes(b"RIFF")
    (folder / "owner.draft.json").write_text('{"answer": "x"}')
    app = InterviewerApp(build_services(transcripts_dir=folder, brain="offline"), start="review")
    async with app.run_test(size=SIZE) as pilot:
        await press_on(pilot, "owner", "d")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # kept
        await settle(pilot)
        assert (folder / "owner.jsonl").exists()
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        app.screen.query_one("#search").value = ""
        await settle(pilot)
        assert names(app) == ["chat", "kv"]
    assert sorted(p.name for p in folder.iterdir()) == ["chat.jsonl", "kv.jsonl"]


async def test_sessions_in_an_old_transcripts_folder_are_offered_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    old = tmp_path / "transcripts"
    old.mkdir()
    shutil.copy(SAMPLES / "coding-kv-store.jsonl", old / "kv.jsonl")
    target = tmp_path / "sessions"
    app = InterviewerApp(build_services(transcripts_dir=target, brain="offline"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, Confirm) and "1 session saved by an older version" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
    assert (target / "kv.jsonl").read_bytes() == (old / "kv.jsonl").read_bytes()
    (target / "kv.jsonl").unlink()  # even with the copy gone, the offer is not made again
    async with InterviewerApp(build_services(transcripts_dir=target, brain="offline")).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, SetupScreen)


async def test_many_sessions_fill_the_table_in_batches_and_filter_in_memory(tmp_path):
    from interviewer.tui.review_screen import BATCH_ROWS, FIRST_ROWS

    folder = tmp_path / "many"
    folder.mkdir()
    count = FIRST_ROWS + BATCH_ROWS + 7  # three batches
    for i in range(count):
        sample = "coding-kv-store.jsonl" if i % 2 else "behavioral-ownership.jsonl"
        shutil.copy(SAMPLES / sample, folder / f"s{i:05d}.jsonl")
    app = InterviewerApp(build_services(transcripts_dir=folder, brain="offline"), start="review")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sessions")
        assert table.row_count == count
        app.screen.query_one("#search").value = "s0001"  # s00010 .. s00019 and s0001 itself: by name
        await settle(pilot)
        assert names(app) == [f"s{i:05d}" for i in range(10, 20)]
        app.screen.query_one("#search").value = ""
        await settle(pilot)
        app.screen.query_one("#filter").value = "coding"
        await settle(pilot)
        assert table.row_count == count // 2


async def test_searching_leaves_the_trend_pane_alone(folder):
    from interviewer.tui.review_screen import ALL

    app = InterviewerApp(build_services(transcripts_dir=folder, brain="offline"), start="review")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#filter").value = "system-design"
        await settle(pilot)
        history = app.screen.query_one("#history")
        trends = list(history.children)
        assert trends
        app.screen.query_one("#search").value = "chat"
        await settle(pilot)
        assert names(app) == ["chat"] and list(history.children) == trends  # the same widgets, not rebuilt
        app.screen.query_one("#filter").value = ALL
        await settle(pilot)
        assert list(history.children) != trends


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_the_first_frame_has_the_table_in_its_place_and_the_rest_mounts_after_it(folder, monkeypatch, size):
    """The first frame draws the status line, the table's columns and the footer; the search box, the round
    filter and the trend pane mount right after it, in room kept for them, and the listing follows."""
    from interviewer.tui.review_screen import ReviewScreen

    first: dict[str, object] = {}
    original = ReviewScreen._complete

    async def complete(self):
        first["widgets"] = {widget.id for widget in self.query("*") if widget.id}
        region = self.query_one("#sessions").region
        first["table"] = (region.x, region.y, region.width)  # its height follows the rows
        await original(self)

    monkeypatch.setattr(ReviewScreen, "_complete", complete)
    app = InterviewerApp(build_services(transcripts_dir=folder, brain="offline"), start="review")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert {"status", "sessions"} <= first["widgets"]
        assert not {"search", "filter", "history"} & first["widgets"]
        region = screen.query_one("#sessions").region
        assert (region.x, region.y, region.width) == first["table"] and screen.focused.id == "sessions"
        assert [w.id for w in screen.query("Input, Select, DataTable")] == ["search", "filter", "sessions"]
        assert names(app) == ["chat", "kv", "owner"]
        assert screen.query_one("#history").children  # the trends, drawn after the listing


async def test_slash_before_the_rest_has_mounted_opens_the_search_box(folder, monkeypatch):
    from interviewer.tui.review_screen import ALL, ReviewScreen

    async def not_yet(self):
        pass

    monkeypatch.setattr(ReviewScreen, "_complete", not_yet)
    app = InterviewerApp(build_services(transcripts_dir=folder, brain="offline"), start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.query("#search")
        await pilot.press("slash", "k")
        assert screen.focused.id == "search" and screen.query_one("#search").value == "k"
        assert screen.round_filter == ALL and screen.query("#history")
