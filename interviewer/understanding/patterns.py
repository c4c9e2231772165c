"""Building word patterns for the lexicons."""

from __future__ import annotations

import re


def words(*items: str) -> re.Pattern[str]:
    """A pattern matching any of the phrases, each anchored at a word start. Phrases are
    prefixes ("idempoten" matches "idempotent"); one ending in "$" must end a word."""

    def one(item: str) -> str:
        whole = item.endswith("$")
        body = re.escape(item.rstrip("$")).replace(r"\ ", r"\s+")
        return body + r"(?![a-z])" if whole else body

    body = "|".join(one(i) for i in sorted(items, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{body})")
