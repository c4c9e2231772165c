"""Hidden checks for the coding round's resumable iterator (`ResumableIterator`, `FileIterator`).

Every saved state is sent through json.dumps and json.loads before it is restored, as a
real job would store it. File checks write small UTF-8 files into a fresh folder under the
current directory, with lines that cross chunk boundaries, an empty file, a file without a
final newline and multi-byte characters. A crash is simulated by abandoning an iterator
without closing it and resuming from its checkpoint file.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time

from interviewer.workbench.spec import check


def through_json(state):
    try:
        text = json.dumps(state)
    except (TypeError, ValueError) as error:
        raise AssertionError(f"state() returned {state!r}, which json.dumps rejects: {error}") from None
    return json.loads(text)


def take(iterator, n: int) -> list:
    return [next(iterator) for _ in range(n)]


FILES = [
    ["alpha", "beta"],
    [],  # an empty file
    ["gamma", "a line long enough to span several chunks of a few bytes each", "delta"],
    ["épsilon ünïcode ✓", "zeta"],
    ["eta", "theta"],  # written without a final newline
]


def write_files(contents=FILES) -> list[str]:
    folder = tempfile.mkdtemp(prefix="records-", dir=os.getcwd())
    paths = []
    for i, lines in enumerate(contents):
        path = os.path.join(folder, f"part-{i:02d}.txt")
        text = "\n".join(lines) + ("\n" if lines and i != len(contents) - 1 else "")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        paths.append(path)
    return paths


def all_records(contents=FILES) -> list[str]:
    return [line for lines in contents for line in lines]


def threads_started_by(action):
    before = set(threading.enumerate())
    result = action()
    return result, [t for t in threading.enumerate() if t not in before]


# Gate 1: a plain iterator


@check("basic-iter", "next returns every item in order, for lists, tuples and ranges")
def yields_in_order(solution):
    for sequence in (["a", "b", "c"], (1, 2, 3, 4), range(5)):
        got = list(solution.ResumableIterator(sequence))
        assert got == list(sequence), f"iterating over {sequence!r} gave {got!r}"


@check("basic-iter", "falsy items such as None, 0 and '' are returned like any other")
def falsy_items(solution):
    items = [None, 0, "", False, []]
    got = list(solution.ResumableIterator(items))
    assert got == items, f"iterating over {items!r} gave {got!r}"


@check("basic-iter", "an empty sequence raises StopIteration straight away")
def empty_sequence(solution):
    iterator = solution.ResumableIterator([])
    try:
        item = next(iterator)
    except StopIteration:
        return
    raise AssertionError(f"next() on an empty sequence returned {item!r} instead of raising StopIteration")


@check("basic-iter", "after the end, next keeps raising StopIteration")
def stays_exhausted(solution):
    iterator = solution.ResumableIterator([1])
    assert next(iterator) == 1, "the first next() should return the only item"
    for attempt in (1, 2):
        try:
            item = next(iterator)
        except StopIteration:
            continue
        raise AssertionError(f"next() call {attempt} after the end returned {item!r} instead of raising StopIteration")


@check("basic-iter", "it is its own iterator: a for loop after some next() calls continues from there")
def for_loop_continues(solution):
    iterator = solution.ResumableIterator("abcde")
    assert iter(iterator) is iterator, "iter(it) should return the iterator itself"
    assert next(iterator) == "a", "the first next() should return 'a'"
    rest = [item for item in iterator]
    assert rest == ["b", "c", "d", "e"], f"a for loop after one next() gave {rest!r}, expected the other four"


# Gate 2: save and restore the position


@check("save-restore", "state() is small JSON that doesn't grow with the data")
def state_is_small(solution):
    iterator = solution.ResumableIterator(range(1_000_000))
    take(iterator, 5)
    size = len(json.dumps(through_json(iterator.state())))
    assert size <= 200, f"state() is {size} characters of JSON for a million items; keep the position, not the data"


@check("save-restore", "stopping after any number of items and restoring gives exactly the rest")
def resume_anywhere(solution):
    sequence = list("abcdefghij")
    for n in range(len(sequence) + 1):
        first = solution.ResumableIterator(sequence)
        before = take(first, n)
        restored = solution.ResumableIterator.from_state(sequence, through_json(first.state()))
        after = list(restored)
        assert before + after == sequence, (
            f"saved after {n} items and restored: read {before!r} then {after!r}, expected {sequence!r} exactly once"
        )


@check("save-restore", "a state saved at the end restores to a finished iterator")
def resume_at_end(solution):
    iterator = solution.ResumableIterator([1, 2])
    list(iterator)
    restored = solution.ResumableIterator.from_state([1, 2], through_json(iterator.state()))
    left = list(restored)
    assert left == [], f"restoring a state saved after the last item gave {left!r}, expected nothing"


@check("save-restore", "calling state() doesn't move the iterator, and a restored one can be saved again")
def save_again(solution):
    sequence = list(range(12))
    iterator = solution.ResumableIterator(sequence)
    seen = take(iterator, 2)
    iterator.state()
    iterator.state()
    for _ in range(4):
        iterator = solution.ResumableIterator.from_state(sequence, through_json(iterator.state()))
        seen += take(iterator, 2)
    seen += list(iterator)
    assert seen == sequence, f"reading 2 items between saves and restores gave {seen!r}"


# Gate 3: many files, read in chunks


@check("multi-source", "FileIterator yields every line of every file in order, across chunk boundaries")
def reads_all_files(solution):
    paths = write_files()
    for chunk_size in (3, 7, 65536):
        got = list(solution.FileIterator(paths, chunk_size=chunk_size))
        assert got == all_records(), f"with chunk_size={chunk_size}, got {got!r}, expected {all_records()!r}"


@check("multi-source", "saving after any record and restoring gives exactly the remaining records")
def file_resume_anywhere(solution):
    paths, expected = write_files(), all_records()
    for n in range(len(expected) + 1):
        first = solution.FileIterator(paths, chunk_size=4)
        before = take(first, n)
        rest = list(solution.FileIterator.from_state(paths, through_json(first.state())))
        assert before + rest == expected, (
            f"saved after {n} records and restored: read {before!r} then {rest!r}, expected each record once"
        )


@check("multi-source", "a state saved right after a file's last record resumes at the next file's first")
def resume_at_file_boundary(solution):
    paths = write_files()
    first = solution.FileIterator(paths, chunk_size=5)
    assert take(first, 2) == ["alpha", "beta"], "the first file holds alpha and beta"
    restored = solution.FileIterator.from_state(paths, through_json(first.state()))
    got = next(restored)
    assert got == "gamma", f"after the first file's last record (and an empty file), the next record was {got!r}"


@check("multi-source", "restoring mid-file doesn't open the files before it: they may have been archived")
def earlier_files_archived(solution):
    paths = write_files()
    first = solution.FileIterator(paths, chunk_size=4)
    take(first, 4)  # alpha, beta, gamma, the long line
    state = through_json(first.state())
    for path in paths[:2]:
        os.remove(path)
    try:
        rest = list(solution.FileIterator.from_state(paths, state))
    except FileNotFoundError as error:
        raise AssertionError(
            f"restoring in the third file tried to open {error.filename!r}: seek to the saved file and offset "
            "instead of reading from the start"
        ) from None
    assert rest == all_records()[4:], f"after archiving the first two files the restored iterator gave {rest!r}"


@check("multi-source", "the state stays small however large the files are")
def file_state_is_small(solution):
    paths = write_files([[f"record {i}" for i in range(5000)], ["last"]])
    iterator = solution.FileIterator(paths, chunk_size=1024)
    take(iterator, 4000)
    size = len(json.dumps(through_json(iterator.state())))
    assert size <= len(json.dumps(paths)) + 200, f"state() is {size} characters of JSON; keep a position, not records"


# Gate 4: prefetching and surviving crashes


@check("prefetch-restart", "with prefetch on, the records are the same and in the same order")
def prefetch_same_records(solution):
    paths = write_files()
    iterator = solution.FileIterator(paths, chunk_size=4, prefetch=3)
    try:
        got = list(iterator)
    finally:
        iterator.close()
    assert got == all_records(), f"with prefetch=3 got {got!r}, expected {all_records()!r}"


@check("prefetch-restart", "state() describes what the caller was handed, not how far the reader fetched")
def state_follows_consumer(solution):
    paths, expected = write_files(), all_records()
    for n in (1, 2, 3, 5, 7, len(expected) - 1):
        iterator = solution.FileIterator(paths, chunk_size=4, prefetch=4)
        before = take(iterator, n)
        state = through_json(iterator.state())
        iterator.close()
        rest = list(solution.FileIterator.from_state(paths, state))
        assert before + rest == expected, (
            f"with prefetch=4, saved after {n} records and restored: the rest was {rest!r}, expected "
            f"{expected[n:]!r}: records the reader had fetched but the caller never saw were skipped"
        )


@check("prefetch-restart", "a job killed at any point and resumed from its checkpoint skips no record")
def crash_and_resume(solution):
    paths, expected = write_files(), all_records()
    checkpoint = os.path.join(os.path.dirname(paths[0]), "job.checkpoint")
    processed: list[str] = []
    for crash_after in (0, 1, 3, 4, 6, 2, 100):
        iterator = solution.FileIterator.resume(paths, checkpoint, chunk_size=4, prefetch=3)
        for record in iterator:
            processed.append(record)
            iterator.checkpoint(checkpoint)
            if crash_after == 0:
                break
            crash_after -= 1
        # No close(): the process is gone, only the checkpoint file remains.
    assert processed == expected, (
        f"checkpointing after each processed record and crashing repeatedly gave {processed!r}, "
        f"expected {expected!r}: every record exactly once"
    )


@check("prefetch-restart", "resume with no checkpoint file starts from the beginning")
def resume_without_checkpoint(solution):
    paths = write_files()
    missing = os.path.join(os.path.dirname(paths[0]), "never-written.checkpoint")
    iterator = solution.FileIterator.resume(paths, missing, prefetch=2)
    try:
        got = list(iterator)
    finally:
        iterator.close()
    assert got == all_records(), f"resuming without a checkpoint gave {got!r}, expected every record"


@check("prefetch-restart", "a reader of the checkpoint file never finds it empty or half-written")
def checkpoint_never_partial(solution):
    paths = write_files([[f"record {i}" for i in range(300)]])
    checkpoint = os.path.join(os.path.dirname(paths[0]), "job.checkpoint")
    iterator = solution.FileIterator(paths, chunk_size=64)
    next(iterator)
    iterator.checkpoint(checkpoint)
    done = threading.Event()
    bad: list[str] = []

    def watch():
        while not done.is_set() and not bad:
            try:
                with open(checkpoint, encoding="utf-8") as f:
                    text = f.read()
                json.loads(text)
            except ValueError:
                bad.append(text)
            except OSError:
                bad.append("(the file was missing)")

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        for _ in range(60):
            next(iterator)
            iterator.checkpoint(checkpoint)
            if bad:
                break
    finally:
        done.set()
        watcher.join(5)
    assert not bad, (
        f"while checkpoints were being written, a reader found the file as {bad[0][:60]!r}: write a temporary "
        "file and rename it over the checkpoint, so a crash mid-write leaves the old one intact"
    )


@check("prefetch-restart", "the prefetch thread never keeps the process alive, and close() stops it")
def close_stops_thread(solution):
    paths = write_files([[f"record {i}" for i in range(200)]])
    def open_and_read_one():
        iterator = solution.FileIterator(paths, chunk_size=16, prefetch=5)
        next(iterator)
        return iterator

    iterator, started = threads_started_by(open_and_read_one)
    assert started, "prefetch=5 started no thread: the reader should run ahead in the background"
    assert all(t.daemon for t in started), (
        "the prefetch thread is not a daemon thread: an abandoned iterator would keep the process from exiting"
    )
    iterator.close()
    deadline = time.monotonic() + 2
    for thread in started:
        thread.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in started), "the prefetch thread was still running 2 s after close()"
