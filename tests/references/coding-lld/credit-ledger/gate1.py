"""Credit ledger, gate 1: grants that are valid from a start time until they expire, and the balance
at any moment.

A Grant holds its own facts and answers whether it is active at a moment; the ledger owns the set of
grants and refuses a bad one before storing anything. The balance is a sum over the active grants, so
the order grants arrive in does not matter.
"""


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

    def active_at(self, at):
        return self.start <= at < self.expires


class CreditLedger:
    def __init__(self):
        self._grants = {}

    def grant(self, grant_id, amount, start, expires):
        if grant_id in self._grants:
            raise ValueError(f"grant {grant_id!r} already exists")
        self._grants[grant_id] = Grant(grant_id, amount, start, expires)

    def balance(self, at):
        return sum(g.amount for g in self._grants.values() if g.active_at(at))
