"""Hidden checks for the coding round's time-based key-value store (`TimeMap`).

Results are compared with a brute-force model. Concurrency checks run threads in rounds
that start together, and the writers' timestamps and keys make the first writers meet
inside the store's code, so two of them really are mid-write on one key at the same time.
The blocking check writes with a key and a timestamp that, each time the store hashes the
key or compares the timestamp, check that a get of another key can finish meanwhile.
"""

from __future__ import annotations

import random
import threading

from interviewer.workbench.check_tools import run_threads
from interviewer.workbench.spec import check


def expected_at(versions: dict, timestamp):
    """What get should return: the value at the largest timestamp <= the one asked for."""
    earlier = [t for t in versions if t <= timestamp]
    return versions[max(earlier)] if earlier else ""


def as_pairs(result) -> list[tuple]:
    try:
        return [tuple(pair) for pair in result]
    except TypeError:
        raise AssertionError(f"history returned {result!r}, expected a list of (timestamp, value) pairs") from None


def run_rounds(workers, rounds: int, timeout: float = 10.0) -> None:
    """Run each worker `rounds` times in its own thread, every round starting together."""
    step = threading.Barrier(len(workers))

    def in_rounds(work):
        def run():
            try:
                for r in range(rounds):
                    step.wait(timeout)
                    work(r)
            except threading.BrokenBarrierError:
                return  # another thread failed; its error is the one reported
            except BaseException:
                step.abort()
                raise
        return run

    run_threads([in_rounds(work) for work in workers], timeout)


# Gate 1: set and get at a time


@check("set-get", "get returns the value at the largest timestamp at or before the one asked for")
def latest_at_or_before(solution):
    store = solution.TimeMap()
    store.set("config", "v1", 10)
    store.set("config", "v2", 20)
    store.set("config", "v3", 30)
    for asked, expected in ((10, "v1"), (15, "v1"), (20, "v2"), (29, "v2"), (30, "v3"), (1000, "v3")):
        got = store.get("config", asked)
        assert got == expected, f"get('config', {asked}) returned {got!r}, expected {expected!r}"


@check("set-get", "get before the first timestamp, or of a key never set, returns an empty string")
def nothing_yet(solution):
    store = solution.TimeMap()
    store.set("config", "v1", 10)
    assert store.get("config", 9) == "", f"get('config', 9) returned {store.get('config', 9)!r}, expected ''"
    assert store.get("other", 100) == "", f"get of a key never set returned {store.get('other', 100)!r}"


@check("set-get", "keys keep separate histories, and float timestamps work like integers")
def keys_separate(solution):
    store = solution.TimeMap()
    store.set("a", "a1", 1)
    store.set("b", "b1", 2.5)
    store.set("a", "a2", 3.25)
    assert store.get("b", 3.25) == "b1", f"get('b', 3.25) returned {store.get('b', 3.25)!r}, expected 'b1'"
    assert store.get("a", 3.0) == "a1", f"get('a', 3.0) returned {store.get('a', 3.0)!r}, expected 'a1'"
    assert store.get("a", 3.25) == "a2", f"get('a', 3.25) returned {store.get('a', 3.25)!r}, expected 'a2'"


@check("set-get", "5,000 versions of one key answer every query correctly")
def many_versions(solution):
    store = solution.TimeMap()
    for t in range(0, 10_000, 2):
        store.set("k", f"v{t}", t)
    rng = random.Random(3)
    for asked in [rng.uniform(-5, 10_005) for _ in range(500)] + [0, 9998, 10_000]:
        expected = "" if asked < 0 else f"v{min(9998, int(asked) // 2 * 2)}"
        got = store.get("k", asked)
        assert got == expected, f"get('k', {asked}) returned {got!r}, expected {expected!r}"


# Gate 2: out-of-order writes


@check("out-of-order", "versions written out of order are found by time, not by arrival")
def out_of_order(solution):
    store = solution.TimeMap()
    for value, t in (("late", 30), ("early", 10), ("middle", 20), ("first", 5)):
        store.set("k", value, t)
    for asked, expected in ((4, ""), (5, "first"), (12, "early"), (20, "middle"), (25, "middle"), (31, "late")):
        got = store.get("k", asked)
        assert got == expected, f"after out-of-order sets, get('k', {asked}) returned {got!r}, expected {expected!r}"


@check("out-of-order", "setting the same timestamp twice keeps the later set, whatever came in between")
def same_timestamp_later_wins(solution):
    store = solution.TimeMap()
    store.set("k", "a", 10)
    store.set("k", "b", 10)
    assert store.get("k", 10) == "b", f"get('k', 10) returned {store.get('k', 10)!r}, expected the later set 'b'"
    store.set("k", "c", 20)
    store.set("k", "d", 10)
    assert store.get("k", 15) == "d", f"get('k', 15) returned {store.get('k', 15)!r}, expected 'd'"
    assert store.get("k", 20) == "c", f"get('k', 20) returned {store.get('k', 20)!r}, expected 'c'"


@check("out-of-order", "2,000 random writes and reads match a brute-force model")
def random_matches_model(solution):
    rng = random.Random(5)
    store, model = solution.TimeMap(), {}
    for step in range(2000):
        key = f"k{rng.randrange(4)}"
        if rng.random() < 0.5:
            t = rng.randrange(200)
            store.set(key, f"{key}@{t}#{step}", t)
            model.setdefault(key, {})[t] = f"{key}@{t}#{step}"
        else:
            asked = rng.randrange(-5, 205)
            got, expected = store.get(key, asked), expected_at(model.get(key, {}), asked)
            assert got == expected, f"step {step}: get({key!r}, {asked}) returned {got!r}, expected {expected!r}"


# Gate 3: deletes, ranges and retention


@check("deletes-ranges", "after delete(key, t), a get at or after t sees nothing; a get before t sees the past")
def delete_hides_from_then_on(solution):
    store = solution.TimeMap()
    store.set("k", "a", 10)
    store.delete("k", 20)
    for asked, expected in ((10, "a"), (19, "a"), (20, ""), (100, "")):
        got = store.get("k", asked)
        assert got == expected, f"after set at 10 and delete at 20, get('k', {asked}) returned {got!r}"
    store.delete("never-set", 5)
    assert store.get("never-set", 10) == "", "deleting a key that was never set should leave it empty"


@check("deletes-ranges", "a set after a delete is seen again, and a late delete applies only from its time")
def delete_then_set(solution):
    store = solution.TimeMap()
    store.set("k", "a", 10)
    store.set("k", "c", 30)
    store.delete("k", 20)  # arrives after the set at 30
    store.set("k", "e", 50)
    store.delete("k", 40)
    for asked, expected in ((15, "a"), (20, ""), (25, ""), (30, "c"), (45, ""), (50, "e")):
        got = store.get("k", asked)
        assert got == expected, f"get('k', {asked}) returned {got!r}, expected {expected!r}"


@check("deletes-ranges", "history(key, start, end) lists (timestamp, value) pairs in the range, oldest first")
def history_range(solution):
    store = solution.TimeMap()
    for value, t in (("d", 40), ("a", 10), ("b", 20), ("c", 30), ("b2", 20), ("e", 50)):
        store.set("k", value, t)
    store.delete("k", 35)
    got = as_pairs(store.history("k", 20, 50))
    assert got == [(20, "b2"), (30, "c"), (40, "d"), (50, "e")], (
        f"history('k', 20, 50) returned {got}: expected both ends included, oldest first, the later set at 20, "
        "and no entry for the delete at 35"
    )
    assert as_pairs(store.history("k", 11, 19)) == [], "a range with no versions should give []"
    assert as_pairs(store.history("missing", 0, 100)) == [], "history of a key never set should be []"


@check("deletes-ranges", "with a retention window, old versions are dropped but gets from the cutoff on still answer")
def retention(solution):
    store = solution.TimeMap(retention=10)
    newest = list(range(950, 1000))
    random.Random(9).shuffle(newest)  # the newest writes arrive a little out of order
    order = list(range(950)) + newest
    for t in order:
        store.set("k", f"v{t}", t)
    held = as_pairs(store.history("k", -1, 1000))
    assert len(held) <= 100, (
        f"with retention=10 and versions at 0..999, the store still holds {len(held)} versions: "
        "versions only a get before the cutoff (newest - 10) could need must not pile up"
    )
    for asked in (989, 989.5, 995, 999):
        got, expected = store.get("k", asked), f"v{int(asked)}"
        assert got == expected, f"get('k', {asked}) returned {got!r}, expected {expected!r} (within the retention)"
    window = as_pairs(store.history("k", 989, 999))
    assert window == [(t, f"v{t}") for t in range(989, 1000)], f"history('k', 989, 999) returned {window}"


# Gate 4: concurrent readers and writers


class Meeting:
    """Holds the first threads that reach it until a second one arrives, pairing them up.

    It is called from inside the store's own code (a timestamp comparison, a key's hash),
    so two writers really are between reading a key's versions and writing them back at
    the same time. A store whose lock keeps the second writer out makes the wait time out
    once; after that, and after `pairs` meetings, everyone goes straight through.
    """

    def __init__(self, pairs: int = 12, timeout: float = 0.05) -> None:
        self._barrier = threading.Barrier(2)
        self._left = pairs
        self._timeout = timeout

    def __call__(self) -> None:
        if self._left <= 0 or self._barrier.broken:
            return
        try:
            if self._barrier.wait(self._timeout) == 0:
                self._left -= 1
        except threading.BrokenBarrierError:
            pass


def meeting_types(stamps: Meeting, keys: Meeting):
    class MeetingStamp(int):
        def __lt__(self, other):
            stamps()
            return int.__lt__(self, other)

        def __gt__(self, other):
            stamps()
            return int.__gt__(self, other)

    class MeetingKey(str):
        """Meets on its first two hashes: writers look the key up together, then create it together."""

        hashes = 0

        def __hash__(self):
            self.hashes += 1
            if self.hashes <= 2:
                keys()
            return str.__hash__(self)

    return MeetingStamp, MeetingKey


@check("concurrent-reads", "6 threads writing the same keys at once lose no version")
def concurrent_writers(solution):
    store = solution.TimeMap()
    threads, rounds = 6, 40
    Stamp, Key = meeting_types(Meeting(), Meeting(pairs=rounds * threads))

    def writer(t):
        def work(r):
            # Timestamps fall round by round, so every write lands in the middle or front of the list.
            for half in (0, 1):
                stamp = ((rounds - r) * 2 + half) * threads + t
                store.set("shared", f"v{stamp}", Stamp(stamp))
            store.set(Key(f"new{r}"), f"t{t}", t)
        return work

    run_rounds([writer(t) for t in range(threads)], rounds)
    top = (rounds * 2 + 2) * threads
    got = [(int(t), v) for t, v in as_pairs(store.history("shared", 0, top))]
    expected = [(stamp, f"v{stamp}") for stamp in range(2 * threads, top)]
    assert got == expected, (
        f"after concurrent writes history('shared', ...) held {len(got)} versions, expected {len(expected)}"
        + ("" if len(got) != len(expected) else ": the timestamps and values no longer line up in order")
    )
    for r in range(rounds):
        versions = as_pairs(store.history(f"new{r}", 0, threads))
        assert len(versions) == threads, (
            f"key new{r}, first written by {threads} threads at once, kept {len(versions)} of {threads} versions: "
            "creating a key must not throw away another thread's write"
        )


@check("concurrent-reads", "readers never see a half-done write: every answer is one that was set")
def readers_see_whole_writes(solution):
    store = solution.TimeMap()
    for t in range(0, 400, 2):
        store.set("stable", f"v{t}", t)
    odd = list(range(1, 400, 2))
    random.Random(1).shuffle(odd)
    wrong: list[str] = []

    def writer(part):
        def work(r):
            for t in part[r * 5 : r * 5 + 5]:
                store.set("stable", f"v{t}", t)
        return work

    def reader(offset):
        def work(r):
            for q in range(offset, 400, 7):
                got = store.get("stable", q + 0.5)
                allowed = {f"v{q}", f"v{q - 1}"} if q % 2 else {f"v{q}"}
                if got not in allowed:
                    wrong.append(f"get('stable', {q + 0.5}) returned {got!r}, expected one of {sorted(allowed)}")
        return work

    run_rounds([writer(odd[0::2]), writer(odd[1::2])] + [reader(i) for i in range(4)], rounds=20)
    assert not wrong, f"while writers inserted versions, a reader saw a wrong answer: {wrong[0]}"


@check("concurrent-reads", "a writer on one key never holds up a get of another key")
def writer_does_not_block_other_keys(solution):
    store = solution.TimeMap()
    for t in range(0, 64, 2):
        store.set("busy", f"v{t}", t)
    store.set("other", "ready", 1)
    writer_ident: list[int] = []
    probes = {"count": 0, "blocked": 0}

    def probe():
        # Runs inside the store's set, on the writer's thread: can another key be read right now?
        if threading.get_ident() not in writer_ident or probes["count"] >= 20 or probes["blocked"]:
            return
        probes["count"] += 1
        done = threading.Event()
        reader = threading.Thread(target=lambda: (store.get("other", 5), done.set()), daemon=True)
        reader.start()
        if not done.wait(0.5):
            probes["blocked"] += 1

    class ProbingKey(str):
        def __hash__(self):
            probe()
            return str.__hash__(self)

    class ProbingTimestamp(float):
        def __lt__(self, other):
            probe()
            return float.__lt__(self, other)

        def __gt__(self, other):
            probe()
            return float.__gt__(self, other)

    def write():
        writer_ident.append(threading.get_ident())
        store.set(ProbingKey("busy"), "new", ProbingTimestamp(31.0))

    errors: list[BaseException] = []
    writer = threading.Thread(target=lambda: _capture(write, errors), daemon=True)
    writer.start()
    writer.join(15)
    assert not writer.is_alive(), "set() did not return"
    if errors:
        raise AssertionError(f"set() raised {type(errors[0]).__name__}: {errors[0]}")
    assert probes["blocked"] == 0, (
        f"while set() was writing key 'busy', a get of key 'other' could not finish ({probes['blocked']} of "
        f"{probes['count']} tries): the lock a writer holds should cover its own key only"
    )
    assert store.get("busy", 31) == "new", f"get('busy', 31) returned {store.get('busy', 31)!r}, expected 'new'"


def _capture(action, errors: list) -> None:
    try:
        action()
    except BaseException as error:  # noqa: BLE001 - reported to the candidate by the check
        errors.append(error)
