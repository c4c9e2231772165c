"""The conversation: turns as they are said, the interviewer's reply as it streams in, and a line
saying the model is being waited on. It keeps the newest turn in view, through new text and
through a resized terminal, until the reader scrolls up.

Streamed chunks arrive on a worker thread far faster than a frame; `buffer_chunk` (any thread)
collects them and posts one message; the screen calls `drain` on the UI thread.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from ..llm.base import Restart

if TYPE_CHECKING:  # imported with the first reply: a Markdown parser is not needed for an empty conversation
    from textual.widgets import Markdown


class Conversation(VerticalScroll):
    class ChunksWaiting(Message):
        """New reply text is waiting in the buffer (one message, however many chunks)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._reply_widget: Markdown | None = None
        self._stream = None
        self._chunks: list[str] = []
        self._chunks_lock = threading.Lock()
        self._chunks_posted = False
        self._waiting: Static | None = None

    # ------------------------------------------------------------------ following
    def follow(self, again: bool = False) -> None:
        """Keep the newest turn in view from now on (after new text, and through resizes), until
        the reader scrolls up; `again` returns to it even then (the candidate just answered).
        Textual's anchor does the following; it is set only once the turns overflow the view,
        because an anchored view bottom-aligns what fits in it."""
        self.call_after_refresh(self._anchor_when_overflowing, again)

    def _anchor_when_overflowing(self, again: bool = False) -> None:
        overflowing = self.virtual_size.height > self.scrollable_content_region.height
        if overflowing and (not self.is_anchored or (again and self._anchor_released)):
            self.anchor()
        elif not overflowing and self.is_anchored:
            self.anchor(False)

    def on_resize(self) -> None:
        self.call_after_refresh(self._anchor_when_overflowing)

    # ------------------------------------------------------------------ turns
    def show(self, role: str, text: str) -> None:
        if role == "candidate":
            self.mount(Static(text, classes="candidate", markup=False))
        else:
            from textual.widgets import Markdown

            self.mount(Markdown(text, classes="interviewer"))
        self.follow()

    def note(self, text: str) -> None:
        self.mount(Static(text, classes="delivery-note", markup=False))
        self.follow()

    def waiting(self, text: str | None) -> None:
        """Show (or with None, remove) the line saying the model has not answered yet."""
        if text is None:
            if self._waiting is not None:
                self._waiting.remove()
                self._waiting = None
            return
        if self._waiting is None:
            self._waiting = Static(text, classes="waiting", markup=False)
            self.mount(self._waiting)
            self.follow()
        else:
            self._waiting.update(text)

    # --------------------------------------------------------------- streaming
    def buffer_chunk(self, text: str) -> None:
        """Called on the worker thread for every streamed chunk."""
        with self._chunks_lock:
            self._chunks.append(text)
            if self._chunks_posted:
                return
            self._chunks_posted = True
        self.post_message(self.ChunksWaiting())

    async def drain(self) -> None:
        with self._chunks_lock:
            chunks, self._chunks, self._chunks_posted = self._chunks, [], False
        if not chunks:
            return
        self.waiting(None)
        from textual.widgets import Markdown

        if self._reply_widget is None:
            self._reply_widget = Markdown(classes="interviewer")
            await self.mount(self._reply_widget)
            self._stream = Markdown.get_stream(self._reply_widget)
        text = ""
        for chunk in chunks:
            if isinstance(chunk, Restart):
                await self._stream.stop()
                text = ""
                await self._reply_widget.update("*(connection dropped; asking again)*\n\n")
                self._stream = Markdown.get_stream(self._reply_widget)
            else:
                text += chunk
        if text:
            await self._stream.write(text)
        self.follow()

    async def finish_reply(self, text: str | None) -> None:
        """The reply is complete: show exactly the saved text (None: there was no reply)."""
        await self.drain()
        self.waiting(None)
        if self._stream is not None:
            await self._stream.stop()
        if text is not None and self._reply_widget is not None:
            await self._reply_widget.update(text)
        elif text is not None:
            self.show("interviewer", text)
        self._stream, self._reply_widget = None, None
        self.follow()
