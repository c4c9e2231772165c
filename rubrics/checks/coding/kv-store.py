"""Hidden checks for the coding round's key-value store (`KVStore`).

Time is a fake clock the checks move by hand, so expiry is tested without waiting.
Concurrency checks shrink the interpreter's thread switch interval and start threads in
rounds, so unprotected check-then-act sequences really do interleave; incr is called with a
number whose addition waits for a second thread, so an incr that reads and writes without a
lock loses an update every time rather than only when the scheduler happens to switch there.
Persistence checks work in a fresh folder under the current directory and simulate a crash
by opening a second store on the same file while the first is still alive: anything the first
has not yet handed to the operating system is invisible to the second.
"""

from __future__ import annotations

import gc
import itertools
import os
import tempfile
import threading
import weakref

from interviewer.workbench.check_tools import FakeClock, run_threads
from interviewer.workbench.spec import check


class TickingClock:
    """Moves forward a millisecond on every reading, so keys expire while threads run."""

    def __init__(self) -> None:
        self._ticks = itertools.count()

    def __call__(self) -> float:
        return 1000.0 + next(self._ticks) / 1000


class Payload:
    """A value the check can hold a weak reference to, to see whether the store let go of it."""

    def __init__(self, n: int) -> None:
        self.n = n


def fresh_folder() -> str:
    return tempfile.mkdtemp(prefix="kv-", dir=os.getcwd())


# Gate 1: get, set and delete


@check("basic", "set then get returns the value; setting a key again replaces it")
def set_then_get(solution):
    store = solution.KVStore()
    store.set("a", 1)
    store.set("b", [1, 2])
    assert store.get("a") == 1, f"get('a') after set('a', 1) returned {store.get('a')!r}"
    assert store.get("b") == [1, 2], f"get('b') returned {store.get('b')!r}, expected [1, 2]"
    store.set("a", "two")
    assert store.get("a") == "two", f"after set('a', 'two'), get('a') returned {store.get('a')!r}"


@check("basic", "get returns None for a key that was never set")
def missing_key_is_none(solution):
    store = solution.KVStore()
    assert store.get("absent") is None, f"get('absent') returned {store.get('absent')!r}, expected None"
    store.set("present", 1)
    assert store.get("absent") is None, "get of a key never set should still be None once other keys exist"


@check("basic", "falsy values such as 0, '' and False are stored and returned as themselves")
def falsy_values_are_values(solution):
    store = solution.KVStore()
    for key, value in (("zero", 0), ("empty", ""), ("no", False)):
        store.set(key, value)
        got = store.get(key)
        assert got == value and type(got) is type(value), f"get({key!r}) returned {got!r}, expected {value!r}"


@check("basic", "delete removes a key, and deleting a missing key does nothing")
def delete_removes(solution):
    store = solution.KVStore()
    store.set("a", 1)
    store.set("b", 2)
    store.delete("a")
    assert store.get("a") is None, f"get('a') after delete('a') returned {store.get('a')!r}"
    assert store.get("b") == 2, "delete('a') should leave 'b' alone"
    store.delete("never-set")
    store.delete("a")
    assert store.get("b") == 2, "deleting missing keys should change nothing"


@check("basic", "len(store) counts keys: an overwrite adds nothing, a delete removes one")
def len_counts_keys(solution):
    store = solution.KVStore()
    assert len(store) == 0, f"a new store has len {len(store)}, expected 0"
    store.set("a", 1)
    store.set("b", 2)
    store.set("a", 3)
    assert len(store) == 2, f"after setting 'a', 'b' and 'a' again, len is {len(store)}, expected 2"
    store.delete("a")
    store.delete("missing")
    assert len(store) == 1, f"after deleting 'a', len is {len(store)}, expected 1"


# Gate 2: expiry with a TTL


@check("ttl", "a key with a ttl is there until set time + ttl and gone from that moment")
def expires_at_ttl(solution):
    clock = FakeClock()
    store = solution.KVStore(clock=clock)
    store.set("session", "abc", ttl=10)
    clock.advance(9.5)
    assert store.get("session") == "abc", "9.5 s into a 10 s ttl, get should still return the value"
    assert len(store) == 1, f"len is {len(store)} before expiry, expected 1"
    clock.advance(0.5)
    assert store.get("session") is None, (
        f"exactly at set time + ttl, get returned {store.get('session')!r}, expected None"
    )
    clock.advance(100)
    assert store.get("session") is None, "an expired key came back later"


@check("ttl", "keys set without a ttl never expire")
def no_ttl_never_expires(solution):
    clock = FakeClock()
    store = solution.KVStore(clock=clock)
    store.set("config", "v1")
    store.set("short", "x", ttl=1)
    clock.advance(10_000_000)
    assert store.get("config") == "v1", "a key set without a ttl disappeared as time passed"
    assert len(store) == 1, f"len is {len(store)}, expected 1 (only the key without a ttl)"


@check("ttl", "setting a key again replaces its ttl, and the old expiry never removes the new value")
def overwrite_replaces_ttl(solution):
    clock = FakeClock()
    store = solution.KVStore(clock=clock)
    store.set("k", "old", ttl=5)
    clock.advance(3)
    store.set("k", "new", ttl=10)
    clock.advance(3)  # past the first ttl, well inside the second
    store.set("other", 1)  # gives eager cleanup a chance to run on the stale expiry
    len(store)
    assert store.get("k") == "new", (
        f"6 s after a 5 s ttl was replaced by a 10 s one, get returned {store.get('k')!r}, expected 'new'"
    )
    clock.advance(6.9)
    assert store.get("k") == "new", "the key should live until 10 s after its last set"
    clock.advance(0.1)
    assert store.get("k") is None, "the key should expire 10 s after its last set"
    store.set("p", "temporary", ttl=5)
    store.set("p", "permanent")
    clock.advance(50)
    assert store.get("p") == "permanent", "a set without a ttl should clear the key's earlier ttl"


@check("ttl", "expired keys don't count in len(store), even if nobody reads them")
def expired_not_counted(solution):
    clock = FakeClock()
    store = solution.KVStore(clock=clock)
    for i in range(20):
        store.set(f"temp{i}", i, ttl=1 + i % 3)
    store.set("keep", "x")
    clock.advance(3)
    assert len(store) == 1, f"after every ttl passed, len is {len(store)}, expected 1"
    store.set("temp0", "back")
    assert len(store) == 2 and store.get("temp0") == "back", "an expired key should be settable again"


@check("ttl", "an expired key nobody reads again lets go of its value as later writes happen")
def expired_values_are_released(solution):
    clock = FakeClock()
    store = solution.KVStore(clock=clock)
    values = [Payload(i) for i in range(100)]
    watchers = [weakref.ref(v) for v in values]
    for i, value in enumerate(values):
        store.set(f"temp{i}", value, ttl=1)
    del values, value
    clock.advance(2)
    for i in range(200):
        store.set(f"later{i}", i)
    gc.collect()
    held = sum(1 for w in watchers if w() is not None)
    assert held == 0, (
        f"{held} of 100 expired values were still held after 200 later writes: expired keys that "
        "are never read again must be cleaned up, not kept until a get touches them"
    )


# Gate 3: concurrent access


@check("concurrency", "incr adds to a key's number, starts a missing key at 0 and returns the new value")
def incr_basics(solution):
    store = solution.KVStore(clock=FakeClock())
    assert store.incr("hits") == 1, "incr on a missing key should return 1"
    assert store.incr("hits", 5) == 6, "incr('hits', 5) after 1 should return 6"
    assert store.get("hits") == 6, f"get('hits') after the incrs returned {store.get('hits')!r}"
    store.set("stock", 10)
    assert store.incr("stock", -3) == 7, "incr with a negative amount should subtract"


@check("concurrency", "incr keeps the key's expiry, and an expired key counts as 0")
def incr_keeps_expiry(solution):
    clock = FakeClock()
    store = solution.KVStore(clock=clock)
    store.set("n", 1, ttl=10)
    clock.advance(5)
    assert store.incr("n") == 2, "incr on a live key with a ttl should return 2"
    clock.advance(4.9)
    assert store.get("n") == 2, "incr should not shorten the key's expiry"
    clock.advance(0.1)
    assert store.get("n") is None, "incr should not extend the key's expiry: it should expire 10 s after the set"
    assert store.incr("n") == 1, "incr on an expired key should start again from 0"


class MeetingOne(int):
    """The number 1, whose addition waits briefly for a second thread to be adding too.

    incr adds the amount after reading the current value and before writing the sum, so
    when two threads can both be at that point at once, both read the same value and one
    update is lost, every time rather than only when the scheduler happens to switch there.
    A store that holds a lock across the read and the write never lets a second thread in:
    the wait times out once and every later addition goes straight through.
    """

    def __new__(cls):
        one = super().__new__(cls, 1)
        one.meeting = threading.Barrier(2)
        return one

    def __radd__(self, other):
        if not self.meeting.broken:
            try:
                self.meeting.wait(timeout=0.05)
            except threading.BrokenBarrierError:
                pass
        return int(other) + 1

    __add__ = __radd__


@check("concurrency", "incr from 8 threads at once loses no update and hands out every count once")
def concurrent_incr(solution):
    store = solution.KVStore(clock=TickingClock())
    store.set("hits", 0)
    one = MeetingOne()
    per_thread = 100
    returned: list[list[int]] = [[] for _ in range(8)]

    def worker(out):
        def work():
            for _ in range(per_thread):
                out.append(store.incr("hits", one))
        return work

    run_threads([worker(out) for out in returned])
    total = 8 * per_thread
    got = store.get("hits")
    assert got == total, f"8 threads x {per_thread} incr('hits') left {got!r}, expected {total}: updates were lost"
    handed_out = sorted(itertools.chain.from_iterable(returned))
    assert handed_out == list(range(1, total + 1)), (
        "two incr calls returned the same count: the read and the write were not one step"
    )


@check("concurrency", "readers finding expired keys while writers set them again lose no write and raise nothing")
def concurrent_expiry(solution):
    clock = FakeClock()
    store = solution.KVStore(clock=clock)
    rounds, batch, readers = 200, 24, 6
    current: list[str] = []
    batch_numbers = itertools.count()

    def next_batch():
        # Runs once per round while every thread waits: a fresh set of keys that have just
        # expired, so all readers reach the same expired key at the same moment.
        number = next(batch_numbers)
        current[:] = [f"r{number}-{j}" for j in range(batch)]
        for key in current:
            store.set(key, "short", ttl=1)
        clock.advance(2)

    next_batch()
    step = threading.Barrier(readers + 2, action=next_batch)

    def in_rounds(body):
        def work():
            try:
                for _ in range(rounds):
                    body(list(current))
                    step.wait(10)
            except threading.BrokenBarrierError:
                return
            except BaseException:
                step.abort()
                raise
        return work

    def read(keys):
        for key in keys:
            got = store.get(key)
            assert got in (None, ("final", key)), f"get({key!r}) returned {got!r}, expected None or the new value"

    def write(parity):
        def body(keys):
            for key in keys[parity::2]:
                store.set(key, ("final", key))
                got = store.get(key)
                assert got == ("final", key), (
                    f"get({key!r}) right after setting it without a ttl returned {got!r}: "
                    "another thread's expiry check deleted the newer value"
                )
        return body

    run_threads([in_rounds(read)] * readers + [in_rounds(write(0)), in_rounds(write(1))])
    survivors = [key for r in range(rounds) for key in (f"r{r}-{j}" for j in range(batch))]
    lost = [key for key in survivors if store.get(key) != ("final", key)]
    assert not lost, f"{len(lost)} keys lost the value set after their expiry (first: {lost[0]})"


# Gate 4: survive a restart


@check("persistence", "every set, delete and incr that returned is there for a new store on the same path")
def survives_crash(solution):
    path = os.path.join(fresh_folder(), "store.log")
    clock = FakeClock()
    first = solution.KVStore(path=path, clock=clock)
    first.set("a", "one")
    first.set("b", {"nested": [1, 2]})
    first.set("c", 3)
    first.delete("c")
    first.incr("n")
    first.incr("n", 4)
    first.set("a", "two")
    # `first` stays alive and unclosed, as if its process had just died.
    second = solution.KVStore(path=path, clock=clock)
    seen = {k: second.get(k) for k in ("a", "b", "c", "n")}
    expected = {"a": "two", "b": {"nested": [1, 2]}, "c": None, "n": 5}
    assert seen == expected, (
        f"a new store on the same file saw {seen}, expected {expected}: "
        "a change must be in the file before the call returns"
    )
    assert len(second) == 3, f"the restarted store has len {len(second)}, expected 3"
    del first


@check("persistence", "a record torn halfway by a crash is ignored, and writes after recovery still survive")
def torn_final_record(solution):
    path = os.path.join(fresh_folder(), "store.log")
    clock = FakeClock()
    first = solution.KVStore(path=path, clock=clock)
    first.set("a", 1)
    first.set("b", 2)
    intact = os.path.getsize(path)
    first.set("c", "x" * 40)
    written = os.path.getsize(path)
    assert written > intact, "set('c', ...) did not make the file grow: writes must reach the file before set returns"
    with open(path, "r+b") as f:
        f.truncate(intact + (written - intact) // 2)
    second = solution.KVStore(path=path, clock=clock)
    seen = (second.get("a"), second.get("b"), second.get("c"))
    assert seen == (1, 2, None), (
        f"after the last record was cut in half, a, b, c read {seen}, expected (1, 2, None): "
        "recovery should keep every complete record and drop only the torn one"
    )
    second.set("d", 4)
    third = solution.KVStore(path=path, clock=clock)
    seen = (third.get("a"), third.get("b"), third.get("d"))
    assert seen == (1, 2, 4), (
        f"a write made after recovering from a torn record read back as {seen} after the next restart, "
        "expected (1, 2, 4): cut the torn bytes off before appending again"
    )
    del first, second


@check("persistence", "a store reopened on its file keeps appending: later restarts see old and new changes")
def reopen_keeps_history(solution):
    path = os.path.join(fresh_folder(), "store.log")
    clock = FakeClock()
    first = solution.KVStore(path=path, clock=clock)
    first.set("old", 1)
    first.set("gone", 1)
    second = solution.KVStore(path=path, clock=clock)
    second.set("new", 2)
    second.delete("gone")
    third = solution.KVStore(path=path, clock=clock)
    seen = (third.get("old"), third.get("new"), third.get("gone"))
    assert seen == (1, 2, None), f"after two restarts old, new, gone read {seen}, expected (1, 2, None)"
    del first, second


@check("persistence", "a ttl means the same moment after a restart: expiry is stored as an absolute time")
def expiry_survives_restart(solution):
    path = os.path.join(fresh_folder(), "store.log")
    clock = FakeClock()
    first = solution.KVStore(path=path, clock=clock)
    first.set("session", "abc", ttl=10)
    first.set("config", "v1")
    clock.advance(5)
    second = solution.KVStore(path=path, clock=clock)
    assert second.get("session") == "abc", "5 s into a 10 s ttl, the restarted store should still have the key"
    clock.advance(5)
    assert second.get("session") is None, (
        "10 s after the set, the key should be gone even though the store restarted at 5 s"
    )
    third = solution.KVStore(path=path, clock=clock)
    assert third.get("session") is None, "a store started after the expiry should not bring the key back"
    assert third.get("config") == "v1" and len(third) == 1, "only the key without a ttl should remain"
    del first, second


@check("persistence", "without a path the store stays in memory and creates no files")
def no_path_no_files(solution):
    before = set(os.listdir(os.getcwd()))
    store = solution.KVStore(clock=FakeClock())
    store.set("a", 1)
    store.incr("n")
    store.delete("a")
    created = set(os.listdir(os.getcwd())) - before
    assert not created, f"a store without a path created {sorted(created)} in the working directory"
