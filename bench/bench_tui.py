"""TUI responsiveness on a real (pseudo-)terminal. Prints figures, each beside its baseline from the same
run; asserts nothing, and never stops at a launch that misses its frame: it counts it as failed.

    python bench/bench_tui.py [cold-start | echo] [--runs 7]

1. Cold start, as a user sees it: from spawning `interviewer` (the console command's own entry point, so
   the CLI's imports count) on a 120x36 pseudo-terminal until the setup screen's first frame has arrived
   (its title and the footer's bar, as an empty app draws first), and until its footer's keys have.
   Beside it, in the same run and on the same terminal: the app started without the CLI, and an empty
   Textual app with a footer (target: within 10% of it, first paint and footer both), and a bare
   `python -c pass`. Runs are interleaved so background load hits each alike. The setup screen draws its
   round list with the footer's keys, then its other lists and notes: the times until the round list
   and until the whole screen (its last list's label) are drawn are printed too, beside the empty app's
   footer keys. And `interviewer practice system-design`, the README's first command: its first paint,
   footer keys and the interviewer's opening question, beside the empty app's.
   Bytecode is cached (in a temporary folder, by one untimed run of each) as it is for an installed copy.
2. Keystroke echo on the terminal: from a key written to the terminal until a frame carrying the
   character has been drawn, while an interviewer reply of 2,000 tokens streams at 200 tokens a second,
   beside the same keystrokes with nothing streaming.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench"), str(REPO / "tests")]

from terminal import EMPTY_APP, EMPTY_MARKERS, TERMINAL, Launches, Pty, bench_env, python  # noqa: E402

# What the console script `interviewer` runs.
COMMAND = "import sys\nfrom interviewer.cli import main\nsys.exit(main())\n"
# The README's first command: an interview straight away. Its screen's first frame says it is starting; the
# footer's keys (Ctrl+S "Send" among them) follow, then the interviewer's opening, once the session has opened.
PRACTICE = ["practice", "system-design", "--problem", "streaming-chat"]
PRACTICE_MARKERS = (b"Starting", b"Send", b"would you like to know")
APP_ONLY = """
from interviewer.services import build_services
from interviewer.tui.app import InterviewerApp

InterviewerApp(build_services()).run()
"""


def bench_cold_start(runs: int) -> None:
    from interviewer.tui.app import InterviewerApp
    from interviewer.tui.setup_screen import LAST_LABEL, ROUND_LABEL, TITLE

    # The setup screen's first frame carries its title; the next, the round list's label and the footer's
    # keys (Ctrl+Q "Quit" among them); its last list's label comes with the frame that draws the rest.
    quit_key = next(b.description for b in InterviewerApp.BINDINGS if b.action == "quit").encode()
    setup = (TITLE.encode(), ROUND_LABEL.encode(), quit_key, LAST_LABEL.encode())
    with tempfile.TemporaryDirectory() as tmp:
        launches = Launches({"interviewer": (python(COMMAND), setup), "app": (python(APP_ONLY), setup),
                             "practice": (python(COMMAND) + PRACTICE, PRACTICE_MARKERS),
                             "empty": (python(EMPTY_APP), EMPTY_MARKERS), "bare": (python("pass"), ())},
                            bench_env(tmp))
        launches.run(runs)
    print(f"cold start on a {TERMINAL[0]}x{TERMINAL[1]} pseudo-terminal, median of {runs} interleaved runs (best); "
          "target: within 1.10x of the empty app with a footer, first paint and footer both:")
    for name, label in (("interviewer", "`interviewer`"), ("app", "the app without the CLI")):
        print(f"  {label:24s} first paint {launches.figure(name, 0, ('empty', 0))}")
        print(f"  {'':24s} footer keys {launches.figure(name, 2, ('empty', 1))}")
        print(f"  {'':24s} round list  {launches.figure(name, 1, ('empty', 1))}")
        print(f"  {'':24s} whole screen {launches.figure(name, 3, ('empty', 1))} (every list and note drawn)")
    print(f"  {'`interviewer practice`':24s} first paint {launches.figure('practice', 0, ('empty', 0))}")
    print(f"  {'':24s} footer keys {launches.figure('practice', 1, ('empty', 1))}")
    print(f"  {'':24s} first question {launches.figure('practice', 2, ('empty', 1))} (the session opened, its "
          "opening shown)")
    for which, what in ((0, "first paint"), (1, "footer keys")):
        print(f"  {'empty app with a footer':24s} {what} {launches.figure('empty', which, ('empty', which))}")
    bare = launches.ms("bare")
    print(f"  {'bare interpreter':24s} exit {bare[0]:5.0f} ms ({bare[1]:.0f})" if bare else "  bare: failed")


def echo_latencies(stream: bool, presses: int = 60) -> tuple[list[float], int]:
    """Echo times of `presses` keys typed into the answer box of a practice session on a pty, and how many
    keys no frame showed within 5 s."""
    from llm_server import FakeOpenAI, Reply

    # 2,000 tokens of about 4 characters, 4 characters every 5 ms: 200 tokens a second for ten seconds.
    # Each key is a character typed once and found nowhere else (a CJK ideograph): a frame that redraws
    # the answer box with the keys typed before it does not pass for this key's echo, as it did with
    # the same key every time.
    keys = [chr(0x4E00 + number).encode() for number in range(presses)]
    reply = Reply(text="word " * 1600, chunk_chars=4, chunk_delay=0.005) if stream else Reply(text="Hello.")
    with FakeOpenAI(responder=lambda body: reply) as server, tempfile.TemporaryDirectory() as tmp:
        argv = python(COMMAND) + ["practice", "system-design", "--problem", "streaming-chat",
                                  "--base-url", server.base_url, "--model", "test-model"]
        terminal = Pty(argv, bench_env(tmp))
        latencies, missed = [], 0
        try:
            if terminal.read_until(b"Ctrl+S sends it", 30) is None:
                return [], presses
            if not stream:
                terminal.read_until(b"Hello.", 10)
            for key in keys:
                took = terminal.echo(key)
                if took is None:
                    missed += 1
                else:
                    latencies.append(took)
                time.sleep(0.05)
        finally:
            terminal.close()
        return latencies, missed


def bench_echo() -> None:
    idle, idle_missed = echo_latencies(False)
    busy, busy_missed = echo_latencies(True)
    q = lambda values, p: sorted(values)[int(p * (len(values) - 1))] * 1e3 if values else float("nan")  # noqa: E731
    med = lambda values: statistics.median(values) * 1e3 if values else float("nan")  # noqa: E731
    missed = lambda n: f"; FAILED: {n} of 60 keys never drawn" if n else ""  # noqa: E731
    print(f"keystroke echo (key written to the terminal, frame with it drawn), 60 keys 50 ms apart, on a pty: "
          f"while 2,000 tokens stream at 200/s median {med(busy):.1f} ms, p95 {q(busy, 0.95):.1f} ms{missed(busy_missed)};"
          f" idle (baseline) median {med(idle):.1f} ms, p95 {q(idle, 0.95):.1f} ms{missed(idle_missed)}")


def main(argv: list[str]) -> int:
    """`cold-start` or `echo` runs only that part."""
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 7
    if "cold-start" in argv or "echo" not in argv:
        bench_cold_start(runs)
    if "echo" in argv or "cold-start" not in argv:
        bench_echo()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
