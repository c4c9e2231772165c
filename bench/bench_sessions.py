"""Saved-session index speed. Prints figures; asserts nothing.

    python bench/bench_sessions.py [--sessions 500] [--turns 40] [--repeat 5]

Writes N sessions of T turns into a temporary folder (turns and engine events copied from
the system-design sample, so records are their real size; half the sessions carry a saved
scorecard), then times `list_sessions`, `interrupted` and `dimension_history` over the folder.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from interviewer.rubric import RubricLibrary  # noqa: E402
from interviewer.scoring import score  # noqa: E402
from interviewer.sessions import dimension_history, interrupted, list_sessions, save_scorecard  # noqa: E402
from interviewer.transcript import load_transcript  # noqa: E402

SAMPLE = REPO / "transcripts" / "samples" / "system-design-streaming-chat.jsonl"


def write_sessions(folder: Path, sessions: int, turns: int) -> int:
    records = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
    header = records[0]
    body = [r for r in records[1:] if r["type"] in ("turn", "event")]
    sample_turns = [r for r in body if r["type"] == "turn"]
    transcript = load_transcript(SAMPLE)
    card = score(transcript, RubricLibrary().load(transcript.round).rubric)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    total = 0
    for i in range(sessions):
        created = start + timedelta(hours=i)
        session_id = f"{i:08x}"
        path = folder / f"{created:%Y%m%d-%H%M%S}-{header['round']}-{header['problem']}-{session_id}.jsonl"
        lines = [dict(header, session_id=session_id, created=created.isoformat(timespec="seconds"))]
        n = 0
        for record in body:
            if n == turns:
                break
            if record["type"] == "turn":
                n += 1
                record = dict(record, n=n)
            lines.append(record)
        while n < turns:  # longer than the sample: keep cycling its turns
            n += 1
            lines.append(dict(sample_turns[n % len(sample_turns)], n=n))
        if i % 3:
            lines.append({"type": "end", "reason": "completed" if i % 3 == 1 else "quit", "t": 3600.0, "turns": n})
        text = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in lines)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode())
        if i % 2:
            save_scorecard(path, card)
    return total


def best(fn, repeat: int) -> tuple[float, float, object]:
    timings, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        timings.append(time.perf_counter() - t0)
    return timings[0], min(timings), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        size = write_sessions(folder, args.sessions, args.turns)
        first, fastest, listed = best(lambda: list_sessions(folder), args.repeat)
        assert len(listed) == args.sessions and listed[0].turns == args.turns  # type: ignore[arg-type]
        print(f"list_sessions: {args.sessions} sessions x {args.turns} turns ({size / 1e6:.1f} MB, "
              f"{args.sessions // 2} with a saved scorecard): {fastest:.3f} s best of {args.repeat} "
              f"(first call {first:.3f} s); budget 1 s")
        _, fastest, found = best(lambda: interrupted(folder), args.repeat)
        print(f"interrupted: {len(found)} resumable sessions in {fastest:.3f} s")  # type: ignore[arg-type]
        _, fastest, history = best(lambda: dimension_history(folder, "system-design"), args.repeat)
        points = sum(len(v) for v in history.values())  # type: ignore[union-attr]
        print(f"dimension_history: {len(history)} dimensions, {points} points "  # type: ignore[arg-type]
              f"in {fastest:.3f} s")


if __name__ == "__main__":
    main()
