"""Hidden checks for the coding round's rate limiter (`RateLimiter`).

Time is a fake clock the checks move by hand, starting at 1000 s so that a limiter which
treats time 0 specially is not tested by accident. Gate 1 accepts fixed windows, sliding
logs and token buckets alike; gate 2 asks for bursts with a long-run average, which rules
out fixed windows. The shared store stands in for something like Redis: values cross it as
JSON text, compare_and_set is atomic, and in the concurrency check the first two reads meet
so that two machines really do see the same state at the same time.
"""

from __future__ import annotations

import json
import threading

from interviewer.workbench import check_tools
from interviewer.workbench.spec import check

START = 1000.0


class FakeClock(check_tools.FakeClock):
    """A hand-moved clock that starts at START and is set by offset from it."""

    def __init__(self, start: float = START) -> None:
        super().__init__(start)

    def at(self, offset: float) -> FakeClock:
        self.now = START + offset
        return self


def allowed(limiter, key: str, attempts: int) -> int:
    return sum(1 for _ in range(attempts) if limiter.allow(key))


class SharedStore:
    """One store shared by every machine: JSON values, an atomic compare_and_set."""

    def __init__(self, meet_first_reads: bool = False) -> None:
        self._data: dict[str, str] = {}
        self._lock = threading.Lock()
        # The first two reads wait for each other, so two machines both hold the same state
        # before either writes; after that meeting, reads go straight through.
        self._meeting = threading.Barrier(2) if meet_first_reads else None

    def get(self, name):
        with self._lock:
            text = self._data.get(name)
        meeting = self._meeting
        if meeting is not None:
            try:
                meeting.wait(timeout=1.0)
            except threading.BrokenBarrierError:
                pass
            meeting.abort()
            self._meeting = None
        return None if text is None else json.loads(text)

    def set(self, name, value) -> None:
        text = self._encode(name, value)
        with self._lock:
            self._data[name] = text

    def compare_and_set(self, name, expected, new) -> bool:
        text = self._encode(name, new)
        with self._lock:
            current = self._data.get(name)
            if (None if current is None else json.loads(current)) != expected:
                return False
            self._data[name] = text
            return True

    @staticmethod
    def _encode(name, value) -> str:
        try:
            return json.dumps(value)
        except (TypeError, ValueError):
            raise AssertionError(
                f"the value written to the store under {name!r} is a {type(value).__name__}: store values must "
                "be plain JSON data (dicts, lists, strings, numbers), as a real shared store would need"
            ) from None


class UnreachableStore:
    def get(self, name):
        raise ConnectionError("store unreachable")

    set = compare_and_set = get


# Gate 1: per-key allow


@check("per-key", "a key gets exactly `limit` requests at once, then is refused")
def limit_then_refuse(solution):
    limiter = solution.RateLimiter(limit=4, window=8, clock=FakeClock())
    results = [limiter.allow("alice") for _ in range(6)]
    assert results == [True, True, True, True, False, False], (
        f"limit=4: six requests at once gave {results}, expected four True then False"
    )


@check("per-key", "each key has its own allowance, and a new key starts with the full one")
def keys_are_separate(solution):
    limiter = solution.RateLimiter(limit=3, window=8, clock=FakeClock())
    assert allowed(limiter, "alice", 5) == 3, "alice should get 3 of 5 requests with limit=3"
    assert allowed(limiter, "bob", 5) == 3, "bob's allowance should not be touched by alice's requests"
    assert allowed(limiter, "carol", 1) == 1, "a key never seen before should be allowed"


@check("per-key", "the allowance comes back once a full window has passed, and not just after the burst")
def allowance_returns(solution):
    clock = FakeClock()
    limiter = solution.RateLimiter(limit=4, window=8, clock=clock)
    assert allowed(limiter, "k", 4) == 4, "the first 4 requests should be allowed"
    clock.at(0.5)
    assert not limiter.allow("k"), "half a second after using the whole limit, a request should be refused"
    clock.at(8)
    got = allowed(limiter, "k", 6)
    assert got == 4, f"a full window (8 s) after the first requests, {got} of 6 were allowed, expected 4"


@check("per-key", "refused requests don't use up the allowance")
def refusals_are_free(solution):
    clock = FakeClock()
    limiter = solution.RateLimiter(limit=4, window=8, clock=clock)
    allowed(limiter, "k", 4)
    clock.at(1)
    assert allowed(limiter, "k", 5) == 0, "1 s after using the whole limit, requests should be refused"
    clock.at(8)
    got = allowed(limiter, "k", 6)
    assert got == 4, (
        f"8 s after the allowed requests, {got} of 6 were allowed, expected 4: "
        "the refused requests at 1 s must not count against the key"
    )


# Gate 2: bursts and a long-run average


@check("choose-algorithm", "with burst=B a fresh key can send B requests at once, then is refused")
def burst_at_once(solution):
    limiter = solution.RateLimiter(limit=4, window=8, burst=10, clock=FakeClock())
    got = allowed(limiter, "k", 12)
    assert got == 10, f"burst=10: {got} of 12 requests at once were allowed, expected 10"


@check("choose-algorithm", "no double burst at a window's edge: never more than the burst in a short span")
def no_double_burst(solution):
    clock = FakeClock()
    limiter = solution.RateLimiter(limit=4, window=8, clock=clock)
    limiter.allow("k")
    clock.at(7.5)
    before_edge = allowed(limiter, "k", 10)
    clock.at(8)
    after_edge = allowed(limiter, "k", 10)
    assert before_edge + after_edge <= 4, (
        f"limit=4 per 8 s (burst 4): {before_edge} requests got through at 7.5 s and {after_edge} more at 8 s, "
        f"{before_edge + after_edge} in half a second: at most 4.25 (the burst plus half a second of refill)"
    )


@check("choose-algorithm", "over 200 s of steady pressure the average holds, and no short span beats the burst")
def long_run_average(solution):
    clock = FakeClock()
    limiter = solution.RateLimiter(limit=4, window=8, burst=6, clock=clock)  # 0.5 per second, bursts of 6
    passed: list[float] = []
    for tick in range(800):
        clock.at(tick * 0.25)
        passed.extend(clock.now - START for _ in range(5) if limiter.allow("k"))
    assert 99 <= len(passed) <= 107, (
        f"at 0.5 requests per second with bursts of 6, {len(passed)} requests got through in 200 s, "
        "expected between 99 and 107 (100 from the rate, up to 6 more from the burst)"
    )
    for i, start in enumerate(passed):
        j = i
        while j < len(passed) and passed[j] - start <= 4:
            j += 1
        span = passed[j - 1] - start
        assert j - i <= 6 + 0.5 * span + 1e-9, (
            f"{j - i} requests got through between {start:g} s and {passed[j - 1]:g} s: "
            f"at most {6 + 0.5 * span:g} (the burst plus the refill over that span)"
        )


# Gate 3: a global limit on top, bounded memory


@check("layered-limits", "the global limit caps all keys together")
def global_limit_caps_everyone(solution):
    clock = FakeClock()
    limiter = solution.RateLimiter(limit=2, window=8, global_limit=5, clock=clock)
    results = [limiter.allow(f"user{i}") for i in range(10)]
    assert results == [True] * 5 + [False] * 5, (
        f"global_limit=5: ten different keys at once gave {results}, expected five True then False"
    )
    clock.at(8)
    assert allowed(limiter, "user9", 1) == 1, "a full window later the global limit should allow requests again"


@check("layered-limits", "a request the key's own limit refuses uses up none of the global limit")
def key_refusal_spends_no_global(solution):
    limiter = solution.RateLimiter(limit=2, window=8, global_limit=4, clock=FakeClock())
    assert allowed(limiter, "a", 5) == 2, "key a should get 2 of 5 requests with limit=2"
    got = allowed(limiter, "b", 1) + allowed(limiter, "c", 1)
    assert got == 2, (
        f"after a used 2 of the global 4 (its 3 refusals should cost nothing), b and c got {got} of 2 requests"
    )


@check("layered-limits", "a request the global limit refuses uses up none of the key's own limit")
def global_refusal_spends_no_key(solution):
    clock = FakeClock()
    limiter = solution.RateLimiter(limit=2, window=8, global_limit=4, clock=clock)
    for key in ("a", "a", "b", "b"):
        limiter.allow(key)  # the global limit is now used up
    clock.at(1)
    assert allowed(limiter, "c", 3) == 0, "with the global limit used up, c's requests should be refused"
    clock.at(8)
    got = allowed(limiter, "c", 3)
    assert got == 2, (
        f"a full window later c got {got} of 3 requests, expected 2 (its own limit): "
        "the requests the global limit refused at 1 s must not have used c's allowance"
    )


@check("layered-limits", "state is held for at most max_keys keys, and len(limiter) says how many")
def memory_is_bounded(solution):
    clock = FakeClock()
    limiter = solution.RateLimiter(limit=5, window=8, max_keys=50, clock=clock)
    for i in range(2000):
        clock.at(i * 0.01)
        assert limiter.allow(f"visitor{i}"), f"a first request from a new key (visitor{i}) was refused"
        if i % 100 == 99:
            assert 0 < len(limiter) <= 50, f"after {i + 1} distinct keys len(limiter) is {len(limiter)}, at most 50"


@check("layered-limits", "when a key must be dropped, it's the one idle longest, not a busy one")
def drops_idle_key(solution):
    clock = FakeClock()
    limiter = solution.RateLimiter(limit=2, window=8, max_keys=3, clock=clock)
    assert allowed(limiter, "hot", 3) == 2, "hot should get 2 of 3 requests with limit=2"
    clock.at(0.1)
    limiter.allow("k1")
    limiter.allow("k2")
    clock.at(0.2)
    assert not limiter.allow("hot"), "hot has used its limit and should be refused"
    clock.at(0.3)
    limiter.allow("k3")  # room is needed: k1 has been idle longest
    clock.at(0.4)
    assert not limiter.allow("hot"), (
        "hot was allowed again 0.4 s after using its limit: a newer key pushed out its state, but the key "
        "idle longest was k1"
    )
    assert len(limiter) <= 3, f"len(limiter) is {len(limiter)} with max_keys=3"


# Gate 4: limits across machines


@check("distributed", "three machines sharing a store allow a key its limit once between them, not once each")
def limit_holds_across_machines(solution):
    clock, store = FakeClock(), SharedStore()
    machines = [solution.RateLimiter(limit=4, window=8, store=store, clock=clock) for _ in range(3)]
    results = [machines[i % 3].allow("k") for i in range(12)]
    assert results.count(True) == 4, (
        f"limit=4 across 3 machines sharing a store: {results.count(True)} of 12 requests were allowed, expected 4"
    )
    assert all(m.allow("other") for m in machines[:3]), "another key should be unaffected"
    clock.at(8)
    results = [machines[i % 3].allow("k") for i in range(12)]
    assert results.count(True) == 4, (
        f"a full window later {results.count(True)} of 12 requests across the machines were allowed, expected 4"
    )


@check("distributed", "a machine started later sees what the others already used")
def late_machine_sees_shared_state(solution):
    clock, store = FakeClock(), SharedStore()
    first = solution.RateLimiter(limit=3, window=8, store=store, clock=clock)
    assert allowed(first, "k", 3) == 3, "the first machine should allow the key's 3 requests"
    late = solution.RateLimiter(limit=3, window=8, store=store, clock=clock)
    assert not late.allow("k"), "a machine started afterwards allowed a request the key had no allowance left for"


@check("distributed", "machines checking the same key at the same moment never let more than the limit through")
def concurrent_machines(solution):
    clock, store = FakeClock(), SharedStore(meet_first_reads=True)
    limit, threads = 10, 6
    counts = [0] * threads
    errors: list[BaseException] = []

    def machine(i):
        limiter = solution.RateLimiter(limit=limit, window=8, store=store, clock=clock)

        def run():
            try:
                for _ in range(8):
                    counts[i] += bool(limiter.allow("shared"))
            except BaseException as error:  # noqa: BLE001 - reported to the candidate below
                errors.append(error)
        return threading.Thread(target=run, daemon=True)

    workers = [machine(i) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    assert not any(w.is_alive() for w in workers), "machines were still checking after 10 s"
    if errors:
        raise AssertionError(f"allow raised {type(errors[0]).__name__}: {errors[0]}")
    assert sum(counts) == limit, (
        f"{threads} machines sent 8 requests each for one key at the same moment and {sum(counts)} were allowed, "
        f"expected exactly {limit}: two machines read the same state and both wrote back a taken token"
    )


@check("distributed", "when the store is unreachable, allow still answers True or False instead of raising")
def store_outage(solution):
    limiter = solution.RateLimiter(limit=3, window=8, store=UnreachableStore(), clock=FakeClock())
    try:
        answers = [limiter.allow("k") for _ in range(5)]
    except Exception as error:  # noqa: BLE001 - the point of the check
        raise AssertionError(f"allow raised {type(error).__name__}: {error} when the store was down") from None
    assert all(isinstance(a, bool) for a in answers), f"allow returned {answers}, expected True or False each time"
