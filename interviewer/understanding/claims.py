"""Claims with numbers and units, and the ones that contradict the problem's reference facts.

A reference fact (from the rubric) names its subject with terms that must all appear near the
claim ("70b" and "fp16"), the range a quantity about that subject must fall in (80-96 GB for an
H100's memory), and phrases that contradict it outright ("fits on one GPU"). A claim is read
clause by clause so that "an H100 has 16 GB, so a 70B model fits on one GPU" is two claims, each
about its own subject. Anything ambiguous is left alone: a wrong challenge costs the candidate's
trust more than a missed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import words

_MULTIPLIER = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9}
# Spoken numbers: "about four hours", "twenty milliseconds".
_WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_WORDS.update({"fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90,
               "hundred": 100, "a hundred": 100, "a few": 3, "half an": 0.5, "half a": 0.5, "a thousand": 1e3,
               "a million": 1e6, "a billion": 1e9})
_NUMBER = (r"(\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+|" + "|".join(sorted(_WORDS, key=len, reverse=True))
           + r")(?:\s*(k|m|b|thousand|million|billion)(?![a-z]))?")
NUMBER = _NUMBER  # a number in digits or words, then its multiplier ("fifty thousand", "2.5m")
_RANGE = rf"{_NUMBER}(?:\s*(?:-|–|to)\s*{_NUMBER})?"
# unit -> (pattern after the number, factor to the unit)
_UNITS: dict[str, tuple[tuple[str, float], ...]] = {
    "GB": ((r"(?:gb|gigabytes?|gib|gigs?)\b", 1.0), (r"(?:tb|terabytes?|tib)\b", 1000.0),
           (r"(?:mb|megabytes?|mib)\b", 0.001)),
    "ms": ((r"(?:ms|milliseconds?|millis)\b", 1.0), (r"(?:s|secs?|seconds?)\b", 1000.0),
           (r"(?:minutes?|mins?)\b", 60000.0), (r"(?:hours?|hrs?)\b", 3600000.0), (r"days?\b", 86400000.0)),
    "tokens/s": ((r"(?:tokens?|tok)\s*(?:/\s*s(?:ec)?\b|(?:per|a|each)\s+sec(?:ond)?\b)", 1.0),),
    "writes/s": ((r"(?:writes?|inserts?|upserts?|transactions?|tps|(?:indexing |index )?(?:operations|ops|documents|docs))"
                  r"\s*(?:/\s*s(?:ec)?\b|(?:per|a|each)\s+sec(?:ond)?\b)", 1.0),),
    "%": ((r"(?:%|percent\b)", 1.0),),
}
_QUANTITY = {unit: [re.compile(rf"(?<![\w.$-]){_RANGE}\s*{pattern}") for pattern, _ in options]
             for unit, options in _UNITS.items()}
_FACTORS = {unit: [factor for _, factor in options] for unit, options in _UNITS.items()}
# "$2.50 per million output tokens", "$3/M tokens"
_PRICE = re.compile(
    rf"\$\s*{_RANGE}\s*(?:/|per|a|for (?:a|one|every))\s*(?:1\s*m\b|one million|million|a million|1 million|m\b|mtok)"
    r"(?:\s+(?:input|output|prompt|completion|generated))?\s*(?:tokens?)?"
)
# Clause breaks; a comma inside a number ("1,100 GB") is not one.
_CLAUSE = re.compile(r"[;:]|,(?!\d{3})|\s(?:so|but|because|since|which|while|whereas|though|although)\s|\s-\s|\s—\s")
# A clause that qualifies or negates what it says is not a plain claim.
_HEDGED = re.compile(
    r"n't\b|\b(?:not|never|unless|myth|cannot)\b|\bonly (?:if|at|with|when)\b|\bno longer\b|\bif (?:we|you|it|the)\b"
    r"|\b(?:would|does|do|can) (?:it|they|that)\b|\bpeople (?:think|say|assume)\b|\bused to\b|\?"
)


# A sentence about something the sentence before named: "we served it", "that model".
_POINTS_BACK = re.compile(r"\b(?:it|that model|the model|this model)\b")


@dataclass(frozen=True)
class Quantity:
    unit: str
    low: float
    high: float
    start: int  # offset of the number in the sentence


@dataclass(frozen=True)
class Contradiction:
    """A sentence of the answer that contradicts a reference fact."""

    fact_id: str
    says: str  # the fact, as the interviewer states it
    claim: str  # the sentence, verbatim
    start: int
    end: int


def quantities(low: str) -> list[Quantity]:
    """Every quantity with a known unit in `low` (lower-cased), converted to that unit."""
    found: list[Quantity] = []
    for unit, patterns in _QUANTITY.items():
        for pattern, factor in zip(patterns, _FACTORS[unit]):
            for match in pattern.finditer(low):
                a = _value(match.group(1), match.group(2)) * factor
                b = _value(match.group(3), match.group(4)) * factor if match.group(3) else a
                found.append(Quantity(unit, min(a, b), max(a, b), match.start()))
    for match in _PRICE.finditer(low):
        a = _value(match.group(1), match.group(2))
        b = _value(match.group(3), match.group(4)) if match.group(3) else a
        found.append(Quantity("usd/Mtok", min(a, b), max(a, b), match.start()))
    # "0.5 s" is also matched as part of nothing else, but "500 ms" must not count again as seconds.
    return _dedupe(found)


def number_value(number: str, multiplier: str | None) -> float:
    """The value of a NUMBER match's two groups."""
    return _value(number, multiplier)


def _value(number: str, multiplier: str | None) -> float:
    base = _WORDS[number] if number in _WORDS else float(number.replace(",", ""))
    return base * _MULTIPLIER.get(multiplier or "", 1.0)


def _dedupe(found: list[Quantity]) -> list[Quantity]:
    kept: list[Quantity] = []
    for q in sorted(found, key=lambda q: q.start):
        if kept and kept[-1].start == q.start and kept[-1].unit == q.unit:
            continue
        kept.append(q)
    return kept


@dataclass(frozen=True)
class FactCheck:
    """A reference fact compiled for checking: `about` groups must all match (each group is a set
    of alternatives), a quantity of `unit` must lie in [low, high], and `wrong_if` phrases about the
    subject contradict it. `not_with` terms mean a number near the subject is about something else."""

    id: str
    says: str
    about: tuple[re.Pattern[str], ...]
    unit: str | None = None
    low: float = 0.0
    high: float = 0.0
    wrong_if: re.Pattern[str] | None = None
    not_with: re.Pattern[str] | None = None

    @staticmethod
    def build(fact_id: str, says: str, about: list[str], unit: str | None = None, low: float = 0.0,
              high: float = 0.0, wrong_if: list[str] | None = None, not_with: list[str] | None = None) -> "FactCheck":
        groups = tuple(words(*(alt.strip().lower() for alt in group.split("|"))) for group in about)
        return FactCheck(
            fact_id, says, groups, unit, low, high,
            words(*(p.lower() for p in wrong_if)) if wrong_if else None,
            words(*(t.lower() for t in not_with)) if not_with else None,
        )

    def about_in(self, low: str) -> bool:
        return all(group.search(low) for group in self.about)

    def subject_at(self, low: str) -> int:
        """Where the subject is first named in `low` (-1 when it is not)."""
        match = self.about[0].search(low) if self.about else None
        return match.start() if match else -1


def contradictions(sentence: str, start: int, checks: tuple[FactCheck, ...], before: str = "") -> list[Contradiction]:
    """The reference facts one sentence contradicts (each fact at most once). `before`, the sentence
    before it, names the subject of one that points back at it ("I led a 70B model. We served it in
    16-bit on a single GPU."): a contradicting phrase may then be about that subject."""
    low = sentence.lower()
    back = before.lower() + " " + low if before and _POINTS_BACK.search(low) else ""
    found: dict[str, Contradiction] = {}

    def contradicted(fact: FactCheck) -> None:
        found.setdefault(fact.id, Contradiction(fact.id, fact.says, sentence, start, start + len(sentence)))

    # Only facts whose subject the sentence (or the one it points back to) names can be contradicted here; the
    # rest cost a search per clause for nothing, and a long answer has hundreds of clauses.
    checks = tuple(f for f in checks if not f.about or f.about[0].search(low) or (back and f.about[0].search(back)))
    if not checks:
        return []
    # "bisect.insort, which is O(log n)" says "insort is O(log n)": a relative clause describes the noun before it.
    relative = [(None, c) for c in _relative_claims(low)]
    for clause_start, clause in _clauses(low) + relative:
        hedged = bool(_HEDGED.search(clause))
        for fact in checks:
            phrase = fact.wrong_if.search(clause) if fact.wrong_if is not None else None
            # A wrong phrase may carry its own negation ("receivers don't have to dedupe"): only a hedge elsewhere
            # in the clause ("I wouldn't say ...") leaves it alone.
            if phrase and hedged and _HEDGED.search(clause[:phrase.start()] + " " + clause[phrase.end():]):
                continue
            if phrase and (_about_here(fact, clause, low) or (back and _about_here(fact, clause, back))):
                contradicted(fact)
        if hedged:
            continue
        if clause_start is None:
            continue  # its figures were read in the clauses it came from
        for fact, q in _attributed(quantities(clause), clause, clause_start, low, checks):
            if q.high < fact.low or q.low > fact.high:
                contradicted(fact)
    return list(found.values())


def _about_here(fact: FactCheck, clause: str, sentence: str) -> bool:
    """Whether a contradicting phrase in `clause` is about this fact's subject: named in the clause,
    or named earlier in the sentence with nothing in the clause that points elsewhere (`not_with`)."""
    if fact.not_with and fact.not_with.search(clause):
        return False
    return fact.about_in(clause) or fact.about_in(sentence)


def _attributed(amounts: list[Quantity], clause: str, clause_start: int, sentence: str,
                checks: tuple[FactCheck, ...]) -> list[tuple[FactCheck, Quantity]]:
    """Which fact each quantity is about: the fact of that unit whose subject is named nearest to it in
    the same clause; when the clause names no subject of that unit, the first quantity goes to a fact
    whose subject the sentence named earlier. A clause with `not_with` terms of a fact gives it nothing."""
    pairs: list[tuple[FactCheck, Quantity]] = []
    for unit in sorted({q.unit for q in amounts}):
        of_unit = [q for q in amounts if q.unit == unit]
        facts = [f for f in checks if f.unit == unit and not (f.not_with and f.not_with.search(clause))]
        here = [f for f in facts if f.about_in(clause)]
        if here:
            for q in of_unit:
                pairs.append((min(here, key=lambda f: abs(f.subject_at(clause) - q.start)), q))
            continue
        named_here = any(f.unit == unit and f.about and f.about[0].search(clause) for f in checks)
        # A subject named earlier carries over to this clause only while it still lacks its number and nothing
        # in between points elsewhere: in "70B at FP16 is about 140 GB, which doesn't fit on one 80 GB H100, so
        # my unit is an 8-GPU node: 640 GB of HBM" both subjects had their figures, and 640 GB is the node's.
        earlier = [f for f in facts if f.about_in(sentence) and f.subject_at(sentence) < clause_start
                   and not (f.not_with and f.not_with.search(sentence, f.subject_at(sentence), clause_start))
                   and not _has_figure(sentence, f.subject_at(sentence), clause_start, unit)]
        if earlier and not named_here:
            pairs.append((max(earlier, key=lambda f: f.subject_at(sentence)), of_unit[0]))
    return pairs


_RELATIVE = re.compile(r"([\w.()]+),?\s+which\s+(is|are|runs in|takes|costs)\s+([^,;:.]+(?:\.\d[^,;:]*)?)")


def _relative_claims(low: str) -> list[str]:
    """'x, which is y' read as 'x is y', for the phrases a reference fact lists as wrong."""
    return [f"{m.group(1)} {m.group(2)} {m.group(3)}" for m in _RELATIVE.finditer(low)]


def _has_figure(sentence: str, subject_at: int, clause_start: int, unit: str) -> bool:
    """Whether the subject's own clause, or anything after it up to `clause_start`, already gave a
    quantity of `unit` ("one 80 GB H100")."""
    own = max((at for at, _ in _clauses(sentence) if at <= subject_at), default=0)
    return any(q.unit == unit for q in quantities(sentence[own:clause_start]))


def _clauses(low: str) -> list[tuple[int, str]]:
    pieces, last = [], 0
    for match in _CLAUSE.finditer(low):
        pieces.append((last, low[last:match.start()]))
        last = match.end()
    pieces.append((last, low[last:]))
    return [(at, text) for at, text in pieces if text.strip()]
