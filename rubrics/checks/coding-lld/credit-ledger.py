"""Hidden checks for the low-level design round's usage-credit ledger (`CreditLedger`).

Which grant a spend drew from is never asked directly; it shows in a later balance, once the grant it
should have drawn from has expired and the other has not. Times and amounts are whole numbers, so every
expected balance can be worked out by hand.
"""

from __future__ import annotations

from interviewer.workbench.spec import check


def _insufficient(solution):
    error = getattr(solution, "InsufficientCredits", None)
    assert isinstance(error, type) and issubclass(error, ValueError), (
        "define InsufficientCredits as a subclass of ValueError in your module")
    return error


def _refused(call, error, what):
    try:
        call()
    except error:
        return
    raise AssertionError(f"{what} should raise {error.__name__}, but it went through")


def _balances(ledger, times, **team):
    return {t: ledger.balance(t, **team) for t in times}


# Gate 1: grants and the balance


@check("grants", "a grant counts from its start up to, not including, its expiry")
def grant_window(solution):
    ledger = solution.CreditLedger()
    ledger.grant("g1", 10, start=5, expires=15)
    got = _balances(ledger, (4, 5, 14, 15))
    assert got == {4: 0, 5: 10, 14: 10, 15: 0}, (
        f"a grant of 10 from 5 to 15 gives balances 0, 10, 10, 0 at times 4, 5, 14, 15; got {got}")


@check("grants", "overlapping grants add up, whatever order they arrive in")
def grants_add_up(solution):
    ledger = solution.CreditLedger()
    ledger.grant("late", 7, start=50, expires=80)
    ledger.grant("early", 20, start=0, expires=60)
    ledger.grant("middle", 5, start=10, expires=20)
    got = _balances(ledger, (0, 10, 20, 55, 60, 80))
    want = {0: 20, 10: 25, 20: 20, 55: 27, 60: 7, 80: 0}
    assert got == want, f"expected balances {want}, got {got}"


@check("grants", "a repeated id, an amount that isn't positive or an empty window raises ValueError")
def bad_grants_are_refused(solution):
    ledger = solution.CreditLedger()
    ledger.grant("g1", 10, start=0, expires=100)
    for args, what in ((("g1", 5, 0, 100), "a second grant with id 'g1'"), (("g2", 0, 0, 100), "an amount of 0"),
                       (("g3", -5, 0, 100), "a negative amount"), (("g4", 5, 50, 50), "expires equal to start")):
        try:
            ledger.grant(*args)
        except ValueError:
            pass
        else:
            raise AssertionError(f"grant{args} should raise ValueError: {what}")
    assert ledger.balance(50) == 10, f"refused grants must not count: balance(50) should be 10, got {ledger.balance(50)}"


# Gate 2: spending, earliest expiry first


@check("spending", "a spend draws from the grant that expires first")
def earliest_expiry_first(solution):
    ledger = solution.CreditLedger()
    ledger.grant("long", 10, start=0, expires=100)
    ledger.grant("short", 10, start=0, expires=10)
    ledger.spend(6, at=2)
    got = _balances(ledger, (1, 2, 9, 10, 50))
    want = {1: 20, 2: 14, 9: 14, 10: 10, 50: 10}
    assert got == want, (
        f"spending 6 at time 2 draws on 'short' (expires at 10) before 'long', so once 'short' expires "
        f"'long' still holds all 10; expected {want}, got {got}")
    ledger.spend(8, at=5)
    got = _balances(ledger, (5, 50))
    assert got == {5: 6, 50: 6}, f"8 more at time 5 empties 'short' (4 left) and takes 4 from 'long'; got {got}"


@check("spending", "a spend the active grants can't cover raises InsufficientCredits and changes nothing")
def all_or_nothing(solution):
    error = _insufficient(solution)
    ledger = solution.CreditLedger()
    ledger.grant("now", 10, start=0, expires=20)
    ledger.grant("later", 50, start=30, expires=40)
    ledger.grant("gone", 50, start=0, expires=5)
    ledger.spend(4, at=10)
    _refused(lambda: ledger.spend(7, at=10), error, "spending 7 at time 10 with 6 left")
    got = _balances(ledger, (10, 15))
    assert got == {10: 6, 15: 6}, f"a refused spend must take nothing: expected 6 at times 10 and 15, got {got}"
    ledger.spend(6, at=12)
    assert ledger.balance(19) == 0 and ledger.balance(30) == 50, (
        "grants that haven't started or have expired can't be drawn on, and the 6 left at 12 can be")


@check("spending", "a balance at any moment counts only the spends made by then")
def balances_before_and_after(solution):
    ledger = solution.CreditLedger()
    ledger.grant("a", 10, start=0, expires=100)
    ledger.grant("b", 10, start=0, expires=200)
    ledger.spend(5, at=10)
    ledger.spend(10, at=20)
    got = _balances(ledger, (5, 10, 20, 150))
    want = {5: 20, 10: 15, 20: 5, 150: 5}
    assert got == want, f"expected {want}: spends count from their own time on; got {got}"


# Gate 3: late arrivals


@check("late-events", "a late spend changes which grant later spends drew from")
def late_spend_replays(solution):
    ledger = solution.CreditLedger()
    ledger.grant("short", 10, start=0, expires=10)
    ledger.grant("long", 10, start=0, expires=100)
    ledger.spend(10, at=5)
    ledger.spend(5, at=2)
    got = _balances(ledger, (3, 5, 50))
    want = {3: 15, 5: 5, 50: 5}
    assert got == want, (
        f"in time order, 5 at time 2 and then 10 at time 5 empty 'short' and take 5 from 'long'; "
        f"expected {want}, got {got}")


@check("late-events", "a late spend that would leave a recorded spend uncovered is refused")
def late_spend_refused(solution):
    error = _insufficient(solution)
    ledger = solution.CreditLedger()
    ledger.grant("g", 10, start=0, expires=100)
    ledger.spend(8, at=10)
    _refused(lambda: ledger.spend(5, at=3), error, "spending 5 at time 3 when 8 of the 10 are spent at time 10")
    got = _balances(ledger, (5, 20))
    assert got == {5: 10, 20: 2}, f"the refused late spend must leave no trace; expected {{5: 10, 20: 2}}, got {got}"
    ledger.spend(2, at=3)
    assert ledger.balance(20) == 0, f"2 at time 3 fits beside the 8 at time 10, leaving 0; got {ledger.balance(20)}"


@check("late-events", "a late grant is drawn on by earlier-recorded spends if it expires first")
def late_grant_replays(solution):
    ledger = solution.CreditLedger()
    ledger.grant("long", 5, start=0, expires=100)
    ledger.spend(5, at=10)
    ledger.grant("short", 10, start=0, expires=20)
    got = _balances(ledger, (5, 15, 30))
    want = {5: 15, 15: 10, 30: 5}
    assert got == want, (
        f"replayed in time order, the spend at 10 draws on 'short' (expires at 20) first, leaving 'long' whole; "
        f"expected {want}, got {got}")


# Gate 4: team pools


@check("teams", "a team draws on its own grants before the shared pool, even one that expires sooner")
def own_grants_first(solution):
    ledger = solution.CreditLedger()
    ledger.grant("a-own", 10, start=0, expires=100, team="a")
    ledger.grant("shared", 10, start=0, expires=50)
    ledger.spend(5, at=1, team="a")
    got = (ledger.balance(1, team="a"), ledger.balance(1), ledger.balance(1, team="b"))
    assert got == (15, 10, 10), (
        f"after team a spends 5 from its own grant: a can draw 15, the shared pool holds 10, b can draw 10; got {got}")
    ledger.spend(12, at=2, team="a")
    got = (ledger.balance(2, team="a"), ledger.balance(2), ledger.balance(60, team="a"))
    assert got == (3, 3, 0), f"12 more takes a's last 5 and 7 shared: expected (3, 3, 0), got {got}"


@check("teams", "a spend without a team, or by another team, can't touch a team's own grants")
def team_grants_are_private(solution):
    error = _insufficient(solution)
    ledger = solution.CreditLedger()
    ledger.grant("a-own", 10, start=0, expires=100, team="a")
    ledger.grant("shared", 4, start=0, expires=100)
    _refused(lambda: ledger.spend(5, at=1), error, "spending 5 from the shared pool of 4")
    _refused(lambda: ledger.spend(5, at=1, team="b"), error, "team b spending 5 with only the shared 4 to draw on")
    ledger.spend(4, at=1, team="b")
    got = (ledger.balance(2, team="a"), ledger.balance(2, team="b"), ledger.balance(2))
    assert got == (10, 0, 0), f"b used the shared 4, a keeps its own 10: expected (10, 0, 0), got {got}"


@check("teams", "a late team spend that would starve another team's recorded spend is refused")
def late_team_spend_refused(solution):
    error = _insufficient(solution)
    ledger = solution.CreditLedger()
    ledger.grant("shared", 10, start=0, expires=100)
    ledger.grant("a-own", 3, start=0, expires=100, team="a")
    ledger.spend(8, at=10, team="b")
    _refused(lambda: ledger.spend(8, at=5, team="a"), error,
             "team a spending 8 at time 5 (3 own, 5 shared) when b's 8 at time 10 needs the shared pool")
    ledger.spend(5, at=5, team="a")
    got = (ledger.balance(20, team="a"), ledger.balance(20, team="b"))
    assert got == (0, 0), f"a takes its own 3 and 2 shared, b takes 8 shared: nothing left; got {got}"
