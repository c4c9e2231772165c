"""Hidden checks for the coding round's event de-duplicator (`Deduper`).

Time is a fake clock the checks move by hand. The concurrency check hands the de-duplicator
event ids whose hashing pauses briefly, so a check-then-record sequence without a lock really
does interleave between threads every run, rather than only when the scheduler happens to
switch at the wrong moment.
"""

from __future__ import annotations

import threading
import time

from interviewer.workbench.check_tools import FakeClock, run_threads
from interviewer.workbench.spec import check


class SlowId:
    """An event id whose hash yields to other threads, so unlocked check-then-record code races."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __hash__(self) -> int:
        time.sleep(0.0002)
        return hash(self.n)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SlowId) and other.n == self.n


# Gate 1: first sighting within a window


@check("dedupe", "first_seen is True for a new id and False for a repeat inside the window")
def repeat_inside_window(solution):
    clock = FakeClock()
    dedup = solution.Deduper(60, clock=clock)
    assert dedup.first_seen("evt-1") is True, "the first sighting of an id should return True"
    assert dedup.first_seen("evt-2") is True, "a different id is new too"
    clock.advance(59.9)
    assert dedup.first_seen("evt-1") is False, "a repeat 59.9 s into a 60 s window should return False"


@check("dedupe", "the window runs from the first sighting; a repeat does not extend it")
def window_from_first_sighting(solution):
    clock = FakeClock()
    dedup = solution.Deduper(10, clock=clock)
    assert dedup.first_seen("a") is True
    clock.advance(6)
    assert dedup.first_seen("a") is False, "a repeat 6 s into a 10 s window should return False"
    clock.advance(4)
    assert dedup.first_seen("a") is True, (
        "10 s after the first sighting the id counts as new again: the repeat at 6 s must not extend the window")
    clock.advance(9)
    assert dedup.first_seen("a") is False, "the new sighting at 10 s starts a new window, so 19 s is inside it"


# Gate 2: memory bounded by the window


@check("bounded", "len() counts only ids still inside their window")
def expired_ids_are_forgotten(solution):
    clock = FakeClock()
    dedup = solution.Deduper(5, clock=clock)
    for n in range(1000):
        dedup.first_seen(f"old-{n}")
    assert len(dedup) == 1000, f"len() after 1,000 new ids should be 1000, got {len(dedup)}"
    clock.advance(5)
    dedup.first_seen("fresh")
    assert len(dedup) == 1, (
        f"after the window passed and one more call, only 'fresh' should be remembered; len() is {len(dedup)}")


@check("bounded", "a steady stream keeps each call cheap: no scan of every remembered id per call")
def steady_stream_is_cheap(solution):
    clock = FakeClock()
    dedup = solution.Deduper(4.0, clock=clock)
    started = time.perf_counter()
    for n in range(40_000):
        clock.advance(0.001)
        assert dedup.first_seen(n) is True, f"id {n} was never seen before but first_seen returned False"
    took = time.perf_counter() - started
    assert len(dedup) <= 4_001, f"with a 4 s window and an id every 1 ms, len() should stay near 4,000, got {len(dedup)}"
    assert took < 2.0, f"40,000 calls took {took:.1f} s: forgetting old ids should cost O(1) amortized per call"


# Gate 3: concurrent callers


@check("concurrent", "with many threads, each id is first_seen True exactly once")
def one_winner_per_id(solution):
    dedup = solution.Deduper(60, clock=FakeClock())
    ids = [SlowId(n) for n in range(40)]
    wins = []
    wins_lock = threading.Lock()

    def worker():
        mine = sum(1 for event_id in ids if dedup.first_seen(event_id))
        with wins_lock:
            wins.append(mine)

    run_threads([worker] * 6)
    assert sum(wins) == len(ids), (
        f"6 threads saw 40 ids; exactly 40 calls should return True, got {sum(wins)}: "
        "checking and recording an id must happen as one step")
    assert len(dedup) == len(ids), f"len() should be 40 after the threads finish, got {len(dedup)}"


# Gate 4: a hard cap on memory


@check("capacity", "with max_ids, the oldest remembered id is forgotten first and counted in forgotten_early")
def cap_forgets_oldest(solution):
    clock = FakeClock()
    dedup = solution.Deduper(100, clock=clock, max_ids=3)
    for event_id in "abcd":
        assert dedup.first_seen(event_id) is True
        clock.advance(1)
    assert len(dedup) == 3, f"max_ids=3 should cap len() at 3, got {len(dedup)}"
    assert dedup.forgotten_early == 1, f"'a' was forgotten before its window ended; forgotten_early is {dedup.forgotten_early}"
    assert dedup.first_seen("d") is False, "'d' is still remembered"
    assert dedup.first_seen("a") is True, "'a' was forgotten to make room, so it counts as new"
    assert dedup.forgotten_early == 2, "remembering 'a' again should forget 'b', the oldest, early"
    assert dedup.first_seen("c") is False, "'c' should still be remembered"


@check("capacity", "ids that expire on their own are not counted as forgotten early")
def expiry_is_not_early(solution):
    clock = FakeClock()
    dedup = solution.Deduper(10, clock=clock, max_ids=2)
    dedup.first_seen("x")
    dedup.first_seen("y")
    clock.advance(10)
    dedup.first_seen("z")
    assert dedup.forgotten_early == 0, (
        f"'x' and 'y' reached the end of their window before 'z' arrived; forgotten_early is {dedup.forgotten_early}")
    assert len(dedup) == 1, f"only 'z' should be remembered, len() is {len(dedup)}"
    unlimited = solution.Deduper(10, clock=clock)
    assert unlimited.forgotten_early == 0, "without max_ids nothing is ever forgotten early"
