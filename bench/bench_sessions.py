"""Saved sessions at scale: the review screen as a user sees it, and the index under it. Prints figures,
each beside its baseline from the same run; asserts nothing.

    python bench/bench_sessions.py [--sessions 10000] [--turns 40] [--repeat 5] [--runs 5]

Writes N sessions of T turns into a temporary folder (turns and engine events copied from
the system-design sample, so records are their real size; half the sessions carry a saved
scorecard), then:

1. `interviewer review` on a 120x36 pseudo-terminal: first paint, footer keys, the whole screen (the search
   box, which mounts after the first frame, drawn too) and the list filled (the status line's count drawn),
   beside an empty Textual app with a footer, interleaved in the same run (target: first paint within 1.2x).
   The first launch (untimed) builds the session index.
2. Search and filter in the screen (in process, headless): from the search text or round changing to
   the table showing its first rows (target: under 100 ms); for a search, also until the transcripts have
   been read for the words said and their matches joined (reported beside it, no target).
   The search of the words said is printed beside a bare scan: every transcript read and searched.
3. `list_sessions` with the index warm, beside the same listing with no index (every file read), and
   `interrupted` and `dimension_history` over the folder, beside the warm listing they start from.
4. Saving a scorecard at the end of a session, which also writes that session's entry into the index of
   N sessions, beside the same save without it; and how many files the next listing then reads (target: 0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from interviewer.rubric import RubricLibrary  # noqa: E402
from interviewer.scoring import score  # noqa: E402
from interviewer.sessions import dimension_history, interrupted, list_sessions, save_scorecard  # noqa: E402
from interviewer.sessions import scorecard_path  # noqa: E402
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
        if i == 1:
            save_scorecard(path, card)
            saved = scorecard_path(path).read_text(encoding="utf-8")
        if i % 2:  # the same file save_scorecard writes, without an fsync for each of thousands
            scorecard_path(path).write_text(saved, encoding="utf-8")
    return total


def best(fn, repeat: int) -> tuple[float, float, object]:
    timings, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        timings.append(time.perf_counter() - t0)
    return timings[0], min(timings), result


def bare_scan(folder: Path, query: str) -> float:
    """Seconds to read every transcript and look for `query` in it: the floor for a search of the words said."""
    needle = query.encode()
    start = time.perf_counter()
    for path in folder.glob("*.jsonl"):
        path.read_bytes().find(needle)
    return time.perf_counter() - start


def bench_screen(folder: Path, sessions: int, runs: int) -> None:
    from terminal import EMPTY_APP, EMPTY_MARKERS, Launches, bench_env, python

    from interviewer.tui.review_screen import SEARCH_HINT

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(bench_env(tmp), INTERVIEWER_TRANSCRIPTS_DIR=str(folder), INTERVIEWER_CACHE_DIR=str(Path(tmp) / "c"))
        review = python("import sys\nfrom interviewer.cli import main\nsys.exit(main(['review']))\n")
        # Each time is when that marker and the ones before it have all been drawn. The search box's placeholder
        # is cut to its width: its first words.
        markers = (b"Past sessions", b"Quit", SEARCH_HINT.split(":")[0].encode(), f": {sessions}".encode())
        launches = Launches({"review": (review, markers),
                             "empty": (python(EMPTY_APP), EMPTY_MARKERS)}, env, timeout=60)
        launches.run(runs)
    print(f"`interviewer review` with {sessions} sessions on a pty, median of {runs} interleaved runs (best):")
    print(f"  first paint  {launches.figure('review', 0, ('empty', 0))} (target: within 1.2x)")
    print(f"  footer keys  {launches.figure('review', 1, ('empty', 1))}")
    print(f"  whole screen {launches.figure('review', 2, ('empty', 1))} (the search box, filter and trend pane too)")
    print(f"  list filled  {launches.figure('review', 3, ('empty', 1))} (every session counted, first rows drawn)")


async def search_and_filter(folder: Path, sessions: int, timeout: float = 60.0) -> dict[str, float | None]:
    """Seconds from each change to its first rows shown (None: not shown within `timeout`), and for a search,
    to the words said searched as well (the transcripts read, their matches joined to the list)."""
    from textual.worker import WorkerCancelled

    from interviewer.services import build_services
    from interviewer.tui.app import InterviewerApp

    async def settled() -> None:
        """Every worker done; one the screen cancelled (a search for a query it no longer shows) counts."""
        while True:
            try:
                return await app.workers.wait_for_complete()
            except WorkerCancelled:
                continue

    app = InterviewerApp(build_services(transcripts_dir=folder, brain="offline"), start="review")
    took: dict[str, float | None] = {}
    one = f"{sessions // 2:08x}"  # one session's id, in its name
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one("#sessions")
        # The listing starts after the footer's frame, so there may be no worker to wait for yet.
        while not app.screen.listed:
            await asyncio.sleep(0)
        await settled()  # filled
        for what, change, rows in (
                ("search by name", lambda: setattr(app.screen.query_one("#search"), "value", one), 1),
                ("clear search", lambda: setattr(app.screen.query_one("#search"), "value", ""), min(60, sessions)),
                ("filter to a round without sessions", lambda: setattr(app.screen.query_one("#filter"), "value",
                                                                         "coding"), 0),
                ("filter by round", lambda: setattr(app.screen.query_one("#filter"), "value", "system-design"),
                 min(60, sessions))):
            start = time.perf_counter()
            change()
            while (table.row_count != rows if rows <= 1 else table.row_count < rows) \
                    and time.perf_counter() - start < timeout:
                await asyncio.sleep(0)
            took[what] = time.perf_counter() - start if time.perf_counter() - start < timeout else None
            query = app.screen.query_one("#search").value
            if query:  # then the words said, which no target covers: reported, not judged
                while app.screen.said[0] != query and time.perf_counter() - start < timeout:
                    await asyncio.sleep(0.01)
                took["(then the words said searched)"] = \
                    time.perf_counter() - start if app.screen.said[0] == query else None
            await settled()
        await settled()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as cache:
        os.environ["INTERVIEWER_CACHE_DIR"] = cache
        folder = Path(tmp)
        size = write_sessions(folder, args.sessions, args.turns)
        bench_screen(folder, args.sessions, args.runs)
        took = asyncio.run(search_and_filter(folder, args.sessions))
        print("in the screen, from the change to the table's first rows (target: under 100 ms): "
              + ", ".join(f"{what} {seconds * 1e3:.0f} ms" if seconds is not None else f"{what} FAILED (not shown)"
                          for what, seconds in took.items()))
        print(f"  the words said, baseline: every transcript read and searched for the same id with bytes.find, "
              f"{bare_scan(folder, f'{args.sessions // 2:08x}') * 1e3:.0f} ms")
        first, fastest, listed = best(lambda: list_sessions(folder), args.repeat)
        fastest_listing = fastest
        assert len(listed) == args.sessions and listed[0].turns == args.turns  # type: ignore[arg-type]
        os.environ["INTERVIEWER_CACHE_DIR"] = os.path.join(cache, "none")
        unindexed = []
        for _ in range(2):
            for path in Path(cache, "none").glob("*"):
                path.unlink()
            unindexed.append(best(lambda: list_sessions(folder), 1)[1])
        os.environ["INTERVIEWER_CACHE_DIR"] = cache
        print(f"list_sessions: {args.sessions} sessions x {args.turns} turns ({size / 1e6:.1f} MB, "
              f"{args.sessions // 2} with a saved scorecard): index warm {fastest:.3f} s best of {args.repeat}, "
              f"beside {min(unindexed):.3f} s with no index (every file read)")
        _, fastest, found = best(lambda: interrupted(folder), args.repeat)
        print(f"interrupted: {len(found)} resumable sessions in {fastest:.3f} s, "  # type: ignore[arg-type]
              f"beside the warm listing it starts from, {fastest_listing:.3f} s")
        _, fastest, history = best(lambda: dimension_history(folder, "system-design"), args.repeat)
        points = sum(len(v) for v in history.values())  # type: ignore[union-attr]
        print(f"dimension_history: {len(history)} dimensions, {points} points "  # type: ignore[arg-type]
              f"in {fastest:.3f} s, beside the warm listing, {fastest_listing:.3f} s")
        bench_scored_session(folder, args.sessions, args.repeat)


def bench_scored_session(folder: Path, sessions: int, repeat: int) -> None:
    """A session ends and is scored: its index entry is written then, so the next listing reads nothing."""
    from interviewer import sessions as module

    newest = max(folder.glob("*.jsonl"))
    transcript = load_transcript(newest)
    card = score(transcript, RubricLibrary().load(transcript.round).rubric)
    _, with_index, _ = best(lambda: save_scorecard(newest, card), repeat)
    updating = module.index_written
    module.index_written = lambda _path: None
    try:
        _, without, _ = best(lambda: save_scorecard(newest, card), repeat)
    finally:
        module.index_written = updating
    with newest.open("a", encoding="utf-8") as out:  # one more answer, then the end: scored again
        out.write(json.dumps({"type": "turn", "n": 999, "role": "candidate", "t": 3601.0, "text": "one more"}) + "\n")
    save_scorecard(newest, card)
    read: list[str] = []
    summarize = module._summarize
    module._summarize = lambda path, *rest: (read.append(path.name), summarize(path, *rest))[1]
    try:
        listed = list_sessions(folder)
    finally:
        module._summarize = summarize
    assert len(listed) == sessions
    print(f"save_scorecard with the index entry written ({sessions} sessions indexed): {with_index * 1e3:.0f} ms "
          f"best of {repeat}, beside {without * 1e3:.0f} ms without it; the next listing read {len(read)} "
          f"file(s) (target: 0)")


if __name__ == "__main__":
    main()
