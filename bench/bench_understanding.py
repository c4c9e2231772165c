"""Understanding an answer, and the offline interviewer's reply latency, beside the interviewer before it
learned to listen (commit c46fb6a), measured in the same run. Prints figures; asserts nothing.

    python bench/bench_understanding.py [--baseline c46fb6a] [--repeat 200]

1. Understanding time per answer, p50 and p99, for answers of about 50, 300 and 1,000 words: today the full
   reading of a turn (signals, questions, topics, claims, act); the baseline read signals only.
2. Offline reply latency over a whole system-design session (every answer saved and fsynced, the engine's
   move, the reply phrased), p50 and p99 per turn, and the slowest turn.

The baseline runs from a copy of that commit's package, extracted with `git archive`, in a child process, so
both sides use the same interpreter and machine in the same minute.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "scoring"


def _sentences() -> list[str]:
    """Candidate sentences from the scoring fixtures, in a fixed order: real answers, real length."""
    out: list[str] = []
    for path in sorted(FIXTURES.glob("*/*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("Candidate:"):
                out += [s.strip() + "." for s in line[len("Candidate:"):].split(". ") if len(s.split()) > 4]
    return out


def answers(words: int, count: int) -> list[str]:
    pool = _sentences()
    made, start = [], 0
    for _ in range(count):
        picked, total = [], 0
        while total < words:
            sentence = pool[start % len(pool)]
            start += 7
            picked.append(sentence)
            total += len(sentence.split())
        made.append(" ".join(picked))
    return made


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def worker(repeat: int) -> dict:
    """Run inside the tree being measured (today's or the baseline's) and report timings in ms."""
    from interviewer.rubric import RubricLibrary

    library = RubricLibrary()
    rubric = library.load("system-design").rubric
    problem = rubric.problem("streaming-chat")
    try:
        from interviewer.understanding.knowledge import knowledge_for
        from interviewer.understanding.reading import read

        knowledge = knowledge_for(rubric, problem)

        def understand(text: str) -> None:
            read(text, knowledge)
    except ImportError:
        from interviewer.analysis import analyze
        from interviewer.engine import context_for

        context = context_for(rubric)

        def understand(text: str) -> None:
            analyze(text, context)

    result: dict = {"understand": {}}
    for words in (50, 300, 1000):
        texts = answers(words, 20)
        for text in texts[:3]:
            understand(text)  # warm caches (compiled patterns)
        times = []
        for i in range(repeat):
            start = time.perf_counter()
            understand(texts[i % len(texts)])
            times.append((time.perf_counter() - start) * 1000)
        result["understand"][words] = times
    result["replies"] = _session_replies()
    return result


def _session_replies() -> list[float]:
    from interviewer.services import build_services
    from interviewer.session import Session

    with tempfile.TemporaryDirectory() as tmp:
        services = build_services(transcripts_dir=Path(tmp), brain="offline")
        session = Session.create(services.library, "system-design", "streaming-chat", services.settings,
                                 services.brain)
        session.open()
        times = []
        for text in answers(120, 40):
            if session.engine.finished:
                break
            start = time.perf_counter()
            session.submit(text)
            times.append((time.perf_counter() - start) * 1000)
        if not session.engine.finished:
            session.close("quit")
    return times


def _baseline_tree(commit: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "interviewer", "rubrics", "prompts"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def _run(tree: Path, repeat: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "INTERVIEWER_CONFIG": str(tree / "none.toml")}
    env.pop("OPENAI_API_KEY", None)
    out = subprocess.run([sys.executable, __file__, "--worker", "--repeat", str(repeat)], env=env, cwd=tree,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="c46fb6a")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.repeat)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        base = _run(_baseline_tree(args.baseline, Path(tmp)), args.repeat)
        now = _run(REPO, args.repeat)
    print(f"understanding one answer, ms (today: full reading; baseline {args.baseline}: signals only), "
          f"{args.repeat} runs each")
    print(f"{'words':>6} {'p50 today':>10} {'p50 base':>9} {'p99 today':>10} {'p99 base':>9}")
    for words in ("50", "300", "1000"):
        t, b = now["understand"][words], base["understand"][words]
        print(f"{words:>6} {_pct(t, 50):10.2f} {_pct(b, 50):9.2f} {_pct(t, 99):10.2f} {_pct(b, 99):9.2f}")
    t, b = now["replies"], base["replies"]
    print(f"\noffline reply latency over a system-design session, ms per turn (answers of ~120 words, saved "
          f"and fsynced before the reply)")
    print(f"{'':>6} {'today':>10} {'baseline':>9}")
    print(f"{'turns':>6} {len(t):10d} {len(b):9d}")
    for label, p in (("p50", 50), ("p99", 99)):
        print(f"{label:>6} {_pct(t, p):10.2f} {_pct(b, p):9.2f}")
    print(f"{'max':>6} {max(t):10.2f} {max(b):9.2f}")
    print(f"{'mean':>6} {statistics.mean(t):10.2f} {statistics.mean(b):9.2f}")


if __name__ == "__main__":
    main()
