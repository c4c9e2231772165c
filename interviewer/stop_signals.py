"""SIGTERM and SIGHUP (a closed terminal, a `kill`, a system shutdown) end a session the way
Ctrl+C does: the end record is written, so the session reads as stopped, not crashed, and
resumes. Plain mode turns the signal into an exception on the main thread; the app asks its
event loop to call it back (see `interviewer.tui.app`)."""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Terminated(BaseException):
    """Raised by the handler; a BaseException, so `except Exception` around a model call lets it by."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _raise(signum, _frame) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def raising_on_stop_signals() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise Terminated in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _raise) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
