"""The footer composes its keys once however many times the bindings change before a frame, still
follows a change to what it shows, and the work a screen holds back starts only once the keys are there."""

from __future__ import annotations

import pytest
from test_tui import settle
from textual.app import App, ComposeResult
from textual.widgets import Label

from interviewer.services import build_services
from interviewer.tui import footer
from interviewer.tui.app import InterviewerApp
from interviewer.tui.footer import AfterFooter, Footer

pytestmark = pytest.mark.asyncio


class Toggle(App):
    BINDINGS = [("ctrl+q", "quit", "Quit"), ("x", "act", "Act")]

    def __init__(self) -> None:
        super().__init__()
        self.allowed = True
        self.keys_when_started: list[str] | None = None

    def compose(self) -> ComposeResult:
        yield Label("toggle")
        yield Footer()

    def on_mount(self) -> None:
        gate = AfterFooter(self.screen)
        gate.start()
        gate(self._started)

    def _started(self) -> None:
        self.keys_when_started = [key.key for key in self.screen.query("FooterKey")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "act" and not self.allowed else True


async def test_a_change_to_the_keys_is_shown_and_work_waits_for_them():
    app = Toggle()
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.keys_when_started is not None and "x" in app.keys_when_started
        act = next(key for key in app.screen.query("FooterKey") if key.key == "x")
        assert not act.has_class("-disabled")
        app.allowed = False
        app.refresh_bindings()
        await settle(pilot)
        act = next(key for key in app.screen.query("FooterKey") if key.key == "x")
        assert act.has_class("-disabled")


def count_compositions(monkeypatch) -> list[Footer]:
    """The footers, one entry each time one composes keys."""
    composed = []
    original = footer.TextualFooter.compose

    def counted(self):
        keys = list(original(self))
        if keys:
            composed.append(self)
        yield from keys

    monkeypatch.setattr(footer.TextualFooter, "compose", counted)
    return composed


async def test_the_setup_screen_composes_its_footer_keys_once(tmp_path, monkeypatch):
    composed = count_compositions(monkeypatch)
    app = InterviewerApp(build_services(transcripts_dir=tmp_path / "t", brain="offline"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert {"ctrl+q", "ctrl+s"} <= {key.key for key in app.screen.query("FooterKey")}
        assert len(composed) == 1


async def test_show_keys_composes_the_keys_at_once_and_a_later_change_of_bindings_keeps_them(monkeypatch):
    """`show_keys` composes the keys from the screen's bindings there and then, not a frame or two later
    as Textual's footer does; the change of bindings that follows shows the same keys and composes none."""
    composed = count_compositions(monkeypatch)

    class Shown(Toggle):
        async def on_mount(self) -> None:
            await self.query_one(Footer).show_keys()
            self.keys_when_started = [key.key for key in self.screen.query("FooterKey")]

    app = Shown()
    async with app.run_test() as pilot:
        assert app.keys_when_started is not None and {"ctrl+q", "x"} <= set(app.keys_when_started)
        await settle(pilot)
        assert len(composed) == 1 and {"ctrl+q", "x"} <= {key.key for key in app.screen.query("FooterKey")}
