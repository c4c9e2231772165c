"""Hidden checks for the low-level design round's in-memory database (`Database`).

The cost checks load 50,000 keys (100,000 for snapshots) first and then repeat a cheap operation many
times, so a design that scans or copies the whole database per operation runs out of time, while one
that touches only what the operation changes finishes in a fraction of a second.
"""

from __future__ import annotations

import time

from interviewer.workbench.spec import check

BIG = 50_000


def _loaded(solution, size=BIG):
    db = solution.Database()
    for i in range(size):
        db.set(f"k{i}", i % 1000)
    return db


def _no_transaction(call, what):
    try:
        call()
    except RuntimeError:
        return
    raise AssertionError(f"{what} with no open transaction should raise RuntimeError")


def _timed(work, limit, what):
    started = time.perf_counter()
    work()
    took = time.perf_counter() - started
    assert took < limit, f"{what} took {took:.1f} s: it should cost what it touches, not the size of the database"


# Gate 1: set, get, delete and count


@check("basic", "set, get and delete work; a missing key reads None and deleting it does nothing")
def set_get_delete(solution):
    db = solution.Database()
    db.set("a", 10)
    db.set("b", "x")
    assert db.get("a") == 10 and db.get("b") == "x", f"got {db.get('a')!r} and {db.get('b')!r}"
    db.set("a", 0)
    assert db.get("a") == 0, f"set('a', 0) should replace 10 with 0, got {db.get('a')!r}"
    db.delete("a")
    db.delete("never")
    assert db.get("a") is None and db.get("never") is None, "a deleted or never-set key should read None"


@check("basic", "count(value) follows sets, overwrites and deletes")
def count_follows_changes(solution):
    db = solution.Database()
    for key, value in (("a", 10), ("b", 10), ("c", 20)):
        db.set(key, value)
    assert (db.count(10), db.count(20), db.count(99)) == (2, 1, 0), "expected counts 2, 1 and 0 for 10, 20 and 99"
    db.set("b", 20)
    db.delete("a")
    db.delete("a")
    got = (db.count(10), db.count(20))
    assert got == (0, 2), f"after b becomes 20 and a is deleted (twice), count(10) is 0 and count(20) is 2; got {got}"


@check("basic", "count is a lookup, not a scan: 20,000 counts over 50,000 keys")
def count_is_cheap(solution):
    db = _loaded(solution)
    assert db.count(7) == BIG // 1000, f"{BIG // 1000} keys hold 7, got {db.count(7)}"
    _timed(lambda: [db.count(i % 1000) for i in range(20_000)], 1.0, "20,000 calls of count()")


# Gate 2: nested transactions


@check("transactions", "rollback undoes sets and deletes made since begin, counts included")
def rollback_restores(solution):
    db = solution.Database()
    db.set("a", 1)
    db.set("b", 2)
    db.begin()
    db.set("a", 5)
    db.delete("b")
    db.set("c", 5)
    assert (db.get("a"), db.get("b"), db.count(5)) == (5, None, 2), "changes inside a transaction are visible at once"
    db.rollback()
    got = (db.get("a"), db.get("b"), db.get("c"), db.count(5), db.count(1))
    assert got == (1, 2, None, 0, 1), f"after rollback expected a=1, b=2, c missing, count(5)=0, count(1)=1; got {got}"


@check("transactions", "transactions nest: commit folds into the outer one, rollback undoes only its own")
def nested_transactions(solution):
    db = solution.Database()
    db.set("a", 1)
    db.begin()
    db.set("a", 2)
    db.begin()
    db.set("a", 3)
    db.rollback()
    assert db.get("a") == 2, f"the inner rollback undoes only a=3, leaving 2; got {db.get('a')!r}"
    db.begin()
    db.set("b", 9)
    db.commit()
    assert db.get("b") == 9, "a committed inner transaction's changes stay visible"
    db.rollback()
    assert (db.get("a"), db.get("b")) == (1, None), (
        f"rolling back the outer transaction also undoes what the inner one committed into it; got {(db.get('a'), db.get('b'))}")
    _no_transaction(db.rollback, "rollback()")
    db.begin()
    db.set("a", 4)
    db.commit()
    _no_transaction(db.commit, "commit()")
    assert db.get("a") == 4, "committing the outermost transaction makes its changes permanent"


@check("transactions", "begin and rollback cost what the transaction touched, not a copy of 50,000 keys")
def transactions_are_cheap(solution):
    db = _loaded(solution)

    def churn():
        for i in range(1_000):
            db.begin()
            db.set(f"k{i}", -1)
            db.begin()
            db.delete(f"k{i + 1}")
            db.commit()
            db.rollback()

    _timed(churn, 1.0, "1,000 rounds of begin, set, delete, commit and rollback")
    assert db.get("k5") == 5 and db.count(-1) == 0 and db.count(6) == BIG // 1000, "every round was rolled back"


# Gate 3: find by value


@check("find", "find(value) returns the set of keys holding it, and follows every change")
def find_follows_changes(solution):
    db = solution.Database()
    for key, value in (("a", "red"), ("b", "red"), ("c", "blue")):
        db.set(key, value)
    assert db.find("red") == {"a", "b"} and db.find("green") == set(), "find returns a set; empty when nothing matches"
    db.set("a", "blue")
    db.delete("c")
    assert (db.find("red"), db.find("blue")) == ({"b"}, {"a"}), f"got {db.find('red')} and {db.find('blue')}"
    found = db.find("blue")
    found.add("zzz")
    assert db.find("blue") == {"a"}, "changing the set find() returned must not change the database"


@check("find", "find is right inside transactions and after rollback and commit")
def find_with_transactions(solution):
    db = solution.Database()
    db.set("a", 1)
    db.begin()
    db.set("b", 1)
    db.begin()
    db.delete("a")
    assert db.find(1) == {"b"} and db.count(1) == 1, "inside the transactions a is gone and b holds 1"
    db.rollback()
    assert db.find(1) == {"a", "b"}, f"the inner rollback brings a back; got {db.find(1)}"
    db.commit()
    db.begin()
    db.set("a", 2)
    db.rollback()
    assert (db.find(1), db.find(2), db.count(2)) == ({"a", "b"}, set(), 0), f"got {db.find(1)} and {db.find(2)}"


@check("find", "find costs what it returns: 10,000 finds over 50,000 keys")
def find_is_cheap(solution):
    db = _loaded(solution)
    assert db.find(3) == {f"k{i}" for i in range(3, BIG, 1000)}, (
        f"find(3) should return the {BIG // 1000} keys holding 3")
    _timed(lambda: [db.find(i % 1000) for i in range(10_000)], 1.5, "10,000 calls of find()")


# Gate 4: snapshots


@check("snapshots", "a snapshot reads get and count as they were, whatever changes later")
def snapshot_is_frozen(solution):
    db = solution.Database()
    db.set("a", 1)
    db.set("b", 1)
    snap = db.snapshot()
    db.set("a", 2)
    db.delete("b")
    db.set("c", 1)
    got = (snap.get("a"), snap.get("b"), snap.get("c"), snap.count(1), snap.count(2))
    assert got == (1, 1, None, 2, 0), f"the snapshot should read a=1, b=1, c missing, count(1)=2, count(2)=0; got {got}"
    later = db.snapshot()
    db.set("a", 3)
    assert (later.get("a"), later.count(1), snap.get("a")) == (2, 1, 1), "each snapshot keeps its own moment"
    assert (db.get("a"), db.count(1)) == (3, 1), "the database itself reads its latest values"


@check("snapshots", "a snapshot taken in a transaction keeps what it saw after rollback")
def snapshot_and_transactions(solution):
    db = solution.Database()
    db.set("a", 1)
    db.begin()
    db.set("a", 5)
    snap = db.snapshot()
    db.rollback()
    assert (snap.get("a"), snap.count(5), db.get("a")) == (5, 1, 1), (
        "the snapshot read a=5 when it was taken, and rollback changes the database, not the snapshot")
    db.begin()
    before = db.snapshot()
    db.set("a", 7)
    db.commit()
    assert (before.get("a"), db.get("a")) == (1, 7), "a snapshot taken before a change never sees it"


@check("snapshots", "taking a snapshot doesn't copy: 1,000 snapshots and writes over 100,000 keys")
def snapshots_are_cheap(solution):
    db = _loaded(solution, 100_000)
    snaps = []

    def churn():
        for i in range(1_000):
            snaps.append(db.snapshot())
            db.set(f"k{i}", -1)

    _timed(churn, 1.5, "1,000 snapshots, each followed by a set")
    assert snaps[0].get("k500") == 500 and snaps[600].get("k500") == -1 and snaps[0].count(-1) == 0, (
        "each snapshot should read the database as it was when it was taken")
    assert snaps[999].count(-1) == 999, f"the last snapshot saw 999 keys set to -1, got {snaps[999].count(-1)}"
