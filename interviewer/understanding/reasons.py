"""Whether the reason a sentence gives says anything.

The shape of an argument ("because", "which means", "that's why") is easy to produce around nothing:
"I'd ask about scale, because scale matters", "a queue, because queues decouple the parts of the system",
"because happy customers are the goal". Such a reason restates its claim or names no property of the
problem. A reason says something when, beyond what its claim already named, it brings a quantity, a
technical term or a term of this problem, or at least two words of substance.
"""

from __future__ import annotations

import re

from . import lexicon as lx

_WORD = re.compile(r"[a-z][a-z0-9'-]*")
# Words that carry no property of a problem: qualities, intentions, the vocabulary of any design or story.
# A reason built only from these (and from the claim's own words) is hollow.
_GENERIC = frozenset("""
a about after again all also always an and any anything are as at away back bad be been before being better
best big bigger both build built but by can can't care clear clean cleaner come comes core could customer
customers did didn't do does doesn't doing done down each easy easier else end enough especially even
ever every everyone everything exactly expect expected fail fails fine first fit fits follow follows for
from get gets getting give gives go goal goals goes going good great happen happens happy hard harder have
having help helps her here high higher his how i i'd i'll i'm idea if important importance in into is
isn't issue issues it it's its itself just keep keeps key kind know later least less let lets like likely
little long look lot lots low lower main make makes making many matter matters may me mean means meant
might mind more most much must my natural naturally need needed needs never new next nice no not nothing
now of off often ok okay on once one only or order other others our out over overall own part parts
people pick picked place point points possible pretty priority problem problems proper properly quality
quite rather real really reason reasons right run same say see seems sense should simple simpler simply
so solid solution some something sometimes sort standard start stay still stuff such sure system systems
take takes team than that that's the their them then there there's these they they're thing things
think this those through time to too trust trusted turn turns under understand up us use used useful
user users using value valuable very want wants was way ways we we'd we'll we're well were what when
where whether which while who why will with without work worked working works would wouldn't wrong you
your approach approaches design designs component components part piece pieces overall generally usually
general generic common widely whole everything benefit benefits cost costs tradeoff tradeoffs risk risks
complexity complex simple flexibility flexible robust robustness reliable reliability maintainable
scalable scalability scale scaling performance performant efficient efficiency fast faster slow slower
quick quickly elegant elegance modular decouple decoupled decouples decoupling decision decisions decide
decided mine owned owner ownership accountable outcome outcomes result results break breaks broke handle
handles load later future problem time times step steps thing stakeholders everyone informed communication
communicate clearly wrong right manage managed approach happen happened matter mattered sense worth effort
""".split())
# Stems shorter than this are function words the list above need not spell out ("has", "own", "get").
_SHORTEST = 4
_SUFFIXES = ("ing", "ies", "es", "ed", "ly", "s")


# Connectives after which the sentence states the result of its reason, not the reason.
_RESULT = re.compile(r"(?:that's why|thats why|which is why|is why|also why|hence|therefore|as a result|it follows)$")


def _stem(word: str) -> str:
    word = word.strip("'-")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


_GENERIC_STEMS = frozenset(_stem(w) for w in _GENERIC)


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text)}


def _says_something(reason: str, claim: str, vocabulary: re.Pattern[str] | None) -> bool:
    if lx.QUANTITY.search(reason):
        return True
    said = _stems(claim)
    terms = [m.group(0) for m in lx.TECH_TERMS.finditer(reason)] + lx.IDENTIFIER.findall(reason)
    if vocabulary is not None:
        terms += [m.group(0) for m in vocabulary.finditer(reason)]
    fresh = {s for s in _stems(reason) if s not in said and s not in _GENERIC_STEMS and len(s) >= _SHORTEST}
    fresh |= {t for term in terms if not (_stems(term) <= said) for t in _stems(term)}
    return len(fresh) >= 2


def hollow_reason(body: str, before: str = "", vocabulary: re.Pattern[str] | None = None) -> bool:
    """Whether every reason a sentence (lower-cased) gives around a connective is hollow: neither side says
    anything the other did not. A connective that opens the sentence ("That's why ...") argues from the
    sentence before it (`before`). A sentence with a quantity in it is never hollow. False when the sentence
    gives no reason at all."""
    connectives = list(lx.CAUSAL.finditer(body))
    if not connectives or lx.QUANTITY.search(body):
        return False
    for index, connective in enumerate(connectives):
        end = connectives[index + 1].start() if index + 1 < len(connectives) else len(body)
        after = body[connective.end():end]
        ahead = body[:connective.start()]
        ahead = ahead if len(_WORD.findall(ahead)) >= 2 else before
        kind = connective.group(0)
        # "X, so Y" argues either way (a result, or a purpose); "that's why Y" argues from X; the rest from Y.
        if ((not _RESULT.match(kind) and _says_something(after, ahead, vocabulary))
                or ((_RESULT.match(kind) or kind.startswith("so ")) and _says_something(ahead, after, vocabulary))):
            return False
    return True
