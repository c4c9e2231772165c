"""Transcript and scoring speed. Prints figures; asserts nothing.

    python bench/bench_transcripts.py [--appends 1000] [--turns 10000]

1. Append latency per turn with fsync (what a session pays per answer), beside the same
   appends with flush only, measured in the same run so the ratio is meaningful.
2. Load time of a 10,000-turn transcript (engine state on every interviewer turn).
3. Scoring time of a 60-minute transcript.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        transcript = load_transcript(path)
        timings.append(time.perf_counter() - start)
    assert len(transcript.turns) == turns
    print(f"load, {turns} turns ({path.stat().st_size / 1e6:.1f} MB): median {statistics.median(timings) * 1e3:.0f} ms "
          f"over 5 runs (min {min(timings) * 1e3:.0f} ms)")


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


def bench_score() -> None:
    text, words = sixty_minute_transcript()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(text)
    transcript = load_transcript(f.name)
    rubric = RubricLibrary().load("system-design").rubric
    score(transcript, rubric)  # warm the pattern caches once, as a long-running app would
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        card = score(transcript, rubric)
        timings.append(time.perf_counter() - start)
    os.unlink(f.name)
    minutes = words / 150
    print(f"score, 60-minute session: {len(transcript.turns)} turns, {words} candidate words "
          f"(~{minutes:.0f} min of candidate speech): "
          f"median {statistics.median(timings) * 1e3:.0f} ms over 5 runs; overall {card.overall_score:.0f}")


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
