"""Append-only JSONL transcript writer: one event a line, flushed and fsynced per write,
so a crash never loses a committed turn."""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from ..errors import TranscriptError
from ..redaction import redact, scrub, scrub_data

__all__ = ["TranscriptWriter", "redact", "scrub"]

log = logging.getLogger("interviewer.transcript")


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
        self._write_bytes(line.encode("utf-8"))

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
