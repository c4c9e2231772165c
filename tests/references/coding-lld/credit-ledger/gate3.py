"""Credit ledger, gate 3: calls may arrive late, out of time order.

The ledger now stores facts, not results: the grants, and each spend with its time and arrival order.
Any answer comes from replaying the spends in time order (at the same moment, in the order they
arrived) against the grants started by then, drawing from a min-heap on expiry. A new spend is
recorded only if the replay with it still covers every spend; a new grant can only add credit, and
earliest-expiry-first never leaves a spend uncovered that some other assignment could cover, so a
grant is never refused for that.
"""

import heapq
import itertools


class InsufficientCredits(ValueError):
    pass


class Grant:
    def __init__(self, grant_id, amount, start, expires, seq):
        if amount <= 0:
            raise ValueError(f"grant {grant_id!r}: amount must be positive, got {amount!r}")
        if expires <= start:
            raise ValueError(f"grant {grant_id!r}: expires ({expires!r}) must be after start ({start!r})")
        self.id = grant_id
        self.amount = amount
        self.start = start
        self.expires = expires
        self.seq = seq

    def active_at(self, at):
        return self.start <= at < self.expires


class CreditLedger:
    def __init__(self):
        self._grants = {}
        self._spends = []  # (at, arrival, amount)
        self._arrivals = itertools.count()

    def grant(self, grant_id, amount, start, expires):
        if grant_id in self._grants:
            raise ValueError(f"grant {grant_id!r} already exists")
        self._grants[grant_id] = Grant(grant_id, amount, start, expires, next(self._arrivals))

    def spend(self, amount, at):
        if amount <= 0:
            raise ValueError(f"spend amount must be positive, got {amount!r}")
        spends = self._spends + [(at, next(self._arrivals), amount)]
        if self._replay(spends) is None:
            raise InsufficientCredits(f"spending {amount} at {at} would leave a recorded spend uncovered")
        self._spends = spends

    def balance(self, at):
        left = self._replay([s for s in self._spends if s[0] <= at])
        return sum(left[g.id] for g in self._grants.values() if g.active_at(at))

    def _replay(self, spends):
        """Credit left in each grant after `spends`, taken in time order, or None if one is not covered."""
        grants = sorted(self._grants.values(), key=lambda g: g.start)
        left = {g.id: g.amount for g in grants}
        started, heap = 0, []
        for at, _, amount in sorted(spends):
            while started < len(grants) and grants[started].start <= at:
                g = grants[started]
                heapq.heappush(heap, (g.expires, g.seq, g.id))
                started += 1
            while amount:
                while heap and (heap[0][0] <= at or left[heap[0][2]] == 0):
                    heapq.heappop(heap)
                if not heap:
                    return None
                grant_id = heap[0][2]
                take = min(amount, left[grant_id])
                left[grant_id] -= take
                amount -= take
        return left
