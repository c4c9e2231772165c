"""Cost of one check run. Prints figures; asserts nothing.

    python bench/bench_workbench.py [--runs 20]

Times `run_checks` on a trivial check (process start to results, limits and guard included)
next to a bare `python -c pass` and a `python -c "import numpy"` started the same way as
plain subprocesses, so the runner's own cost is what is left between them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from interviewer.workbench import run_checks  # noqa: E402

TRIVIAL_CHECKS = '''
from interviewer.workbench.spec import check


@check("only", "answer returns 42")
def answers(solution):
    assert solution.answer() == 42, "answer() should return 42"
'''
TRIVIAL_CODE = "def answer():\n    return 42\n"
NUMPY_CODE = "import numpy as np\n\ndef answer():\n    return int(np.int64(42))\n"


def timed(action, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        checks = Path(folder) / "trivial.py"
        checks.write_text(TRIVIAL_CHECKS)

        def check_run(code: str):
            def action() -> None:
                result = run_checks(code, checks, ["only"])
                if result.status != "passed":
                    raise SystemExit(f"the trivial check did not pass: {result.message}")
            return action

        def python(*argv: str):
            return lambda: subprocess.run([sys.executable, *argv], check=True)

        rows = [
            ("python -c pass", python("-c", "pass")),
            ("python -I -S -c pass (how the child starts)", python("-I", "-S", "-c", "pass")),
            ('python -c "import numpy"', python("-c", "import numpy")),
            ("run_checks, trivial check", check_run(TRIVIAL_CODE)),
            ("run_checks, trivial check importing numpy", check_run(NUMPY_CODE)),
        ]
        check_run(TRIVIAL_CODE)()  # warm the file cache and the compiled checks once
        print(f"{args.runs} runs each, {sys.executable} (Python {sys.version.split()[0]})")
        print(f"{'what':<46} {'median ms':>10} {'p95 ms':>10}")
        for label, action in rows:
            samples = timed(action, args.runs)
            print(f"{label:<46} {statistics.median(samples) * 1000:>10.1f} {p95(samples) * 1000:>10.1f}")


if __name__ == "__main__":
    main()
