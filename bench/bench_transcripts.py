"""Transcript and scoring speed. Prints figures; asserts nothing.

    python bench/bench_transcripts.py [--appends 1000] [--turns 10000]

1. Append latency per turn with fsync (what a session pays per answer), beside the same
   appends with flush only, measured in the same run so the ratio is meaningful.
2. Load time of a 10,000-turn transcript (engine state on every interviewer turn), beside its lines parsed by
   json alone.
3. Scoring time of a 60-minute transcript, beside the same session cut to its first exchange.
4. Scoring growth: `interviewer score` (the command a user waits on, run as its own process) on a
   transcript of 2,000 distinct turns beside the same on 500 turns in the same run (target: within 4.5x,
   that is linear), and the 500-turn score in process (target: well under a second). Turns are made of
   words drawn at random from the scoring fixtures, so no sentence repeats an earlier one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from interviewer.rubric import RubricLibrary  # noqa: E402
from interviewer.scoring import score  # noqa: E402
from interviewer.transcript import TranscriptWriter, load_transcript  # noqa: E402

SAMPLE = REPO / "transcripts" / "samples" / "system-design-streaming-chat.jsonl"


def sample_records() -> tuple[dict, list[dict]]:
    records = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
    return records[0], [r for r in records[1:] if r["type"] in ("turn", "event")]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bench_appends(n: int, folder: Path) -> None:
    _, body = sample_records()
    turns = [r for r in body if r["type"] == "turn"]

    def run(path: Path, sync: bool) -> list[float]:
        writer = TranscriptWriter(path)
        if not sync:
            writer._write_bytes = lambda data: (writer._file.write(data), writer._file.flush())  # type: ignore[method-assign]
        timings = []
        for i in range(n):
            record = dict(turns[i % len(turns)], n=i + 1)
            start = time.perf_counter()
            writer.append(record)
            timings.append(time.perf_counter() - start)
        writer.close()
        return timings

    synced = run(folder / "synced.jsonl", sync=True)
    flushed = run(folder / "flushed.jsonl", sync=False)
    size = (folder / "synced.jsonl").stat().st_size / n
    print(f"append, {n} turns, {size:.0f} B/line avg, on {folder}:")
    print(f"  with fsync   median {statistics.median(synced) * 1e3:8.3f} ms   p99 {percentile(synced, 0.99) * 1e3:8.3f} ms")
    print(f"  flush only   median {statistics.median(flushed) * 1e3:8.3f} ms   p99 {percentile(flushed, 0.99) * 1e3:8.3f} ms")
    print(f"  fsync costs {statistics.median(synced) / statistics.median(flushed):.0f}x the flush-only median")


def bench_load(turns: int, folder: Path) -> None:
    header, body = sample_records()
    path = folder / "big.jsonl"
    with open(path, "w") as f:
        f.write(json.dumps(header) + "\n")
        written = 0
        i = 0
        while written < turns:
            record = dict(body[i % len(body)])
            if record["type"] == "turn":
                written += 1
                record["n"] = written
            f.write(json.dumps(record, separators=(",", ":")) + "\n")
            i += 1
    timings, bare = [], []
    for _ in range(5):  # interleaved with the baseline: every line read and parsed by json, nothing else
        start = time.perf_counter()
        transcript = load_transcript(path)
        timings.append(time.perf_counter() - start)
        start = time.perf_counter()
        with open(path, encoding="utf-8") as f:
            [json.loads(line) for line in f]
        bare.append(time.perf_counter() - start)
    assert len(transcript.turns) == turns
    print(f"load, {turns} turns ({path.stat().st_size / 1e6:.1f} MB): median {statistics.median(timings) * 1e3:.0f} ms "
          f"over 5 runs (min {min(timings) * 1e3:.0f} ms), beside every line parsed by json alone: median "
          f"{statistics.median(bare) * 1e3:.0f} ms (min {min(bare) * 1e3:.0f} ms)")


def sixty_minute_transcript() -> tuple[str, int]:
    """Stitch the system-design fixtures into one long session. A 60-minute round holds
    about 40 minutes of candidate speech at ~150 words a minute: 6,000 words."""
    folder = REPO / "tests" / "fixtures" / "scoring" / "system-design"
    lines = ["Round: system-design", "Problem: streaming-chat", ""]
    words = 0
    names = ["strong", "middling", "terse_strong", "longwinded_weak"]
    while words < 6000:
        body = (folder / f"{names[len(lines) % len(names)]}.txt").read_text().split("\n\n", 1)[1]
        lines.append(body)
        words += sum(len(line.split()) for line in body.splitlines() if line.startswith("Candidate:"))
    return "\n".join(lines), words


def load_transcript_text(text: str):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(text)
    try:
        return load_transcript(f.name)
    finally:
        os.unlink(f.name)


def bench_score() -> None:
    text, words = sixty_minute_transcript()
    transcript = load_transcript_text(text)
    rubric = RubricLibrary().load("system-design").rubric
    score(transcript, rubric)  # warm the pattern caches once, as a long-running app would
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        card = score(transcript, rubric)
        timings.append(time.perf_counter() - start)
    # The baseline: the same session cut to its first exchange, scored the same way: what scoring costs
    # whatever the length (the rubric's relevance index, building the card).
    first = load_transcript_text("\n".join(text.split("\n\n")[:3]))
    fixed = []
    for _ in range(5):
        start = time.perf_counter()
        score(first, rubric)
        fixed.append(time.perf_counter() - start)
    minutes = words / 150
    print(f"score, 60-minute session: {len(transcript.turns)} turns, {words} candidate words "
          f"(~{minutes:.0f} min of candidate speech): "
          f"median {statistics.median(timings) * 1e3:.0f} ms over 5 runs; overall {card.overall_score:.0f}; "
          f"beside its first exchange alone ({len(first.turns)} turns): median {statistics.median(fixed) * 1e3:.0f} ms")


_TEMPLATES = (
    "I'd {a} the {b} {c} because the {d} {e} would otherwise cost about {n} ms at peak.",
    "The tradeoff is {a} {b} versus {c} {d}; I'd pick {e} since it fails safer.",
    "If the {a} {b} goes down, we {c} the {d} and retry {n} times with backoff.",
    "We test the {a} {b} with a load test at {n} requests a second against the {c} {d}.",
)


def distinct_transcript(turns: int, path: Path) -> Path:
    """A plain-text system-design session of `turns` turns (half of them answers) in which no sentence
    repeats an earlier one: each slot of a template takes a word drawn from the scoring fixtures."""
    words = sorted({w for p in (REPO / "tests" / "fixtures" / "scoring").rglob("*.txt")
                    for w in re.findall(r"[a-z]{4,}", p.read_text().lower())})
    rng = random.Random(turns)
    pick = lambda: rng.choice(words)  # noqa: E731
    lines = ["Round: system-design", "Problem: streaming-chat", ""]
    for i in range(turns // 2):
        lines.append(f"Interviewer: What about part {i} of the design, the {pick()}?\n")
        answer = " ".join(rng.choice(_TEMPLATES).format(a=pick(), b=pick(), c=pick(), d=pick(), e=pick(),
                                                        n=rng.randint(2, 9000)) for _ in range(3))
        lines.append(f"Candidate: {answer}\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def command_seconds(path: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of `interviewer score --no-save PATH` as its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "interviewer.cli", "score", "--no-save", str(path)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_growth(folder: Path, small: int = 500, large: int = 2000) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO), INTERVIEWER_CACHE_DIR=str(folder / "cache"))
    paths = {n: distinct_transcript(n, folder / f"distinct-{n}.txt") for n in (small, large)}
    command_seconds(paths[small], env)  # untimed: fills the relevance cache and the bytecode
    runs: dict[int, list[tuple[float, float]]] = {small: [], large: []}
    for _ in range(3):  # interleaved, so background load hits both alike
        for n, path in paths.items():
            runs[n].append(command_seconds(path, env))
    cpu = {n: min(c for _, c in values) for n, values in runs.items()}
    wall = {n: min(w for w, _ in values) for n, values in runs.items()}
    print(f"`interviewer score`, distinct turns, best of 3 interleaved: {large} turns {cpu[large]:.2f} s CPU "
          f"({wall[large]:.2f} s wall) vs {small} turns {cpu[small]:.2f} s CPU ({wall[small]:.2f} s wall): "
          f"{cpu[large] / cpu[small]:.2f}x for {large / small:.0f}x the turns (target: within 4.5x)")
    transcript = load_transcript(paths[small])
    rubric = RubricLibrary().load("system-design").rubric
    score(transcript, rubric)  # untimed: compiles the pattern caches, as a long-running app would have
    walls, cpus = [], []
    for _ in range(3):
        start, cpu_start = time.perf_counter(), time.process_time()
        score(transcript, rubric)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu_start)
    print(f"score() in process, {small} distinct turns: best {min(cpus) * 1e3:.0f} ms CPU "
          f"({min(walls) * 1e3:.0f} ms wall) of 3 (target: well under 1,000 ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=None, help="where to write (default: a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
        bench_appends(args.appends, folder)
        bench_load(args.turns, folder)
        bench_score()
        bench_growth(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
