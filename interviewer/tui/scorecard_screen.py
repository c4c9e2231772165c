"""A scorecard beside its conversation: pick a dimension, read its evidence, jump to the
turn a quote came from, export the lot."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ..scoring.scorecard import Scorecard
from ..transcript import Transcript
from .footer import Footer

LABEL = {"below_bar": "below bar", "good": "good", "great": "great", "not_assessed": "not assessed"}


class ScorecardScreen(Screen):
    BINDINGS = [
        Binding("m", "export('md')", "Export Markdown"),
        Binding("h", "export('html')", "Export HTML"),
        Binding("j", "export('json')", "Export JSON"),
        Binding("r", "review", "Past sessions"),
        Binding("escape", "back", "Back"),
    ]

    class HistoryLoaded(Message):
        """The scorecards kept with this session, oldest first."""

        def __init__(self, history: list[dict[str, Any]]) -> None:
            super().__init__()
            self.history = history

    def __init__(self, card: Scorecard, transcript: Transcript) -> None:
        super().__init__()
        self.card = card
        self.transcript = transcript

    def compose(self) -> ComposeResult:
        card = self.card
        overall = LABEL[card.overall_level] + ("" if card.overall_level == "not_assessed" else f" ({card.overall_score:.0f})")
        yield Static(
            f"{card.round} / {card.problem or '?'} · overall {overall} · "
            f"level signal {card.level_signal} · scorer {card.scorer}", id="status")
        with Horizontal(id="workspace"):
            with VerticalScroll(id="replay"):
                for turn in self.transcript.turns:
                    who = "Interviewer" if turn.role == "interviewer" else "You"
                    yield Static(f"[b]{turn.n}. {who}[/b]", classes="turn-head", markup=True)
                    if turn.role == "interviewer":
                        yield Markdown(turn.text, id=f"turn-{turn.n}", classes=turn.role)
                    else:
                        yield Static(turn.text, id=f"turn-{turn.n}", classes=turn.role, markup=False)
            with VerticalScroll(id="card"):
                yield DataTable(id="dimensions", cursor_type="row")
                yield Markdown("", id="detail")
                yield OptionList(id="evidence")
                yield Markdown(self._gates_text(), id="gates")
                yield Markdown(self._findings_text(), id="findings")
                yield Markdown("", id="history")
                if self.card.delivery_lines():
                    yield Markdown("### Delivery\n\n" + "\n".join(f"- {line}" for line in self.card.delivery_lines()),
                                   id="delivery")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#dimensions", DataTable)
        table.add_columns("Dimension", "Level", "Score")
        for d in self.card.dimensions:
            table.add_row(d.title, LABEL[d.level], f"{d.score:.0f}" if d.assessed else "-", key=d.id)
        table.focus()
        if self.card.dimensions:
            self._show(self.card.dimensions[0].id)
        if self.transcript.path is not None:
            self._load_history(self.transcript.path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="score", name="history")
    def _load_history(self, path) -> None:
        from ..sessions import scorecard_history

        self.post_message(self.HistoryLoaded(scorecard_history(path)))

    def on_scorecard_screen_history_loaded(self, message: HistoryLoaded) -> None:
        from ..sessions import what_changed

        if len(message.history) < 2:
            return
        lines = ["### Scorecards kept with this session", ""]
        previous = None
        for number, record in enumerate(message.history, start=1):
            changes = what_changed(previous, record) if previous else []
            lines.append(f"{number}. {record.get('saved_at', 'earlier')}, {record.get('reason', 'scored')}: "
                         f"{LABEL.get(record['overall']['level'], record['overall']['level'])}, level signal "
                         f"{record.get('level_signal')}" + (f" ({'; '.join(changes)})" if changes else ""))
            previous = record
        self.query_one("#history", Markdown).update("\n".join(lines))

    @on(DataTable.RowHighlighted, "#dimensions")
    def _row(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None:
            self._show(str(event.row_key.value))

    def _show(self, dimension_id: str) -> None:
        d = next(d for d in self.card.dimensions if d.id == dimension_id)
        text = [f"### {d.title}: {LABEL[d.level]}" + (f" ({d.score:.0f})" if d.assessed else ""), ""]
        if d.descriptor.strip():
            text += [f"*{d.descriptor.strip()}*", ""]
        text.append(f"Why: {d.rationale}.")
        if d.level != "great" and d.great_example.strip():
            text += ["", "**What great sounds like:**", "", "> " + d.great_example.strip().replace("\n", "\n> ")]
        self.query_one("#detail", Markdown).update("\n".join(text))
        evidence = self.query_one("#evidence", OptionList)
        evidence.clear_options()
        if not d.evidence:
            why = "Nothing in the session asked for this or showed it." if not d.assessed else \
                "No evidence in the transcript for this dimension."
            evidence.add_option(Option(why, disabled=True))
        for i, q in enumerate(d.evidence):
            evidence.add_option(Option(f"turn {q.turn}: “{q.quote}”", id=f"{d.id}:{i}:{q.turn}"))

    @on(OptionList.OptionSelected, "#evidence")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        turn = int(str(event.option.id).rsplit(":", 1)[1])
        for widget in self.query(".highlight"):
            widget.remove_class("highlight")
        target = self.query_one(f"#turn-{turn}")
        target.add_class("highlight")
        self.query_one("#replay").scroll_to_widget(target, animate=False, top=True)

    def _findings_text(self) -> str:
        """What the scorer could not let pass: claims against the problem's facts, answers for another problem."""
        card = self.card
        lines = []
        if card.corrections:
            lines += ["### Corrections", ""] + [f"- turn {c['turn']}: “{c['claim']}” {c['fact']}" for c in card.corrections]
        if card.relevance.get("off_problem"):
            where = f"*{card.relevance['elsewhere']}*" if card.relevance.get("elsewhere") else "another problem"
            lines += ["", f"Most answers fit {where} better than this problem, so every "
                      "level is capped below the bar."]
        if card.missing:
            lines += ["", "Not assessed: " + ", ".join(card.missing) + "."]
        return "\n".join(lines).strip()

    def _gates_text(self) -> str:
        if not self.card.gates:
            return ""
        lines = [f"{self.card.gate_verdict()}.", "", "| Gate | Result | Tradeoff explained | Minutes | Check runs |",
                 "|---|---|---|---|---|"]
        for g in self.card.gates:
            minutes = f"{g['elapsed_s'] / 60:.1f}" if g.get("elapsed_s") is not None else "?"
            explained = {True: "yes", False: "no", None: "?"}[g.get("tradeoff_explained")] if g["passed"] else "-"
            runs = g["runs"] if g.get("runs") is not None else "-"
            lines.append(f"| {g['gate']} {g.get('title') or ''} | {'passed' if g['passed'] else 'not passed'} | "
                         f"{explained} | {minutes} | {runs} |")
        return "\n".join(lines)

    def action_export(self, fmt: str) -> None:
        from ..reports.export import export

        if self.transcript.path is None:
            self.notify("This transcript has no file to export beside.", severity="warning")
            return
        try:
            [path] = export(self.card, self.transcript, self.transcript.path.parent, formats=(fmt,))
        except Exception as error:  # noqa: BLE001
            self.app.show_error(error)
            return
        self.notify(f"Saved {path}", title="Exported")

    def action_review(self) -> None:
        from .review_screen import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def action_back(self) -> None:
        from .interview_screen import InterviewScreen

        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if below is None or isinstance(below, InterviewScreen):  # nothing to go back to but a finished interview
            self.app.exit()
        else:
            self.app.pop_screen()
