"""Credit ledger, gate 2: spending, drawn from the grant that expires first.

Calls arrive in time order, so a spend can be settled the moment it is made: each grant keeps a list
of what was taken from it and when, which is all a balance at any earlier or later moment needs. A
spend first checks that the active grants cover it, then takes, so a refused spend leaves no trace.
"""


class InsufficientCredits(ValueError):
    pass


class Grant:
    def __init__(self, grant_id, amount, start, expires):
        if amount <= 0:
            raise ValueError(f"grant {grant_id!r}: amount must be positive, got {amount!r}")
        if expires <= start:
            raise ValueError(f"grant {grant_id!r}: expires ({expires!r}) must be after start ({start!r})")
        self.id = grant_id
        self.amount = amount
        self.start = start
        self.expires = expires
        self.taken = []  # (at, amount) for each draw on this grant

    def active_at(self, at):
        return self.start <= at < self.expires

    def left_at(self, at):
        return self.amount - sum(amount for when, amount in self.taken if when <= at)


class CreditLedger:
    def __init__(self):
        self._grants = {}

    def grant(self, grant_id, amount, start, expires):
        if grant_id in self._grants:
            raise ValueError(f"grant {grant_id!r} already exists")
        self._grants[grant_id] = Grant(grant_id, amount, start, expires)

    def spend(self, amount, at):
        if amount <= 0:
            raise ValueError(f"spend amount must be positive, got {amount!r}")
        usable = sorted((g for g in self._grants.values() if g.active_at(at) and g.left_at(at) > 0),
                        key=lambda g: g.expires)
        if sum(g.left_at(at) for g in usable) < amount:
            raise InsufficientCredits(f"spending {amount} at {at} needs more than the {self.balance(at)} available")
        for g in usable:
            take = min(amount, g.left_at(at))
            g.taken.append((at, take))
            amount -= take
            if amount == 0:
                break

    def balance(self, at):
        return sum(g.left_at(at) for g in self._grants.values() if g.active_at(at))
