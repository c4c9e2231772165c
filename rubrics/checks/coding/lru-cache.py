"""Hidden checks for the coding round's LRU cache (`LRUCache`).

Time is a fake clock the checks move by hand. Each behavioural check is compared with what
an ordered dictionary used as an LRU would do. Concurrency checks shrink the interpreter's
thread switch interval, and the loader checks hold a load open until the other threads are
observably waiting inside the cache's code, so "the loader ran once" is decided by the cache, not by
how the threads happened to be scheduled.
"""

from __future__ import annotations

import random
import sys
import threading
import time
from collections import OrderedDict

from interviewer.workbench.check_tools import FakeClock, run_threads
from interviewer.workbench.spec import check


class ModelLRU:
    """The expected behaviour, kept deliberately simple."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.items: OrderedDict = OrderedDict()

    def get(self, key):
        if key not in self.items:
            return None
        self.items.move_to_end(key)
        return self.items[key]

    def put(self, key, value) -> None:
        if key in self.items:
            self.items.move_to_end(key)
        elif len(self.items) >= self.capacity:
            self.items.popitem(last=False)
        self.items[key] = value


def compare_with_model(solution, capacity: int, operations) -> None:
    cache, model = solution.LRUCache(capacity), ModelLRU(capacity)
    for step, (op, key, value) in enumerate(operations, start=1):
        if op == "put":
            cache.put(key, value)
            model.put(key, value)
            continue
        got, expected = cache.get(key), model.get(key)
        assert got == expected, (
            f"step {step}: get({key!r}) returned {got!r}, expected {expected!r} "
            f"(capacity {capacity}; cache should hold {list(model.items)} from least to most recent)"
        )
    assert len(cache) == len(model.items), f"len is {len(cache)} at the end, expected {len(model.items)}"


def make_thread(target, errors: list) -> threading.Thread:
    """A daemon thread running `target`, keeping any exception for the check to report."""

    def run():
        try:
            target()
        except BaseException as error:  # noqa: BLE001 - reported to the candidate by the check
            errors.append(error)

    return threading.Thread(target=run, daemon=True)


def start_all(threads: list[threading.Thread]) -> list[threading.Thread]:
    for thread in threads:
        thread.start()
    return threads


def fail_on_errors(errors: list, doing: str) -> None:
    if errors:
        error = errors[0]
        raise AssertionError(f"{doing} raised {type(error).__name__}: {error}")


def wait_until_settled(solution, threads, stop: threading.Event, timeout: float = 2.0) -> None:
    """Return once `stop` is set or every thread has finished or is blocked in the candidate's code.

    A thread counts as blocked when it is inside the candidate's module and its innermost
    frame has not moved over three polls a few milliseconds apart (waiting on a lock, an
    event or a future), so a thread that is merely passing through is not mistaken for one
    that is waiting for the load in flight.
    """
    code = vars(solution)
    deadline = time.monotonic() + timeout
    last: dict[int, tuple] = {}
    still: dict[int, int] = {}
    while time.monotonic() < deadline and not stop.wait(0.002):
        frames = sys._current_frames()
        settled = True
        for thread in threads:
            if thread.ident is not None and not thread.is_alive():
                continue  # finished (a thread not started yet has no ident)
            frame = frames.get(thread.ident)
            if frame is None:  # started but not yet running Python code
                settled = False
                continue
            where = (id(frame), frame.f_lasti)
            still[thread.ident] = still.get(thread.ident, 0) + 1 if last.get(thread.ident) == where else 0
            last[thread.ident] = where
            if not (_runs_in(frame, code) and still[thread.ident] >= 3):
                settled = False
        if settled:
            return


def _runs_in(frame, module_globals) -> bool:
    while frame is not None:
        if frame.f_globals is module_globals:
            return True
        frame = frame.f_back
    return False


# Gate 1: O(1) get and put with eviction


@check("basic-lru", "get returns what put stored, and None on a miss")
def get_after_put(solution):
    cache = solution.LRUCache(3)
    cache.put("a", 1)
    cache.put("b", 0)
    assert cache.get("a") == 1, f"get('a') after put('a', 1) returned {cache.get('a')!r}"
    assert cache.get("b") == 0, f"get('b') after put('b', 0) returned {cache.get('b')!r}"
    assert cache.get("zzz") is None, f"get of a key never put returned {cache.get('zzz')!r}, expected None"
    assert len(cache) == 2, f"len is {len(cache)} after two puts, expected 2"


@check("basic-lru", "a put past capacity evicts the least recently used key")
def evicts_least_recent(solution):
    cache = solution.LRUCache(3)
    for key in "abc":
        cache.put(key, key.upper())
    cache.put("d", "D")
    assert cache.get("a") is None, "with capacity 3, putting a, b, c then d should evict a"
    for key in "bcd":
        assert cache.get(key) == key.upper(), f"get({key!r}) returned {cache.get(key)!r} after the eviction"
    assert len(cache) == 3, f"len is {len(cache)}, expected 3 (the capacity)"


@check("basic-lru", "a get counts as a use: the key read most recently survives the next eviction")
def get_counts_as_use(solution):
    cache = solution.LRUCache(3)
    for key in "abc":
        cache.put(key, key)
    cache.get("a")
    cache.put("d", "d")
    assert cache.get("a") == "a", "a was read just before d was put, so b should have been evicted, not a"
    assert cache.get("b") is None, "b was the least recently used key and should have been evicted"


@check("basic-lru", "capacity 1 keeps only the latest key")
def capacity_one(solution):
    cache = solution.LRUCache(1)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") is None and cache.get("b") == 2, "with capacity 1, putting b should evict a"
    assert len(cache) == 1, f"len is {len(cache)}, expected 1"


@check("basic-lru", "a long run of puts of new keys and gets matches an LRU exactly")
def new_keys_match_model(solution):
    rng = random.Random(7)
    operations, next_key, live = [], 0, []
    for _ in range(3000):
        if rng.random() < 0.45:
            operations.append(("put", f"k{next_key}", next_key))
            live.append(f"k{next_key}")
            next_key += 1
        else:
            operations.append(("get", rng.choice(live[-12:]) if live else "none", None))
    compare_with_model(solution, 7, operations)


# Gate 2: updating an existing key


@check("update-existing", "a put on an existing key replaces its value without adding an entry")
def update_replaces(solution):
    cache = solution.LRUCache(3)
    cache.put("a", 1)
    cache.put("a", 2)
    assert cache.get("a") == 2, f"get('a') after put('a', 1) then put('a', 2) returned {cache.get('a')!r}"
    assert len(cache) == 1, f"len is {len(cache)} after putting the same key twice, expected 1"


@check("update-existing", "updating a key in a full cache evicts nothing")
def update_in_full_cache(solution):
    cache = solution.LRUCache(3)
    for key in "abc":
        cache.put(key, 1)
    cache.put("c", 2)  # the most recent key
    seen = {key: cache.get(key) for key in "abc"}
    assert seen == {"a": 1, "b": 1, "c": 2}, (
        f"after updating c in a full cache of a, b, c, the cache holds {seen}: an update must never evict"
    )
    cache.put("b", 2)  # now the least recent key
    seen = {key: cache.get(key) for key in "abc"}
    assert seen == {"a": 1, "b": 2, "c": 2}, (
        f"after updating b, the least recently used key, the cache holds {seen}: an update must never evict"
    )
    assert len(cache) == 3, f"len is {len(cache)}, expected 3"


@check("update-existing", "an update counts as a use: the updated key survives the next eviction")
def update_counts_as_use(solution):
    cache = solution.LRUCache(3)
    for key in "abc":
        cache.put(key, 1)
    cache.put("a", 2)
    cache.put("d", 1)
    assert cache.get("a") == 2, "a was updated just before d was put, so it should survive with its new value"
    assert cache.get("b") is None, "b was the least recently used key and should have been evicted"


@check("update-existing", "a long mix of puts, updates and gets matches an LRU exactly")
def updates_match_model(solution):
    rng = random.Random(11)
    keys = [f"k{i}" for i in range(9)]
    operations = []
    for n in range(3000):
        if rng.random() < 0.5:
            operations.append(("put", rng.choice(keys), n))
        else:
            operations.append(("get", rng.choice(keys), None))
    compare_with_model(solution, 5, operations)


# Gate 3: per-entry TTL


@check("ttl-cleanup", "get never returns an entry at or after its expiry, and len leaves it out")
def expired_is_a_miss(solution):
    clock = FakeClock()
    cache = solution.LRUCache(3, clock=clock)
    cache.put("k", "v", ttl=10)
    cache.put("forever", 1)
    clock.advance(9.5)
    assert cache.get("k") == "v", "9.5 s into a 10 s ttl, get should still return the value"
    clock.advance(0.5)
    assert cache.get("k") is None, f"exactly at put time + ttl, get returned {cache.get('k')!r}, expected None"
    assert len(cache) == 1, f"len is {len(cache)} after the ttl passed, expected 1"
    assert cache.get("forever") == 1, "an entry without a ttl should not expire"


@check("ttl-cleanup", "a full cache gives an expired entry's slot away before evicting a live one")
def expired_evicted_first(solution):
    clock = FakeClock()
    cache = solution.LRUCache(3, clock=clock)
    cache.put("old", 1)  # least recently used, but never expires
    cache.put("temp", 2, ttl=5)
    cache.put("new", 3)
    clock.advance(6)
    cache.put("next", 4)
    assert cache.get("old") == 1, "the expired entry should have made room, not the least recently used live one"
    assert cache.get("next") == 4 and cache.get("new") == 3, "the live entries should all be there"
    assert len(cache) == 3, f"len is {len(cache)}, expected 3"


@check("ttl-cleanup", "an entry put again with a longer ttl isn't dropped when its first ttl runs out")
def extended_ttl_kept(solution):
    clock = FakeClock()
    cache = solution.LRUCache(2, clock=clock)
    cache.put("k", "first", ttl=5)
    cache.put("x", 1)
    clock.advance(1)
    cache.put("k", "second", ttl=100)  # k is now the most recent, x the least
    clock.advance(5)  # past k's first expiry
    cache.put("y", 2)
    assert cache.get("k") == "second", (
        "k's first ttl ran out but it had been put again with a 100 s ttl: the full cache should have "
        "evicted x (least recently used), not k"
    )
    assert cache.get("x") is None, "x was the least recently used live entry and should have been evicted"


@check("ttl-cleanup", "a put without a ttl clears the entry's earlier ttl")
def put_without_ttl_clears(solution):
    clock = FakeClock()
    cache = solution.LRUCache(2, clock=clock)
    cache.put("k", "temporary", ttl=5)
    cache.put("k", "permanent")
    clock.advance(50)
    assert cache.get("k") == "permanent", "after put('k', ...) without a ttl, k should no longer expire"


@check("ttl-cleanup", "entries that expire free their slots: a full cache of expired entries takes new ones")
def expired_free_capacity(solution):
    clock = FakeClock()
    cache = solution.LRUCache(4, clock=clock)
    for i in range(4):
        cache.put(f"t{i}", i, ttl=1)
    clock.advance(2)
    assert len(cache) == 0, f"len is {len(cache)} after every entry expired, expected 0"
    for i in range(4):
        cache.put(f"n{i}", i)
    assert [cache.get(f"n{i}") for i in range(4)] == [0, 1, 2, 3], "four new entries should fit after expiry"


# Gate 4: shared across threads with a loader


@check("concurrent-loader", "get_or_load calls the loader with the key on a miss, caches the result and reuses it")
def get_or_load_caches(solution):
    cache = solution.LRUCache(2)
    calls = []

    def loader(key):
        calls.append(key)
        return f"value-{key}"

    assert cache.get_or_load("a", loader) == "value-a", "get_or_load should return the loader's result"
    assert cache.get_or_load("a", loader) == "value-a", "a second get_or_load should return the cached value"
    assert calls == ["a"], f"the loader was called for {calls}, expected once for 'a'"
    assert cache.get("a") == "value-a", "the loaded value should be in the cache for get too"
    cache.put("b", 1)
    cache.get_or_load("c", loader)
    assert cache.get("a") is None, "a loaded entry should take part in LRU eviction like any other"


@check("concurrent-loader", "when 8 threads miss the same key together, the loader runs once and all get its value")
def single_flight(solution):
    cache = solution.LRUCache(10)
    calls: list[str] = []
    results: dict[int, object] = {}
    others: list[threading.Thread] = []
    another_call = threading.Event()

    def loader(key):
        calls.append(key)
        if len(calls) == 1:
            # Hold this load open until the other threads wait for it or load for themselves.
            wait_until_settled(solution, [t for t in others if t is not threading.current_thread()], another_call)
        else:
            another_call.set()
        return f"value-{key}"

    def worker(i):
        def work():
            results[i] = cache.get_or_load("k", loader)
        return work

    errors: list[BaseException] = []
    others.extend(make_thread(worker(i), errors) for i in range(8))
    start_all(others)
    for thread in others:
        thread.join(10)
    assert not any(t.is_alive() for t in others), "threads waiting on the load never returned"
    fail_on_errors(errors, "get_or_load('k', loader)")
    assert len(calls) == 1, (
        f"8 threads missed 'k' together and the loader ran {len(calls)} times, expected once: "
        "later callers should wait for the load already in flight"
    )
    assert all(results.get(i) == "value-k" for i in range(8)), f"threads got {results}, all should get 'value-k'"


@check("concurrent-loader", "a loader's exception reaches every caller waiting on it, and nothing is cached")
def loader_error_reaches_waiters(solution):
    cache = solution.LRUCache(10)
    outcomes: dict[int, str] = {}
    others: list[threading.Thread] = []
    first = threading.Lock()
    another_call = threading.Event()

    def failing_loader(key):
        if first.acquire(blocking=False):
            wait_until_settled(solution, [t for t in others if t is not threading.current_thread()], another_call)
        else:
            another_call.set()
        raise LookupError(f"backend has no {key}")

    def worker(i):
        def work():
            try:
                outcomes[i] = f"returned {cache.get_or_load('k', failing_loader)!r}"
            except LookupError:
                outcomes[i] = "LookupError"
            except BaseException as error:  # noqa: BLE001 - reported to the candidate below
                outcomes[i] = f"{type(error).__name__}: {error}"
        return work

    others.extend(make_thread(worker(i), []) for i in range(4))
    start_all(others)
    for thread in others:
        thread.join(10)
    assert not any(t.is_alive() for t in others), "threads waiting on a failed load never returned"
    assert all(outcomes.get(i) == "LookupError" for i in range(4)), (
        f"every caller should see the loader's LookupError, got {outcomes}"
    )
    assert cache.get("k") is None, "a failed load must not leave anything cached"
    assert cache.get_or_load("k", lambda key: "ok") == "ok", "after a failed load, the next call should load again"


@check("concurrent-loader", "a slow loader doesn't hold up a get of another key")
def slow_loader_does_not_block(solution):
    cache = solution.LRUCache(10)
    cache.put("b", "cached")
    loading, reader_done = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def slow_loader(key):
        loading.set()
        # Returns at once if the get below is not blocked, else gives up after a second.
        seen["reader_finished_during_load"] = reader_done.wait(1.0)
        return "loaded"

    def read_b():
        seen["b"] = cache.get("b")
        reader_done.set()

    errors: list[BaseException] = []
    (loader_thread,) = start_all([make_thread(lambda: cache.get_or_load("a", slow_loader), errors)])
    deadline = time.monotonic() + 5
    while not loading.wait(0.001) and loader_thread.is_alive() and time.monotonic() < deadline:
        pass
    fail_on_errors(errors, "get_or_load('a', loader)")
    assert loading.is_set(), "get_or_load('a', loader) never called the loader"
    (reader,) = start_all([make_thread(read_b, errors)])
    loader_thread.join(5)
    reader.join(5)
    fail_on_errors(errors, "get_or_load('a', loader) or get('b') alongside it")
    assert seen.get("b") == "cached", f"get('b') returned {seen.get('b')!r}, expected 'cached'"
    assert seen.get("reader_finished_during_load"), (
        "get('b') had to wait until the loader for 'a' finished: run the loader outside the lock"
    )


@check("concurrent-loader", "puts and gets from 6 threads at once keep the cache a consistent LRU")
def concurrent_puts_and_gets(solution):
    capacity, rounds = 8, 150
    cache = solution.LRUCache(capacity)
    keys = [f"k{i}" for i in range(14)]
    problems: list[str] = []

    def audit():
        # Runs once per round while every thread waits at the barrier.
        size = len(cache)
        if size > capacity:
            problems.append(f"len was {size} with capacity {capacity}")

    step = threading.Barrier(6, action=audit)

    def worker(t):
        def work():
            try:
                for r in range(rounds):
                    for j in range(10):
                        key = keys[(t * 3 + j + r) % len(keys)]
                        cache.put(key, (key, r))
                        got = cache.get(keys[(t + j) % len(keys)])
                        if got is not None and got[0] != keys[(t + j) % len(keys)]:
                            problems.append(f"get({keys[(t + j) % len(keys)]!r}) returned {got!r}")
                    step.wait(10)
            except threading.BrokenBarrierError:
                return
            except BaseException:
                step.abort()
                raise
        return work

    run_threads([worker(t) for t in range(6)])
    assert not problems, f"under concurrent use: {problems[0]}"
    # Afterwards the cache must still behave exactly like an LRU.
    fresh = [f"fresh{i}" for i in range(capacity)]
    for key in fresh:
        cache.put(key, key)
    assert len(cache) == capacity, f"after filling with {capacity} new keys len is {len(cache)}, expected {capacity}"
    assert all(cache.get(key) == key for key in fresh), "after concurrent use, newly put keys were missing"
    cache.put("one-more", 1)
    assert cache.get("fresh0") is None and cache.get("fresh1") == "fresh1", (
        "after concurrent use, eviction no longer removes the least recently used key"
    )
