"""Append-only JSONL transcript writer: one event a line, flushed and fsynced per write,
so a crash never loses a committed turn."""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from ..bounded_read import size_text
from ..errors import TranscriptError
from ..redaction import redact, scrub, scrub_data
from .reader import MAX_BYTES

__all__ = ["TranscriptWriter", "redact", "scrub"]

log = logging.getLogger("interviewer.transcript")
# The most one record may add: an answer at the longest max_answer_chars, a code snapshot, a
# check run or a reply all fit well within it.
MAX_RECORD_BYTES = 2 << 20
# Room kept back at the end of a full file: for the interviewer's replies and, last, the end record.
_RESERVE_FOR_INPUT = 8 << 20
_RESERVE_FOR_REPLIES = 1 << 20


class TranscriptWriter:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        # A UI may close the session (Ctrl+C) while a worker thread is writing a reply.
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "ab")
        except OSError as exc:
            raise TranscriptError(
                f"{self.path}: cannot open for writing ({exc.strerror}); choose another folder with "
                "--transcripts-dir or INTERVIEWER_TRANSCRIPTS_DIR"
            ) from None
        self._size = self.path.stat().st_size
        self._mend_torn_tail()

    def _mend_torn_tail(self) -> None:
        """A crash mid-write can leave a partial last line. Start on a fresh line so the
        partial record stays separate (readers report and skip it) and new records stay whole."""
        size = self.path.stat().st_size
        if size == 0:
            return
        with open(self.path, "rb") as reader:
            reader.seek(size - 1)
            if reader.read(1) != b"\n":
                log.warning("%s: last line was torn; continuing on a new line", self.path)
                self._write_bytes(b"\n")

    def append(self, record: dict[str, Any]) -> None:
        # The last line of defence: whatever a record holds (an answer, run output, a model's
        # reply), no configured secret or key-shaped string reaches the disk.
        line = json.dumps(scrub_data(record), ensure_ascii=False, separators=(",", ":")) + "\n"
        data = line.encode("utf-8", "backslashreplace")  # a lone surrogate becomes a valid JSON escape
        if len(data) > MAX_RECORD_BYTES:
            raise TranscriptError(f"{self.path}: one {record.get('type', 'record')} of {size_text(len(data))} is "
                                  f"more than a turn may add ({size_text(MAX_RECORD_BYTES)}); nothing was saved "
                                  "for it: shorten it")
        # Every session stays loadable: the file never passes the reader's limit, and the last
        # stretch is kept for the interviewer's replies and the end record.
        if record.get("type") in ("end", "resumed"):
            reserve = 0
        elif record.get("role") == "interviewer":
            reserve = _RESERVE_FOR_REPLIES
        else:
            reserve = _RESERVE_FOR_INPUT
        if self._size + len(data) > MAX_BYTES - reserve:
            raise TranscriptError(f"{self.path}: the session file is full ({size_text(self._size)}); end the "
                                  "interview (/done, or F9) and start a new one")
        self._write_bytes(data)

    def _write_bytes(self, data: bytes) -> None:
        with self._lock:
            if self._file.closed:
                raise TranscriptError(f"{self.path}: the session was closed; resume it to continue")
            self._write_locked(data)

    def _write_locked(self, data: bytes) -> None:
        try:
            self._file.write(data)
            self._file.flush()
            os.fsync(self._file.fileno())
            self._size += len(data)
        except OSError as exc:
            raise TranscriptError(f"{self.path}: write failed ({exc.strerror}); free disk space and resume the session") from None

    @property
    def closed(self) -> bool:
        return self._file.closed

    def close(self) -> None:
        with self._lock:
            if not self._file.closed:
                self._file.close()

    def __enter__(self) -> "TranscriptWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
