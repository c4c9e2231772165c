"""Helpers that check files share: a clock a check moves by hand, threads that start together,
and a numeric comparison. Standard library only at import: it is loaded in the sandboxed child
beside untrusted code, and numpy is imported inside the one helper that needs it."""

from __future__ import annotations

import sys
import threading
import time


class FakeClock:
    """Seconds that move only when the check says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def run_threads(workers, timeout: float = 10.0) -> None:
    """Run every worker in its own thread with a tiny switch interval; fail on any worker's error.

    Each thread spins until all of them are actually running, so a worker cannot finish its
    whole share before the operating system has even woken the others.
    """
    errors: list[BaseException] = []
    running = [0]
    count_lock = threading.Lock()
    deadline = time.monotonic() + timeout

    def wrap(work):
        def run():
            with count_lock:
                running[0] += 1
            # Spin until every thread is running, so none finishes before the others start.
            while running[0] < len(workers) and time.monotonic() < deadline:
                pass
            try:
                work()
            except BaseException as error:  # noqa: BLE001 - reported to the candidate below
                errors.append(error)
        return run

    threads = [threading.Thread(target=wrap(work), daemon=True) for work in workers]
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
    finally:
        sys.setswitchinterval(previous)
    assert not any(t.is_alive() for t in threads), (
        f"threads were still running after {timeout:.0f} s: look for a lock that is never released "
        "or a waiter that is never woken"
    )
    if errors:
        error = next((e for e in errors if not isinstance(e, threading.BrokenBarrierError)), errors[0])
        raise AssertionError(
            f"{len(errors)} thread(s) raised during concurrent use, first: {type(error).__name__}: {error}"
        )


def assert_close(got, expected, what: str, tolerance: float = 1e-6, dtype=None) -> None:
    """`got` (an array or a number) has `expected`'s shape, is finite, has `dtype` when one is given,
    and is within `tolerance` of `expected`, relative to each expected value (absolute near zero).
    The message names the worst index so the candidate can find it."""
    import numpy as np

    expected = np.asarray(expected, dtype=np.float64)
    got = np.asarray(got)
    assert got.shape == expected.shape, f"{what}: expected shape {expected.shape}, got {got.shape}"
    if dtype is not None:
        assert got.dtype == dtype, f"{what}: expected dtype {np.dtype(dtype)}, got {got.dtype}"
    finite = np.isfinite(got)
    assert finite.all(), f"{what}: expected finite values, got NaN or inf at {np.argwhere(~finite)[0].tolist()}"
    difference = np.abs(got.astype(np.float64) - expected)
    worst = np.unravel_index(np.argmax(difference), difference.shape)
    where = f"at index {tuple(int(i) for i in worst)} " if worst else ""
    assert difference[worst] <= tolerance * (1 + abs(expected[worst])), (
        f"{what}: {where}expected {expected[worst]:.6g}, got {got[worst]:.6g} (difference {difference[worst]:.3g})"
    )
