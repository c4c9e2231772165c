"""Commands a user waits on, beside a bare interpreter started the same way in the same run. Prints figures;
asserts nothing, and counts a command that fails or never prints what it should as failed.

    python bench/bench_cli.py [--runs 9]

Each command runs through the console script's entry point (so the CLI's own imports count), with a settings
file that does not exist and no LLM endpoint, interleaved with the others so background load hits each alike.
CPU is the child's user + system time (from `wait4`), wall is spawn to exit, or to the marker for a session:

- `interviewer --help`;
- `interviewer rubrics` with the rubric index warm, and the same with an empty cache folder on every run
  (every rubric file parsed: what each call cost before the index was kept);
- `interviewer rubrics --check`, which validates every rubric from its YAML on purpose;
- starting a session, `interviewer practice system-design --plain`, until the interviewer's first question
  has been printed, with the index warm and with an empty cache folder.
"""

from __future__ import annotations

import os
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "bench")]

from bench_tui import COMMAND as ENTRY  # noqa: E402 - what the console script `interviewer` runs
from terminal import bench_env  # noqa: E402

FIRST_QUESTION = b"what would you like to know"  # the system-design round's opening question


def run(argv: list[str], env: dict[str, str], marker: bytes | None, timeout: float = 60.0) -> tuple[float, float] | str:
    """(CPU seconds, wall seconds) of one run, or why it failed. With a marker: until it is printed."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL if marker is None else subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    received, wall, why = b"", None, None
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    while True:
        left = timeout - (time.perf_counter() - start)
        if left <= 0:
            why = f"nothing after {timeout:.0f} s"
            break
        ready, _, _ = select.select([fd], [], [], left)
        chunk = os.read(fd, 1 << 16) if ready else b""
        if ready and not chunk:
            break
        received += chunk
        if marker is not None and marker in received.lower():
            wall = time.perf_counter() - start
            break
    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)  # reaped here, not by Popen: its rusage is the figure
    if pid == 0:
        os.killpg(proc.pid, signal.SIGKILL)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = wall if wall is not None else time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if why is None and marker is not None and marker not in received.lower():
        why = f"exited ({proc.returncode}) before printing {marker.decode()!r}"
    if why is None and marker is None and proc.returncode != 0:
        why = f"exit {proc.returncode}: {received[-160:]!r}"
    proc.stdout.close()
    return why if why else (usage.ru_utime + usage.ru_stime, wall)


def main(argv: list[str]) -> int:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 9
    interviewer = [sys.executable, "-c", ENTRY]
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(tmp)
        env["INTERVIEWER_CACHE_DIR"] = os.path.join(tmp, "cache")
        session = interviewer + ["practice", "system-design", "--plain"]
        commands = {  # name: (argv, marker, fresh cache every run)
            "bare interpreter": ([sys.executable, "-c", "pass"], None, False),
            "interviewer --help": (interviewer + ["--help"], None, False),
            "rubrics, index warm": (interviewer + ["rubrics"], None, False),
            "rubrics, no cache": (interviewer + ["rubrics"], None, True),
            "rubrics --check": (interviewer + ["rubrics", "--check"], None, False),
            "session start, index warm": (session, FIRST_QUESTION, False),
            "session start, no cache": (session, FIRST_QUESTION, True),
        }
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        failed: dict[str, list[str]] = {name: [] for name in commands}
        for argv_, marker, _ in commands.values():  # untimed: bytecode cached, the index built
            run(argv_, env, marker)
        for number in range(runs):
            for name, (argv_, marker, fresh) in commands.items():
                this_env = dict(env, INTERVIEWER_CACHE_DIR=os.path.join(tmp, f"cold-{name}-{number}")) if fresh else env
                result = run(argv_, this_env, marker)
                (failed[name].append if isinstance(result, str) else figures[name].append)(result)

    def med(name: str, which: int) -> float:
        return statistics.median(f[which] for f in figures[name]) * 1e3 if figures[name] else float("nan")

    print(f"commands, median of {runs} interleaved runs: CPU (user + system) and wall; a bare `python -c pass` "
          "started the same way is the baseline")
    base_cpu, base_wall = med("bare interpreter", 0), med("bare interpreter", 1)
    for name in commands:
        cpu, wall = med(name, 0), med(name, 1)
        line = f"  {name:27s} CPU {cpu:6.0f} ms ({cpu - base_cpu:+5.0f} over bare)   wall {wall:6.0f} ms " \
               f"({wall - base_wall:+5.0f} over bare)"
        if failed[name]:
            line += f"; FAILED {len(failed[name])} of {runs}: {failed[name][0]}"
        print(line)
    for warm, cold in (("rubrics, index warm", "rubrics, no cache"), ("session start, index warm", "session start, no cache")):
        print(f"  {warm}: {med(warm, 0) / med(cold, 0):.2f}x the CPU of the same with no cache ({med(cold, 0):.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
