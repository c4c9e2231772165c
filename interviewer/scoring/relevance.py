"""Which problem a session's answers are about.

A strong answer to another problem is not evidence for this one: streaming-chat reasoning sent to the
moderation problem, or a rate-limiter design recited in the recruiter screen, must not score as if it
engaged. Each problem of each round is a bag of its own words (prompt, requirements, deep dives, gates,
code, facts, topics, examples); everything the candidate said is scored against every bag by the rarity of
the words they share (idf over problems, normalised for the size of the bag). When another problem claims
the answers clearly more than this one does, the session answered that problem.

Judged over the whole session, not sentence by sentence: one sentence shares words with many problems by
chance; a session's worth of answers does not. Rounds whose subject is the candidate's own work (the
presentation) have no other problem to confuse, and a conversation round's problems are flavours of one
conversation, so there the best of the round's problems counts as this one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

_WORD = re.compile(r"[a-z][a-z0-9_+-]{2,}")
_STOP = frozenset(
    """the and for with that this what which when where who how why are was were been being have has had having
    does did doing would could should will shall can may might must not but yet also just than then them they their
    there these those from into onto over under about above below after before again further once here very more
    most some such only own same too each few other any all both its it's our ours you your yours his her hers him
    she one two three four five six ten per via use used using uses make makes made get gets got give gives say
    says said like well way ways thing things lot lots kind sort really much many need needs needed want wants
    keep keeps let lets see sees seen think thinks know knows look looks going come comes take takes first second
    last next new old good great better best bad worse big small large long short high low right left end start
    because since while though although whether either neither every something anything nothing everything
    someone anyone everyone time times day days year years week weeks question questions answer answers i'd i'll
    we'd it'd that's don't i'm we're""".split()
)
# Another problem must claim the answers this many times more strongly than this one ...
OFF_RATIO = 1.4
# ... or, within a conversation round, another of its problems this many times (its problems share their stories).
SIBLING_RATIO = 1.6
# The other problem is named only when it stands out from the rest by this much; otherwise the answers are
# about something this library has no problem for (a URL shortener), and naming the nearest would mislead.
NAME_MARGIN = 1.25
# ... and the candidate must have said enough to tell (distinct content words across the session).
MIN_WORDS = 40
OPEN_SUBJECT_ROUNDS = frozenset({"presentation"})


@dataclass(frozen=True)
class Relevance:
    """How a session's answers sit against the problem: `ratio` is the best other problem's claim over
    this problem's (above OFF_RATIO the session answered `elsewhere`, titled `elsewhere_title`)."""

    ratio: float
    elsewhere: str | None = None
    elsewhere_title: str | None = None
    judged: bool = True
    named: bool = True  # the other problem clearly stands out, so the card may name it

    @property
    def where(self) -> str:
        """How the card names what the answers were about."""
        return self.elsewhere_title if self.named and self.elsewhere_title else "a different problem"

    @property
    def off_problem(self) -> bool:
        return self.judged and self.elsewhere is not None and self.ratio >= OFF_RATIO


@dataclass(frozen=True)
class ProblemIndex:
    docs: dict[str, frozenset[str]]  # "round/problem" -> its words
    titles: dict[str, str]
    families: dict[str, str]  # round id -> family
    idf: dict[str, float]
    norm: dict[str, float]  # "round/problem" -> sqrt of its total idf, against big bags winning by size

    def claim(self, words: frozenset[str], key: str) -> float:
        doc = self.docs[key]
        return sum(self.idf[w] for w in words & doc) / self.norm[key]


def words_of(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP)


def _stem(word: str) -> str:
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + keep
    return word


def relevance(answers: Iterable[str], index: ProblemIndex, round_id: str, problem_id: str | None) -> Relevance:
    key = f"{round_id}/{problem_id}"
    words = frozenset().union(*(words_of(a) for a in answers))
    if round_id in OPEN_SUBJECT_ROUNDS or key not in index.docs or len(words) < MIN_WORDS:
        return Relevance(ratio=0.0, judged=False)
    claims = {k: index.claim(words, k) for k in index.docs}
    if index.families.get(round_id) == "conversation":
        # Stories serve every problem of a conversation round, so its problems count as one against the other
        # rounds; but answers that leave this problem's own situations aside for another's (incident stories for
        # the mission round, another role's pitch in the recruiter screen) are claimed by that problem far more.
        mine = {k: v for k, v in claims.items() if k.split("/")[0] == round_id}
        sibling = max((k for k in mine if k != key), key=mine.get, default=None)
        if sibling is not None and claims[key] > 0 and mine[sibling] / claims[key] >= SIBLING_RATIO:
            return Relevance(ratio=mine[sibling] / claims[key], elsewhere=sibling,
                             elsewhere_title=index.titles[sibling])
        here = max(mine.values())
        others = {k: v for k, v in claims.items() if k.split("/")[0] != round_id}
    else:
        here = claims[key]
        others = {k: v for k, v in claims.items() if k != key}
    ranked = sorted(others, key=others.get, reverse=True)  # type: ignore[arg-type]
    best = ranked[0]
    ratio = others[best] / here if here > 0 else math.inf
    runner_up = others[ranked[1]] if len(ranked) > 1 else 0.0
    named = runner_up <= 0 or others[best] / runner_up >= NAME_MARGIN
    return Relevance(ratio=ratio, elsewhere=best, elsewhere_title=index.titles[best], named=named)


_CACHE_VERSION = "relevance-1"


def index_for(folder: Path) -> ProblemIndex:
    """The words of every problem in a rubric folder, rebuilt when any rubric file changes (kept on disk
    between commands: reading every rubric costs more than scoring a session)."""
    files = tuple(sorted((p, p.stat().st_mtime_ns) for p in folder.iterdir() if p.suffix in (".yaml", ".yml")))
    return _build(files)


@lru_cache(maxsize=4)
def _build(files: tuple[tuple[Path, int], ...]) -> ProblemIndex:
    from .. import cache

    name = f"{_CACHE_VERSION}-{cache.key_for([p for p, _ in files], _CACHE_VERSION)}.json"
    stored = cache.load(name)
    if isinstance(stored, dict) and {"docs", "titles", "families"} <= set(stored):
        docs = {k: frozenset(v) for k, v in stored["docs"].items()}
        return _index(docs, stored["titles"], stored["families"])
    docs, titles, families = _read(files)
    cache.save(name, {"docs": {k: sorted(v) for k, v in docs.items()}, "titles": titles, "families": families})
    return _index(docs, titles, families)


def _read(files: tuple[tuple[Path, int], ...]) -> tuple[dict[str, frozenset[str]], dict[str, str], dict[str, str]]:
    from ..rubric.index import yaml_load

    docs: dict[str, frozenset[str]] = {}
    titles: dict[str, str] = {}
    families: dict[str, str] = {}
    for path, _ in files:
        data = yaml_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        round_id = str(data.get("id", path.stem))
        families[round_id] = str(data.get("family", ""))
        for problem in data.get("problems") or []:
            if isinstance(problem, dict) and "id" in problem:
                key = f"{round_id}/{problem['id']}"
                docs[key] = words_of(" ".join(_strings(problem)))
                titles[key] = str(problem.get("title", problem["id"]))
    return docs, titles, families


def _index(docs: dict[str, frozenset[str]], titles: dict[str, str], families: dict[str, str]) -> ProblemIndex:
    count = len(docs) or 1
    df: dict[str, int] = {}
    for doc in docs.values():
        for word in doc:
            df[word] = df.get(word, 0) + 1
    idf = {word: math.log(count / n) for word, n in df.items()}
    norm = {key: math.sqrt(sum(idf[w] for w in doc) + 1.0) for key, doc in docs.items()}
    return ProblemIndex(docs, titles, families, idf, norm)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
