"""Under the code editor: the part's checks (names only), then how the last run went."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..run_report import headline


class ChecksPanel(VerticalScroll):
    DEFAULT_CSS = """
    ChecksPanel {
        height: auto;
        max-height: 45%;
        padding: 0 1;
        border-top: solid $secondary;
    }
    ChecksPanel.passed { border-top: solid $success; }
    ChecksPanel.failed { border-top: solid $error; }
    ChecksPanel > Static { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="checks-text")

    def render_text(self) -> str:
        """The panel's words as plain text (what a test or a screen reader sees)."""
        return str(self.query_one("#checks-text", Static).render())

    def update(self, text: Text) -> None:
        self.query_one("#checks-text", Static).update(text)
        self.scroll_home(animate=False)

    def show_checks(self, gate: int, descriptions: list[str]) -> None:
        """A part opened: list what its checks look at, so the candidate knows the target."""
        self.remove_class("passed", "failed")
        text = Text()
        text.append(f"Part {gate} checks (F5 runs them; earlier parts' checks run too)\n", style="bold")
        for description in descriptions:
            text.append(f"  ·  {description}\n")
        self.update(text)

    def show_running(self, gate: int) -> None:
        self.remove_class("passed", "failed")
        self.update(Text(f"Running part {gate} checks…", style="italic"))

    def show_run(self, run: dict[str, Any]) -> None:
        passed = run.get("status") == "passed"
        self.set_class(passed, "passed")
        self.set_class(not passed, "failed")
        text = Text()
        text.append(headline(run) + "\n", style="bold green" if passed else "bold red")
        for check in run.get("checks", []):
            if check.get("passed"):
                text.append("  ✓ ", style="bold green")
                text.append(f"{check.get('description')}\n", style="dim")
            else:
                text.append("  ✗ ", style="bold red")
                text.append(f"{check.get('description')}\n")
                if check.get("message"):
                    text.append(f"      {check['message']}\n", style="italic")
        if run.get("output"):
            text.append("output (last lines):\n", style="italic")
            text.append("\n".join(run["output"].splitlines()[-4:]) + "\n", style="dim")
        self.update(text)
