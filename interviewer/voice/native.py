"""Let native model calls finish before the interpreter exits.

Speech is heard and spoken on daemon threads, inside ONNX Runtime (Piper, the Silero VAD) and
CTranslate2 (Whisper), with the GIL released. If the process exits while one of those calls is
running, the libraries' thread pools are destroyed under it and the C++ runtime aborts the
process ("terminate called without an active exception", exit status 134) after everything else
has gone well, for instance when the user quits while the interviewer is speaking.

Every native call goes through `native_call()`. At exit, once Python has joined the non-daemon
threads and only daemon threads are left, the gate closes: it waits (bounded) for the calls in
flight to return, and any daemon thread that tries to start a new one waits instead, in Python,
where the interpreter's shutdown can freeze it safely.
"""

from __future__ import annotations

import atexit
import logging
import threading
from contextlib import contextmanager
from typing import Iterator

log = logging.getLogger(__name__)

DRAIN_TIMEOUT_S = 10.0  # longer than any one call: a sentence's synthesis, one Whisper window


class ExitGate:
    """Counts native calls in flight and, once closed, holds back new ones.

    A class rather than module globals so a test can drive its own gate without touching the
    count of the process's real calls, which threads left by other tests may still be making."""

    def __init__(self) -> None:
        self._state = threading.Condition()
        self._in_flight = 0
        self._closed = False

    @contextmanager
    def call(self) -> Iterator[None]:
        """Wrap one call into a native model library. After the gate has closed it never returns."""
        with self._state:
            while self._closed:
                self._state.wait()  # the process is exiting: this daemon thread stops here, outside native code
            self._in_flight += 1
        try:
            yield
        finally:
            with self._state:
                self._in_flight -= 1
                self._state.notify_all()

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def drain(self, timeout: float = DRAIN_TIMEOUT_S) -> bool:
        """Close the gate and wait for the calls in flight; True if none was left running."""
        with self._state:
            self._closed = True
            done = self._state.wait_for(lambda: self._in_flight == 0, timeout)
            left = self._in_flight
        if not done:
            log.warning("exiting with %d speech model call(s) still running", left)
        return done

    def reopen(self) -> None:
        """Let the threads waiting at a closed gate go on (used by tests; the process never reopens)."""
        with self._state:
            self._closed = False
            self._state.notify_all()


_gate = ExitGate()


def native_call():
    """Wrap one call into a native model library. After exit has begun it never returns."""
    return _gate.call()


def in_flight() -> int:
    return _gate.in_flight


def _drain(timeout: float = DRAIN_TIMEOUT_S) -> bool:
    return _gate.drain(timeout)


atexit.register(_drain)
