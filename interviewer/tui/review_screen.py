"""Saved sessions: browse, search, filter by round, open beside the scorecard, re-score, rename,
delete, and see whether practice is moving each dimension.

Built to stay quick with 10,000 sessions: the first frame draws the status line, the table's columns and the
footer; the search box, the round filter and the trend pane (together as costly to draw as the table) mount
right after it, in room kept for them; a worker lists from the session index once the footer keys are drawn;
filtering and searching the listed fields scan strings kept in memory; the table gets its first screenful at
once and the rest in batches between frames; and only after the frame with the first matches are the trends
drawn and the transcripts read for the words said (by a worker that gives the GIL back after each file), whose
matches join the list when it reports.
"""

from __future__ import annotations

import asyncio
import time
from functools import partial
from itertools import compress
from typing import TYPE_CHECKING, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Select, Static
from textual.worker import get_current_worker

from .footer import AfterFooter, Footer, after_first_frame

if TYPE_CHECKING:  # the sessions module (and the transcript reader under it) loads with the listing, after the first frame
    from textual.widget import AwaitMount

    from ..sessions import SessionSummary

ALL = "__all__"
SEARCH_HINT = "Search (/): round, problem, name or words said"  # the search box's placeholder
FIRST_ROWS = 60  # a screenful, drawn in the first fill frame
BATCH_ROWS = 1000  # rows added per frame after that
FRAME_S = 1 / 60


class SessionTable(DataTable):
    def clear(self, columns: bool = False) -> SessionTable:
        # DataTable.clear works out the line offsets of every row (only to empty that list) before it empties
        # the table: a tenth of a second on the UI thread for 10,000 rows. Emptied first, there are none.
        self.rows.clear()
        return super().clear(columns)


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "Open"),
        Binding("slash", "search", "Search"),
        Binding("s", "rescore('offline')", "Re-score"),
        Binding("l", "rescore('llm')", "LLM score"),
        Binding("n", "rename", "Rename"),
        Binding("d", "delete", "Delete"),
        Binding("escape", "back", "Back"),
    ]

    class Listed(Message):
        """Every session, newest first, each with its sort key (time, file name)."""

        def __init__(self, listed: list[tuple[tuple, SessionSummary]]) -> None:
            super().__init__()
            self.listed = listed

    class Searched(Message):
        """The sessions (of those the fields did not match) whose words said match `query`."""

        def __init__(self, query: str, found: set[str]) -> None:
            super().__init__()
            self.query = query
            self.found = found

    class Rescored(Message):
        def __init__(self, card, transcript) -> None:
            super().__init__()
            self.card = card
            self.transcript = transcript

    class Changed(Message):
        """A session was renamed or deleted; `said` is the line to show."""

        def __init__(self, said: str) -> None:
            super().__init__()
            self.said = said

    class Failed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, SessionSummary] = {}  # what the table holds, by row key
        self.listed: list[tuple[tuple, SessionSummary]] = []
        self.summaries: list[SessionSummary] = []  # the listed sessions, and of each in the same order:
        self.paths: list[str] = []  # its path
        self.haystacks: list[str] = []  # and its searchable fields, lower-cased
        self.said: tuple[str, set[str]] = ("", set())  # a query and the sessions its words were said in
        self._listing = 0  # how many listings have arrived: the one the list shows
        self._history_of: tuple[str, int] | None = None  # the round and listing the trend pane shows

    def compose(self) -> ComposeResult:
        yield Static("Past sessions", id="status", markup=False)
        # The rest mounts after the first frame, in room kept for it (styles.tcss): the table stays where it is.
        with Horizontal(id="workspace", classes="-to-come"):
            with Vertical(id="sessions-pane"):
                yield Horizontal(id="review-controls", classes="-to-come")
                yield SessionTable(id="sessions", cursor_type="row")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_columns("Date", "Round", "Problem", "Overall", "Status", "Name")
        table.focus()
        after_first_frame(self.query_one("#status"), self._complete)

    async def _complete(self) -> None:
        """Mount the rest, in one frame; then hold the listing back until the frames with the screen and
        its footer keys: reading the index of thousands of sessions would contend with drawing them."""
        with self.app.batch_update():
            await asyncio.gather(*self._mount_rest())
        after_footer = AfterFooter(self)
        after_footer.start()
        after_footer(self.reload)

    def _mount_rest(self) -> list[AwaitMount]:
        """The search box, the round filter and the trend pane; once only, by the first key that needs them."""
        controls, workspace = self.query_one("#review-controls"), self.query_one("#workspace")
        if not controls.has_class("-to-come"):
            return []
        rounds = [(r.title, r.id) for r in self.app.services.library.index()]
        controls.remove_class("-to-come")
        workspace.remove_class("-to-come")
        return [controls.mount(Input(placeholder=SEARCH_HINT, id="search"),
                               Select([("All rounds", ALL)] + rounds, value=ALL, allow_blank=False, id="filter")),
                workspace.mount(VerticalScroll(id="history"))]

    # ------------------------------------------------------------------ listing
    @property
    def round_filter(self) -> str:
        self._mount_rest()
        return str(self.query_one("#filter", Select).value)

    def reload(self) -> None:
        """List the folder again (after a rename, a delete or a re-score)."""
        self._list()

    @work(thread=True, exclusive=True, exit_on_error=False, group="list", name="list-sessions")
    def _list(self) -> None:
        """Stats every session and reads those written since the index was saved: off the UI thread."""
        from ..sessions import indexed

        try:
            self.post_message(self.Listed(indexed(self.app.services.settings.transcripts_dir)))
        except Exception as error:  # noqa: BLE001
            self.post_message(self.Failed(error))

    def on_review_screen_listed(self, message: Listed) -> None:
        self.listed = message.listed
        self._listing += 1
        # Worked out once per listing, in listed order: each keystroke then runs a few list scans in C.
        self.summaries = [s for _, s in self.listed]
        self.paths = [str(s.path) for s in self.summaries]
        self.haystacks = [" ".join(_fields(s)).lower() for s in self.summaries]  # the fields a search matches
        self.said = ("", set())
        self._show()

    def _show(self) -> None:
        """The listed sessions of the chosen round whose fields (or words said) match the search."""
        round_id, query = self.round_filter, self.query_one("#search", Input).value.strip()
        words = query.lower().split()
        fielded = [True] * len(self.haystacks)
        for word in words:  # every word, in one of the fields
            fielded = [hit and word in haystack for hit, haystack in zip(fielded, self.haystacks)]
        searching = bool(words) and self.said[0] != query
        said = set() if searching else self.said[1]
        hits = [hit or path in said for hit, path in zip(fielded, self.paths)] if said else fielded
        shown = [s for s in compress(self.summaries, hits) if round_id == ALL or s.round == round_id]
        # Each runs after the frame with the first rows, which it would otherwise hold back.
        then: list[Callable[[], object]] = []
        if (round_id, self._listing) != self._history_of:  # the trends follow the round, not the search
            then.append(partial(self._history, round_id))
        if searching:  # every round's sessions, so changing the round needs no new search
            unmatched = [s for s, hit in zip(self.summaries, fielded) if not hit]
            then.append(partial(self._search_if_current, query, unmatched))
        elif not words:  # a search still reading for an earlier query would only be discarded
            self.workers.cancel_group(self, "search")
        # The first screenful now, so the next frame shows it; the rest in batches between frames.
        self.workers.cancel_group(self, "fill")
        table = self.query_one("#sessions", DataTable)
        table.clear()
        self.rows = {}
        self._add_rows(table, shown[:FIRST_ROWS])
        for callback in then:
            self.call_after_refresh(callback)
        if len(shown) > FIRST_ROWS:
            self._fill(shown[FIRST_ROWS:])
        found = f"{len(shown)} matching {query!r}" if query else str(len(shown))
        found += " (searching what was said…)" if searching else ""
        self.query_one("#status", Static).update(f"Past sessions in {self.app.services.settings.transcripts_dir}: "
                                                 f"{found}")

    def _search_if_current(self, query: str, candidates: list[SessionSummary]) -> None:
        """Start reading for `query` unless the search has changed since (to nothing, or to another query,
        whose own search is queued behind this one)."""
        if query == self.query_one("#search", Input).value.strip():
            self._search_said(query, candidates)

    # A fixed description: without one, Textual describes a worker by the repr of its arguments, here
    # thousands of sessions, on the UI thread (a third of a second for 10,000).
    @work(thread=True, exclusive=True, exit_on_error=False, group="search", name="search-said",
          description="reading transcripts for the words said")
    def _search_said(self, query: str, candidates: list[SessionSummary]) -> None:
        """Reads the transcripts the fields did not match, for the words said: off the UI thread."""
        from ..session_files import matches

        worker = get_current_worker()
        try:
            found = set()
            for s in candidates:
                if worker.is_cancelled:  # a newer query replaced this one
                    return
                if matches(query, _fields(s), s.path):
                    found.add(str(s.path))
                # Give the GIL back after each file: the UI thread waits for it after every frame it writes,
                # and without this it would wait out the interpreter's whole switch interval each time.
                time.sleep(0)
            self.post_message(self.Searched(query, found))
        except Exception as error:  # noqa: BLE001
            self.post_message(self.Failed(error))

    def on_review_screen_searched(self, message: Searched) -> None:
        if message.query == self.query_one("#search", Input).value.strip():
            self.said = (message.query, message.found)
            self._show()

    @work(exclusive=True, group="fill", name="fill-table", description="filling the table")  # as for search-said
    async def _fill(self, rest: list[SessionSummary]) -> None:
        """The rows after the first screenful, in batches a frame apart (a newer listing or search cancels this)."""
        table = self.query_one("#sessions", DataTable)
        for start in range(0, len(rest), BATCH_ROWS):
            await asyncio.sleep(FRAME_S)  # let a frame be drawn before each batch
            self._add_rows(table, rest[start:start + BATCH_ROWS])

    def _add_rows(self, table: DataTable, summaries: list[SessionSummary]) -> None:
        for s in summaries:
            key = str(s.path)
            self.rows[key] = s
            when = s.created.strftime("%Y-%m-%d %H:%M") if s.created else "?"
            overall = f"{s.overall_level} ({s.overall_score:.0f})" if s.overall_level else "not scored"
            table.add_row(when, s.round, s.problem or "?", overall, s.status, s.name, key=key)

    def _history(self, round_id: str) -> None:
        """Each dimension's trend over the listed sessions of `round_id`."""
        from textual.widgets import Sparkline  # drawn after the first rows: not imported before the first frame

        from ..sessions import trends

        self._history_of = (round_id, self._listing)
        chosen = ((key, s) for key, s in reversed(self.listed) if s.round == round_id)  # oldest first
        series = None if round_id == ALL else trends(chosen)
        pane = self.query_one("#history", VerticalScroll)
        pane.remove_children()
        if series is None:
            pane.mount(Label("Pick a round to see each dimension's trend."))
            return
        if not series:
            pane.mount(Label("No scored sessions of this round yet."))
            return
        for dimension, points in series.items():
            scores = [score for _, score in points]
            pane.mount(Label(f"{dimension}: {scores[0]:.0f} → {scores[-1]:.0f} over {len(scores)} sessions"))
            pane.mount(Sparkline(scores, classes="trend"))

    @on(Select.Changed, "#filter")
    def _filter(self, event: Select.Changed) -> None:
        self._show()

    @on(Input.Changed, "#search")
    def _searched(self, event: Input.Changed) -> None:
        self._show()

    @on(Input.Submitted, "#search")
    def _search_done(self, event: Input.Submitted) -> None:
        self.query_one("#sessions", DataTable).focus()

    def action_search(self) -> None:
        self._mount_rest()
        self.query_one("#search", Input).focus()

    def _selected(self) -> SessionSummary | None:
        table = self.query_one("#sessions", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.rows.get(str(key.value))

    # ------------------------------------------------------------------ open and score
    @on(DataTable.RowSelected, "#sessions")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        summary = self._selected()
        if summary is not None:
            self._rescore(summary, "saved")

    def action_rescore(self, how: str) -> None:
        summary = self._selected()
        if summary is None:
            return
        if how == "llm" and not self.app.services.llm.enabled:
            self.notify("No LLM endpoint: export OPENAI_API_KEY or start with --base-url.", severity="warning")
            return
        self.notify(f"Scoring {summary.name}…", timeout=3, markup=False)
        self._rescore(summary, how)

    @work(thread=True, exclusive=True, exit_on_error=False, group="score", name="rescore")
    def _rescore(self, summary: SessionSummary, how: str) -> None:
        from ..session_scoring import session_scorecard

        try:
            self.post_message(self.Rescored(*session_scorecard(self.app.services, summary.path, how)))
        except Exception as error:  # noqa: BLE001
            self.post_message(self.Failed(error))

    def on_review_screen_rescored(self, message: Rescored) -> None:
        from .scorecard_screen import ScorecardScreen

        self.reload()
        self.app.push_screen(ScorecardScreen(message.card, message.transcript))

    # ------------------------------------------------------------------ rename and delete
    def action_rename(self) -> None:
        summary = self._selected()
        if summary is None:
            return
        from .dialogs import AskText

        def chosen(name: str | None) -> None:
            if name and name.strip() and name.strip() != summary.name:
                self._change("rename", summary, name)

        self.app.push_screen(AskText(f"New name for {summary.name} (letters, digits, spaces, . - _):", summary.name),
                             chosen)

    def action_delete(self) -> None:
        summary = self._selected()
        if summary is None:
            return
        from .dialogs import Confirm

        def chosen(delete: bool | None) -> None:
            if delete:
                self._change("delete", summary)

        self.app.push_screen(Confirm(f"Delete {summary.name} ({summary.round}, {summary.answers} answers) with its "
                                     "scorecard, exports, draft and recordings? This cannot be undone.",
                                     "Delete", "Keep it", danger=True), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="files", name="change-session")
    def _change(self, what: str, summary: SessionSummary, name: str = "") -> None:
        from ..session_files import delete_session, rename_session

        try:
            if what == "rename":
                path = rename_session(summary.path, name)
                said = f"Renamed {summary.name} to {path.name.removesuffix('.jsonl')}"
            else:
                removed = delete_session(summary.path)
                said = f"Deleted {summary.name} ({len(removed)} files)"
            self.post_message(self.Changed(said))
        except Exception as error:  # noqa: BLE001
            self.post_message(self.Failed(error))

    def on_review_screen_changed(self, message: Changed) -> None:
        self.notify(message.said, markup=False)
        self.reload()

    def on_review_screen_failed(self, message: Failed) -> None:
        self.app.show_error(message.error)

    def action_back(self) -> None:
        self._mount_rest()
        if self.query_one("#search", Input).has_focus:
            self.query_one("#sessions", DataTable).focus()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()


def _fields(summary: SessionSummary) -> list[str]:
    """What a search looks at before it reads what was said."""
    when = summary.created.strftime("%Y-%m-%d %H:%M") if summary.created else ""
    return [summary.name, summary.round, summary.problem or "", summary.level or "", summary.status, when,
            summary.overall_level or ""]
