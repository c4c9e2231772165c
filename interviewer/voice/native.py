"""Let native model calls finish before the interpreter exits.

Speech is heard and spoken on daemon threads, inside ONNX Runtime (Piper, the Silero VAD) and
CTranslate2 (Whisper), with the GIL released. If the process exits while one of those calls is
running, the libraries' thread pools are destroyed under it and the C++ runtime aborts the
process ("terminate called without an active exception", exit status 134) after everything else
has gone well, for instance when the user quits while the interviewer is speaking.

Every native call goes through `native_call()`. At exit, once Python has joined the non-daemon
threads and only daemon threads are left, `_drain` closes the gate: it waits (bounded) for the
calls in flight to return, and any daemon thread that tries to start a new one waits instead, in
Python, where the interpreter's shutdown can freeze it safely.
"""

from __future__ import annotations

import atexit
import logging
import threading
from contextlib import contextmanager
from typing import Iterator

log = logging.getLogger(__name__)

DRAIN_TIMEOUT_S = 10.0  # longer than any one call: a sentence's synthesis, one Whisper window

_state = threading.Condition()
_in_flight = 0
_closed = False


@contextmanager
def native_call() -> Iterator[None]:
    """Wrap one call into a native model library. After exit has begun it never returns."""
    global _in_flight
    with _state:
        while _closed:
            _state.wait()  # the process is exiting: this daemon thread stops here, outside native code
        _in_flight += 1
    try:
        yield
    finally:
        with _state:
            _in_flight -= 1
            _state.notify_all()


def in_flight() -> int:
    return _in_flight


def _drain(timeout: float = DRAIN_TIMEOUT_S) -> bool:
    """Close the gate and wait for the calls in flight; True if none was left running."""
    global _closed
    with _state:
        _closed = True
        done = _state.wait_for(lambda: _in_flight == 0, timeout)
    if not done:
        log.warning("exiting with %d speech model call(s) still running", _in_flight)
    return done


atexit.register(_drain)
