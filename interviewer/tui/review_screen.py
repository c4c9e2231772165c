"""Saved sessions: browse, filter by round, open beside the scorecard, re-score, and see
whether practice is moving each dimension."""

from __future__ import annotations

import json

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Select, Sparkline, Static

from ..sessions import SessionSummary, dimension_history, list_sessions

ALL = "__all__"


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "Open"),
        Binding("s", "rescore('offline')", "Re-score offline"),
        Binding("l", "rescore('llm')", "Re-score with LLM"),
        Binding("escape", "back", "Back"),
    ]

    class Rescored(Message):
        def __init__(self, card, transcript) -> None:
            super().__init__()
            self.card = card
            self.transcript = transcript

    class Failed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, SessionSummary] = {}

    def compose(self) -> ComposeResult:
        rounds = [(r.rubric.title, r.rubric.id) for r in self.app.services.library.all()]
        yield Static("Past sessions", id="status")
        with Horizontal(id="workspace"):
            with Vertical(id="sessions-pane"):
                yield Select([("All rounds", ALL)] + rounds, value=ALL, allow_blank=False, id="filter")
                yield DataTable(id="sessions", cursor_type="row")
            yield VerticalScroll(id="history")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_columns("Date", "Round", "Problem", "Scorer", "Overall", "Status")
        self._load(ALL)
        table.focus()

    def _load(self, round_id: str) -> None:
        folder = self.app.services.settings.transcripts_dir
        table = self.query_one("#sessions", DataTable)
        table.clear()
        self.rows = {}
        for s in list_sessions(folder, None if round_id == ALL else round_id):
            key = str(s.path)
            self.rows[key] = s
            when = s.created.strftime("%Y-%m-%d %H:%M") if s.created else "?"
            overall = f"{s.overall_level} ({s.overall_score:.0f})" if s.overall_level else "not scored"
            status = "complete" if s.completed else ("interrupted" if s.ended_reason is None else s.ended_reason)
            table.add_row(when, s.round, s.problem or "?", s.scorer or "-", overall, status, key=key)
        self.query_one("#status", Static).update(f"Past sessions in {folder}: {len(self.rows)}")
        self._history(round_id)

    def _history(self, round_id: str) -> None:
        pane = self.query_one("#history", VerticalScroll)
        pane.remove_children()
        if round_id == ALL:
            pane.mount(Label("Pick a round to see each dimension's trend."))
            return
        series = dimension_history(self.app.services.settings.transcripts_dir, round_id)
        if not series:
            pane.mount(Label("No scored sessions of this round yet."))
            return
        for dimension, points in series.items():
            scores = [score for _, score in points]
            pane.mount(Label(f"{dimension}: {scores[0]:.0f} → {scores[-1]:.0f} over {len(scores)} sessions"))
            pane.mount(Sparkline(scores, classes="trend"))

    @on(Select.Changed, "#filter")
    def _filter(self, event: Select.Changed) -> None:
        self._load(str(event.value))

    def _selected(self) -> SessionSummary | None:
        table = self.query_one("#sessions", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.rows.get(str(key.value))

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
        self.notify(f"Scoring {summary.path.name}…", timeout=3)
        self._rescore(summary, how)

    @work(thread=True, exclusive=True, exit_on_error=False, group="score", name="rescore")
    def _rescore(self, summary: SessionSummary, how: str) -> None:
        from ..scoring import score
        from ..scoring.llm_judge import judge
        from ..scoring.scorecard import Scorecard
        from ..sessions import save_scorecard, scorecard_path
        from ..transcript import load_transcript

        services = self.app.services
        try:
            transcript = load_transcript(summary.path)
            rubric = services.library.load(transcript.round).rubric
            cached = scorecard_path(summary.path)
            if how == "saved" and cached.exists():
                card = Scorecard.from_json(json.loads(cached.read_text()), rubric)
            elif how == "llm":
                card = judge(transcript, rubric, services.chat_model())
            else:
                card = score(transcript, rubric)
            if how != "saved":
                save_scorecard(summary.path, card, reason="re-scored with the LLM judge" if how == "llm" else "re-scored")
            self.post_message(self.Rescored(card, transcript))
        except Exception as error:  # noqa: BLE001
            self.post_message(self.Failed(error))

    def on_review_screen_rescored(self, message: Rescored) -> None:
        from .scorecard_screen import ScorecardScreen

        self._load(str(self.query_one("#filter", Select).value))
        self.app.push_screen(ScorecardScreen(message.card, message.transcript))

    def on_review_screen_failed(self, message: Failed) -> None:
        self.app.show_error(message.error)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()
