"""TUI responsiveness. Prints figures; asserts nothing.

    python bench/bench_tui.py [cold-start | echo]

1. Cold start to first paint, as a user sees it: the time from spawning `interviewer` (the
   console command's own entry point, so the CLI's imports count) on a 120x36 pseudo-terminal
   until the terminal has received the setup screen's first frame, and until the footer's keys,
   which Textual draws a few frames later, have arrived. Beside it, in the same run and on the
   same terminal: the app started without the CLI, an empty Textual app (one label) and a bare
   `python -c pass`. Runs are interleaved so background load hits each alike. Bytecode is cached
   (in a temporary folder, by one untimed run of each) as it is for an installed copy; without
   that, a checkout run under PYTHONDONTWRITEBYTECODE recompiles the package at every start.
2. Keystroke echo latency while an interviewer reply of 2,000 tokens streams at 200 tokens
   a second, beside the same keystrokes with nothing streaming.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

TERMINAL = (120, 36)
RUNS = 7
# What the console script `interviewer` runs.
COMMAND = "import sys\nfrom interviewer.cli import main\nsys.exit(main())\n"
APP_ONLY = """
from interviewer.services import build_services
from interviewer.tui.app import InterviewerApp

InterviewerApp(build_services()).run()
"""
EMPTY_APP = """
from textual.app import App
from textual.widgets import Label

class Empty(App):
    def compose(self):
        yield Label("an empty app")

Empty().run()
"""


def frames(argv: list[str], markers: tuple[bytes, ...], env: dict[str, str], timeout: float = 30.0) -> list[float]:
    """Seconds from spawning `argv` on a pseudo-terminal until each marker has arrived on it (with
    no markers: until the process exits). The process is killed once the last marker has arrived."""
    main, child = os.openpty()
    width, height = TERMINAL
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
                raise TimeoutError(f"{argv[-1][:40]!r}: no {awaited!r} within {timeout:.0f} s: {received[-300:]!r}")
            ready, _, _ = select.select([main], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(main, 1 << 16)
            except OSError:  # the child has closed the terminal: it exited
                chunk = b""
            if not chunk:
                if not markers:
                    return [time.perf_counter() - start]
                raise RuntimeError(f"{argv[-1][:40]!r} exited before drawing {awaited!r}: {received[-300:]!r}")
            received += chunk
            now = time.perf_counter() - start
            while len(seen) < len(markers) and markers[len(seen)] in received:
                seen.append(now)
        return seen
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(main)


def bench_cold_start() -> None:
    from interviewer.tui.app import InterviewerApp
    from interviewer.tui.setup_screen import TITLE

    # The setup screen's first frame carries its title; the footer's keys (Ctrl+Q "Quit" among
    # them) follow in a later frame, once Textual has collected the screen's bindings.
    quit_key = next(b.description for b in InterviewerApp.BINDINGS if b.action == "quit").encode()
    setup = (TITLE.encode(), quit_key)
    programs = {  # name: (argv, what its frames show, in order)
        "interviewer": ([sys.executable, "-c", COMMAND], setup),
        "app": ([sys.executable, "-c", APP_ONLY], setup),
        "empty": ([sys.executable, "-c", EMPTY_APP], (b"an empty app",)),
        "bare": ([sys.executable, "-c", "pass"], ()),
    }
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, INTERVIEWER_TRANSCRIPTS_DIR=tmp, INTERVIEWER_CONFIG=os.path.join(tmp, "none.toml"),
                   TERM="xterm-256color", PYTHONPYCACHEPREFIX=os.path.join(tmp, "bytecode"))
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PYTHONDONTWRITEBYTECODE", "COLUMNS", "LINES"):
            env.pop(name, None)
        for argv, markers in programs.values():  # untimed: caches the bytecode
            frames(argv, markers, env)
        times: dict[str, list[list[float]]] = {name: [] for name in programs}
        for _ in range(RUNS):
            for name, (argv, markers) in programs.items():
                times[name].append(frames(argv, markers, env))

    def ms(name: str, which: int = 0) -> tuple[float, float]:
        values = [run[which] for run in times[name]]
        return statistics.median(values) * 1e3, min(values) * 1e3

    empty = ms("empty")[0]
    print(f"cold start on a {TERMINAL[0]}x{TERMINAL[1]} pseudo-terminal, median of {RUNS} interleaved runs (best):")
    for name, label in (("interviewer", "`interviewer`"), ("app", "the app without the CLI")):
        first, first_best = ms(name)
        keys, keys_best = ms(name, 1)
        print(f"  {label:24s} first paint of the setup screen {first:4.0f} ms ({first_best:.0f}), "
              f"{first / empty:.2f}x an empty Textual app; footer keys drawn {keys:4.0f} ms ({keys_best:.0f})"
              + ("; target: first paint under 500 ms" if name == "interviewer" else ""))
    print(f"  {'an empty Textual app':24s} first paint {empty:4.0f} ms ({ms('empty')[1]:.0f})")
    print(f"  {'bare interpreter':24s} exit {ms('bare')[0]:4.0f} ms ({ms('bare')[1]:.0f})")


async def echo_latencies(stream: bool, presses: int = 60) -> list[float]:
    from llm_server import FakeOpenAI, Reply
    from textual import events

    from interviewer.services import build_services
    from interviewer.tui.app import InterviewerApp

    # 2,000 tokens of about 4 characters, 4 characters every 5 ms: 200 tokens a second for ten seconds.
    reply = Reply(text="word " * 1600, chunk_chars=4, chunk_delay=0.005) if stream else Reply(text="Hello.")
    with FakeOpenAI(responder=lambda body: reply) as server, tempfile.TemporaryDirectory() as tmp:
        services = build_services(transcripts_dir=Path(tmp), base_url=server.base_url, model="test-model")
        app = InterviewerApp(services, start="practice", round_id="system-design", problem_id="streaming-chat")
        latencies = []
        async with app.run_test(size=(120, 40)) as pilot:
            if not stream:
                await app.workers.wait_for_complete()
                await pilot.pause()
            box = app.screen.query_one("#answer")
            box.focus()
            for i in range(presses):
                before = len(box.text)
                # The key enters the way terminal input does (Pilot.press would also wait for the
                # app to go idle, which a streaming app never is).
                event = events.Key("x", "x")
                event.set_sender(app)
                start = time.perf_counter()
                app._driver.send_message(event)
                while len(box.text) == before:
                    await asyncio.sleep(0.0005)
                latencies.append(time.perf_counter() - start)
                await asyncio.sleep(0.05)
            streaming_still = any(w.is_running for w in app.workers)
            await app.workers.wait_for_complete()
        if stream and not streaming_still:
            print("  (note: the stream ended before the last keystroke)")
        return latencies


def bench_echo() -> None:
    idle = asyncio.run(echo_latencies(False))
    busy = asyncio.run(echo_latencies(True))
    q = lambda values, p: sorted(values)[int(p * (len(values) - 1))]  # noqa: E731
    print(f"keystroke echo (key event in, character in the answer box), 60 keys 50 ms apart: while 2,000 tokens stream at 200/s median {statistics.median(busy) * 1e3:.1f} ms, "
          f"p95 {q(busy, 0.95) * 1e3:.1f} ms; idle median {statistics.median(idle) * 1e3:.1f} ms, "
          f"p95 {q(idle, 0.95) * 1e3:.1f} ms")


def main(argv: list[str]) -> int:
    """`cold-start` or `echo` runs only that part."""
    if not argv or "cold-start" in argv:
        bench_cold_start()
    if not argv or "echo" in argv:
        bench_echo()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
