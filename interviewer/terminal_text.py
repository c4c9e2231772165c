"""Text that is safe to show on a terminal: no control sequences, no secrets.

An answer, an imported transcript or a model's reply can hold escape sequences (colours, cursor
moves, a changed window title, OSC 52 clipboard writes). Printed raw they act on the user's
terminal, so everything the command prints goes through `SafeStream`, which drops them and
masks secrets (`interviewer.redaction`).
"""

from __future__ import annotations

import re
from typing import Any, TextIO

from .redaction import scrub

# CSI and OSC sequences whole, then any other escape and lone control character. Newline and tab
# stay; so does nothing else below space (a carriage return can overwrite what was printed).
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor movement, erase
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window title, clipboard, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]?"  # any other escape
    r"|[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]"  # the remaining C0 and C1 controls, and DEL
)


def printable(text: str) -> str:
    """`text` without terminal control sequences (newlines and tabs kept)."""
    return _CONTROL.sub("", text) if text else text


class SafeStream:
    """A text stream that prints only `printable`, scrubbed text.

    A secret can arrive split over two writes (a reply streamed in chunks), so the trailing run
    of non-space characters is held back until the next write shows where it ends; secrets
    contain no spaces. `flush` keeps holding it; `close` (and the end of the command) lets it go.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._held = ""

    def write(self, text: str) -> int:
        pending = self._held + text
        cut = len(pending)
        while cut > 0 and not pending[cut - 1].isspace():
            cut -= 1
        self._held = pending[cut:]
        if cut:
            self._stream.write(printable(scrub(pending[:cut])))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._stream.flush()

    def release(self) -> None:
        """Print what is held back and flush: the command is ending."""
        held, self._held = self._held, ""
        if held:
            self._stream.write(printable(scrub(held)))
        self._stream.flush()

    def close(self) -> None:
        self.release()

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding, buffer...
        return getattr(self._stream, name)
