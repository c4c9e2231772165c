"""The footer, drawn once per batch of binding changes, and a screen's background work held back until
it has drawn its keys.

Textual's footer recomposes (removes and mounts every key) after each change of the screen's bindings,
and a screen that focuses a widget and highlights a few lists as it mounts changes them three times
before the next frame: three recomposes of the same keys, one after another, before the keys appear.

Textual fills a footer a frame or two after the screen's first frame (once the screen's bindings are
collected; with `show_keys`, in the next frame). A worker thread started before then (listing sessions,
loading a rubric, probing the audio stack) takes the GIL in long stretches, and the frame with the keys
waits for it: a user sees a screen without its keys for as long as the thread runs. Work queued here
starts after that frame instead.

A screen that draws part of itself first mounts the rest with `after_first_frame`.
"""

from __future__ import annotations

import asyncio
from functools import partial
from inspect import isawaitable
from typing import Any, Callable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widget import Widget
from textual.widgets._footer import FooterKey  # not exported; the footer's keys are this class

# Refreshes to wait for keys that may never come (a footer with no bindings to show): then start anyway.
MOST_CHECKS = 20


class Footer(TextualFooter):
    """Textual's footer with the recomposes asked for between two frames merged into one, which reads the
    bindings as they are by then, and skipped when the keys it would show are the ones it shows (mounting
    the keys changes the bindings once more, to the same keys)."""

    _queued = False
    _shown: tuple | None = None

    async def show_keys(self) -> None:
        """Compose the keys now, from the screen's bindings as they are, so that they are drawn in the
        next frame. Textual's footer waits for the first change of the screen's bindings: a frame or two
        later, and three layouts on. For a screen whose focused widget adds no shown key and consumes none
        (a widget that takes typed text would hide keys the footer showed at first)."""
        self.set_reactive(TextualFooter._bindings_ready, True)
        # Composed by the footer itself: each key binds to the footer's style as it is composed, which
        # Textual does only from the footer's own message pump.
        composed = asyncio.get_running_loop().create_future()

        async def compose_keys() -> None:
            try:
                await self.recompose()
            finally:
                composed.set_result(None)

        self.call_next(compose_keys)
        await composed

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The key's style, set before it mounts: a key mounts compact and is then bound to the
                # footer's style (the command palette's key stays compact), each class change a restyle.
                compact = self.compact or widget.has_class("-command-palette")
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def _keys(self) -> tuple:
        """What the footer shows, to compare with what it showed."""
        return (self.show_command_palette, self.combine_groups,
                *((binding, enabled, tooltip) for _, binding, enabled, tooltip in self.screen.active_bindings.values()
                  if binding.show))

    def bindings_changed(self, screen: Screen) -> None:
        if self._queued and screen is self.screen:
            return
        super().bindings_changed(screen)
        # What the base class checks before it queues a recompose.
        self._queued = bool(screen.app.app_focus and self.is_attached and screen is self.screen)

    async def recompose(self) -> None:
        self._queued = False
        if not self.is_attached:
            return
        shown = self._keys()
        if shown == self._shown and self.children:
            return
        self._shown = shown
        await super().recompose()


class AfterFooter:
    """`gate(callback, *args)` runs the callback after the frame that draws the screen's footer keys, or
    after the next refresh once that frame has been drawn. Call `start()` from the screen's `on_mount`."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.opened = False
        self._waiting: list[Callable[[], Any]] = []
        self._checks = 0

    def start(self) -> None:
        self.screen.call_after_refresh(self._check)

    def __call__(self, callback: Callable[..., Any], *args: Any) -> None:
        if self.opened:
            self.screen.call_after_refresh(callback, *args)
        else:
            self._waiting.append(partial(callback, *args))

    def _check(self) -> None:
        footers = self.screen.query(TextualFooter)
        self._checks += 1
        if footers and not any(footer.children for footer in footers) and self._checks < MOST_CHECKS:
            self.screen.call_after_refresh(self._check)
            return
        # The keys are mounted; the refresh after this one draws them, and the work starts after it.
        self.opened = True
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            self.screen.call_after_refresh(callback)


def after_first_frame(node: Widget, callback: Callable[[], Any]) -> None:
    """Call `callback` (a coroutine function or not) once, as soon as the screen of `node` has drawn its
    first frame: after the next layout (a frame is drawn with each), or after the next refresh should no
    layout come. A callback after refresh alone waits for an idle screen, which at start-up is some frames
    later (the screen resumed, the terminal's size, each widget's first resize). `node`, a mounted widget
    of that screen, holds the subscription to its layouts: the screen holds one of its own."""
    signal = node.screen.screen_layout_refresh_signal
    called = False

    async def once(_screen: Screen | None = None) -> None:
        nonlocal called
        signal.unsubscribe(node)
        if not called:
            called = True
            result = callback()
            if isawaitable(result):
                await result

    signal.subscribe(node, once)
    node.screen.call_after_refresh(once)
