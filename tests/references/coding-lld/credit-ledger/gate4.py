"""Credit ledger, gate 4: grants that belong to a team, drawn before the shared pool.

Only the drawing policy changed. Each pool (a team's own grants, or the shared ones under None) has its
own min-heap on expiry, and a spend draws from the pools its team may use, in order: its own, then the
shared one. The replay, the refusal of a spend that would uncover another, and late arrivals all work
as before. A balance is what a spend by the same caller could draw at that moment.
"""

import heapq
import itertools


class InsufficientCredits(ValueError):
    pass


class Grant:
    def __init__(self, grant_id, amount, start, expires, seq, team):
        if amount <= 0:
            raise ValueError(f"grant {grant_id!r}: amount must be positive, got {amount!r}")
        if expires <= start:
            raise ValueError(f"grant {grant_id!r}: expires ({expires!r}) must be after start ({start!r})")
        self.id = grant_id
        self.amount = amount
        self.start = start
        self.expires = expires
        self.seq = seq
        self.team = team

    def active_at(self, at):
        return self.start <= at < self.expires


def pools_for(team):
    """The pools a caller draws on, in order: its own grants first, then the shared ones."""
    return (None,) if team is None else (team, None)


class CreditLedger:
    def __init__(self):
        self._grants = {}
        self._spends = []  # (at, arrival, amount, team)
        self._arrivals = itertools.count()

    def grant(self, grant_id, amount, start, expires, team=None):
        if grant_id in self._grants:
            raise ValueError(f"grant {grant_id!r} already exists")
        self._grants[grant_id] = Grant(grant_id, amount, start, expires, next(self._arrivals), team)

    def spend(self, amount, at, team=None):
        if amount <= 0:
            raise ValueError(f"spend amount must be positive, got {amount!r}")
        spends = self._spends + [(at, next(self._arrivals), amount, team)]
        if self._replay(spends) is None:
            raise InsufficientCredits(f"spending {amount} at {at} would leave a recorded spend uncovered")
        self._spends = spends

    def balance(self, at, team=None):
        left = self._replay([s for s in self._spends if s[0] <= at])
        pools = pools_for(team)
        return sum(left[g.id] for g in self._grants.values() if g.team in pools and g.active_at(at))

    def _replay(self, spends):
        """Credit left in each grant after `spends`, taken in time order, or None if one is not covered."""
        grants = sorted(self._grants.values(), key=lambda g: g.start)
        left = {g.id: g.amount for g in grants}
        started, heaps = 0, {}
        for at, _, amount, team in sorted(spends, key=lambda s: s[:2]):
            while started < len(grants) and grants[started].start <= at:
                g = grants[started]
                heapq.heappush(heaps.setdefault(g.team, []), (g.expires, g.seq, g.id))
                started += 1
            for pool in pools_for(team):
                heap = heaps.get(pool, [])
                while amount:
                    while heap and (heap[0][0] <= at or left[heap[0][2]] == 0):
                        heapq.heappop(heap)
                    if not heap:
                        break
                    grant_id = heap[0][2]
                    take = min(amount, left[grant_id])
                    left[grant_id] -= take
                    amount -= take
            if amount:
                return None
        return left
