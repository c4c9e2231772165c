"""The loop debrief in the app: the same Markdown every export carries, with keys to export it."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static


class DebriefScreen(Screen):
    BINDINGS = [
        Binding("m", "export('md')", "Export Markdown"),
        Binding("h", "export('html')", "Export HTML"),
        Binding("j", "export('json')", "Export JSON"),
        Binding("escape", "back", "Back"),
    ]

    class DebriefBuilt(Message):
        def __init__(self, debrief, text: str) -> None:
            super().__init__()
            self.debrief = debrief
            self.text = text

    class Failed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    def __init__(self, loop_id: str) -> None:
        super().__init__()
        self.loop_id = loop_id
        self.debrief = None
        self.folder = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="debrief"):
            yield Static("Reading the loop's sessions…", id="debrief-status", markup=False)
            yield Markdown("", id="debrief-text")
        yield Footer()

    def on_mount(self) -> None:
        self._build()

    @work(thread=True, exclusive=True, exit_on_error=False, group="debrief", name="build-debrief")
    def _build(self) -> None:
        """Reading sessions and scoring an unscored one is file work: off the UI thread."""
        from ..loops.progress import find_run
        from ..loops.sittings import debrief
        from ..reports import render_debrief

        services = self.app.services
        try:
            run = find_run(None, services.settings.transcripts_dir, self.loop_id)
            self.folder = run.path.parent
            result = debrief(run, services.library)
            self.post_message(self.DebriefBuilt(result, render_debrief(result, "md")))
        except Exception as error:  # noqa: BLE001 - reported, the screen stays
            self.post_message(self.Failed(error))

    def on_debrief_screen_debrief_built(self, message: DebriefBuilt) -> None:
        self.debrief = message.debrief
        self.query_one("#debrief-status", Static).update(message.debrief.verdict)
        self.query_one("#debrief-text", Markdown).update(message.text)

    def on_debrief_screen_failed(self, message: Failed) -> None:
        self.query_one("#debrief-status", Static).update("No debrief to show.")
        self.app.show_error(message.error)

    def action_export(self, fmt: str) -> None:
        from ..reports import export_debrief

        if self.debrief is None:
            self.notify("The debrief is still being read.", severity="warning")
            return
        try:
            [path] = export_debrief(self.debrief, self.folder, formats=(fmt,))
        except Exception as error:  # noqa: BLE001
            self.app.show_error(error)
            return
        self.notify(f"Saved {path}", title="Exported", markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()
