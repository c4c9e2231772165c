"""Launching a program on a real pseudo-terminal and timing the frames it draws, for the benches that
measure what a user sees. A launch that misses a frame is counted as a miss, never raised: a bench
reports how many launches failed beside the figures of those that did not.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time

TERMINAL = (120, 36)
# The empty Textual app every launch is measured against: one label and a footer with one key.
EMPTY_APP = """
from textual.app import App
from textual.widgets import Footer, Label

class Empty(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self):
        yield Label("an empty app")
        yield Footer()

Empty().run()
"""
EMPTY_MARKERS = (b"an empty app", b"Quit")


def frames(argv: list[str], markers: tuple[bytes, ...], env: dict[str, str], timeout: float = 30.0,
           size: tuple[int, int] = TERMINAL) -> tuple[list[float], str | None]:
    """Seconds from spawning `argv` on a pseudo-terminal until each marker has arrived on it (with no
    markers: until the process exits), and why it fell short (None when every marker arrived). The
    process is killed once the last marker has arrived."""
    main, child = os.openpty()
    width, height = size
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=child, stdout=child, stderr=child, env=env, start_new_session=True)
    os.close(child)
    received, seen = b"", []
    try:
        while len(seen) < len(markers) or not markers:
            left = timeout - (time.perf_counter() - start)
            awaited = markers[len(seen)] if markers else b"(exit)"
            if left <= 0:
                return seen, f"no {awaited.decode()!r} within {timeout:.0f} s"
            ready, _, _ = select.select([main], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(main, 1 << 16)
            except OSError:  # the child has closed the terminal: it exited
                chunk = b""
            if not chunk:
                if not markers:
                    return [time.perf_counter() - start], None
                return seen, f"exited before drawing {awaited.decode()!r}: {received[-200:]!r}"
            received += chunk
            now = time.perf_counter() - start
            while len(seen) < len(markers) and markers[len(seen)] in received:
                seen.append(now)
        return seen, None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(main)


class Launches:
    """Interleaved launches of several programs, each with the frames it must draw; misses counted."""

    def __init__(self, programs: dict[str, tuple[list[str], tuple[bytes, ...]]], env: dict[str, str],
                 timeout: float = 30.0) -> None:
        self.programs, self.env, self.timeout = programs, env, timeout
        self.times: dict[str, list[list[float]]] = {name: [] for name in programs}
        self.misses: dict[str, list[str]] = {name: [] for name in programs}

    def run(self, runs: int, warm_up: bool = True) -> None:
        if warm_up:  # untimed: caches the bytecode and anything the programs keep between runs
            for argv, markers in self.programs.values():
                frames(argv, markers, self.env, self.timeout)
        for _ in range(runs):  # interleaved, so background load hits each program alike
            for name, (argv, markers) in self.programs.items():
                seen, missed = frames(argv, markers, self.env, self.timeout)
                if missed is None:
                    self.times[name].append(seen)
                else:
                    self.misses[name].append(missed)

    def ms(self, name: str, which: int = 0) -> tuple[float, float] | None:
        """Median and best milliseconds to the `which`th frame, over the launches that drew it."""
        values = [run[which] for run in self.times[name]]
        return (statistics.median(values) * 1e3, min(values) * 1e3) if values else None

    def figure(self, name: str, which: int, baseline: tuple[str, int]) -> str:
        """'median ms (best), N.NNx <baseline> (median ms)' with the misses, if any, counted."""
        mine, base = self.ms(name, which), self.ms(*baseline)
        failed = self.misses[name]
        missed = f"; FAILED {len(failed)} of {len(failed) + len(self.times[name])} launches ({failed[0]})" \
            if failed else ""
        if mine is None or base is None:
            return f"no launch drew it{missed}"
        return f"{mine[0]:5.0f} ms ({mine[1]:.0f}), {mine[0] / base[0]:.2f}x the empty app's {base[0]:.0f} ms{missed}"


def bench_env(folder: str) -> dict[str, str]:
    """An environment for launches: settings, sessions and bytecode in `folder`, no LLM endpoint."""
    env = dict(os.environ, INTERVIEWER_TRANSCRIPTS_DIR=os.path.join(folder, "sessions"),
               INTERVIEWER_CONFIG=os.path.join(folder, "none.toml"), TERM="xterm-256color",
               PYTHONPYCACHEPREFIX=os.path.join(folder, "bytecode"))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PYTHONDONTWRITEBYTECODE", "COLUMNS", "LINES"):
        env.pop(name, None)
    return env


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


class Pty:
    """A program on a pseudo-terminal that can be typed into: waits for what it draws, times echoes."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = TERMINAL) -> None:
        self.main, child = os.openpty()
        width, height = size
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        self.proc = subprocess.Popen(argv, stdin=child, stdout=child, stderr=child, env=env, start_new_session=True)
        os.close(child)
        self.received = b""

    def read_until(self, marker: bytes, timeout: float, since: int = 0) -> float | None:
        """Seconds until `marker` appears in what was drawn after offset `since`; None if it never does."""
        start = time.perf_counter()
        while marker not in self.received[since:]:
            left = timeout - (time.perf_counter() - start)
            if left <= 0:
                return None
            ready, _, _ = select.select([self.main], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.main, 1 << 16)
                except OSError:
                    return None
                if not chunk:
                    return None
                self.received += chunk
        return time.perf_counter() - start

    def echo(self, key: bytes, timeout: float = 5.0) -> float | None:
        """Seconds from writing `key` until a frame carrying it has been drawn on the terminal."""
        since = len(self.received)
        start = time.perf_counter()
        os.write(self.main, key)
        drawn = self.read_until(key, timeout, since)
        return None if drawn is None else time.perf_counter() - start

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        os.close(self.main)
