"""Hidden checks for the coding round's paginated merge (`merge`).

Each source is a fake paginated API: fetch(cursor) returns (items, next_cursor) with opaque string
cursors, and records every call, so the checks can tell how many pages were fetched and when. Failures
are scripted per cursor, and the retry wait goes through a sleep function the checks record instead
of sleeping.
"""

from __future__ import annotations

import itertools
import tracemalloc

from interviewer.workbench.spec import check


class Source:
    """A paginated API over `items` (a list, or a function from page number to that page's items)."""

    def __init__(self, items=None, page=3, pages=None, make_page=None, failures=None, error=ConnectionError):
        self.items = items or []
        self.page = page
        self.pages = pages if pages is not None else max(1, -(-len(self.items) // page))
        self.make_page = make_page
        self.failures = dict(failures or {})  # page number -> how many more calls fail
        self.error = error
        self.calls = []

    def __call__(self, cursor):
        number = 0 if cursor is None else int(str(cursor).split(":")[1])
        self.calls.append(number)
        if self.failures.get(number, 0) > 0:
            self.failures[number] -= 1
            raise self.error(f"page {number} timed out")
        if self.make_page is not None:
            items = self.make_page(number)
        else:
            items = self.items[number * self.page:(number + 1) * self.page]
        following = f"page:{number + 1}:{id(self) % 997}" if number + 1 < self.pages else None
        return list(items), following


def item(item_id, ts):
    return {"id": item_id, "ts": ts, "body": f"payload of {item_id}"}


def ids(items):
    return [entry["id"] for entry in items]


def _merge(solution, sources, **options):
    return list(solution.merge(sources, **options))


# Gate 1: merge in order


@check("merge", "items from every source come out in ascending ts, across page boundaries and empty pages")
def merges_in_order(solution):
    a = Source([item("a1", 1), item("a2", 4), item("a3", 9), item("a4", 12)], page=2)
    b = Source([item("b1", 2), item("b2", 3), item("b3", 10)], page=1)
    c = Source([], pages=1)
    d = Source(make_page=lambda n: [] if n == 0 else [item("d1", 5), item("d2", 11)], pages=2)
    got = ids(_merge(solution, [a, b, c, d]))
    assert got == ["a1", "b1", "b2", "a2", "d1", "a3", "b3", "d2", "a4"], (
        f"merged ids should follow ts order; got {got} (source d's first page is empty but has a next cursor)")
    assert a.calls == [0, 1], f"a source should be read page by page from None onwards; source a saw pages {a.calls}"


@check("merge", "equal ts: an earlier source comes first, and one source keeps its own order")
def ties_are_stable(solution):
    first = Source([item("x", 5), item("y", 5), item("z", 7)], page=2)
    second = Source([item("p", 5), item("q", 7)], page=1)
    got = ids(_merge(solution, [first, second]))
    assert got == ["x", "y", "p", "z", "q"], (
        f"with equal ts, the first source's items come before the second's, each in its own order; got {got}")
    assert ids(_merge(solution, [])) == [], "no sources means an empty result"


# Gate 2: duplicates by id


@check("dedupe", "an id seen in several sources, or twice across one source's page boundary, comes out once")
def duplicates_dropped(solution):
    a = Source([item("e1", 1), item("e2", 3), item("e3", 3), item("e5", 8)], page=2)
    b = Source([item("e2", 3), item("e4", 6), item("e4", 6), item("e5", 8)], page=2)
    got = _merge(solution, [a, b])
    assert ids(got) == ["e1", "e2", "e3", "e4", "e5"], f"each id should appear once, in ts order; got {ids(got)}"
    assert all(entry["body"] == f"payload of {entry['id']}" for entry in got), "items should come out whole"


@check("dedupe", "different ids that share a ts are all kept")
def same_ts_different_ids(solution):
    a = Source([item(f"t{n}", 10) for n in range(5)], page=2)
    b = Source([item("t2", 10), item("u", 10)], page=1)
    got = ids(_merge(solution, [a, b]))
    assert got == ["t0", "t1", "t2", "t3", "t4", "u"], f"only the repeated id t2 should be dropped; got {got}"


# Gate 3: failed fetches


def _source_unavailable(solution):
    error = getattr(solution, "SourceUnavailable", None)
    assert isinstance(error, type) and issubclass(error, Exception), "define SourceUnavailable, an Exception subclass"
    return error


@check("retries", "a ConnectionError is retried with the same cursor after sleep(0.1), then sleep(0.2)")
def transient_failure_retried(solution):
    waits = []
    a = Source([item(f"a{n}", n) for n in range(6)], page=2, failures={1: 2})
    b = Source([item("b0", 2.5)], page=1)
    got = ids(_merge(solution, [a, b], retries=2, sleep=waits.append))
    assert got == ["a0", "a1", "a2", "b0", "a3", "a4", "a5"], f"after the retries the result is complete; got {got}"
    assert waits == [0.1, 0.2], f"two failures should wait 0.1 s and then 0.2 s; sleep was called with {waits}"
    assert a.calls == [0, 1, 1, 1, 2], (
        f"page 1 failed twice and then worked; pages fetched should be [0, 1, 1, 1, 2], got {a.calls}: "
        "retry the failed page, never start the source over")


@check("retries", "a source that keeps failing raises SourceUnavailable naming its index, after retries+1 tries")
def permanent_failure_reported(solution):
    unavailable = _source_unavailable(solution)
    waits = []
    good = Source([item("g", 1)], page=1)
    bad = Source([item("b", 2), item("c", 3)], page=1, failures={1: 99})
    try:
        _merge(solution, [good, bad], retries=3, sleep=waits.append)
    except unavailable as error:
        assert getattr(error, "source", None) == 1, f"SourceUnavailable.source should be 1, got {getattr(error, 'source', None)!r}"
    else:
        raise AssertionError("source 1 fails on every try, but merge finished without raising SourceUnavailable")
    assert bad.calls.count(1) == 4, f"retries=3 means 4 tries of the failing page, got {bad.calls.count(1)}"
    assert waits == [0.1, 0.2, 0.4], f"the waits should double from 0.1 s: {waits}"


@check("retries", "retries=0 means one try, and errors other than ConnectionError are not retried")
def only_connection_errors_retried(solution):
    unavailable = _source_unavailable(solution)
    waits = []
    flaky = Source([item("f", 1)], page=1, failures={0: 1})
    try:
        _merge(solution, [flaky], retries=0, sleep=waits.append)
    except unavailable:
        pass
    else:
        raise AssertionError("with retries=0 a failed fetch should raise SourceUnavailable at once")
    assert waits == [] and flaky.calls == [0], f"retries=0: one call and no sleep, got calls {flaky.calls}, sleeps {waits}"
    broken = Source([item("k", 1)], page=1, failures={0: 1}, error=KeyError)
    try:
        _merge(solution, [broken], retries=5, sleep=waits.append)
    except KeyError:
        pass
    except Exception as error:  # noqa: BLE001 - tell the candidate what came out instead
        raise AssertionError(f"a KeyError is a bug, not a network failure: let it propagate, got {type(error).__name__}")
    else:
        raise AssertionError("a fetch that raises KeyError should not be swallowed")
    assert broken.calls == [0] and waits == [], "a KeyError should not be retried"


# Gate 4: lazy, bounded memory


@check("lazy", "merge returns an iterator that fetches a source's next page only when its items run out")
def fetches_lazily(solution):
    sources = [Source(make_page=lambda n, s=s: [item(f"s{s}-{n}-{i}", (n * 10 + i) * 4 + s) for i in range(10)],
                      pages=1000) for s in range(4)]
    merged = solution.merge(sources, retries=0, sleep=lambda seconds: None)
    assert iter(merged) is merged, "merge should return an iterator (a generator is fine), not a list"
    first = ids(itertools.islice(merged, 3))
    assert first == ["s0-0-0", "s1-0-0", "s2-0-0"], f"the first three items are each source's first; got {first}"
    calls = [len(source.calls) for source in sources]
    assert calls == [1, 1, 1, 1], f"three items need only each source's first page; pages fetched per source: {calls}"
    more = ids(itertools.islice(merged, 40))
    calls = [len(source.calls) for source in sources]
    assert more[-1] == "s2-1-0" and calls == [2, 2, 2, 2], (
        f"after 43 items every source has needed its second page and none its third; pages fetched per source: {calls}")


@check("lazy", "merging 60,000 items holds about one page per source, not every id seen")
def memory_stays_bounded(solution):
    def maker(s):
        return lambda n: [{"id": f"item-{s}-{n}-{i:04d}-" + "x" * 20, "ts": (n * 200 + i) * 3 + s} for i in range(200)]

    sources = [Source(make_page=maker(s), pages=100) for s in range(3)]
    count = 0
    tracemalloc.start()
    try:
        for _ in solution.merge(sources, retries=0, sleep=lambda seconds: None):
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 60_000, f"all 60,000 distinct items should come out, got {count}"
    assert peak < 2_000_000, (
        f"peak memory was {peak / 1e6:.1f} MB for 60,000 items: keep one page per source, and remember only "
        "the ids that can still repeat (a repeat always carries the same ts)")
