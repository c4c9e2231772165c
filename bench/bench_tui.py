"""TUI responsiveness. Prints figures; asserts nothing.

    python bench/bench_tui.py

1. Cold start to first paint: a fresh process that builds the services and the app, paints
   the setup screen (headless) and exits, beside a bare `python -c pass` in the same run.
2. Keystroke echo latency while an interviewer reply of 2,000 tokens streams at 200 tokens
   a second, beside the same keystrokes with nothing streaming.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

FIRST_PAINT = """
import os, time
from interviewer.services import build_services
from interviewer.tui.app import InterviewerApp

class FirstPaint(InterviewerApp):
    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(self.painted)

    def painted(self):
        print(time.time() - float(os.environ["SPAWNED_AT"]), flush=True)
        self.exit()

FirstPaint(build_services(brain="offline")).run(headless=True)
"""


def timed(argv: list[str], env: dict[str, str], runs: int = 7) -> list[float]:
    """Seconds from spawning the process to the moment it reports (first paint), or to exit."""
    out = []
    for _ in range(runs):
        env = dict(env, SPAWNED_AT=repr(time.time()))
        start = time.perf_counter()
        result = subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
        reported = result.stdout.strip().splitlines()
        out.append(float(reported[0]) if reported else time.perf_counter() - start)
    return out


EMPTY_APP = """
import os, time
from textual.app import App
from textual.widgets import Label

class Empty(App):
    def compose(self):
        yield Label("hello")

    def on_mount(self):
        self.call_after_refresh(self.painted)

    def painted(self):
        print(time.time() - float(os.environ["SPAWNED_AT"]), flush=True)
        self.exit()

Empty().run(headless=True)
"""


def bench_cold_start() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, INTERVIEWER_TRANSCRIPTS_DIR=tmp, INTERVIEWER_CONFIG=os.path.join(tmp, "none.toml"))
        env.pop("OPENAI_API_KEY", None)
        bare = timed([sys.executable, "-c", "pass"], env)
        empty = timed([sys.executable, "-c", EMPTY_APP], env)
        app = timed([sys.executable, "-c", FIRST_PAINT], env)
    print(f"cold start to first paint (setup screen, headless), median of 7: {statistics.median(app) * 1e3:.0f} ms "
          f"(min {min(app) * 1e3:.0f} ms); an empty Textual app {statistics.median(empty) * 1e3:.0f} ms; bare "
          f"interpreter {statistics.median(bare) * 1e3:.0f} ms; target under 500 ms")


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


def main() -> int:
    bench_cold_start()
    bench_echo()
    return 0


if __name__ == "__main__":
    sys.exit(main())
