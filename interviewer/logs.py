"""Logging: a bounded file in the user log folder, and stderr when no app owns the terminal.

Every record is scrubbed of secrets before any handler sees it (an HTTP client can log a URL
with credentials in it). The file is created on the first record, so a command that logs
nothing creates nothing.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from .paths import log_file
from .redaction import scrub

LOG_BYTES = 1 << 20
LOG_BACKUPS = 2
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class ScrubSecrets(logging.Filter):
    """Formats the message now and masks secrets in it (and in the exception text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


class _FolderMakingHandler(logging.handlers.RotatingFileHandler):
    def _open(self):
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def setup(to_stderr: bool) -> None:
    """Configure the root logger once per process: the level comes from INTERVIEWER_LOG."""
    level = os.environ.get("INTERVIEWER_LOG", "WARNING").upper()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_interviewer", False):
            root.removeHandler(handler)
    try:
        root.setLevel(level)
    except ValueError:
        root.setLevel(logging.WARNING)
    handlers: list[logging.Handler] = [_FolderMakingHandler(log_file(), maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS,
                                                            encoding="utf-8", delay=True)]
    handlers[0].setFormatter(logging.Formatter(FORMAT))
    if to_stderr:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        handlers.append(stream)
    for handler in handlers:
        handler._interviewer = True  # type: ignore[attr-defined]
        handler.addFilter(ScrubSecrets())
        root.addHandler(handler)


def quiet_stderr() -> None:
    """The app is taking the terminal: log records go to the file only."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_interviewer", False) and not isinstance(handler, logging.FileHandler):
            root.removeHandler(handler)
