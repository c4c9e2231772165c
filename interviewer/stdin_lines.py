"""Plain mode's input: one answer a line, read as bytes so a bad line is reported, not fatal.

Text-mode stdin raises UnicodeDecodeError at the first invalid byte (a traceback, and the rest of
the input lost) and reads a line of any length into memory. Here a line is read in bounded
pieces: a line over the limit is consumed and counted without being kept, and a line that is not
UTF-8 is reported with where its bad byte is.
"""

from __future__ import annotations

import codecs
from typing import BinaryIO

from .errors import AnswerError

_PIECE = 64 * 1024
BYTES_PER_CHAR = 4  # the most UTF-8 spends on one character


class LineTooLong(AnswerError):
    """The line was read to its end and dropped; `chars` counts its characters."""

    def __init__(self, chars: int, limit: int) -> None:
        super().__init__(f"answer is {chars:,} characters, over the {limit:,} limit (setting max_answer_chars); "
                         "shorten it or split it across turns")
        self.chars = chars


class LineReader:
    def __init__(self, source: BinaryIO, max_chars: int) -> None:
        self.source = source
        self.max_chars = max_chars

    def readline(self) -> str | None:
        """The next line without its newline; None at the end of input. Raises AnswerError for a
        line that is not UTF-8 or is longer than `max_chars` (the line is consumed either way)."""
        limit = self.max_chars * BYTES_PER_CHAR + 2  # room for the newline and a carriage return
        data = self.source.readline(limit)
        if not data:
            return None
        if not data.endswith(b"\n") and len(data) >= limit:
            raise LineTooLong(self._count_rest(data), self.max_chars)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AnswerError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at column {exc.start + 1}); "
                              "send answers as UTF-8") from None
        text = text.removesuffix("\n").removesuffix("\r")
        if len(text) > self.max_chars:
            raise LineTooLong(len(text), self.max_chars)
        return text

    def _count_rest(self, head: bytes) -> int:
        """Read the rest of an over-long line in pieces, counting characters, keeping none."""
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        count = len(decoder.decode(head))
        while True:
            piece = self.source.readline(_PIECE)
            if not piece:
                break
            ended = piece.endswith(b"\n")
            count += len(decoder.decode(piece.removesuffix(b"\n") if ended else piece))
            if ended:
                break
        return count + len(decoder.decode(b"", final=True))
