"""What an answer actually argues: reasoning signals found sentence by sentence.

The engine uses this to pick follow-ups (what the last answer lacks) and to track what
the candidate raised before being asked; the scorer uses it for evidence. A signal only
counts when it comes with substance: a number attached to a claim, a tradeoff that names
what it gives up, a failure paired with what the design does about it. A technical term
in a sentence that carries none of that is recorded as a name-drop, not as reasoning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import lexicon as lx
from .reasons import hollow_reason

# A sentence ends at . ! or ? followed by a space or the end, or at a line break; a dot inside a token
# ("test_limiter.py", "v1.2", "e.g") does not end it.
_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?=[^\s.!?]))+(?:[.!?]+(?=\s|$)|(?=\n)|$)|[^\n]+?(?=\n|$)")
_QUESTION_WORDS = lx.words("what", "how", "do", "does", "is", "are", "should", "can", "could", "would", "which", "who", "when", "where", "will")


@dataclass(frozen=True)
class Span:
    """A sentence of an answer: offsets into the original text and the verbatim slice."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Context:
    """Round-specific knowledge the analysis needs: technical vocabulary and the areas a
    full-stack answer covers (area id -> compiled term pattern)."""

    vocabulary: re.Pattern[str] | None = None
    areas: tuple[tuple[str, re.Pattern[str]], ...] = ()

    @staticmethod
    @lru_cache(maxsize=32)
    def build(vocabulary: tuple[str, ...], areas: tuple[tuple[str, tuple[str, ...]], ...]) -> "Context":
        vocab = lx.words(*(v.lower() for v in vocabulary)) if vocabulary else None
        # An area term is said with a hyphen as often as with a space ("test set", "test-set").
        compiled = tuple((area_id, lx.words(*{v for t in terms for v in (t.lower(), t.lower().replace(" ", "-"))}))
                         for area_id, terms in areas if terms)
        return Context(vocabulary=vocab, areas=compiled)


@dataclass
class Analysis:
    text: str
    sentences: list[Span]
    hits: dict[str, list[Span]] = field(default_factory=dict)
    multipliers: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    name_drops: list[Span] = field(default_factory=list)
    injections: list[Span] = field(default_factory=list)
    fluff: list[Span] = field(default_factory=list)
    blame: list[Span] = field(default_factory=list)
    substantive: int = 0
    reasons: int = 0  # sentences shaped as an argument ("because", "which means", "that's why")
    hollow: list[Span] = field(default_factory=list)  # those whose reason restates the claim or names nothing

    def has(self, signal: str) -> bool:
        return bool(self.hits.get(signal))

    @property
    def signals(self) -> set[str]:
        return {s for s, spans in self.hits.items() if spans}


_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    "the a an and or to of in on for is it we i that this with be would will as at by so you your what "
    "which how does do did why there their they them from into about can could should these those me my "
    "our us are was were have has had not just like look".split()
)


def fingerprint(text: str) -> frozenset[str]:
    """The content words of a text, for spotting repeats."""
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def split_sentences(text: str) -> list[Span]:
    spans = []
    for match in _SENTENCE.finditer(text):
        raw = match.group(0)
        stripped = raw.strip()
        if len(stripped) < 2:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        spans.append(Span(start, start + len(stripped), stripped))
    return spans


def analyze(text: str, context: Context | None = None) -> Analysis:
    context = context or Context()
    result = Analysis(text=text, sentences=split_sentences(text))
    hits: dict[str, list[Span]] = {}
    earlier: list[str] = []
    for span in result.sentences:
        low = span.text.lower()
        if addresses_grader(low):
            # Text that addresses the scorer is data about the candidate, never evidence.
            result.injections.append(span)
            earlier.clear()
            continue
        # Measured once per sentence, after discourse openers ("So, ...") that carry no meaning.
        body = lx.OPENER.sub("", low)
        technical = _technical(body, context)
        multipliers = {m for m, pattern in lx.MULTIPLIERS.items() if pattern.search(body)}
        # A cost can price a choice made a sentence or two earlier ("I chose X. ... The cost is ...").
        before = " ".join(earlier[-2:])
        found = _sentence_signals(body, technical, multipliers, before)
        if lx.CAUSAL.search(body):
            # "I'd ask about scale, because scale matters": the shape of a reason around nothing. Such a sentence
            # still shows what it shows; the scorer weighs how often the answers' reasons are like it.
            result.reasons += 1
            if not lx.JUSTIFIED_CHOICE.search(body) and hollow_reason(body, before, context.vocabulary):
                result.hollow.append(span)
        if "structure" in found and _only_labels(span.text, body):
            found.discard("structure")
        if "scale" in found:
            result.multipliers |= multipliers
        substantive = found & {"numbers", "reasoning", "tradeoffs", "failure_modes", "scale", "complexity", "rigor"}
        # A part of the system counts as covered when the sentence argues about it or says how it works.
        mechanism = technical and len(body.split()) >= 8 and lx.MECHANISM.search(body) and not lx.VAGUE.search(body)
        if technical and (substantive or mechanism):
            for area_id, pattern in context.areas:
                if pattern.search(low):
                    result.areas.add(area_id)
                    found.add("breadth")
        if substantive:
            result.substantive += 1
        elif context.vocabulary is not None and context.vocabulary.search(low):
            result.name_drops.append(span)
        if lx.FLUFF.search(low):
            result.fluff.append(span)
        if lx.BLAME.search(low):
            result.blame.append(span)
        for signal in found:
            hits.setdefault(signal, []).append(span)
        earlier.append(low)
    result.hits = hits
    return result


def _only_labels(text: str, body: str) -> bool:
    """A sentence that names a style ("hexagonal", "SOLID", "separation of concerns") and no part of this code
    by name. The original text is read for names, since "SOLID" and "RetryPolicy" need their capitals."""
    labelled = bool(lx.STRUCTURE_LABEL.search(body) or re.search(r"\bSOLID\b", text))
    return labelled and not lx.NAMED_PART.search(text)


def addresses_grader(low: str) -> bool:
    """Whether a sentence (lower-cased) speaks to whoever grades the session rather than to the interviewer."""
    body = lx.OPENER.sub("", low.strip())
    return bool(lx.INJECTION.search(body) or (lx.INJECTION_SELF.search(body) and lx.INJECTION_ASK.search(body)))


_MULTIPLE = re.compile(r"\b(?:times|fold)\b|\dx\b|\d\s*x$")
# A reason that names no property of the problem: "because it's fast", "since it's simpler".
_THIN_REASON = re.compile(r"\b(?:because|since|as) (?:it's|it is|that's|they're|they are|it was) (?:really |very |just |so "
                          r"|more |pretty )?(?:fast|faster|quick|simple|simpler|easy|easier|better|cleaner|standard|"
                          r"popular|common|nicer|reliable|scalable|robust|secure|proven|mature|flexible|good|great|"
                          r"industry standard|battle-tested)\b"
                          # An appeal to fashion in place of a reason: "jitter is good practice for retries".
                          r"|\b(?:is|are|it's|that's) (?:a |the )?(?:good|best|standard|common|recommended) practices?\b")


def thin(low: str) -> bool:
    """Whether a sentence (lower-cased) gives a bare quality or a fashion as its reason: "because it's reliable"."""
    return bool(_THIN_REASON.search(low))


# A position followed by its explanation after a colon: "<stance> is X: <at least five words>".
_EXPLAINED = re.compile(r"^[^:]{3,80}:\s*(?:\S+\s+){4,}\S")


# A reason given in its own sentence after the choice it argues, as people speak: "I'd downsample inside
# compaction instead of a rollup job. That's one fewer pipeline to run and backfill." The sentence opens by
# pointing back at the choice and says what it does; a bare quality ("that's cleaner") is no reason.
_CONSEQUENCE_OF_CHOICE = re.compile(
    r"^(?:that|this|it|which|doing it this way|that choice|this choice)(?:'s| is| was)? (?:what |how )?"
    r"(?:removes|removed|saves|saved|avoids|avoided|lets|let|keeps|kept|means|meant|gives|gave|buys|bought|cuts|"
    r"halves|spares|spared|frees|freed|isolates|isolated|stops|stopped|prevents|prevented|turns|shrinks|drops|"
    r"one fewer|one less|fewer|no longer|never)\b")
_QUALITY_ONLY = re.compile(r"\b(?:cleaner|simpler|easier|better|nicer|neater|more (?:maintainable|scalable|robust|"
                           r"flexible|readable|elegant|modular|extensible))\b")
# A decision rule: the condition that would change the call, with its threshold ("if the mean stays above 4
# points the label goes; under 3, the deck changes").
_CONDITION_WITH_THRESHOLD = re.compile(
    r"\b(?:if|once|until|unless|when)\b[^.;:]{0,60}?\b(?:above|below|under|over|past|beyond|more than|less than|"
    r"at least|at most|exceeds?|drops? (?:below|under)|stays? (?:above|below|under))\s+[$~]?\d")
# Both sides of a choice weighed in one sentence ("X is easy to undo, whereas Y is not").
_WEIGHED_SIDES = re.compile(r"\b(?:whereas|while)\b")
# Two outcomes set side by side with numbers: "a 24-hour budget allows about 35 attempts, while ten retries
# would give up after 17 minutes".
_CONTRAST = re.compile(r"\b(?:while|whereas|against|compared with|compared to)\b[^.;]{0,80}\b(?:would|only|just)\b")


# What the choice prevents, told as the world without it: "Without jitter they all retry at the same instants".
_WITHOUT_IT = re.compile(r"^(?:without|with no|if we didn't|if i didn't|if we skipped|skip (?:it|that|this) and)\b"
                         r"[^.;]{0,60}?\b(?:would|will|all|every|each|can't|cannot|never|won't|lose|loses|stall|stalls|"
                         r"hit|hits|pile|piles|block|blocks|break|breaks|miss|misses|double|doubles)\b")
# A rejected alternative followed by what it would have done: "They don't go back on the main topic. That would tie up
# worker capacity."
_WOULD_HAVE = re.compile(r"^(?:that|this|it|which|doing that|doing so)(?: alone)? would(?:n't| not)? (?!be (?:nice|good|"
                         r"great|fine|cleaner|simpler|better|easier)\b)\w+")
# After a colon, what the design guarantees or rules out: "acks only after the replicated write: once a producer
# has its ack, the event can't be lost."
_COLON_GUARANTEE = re.compile(r"^[^:]{12,}:\s*[^:]{12,}?\b(?:can't|cannot|never|won't|no longer|can only|at most|"
                              r"at least|is never|are never)\b")


def reason_in_own_sentence(body: str, before: str) -> bool:
    """Whether a sentence argues a choice made just before it, or names the threshold at which the call changes,
    without a connective ("because", "so"). `body` and `before` are lower-cased; `before` is the sentence or two
    before it."""
    if _CONDITION_WITH_THRESHOLD.search(body) or _WITHOUT_IT.search(body) or _COLON_GUARANTEE.search(body):
        return True
    if _WOULD_HAVE.search(body) and before and not _QUALITY_ONLY.search(body):
        return True
    if not (lx.STRONG_CHOICE.search(before) or lx.DECISION.search(before) or committed(before)):
        return False
    if _CONSEQUENCE_OF_CHOICE.search(body):
        return not _QUALITY_ONLY.search(body)
    if lx.QUANTITY.search(body) and (_EXPLAINED.search(body) or _CONTRAST.search(body)):
        return True
    return False


def derived(body: str) -> bool:
    """A number worked out from others in the same sentence ("50M a day is about 580 a second"): an
    estimate shown with its arithmetic argues itself."""
    if lx.ARITHMETIC.search(body):
        return True
    first = lx.QUANTITY.search(body)
    return bool(first and lx.DERIVES.search(body, first.end()))


def committed(body: str) -> bool:
    """A stance that commits to something ("I'd block it", "my concern is"), not a hedge ("I think")."""
    return any(m.group(0) not in lx.HEDGED_STANCE for m in lx.STANCE.finditer(body))


def _technical(low: str, context: Context) -> int:
    count = len(lx.TECH_TERMS.findall(low)) + len(lx.IDENTIFIER.findall(low))
    if context.vocabulary is not None:
        count += len(context.vocabulary.findall(low))
    count += sum(1 for _, pattern in context.areas if pattern.search(low))
    return count


def _sentence_signals(body: str, technical: int, multipliers: set[str], before: str) -> set[str]:
    """Signals one sentence shows (`body`: lower-cased, opener stripped). Each needs a concrete
    sentence: a quantity, or a specific technical term without hedging ("some kind of", "it depends")."""
    found: set[str] = set()
    n_words = len(body.split())
    quantities = lx.QUANTITY.findall(body)
    vague = bool(lx.VAGUE.search(body))
    # "What I give up is ..." beside a choice is as concrete as the choice it prices.
    prices_choice = bool(lx.GIVE_UP.search(body) and (lx.STRONG_CHOICE.search(before) or lx.DECISION.search(before)
                                                      or lx.DECISION.search(body) or lx.STRONG_CHOICE.search(body)))
    # A reason can follow a choice after a colon: "SSE rather than WebSockets: traffic is one way".
    causal = bool(lx.CAUSAL.search(body) or lx.JUSTIFIED_CHOICE.search(body))
    # A decision of one's own ("I led it", "those were my calls"), or a long argued sentence with no hedging,
    # is concrete too: conversation rounds argue positions and stories, not only components.
    # "I deliberately left X alone: rewriting it would have tripled the diff": a decision argued by its alternative.
    weighed = bool(lx.DECISION.search(body) and lx.COUNTERFACTUAL.search(body))
    # A reason in its own sentence is as concrete as the choice it argues, or the threshold it names.
    argued_apart = reason_in_own_sentence(body, before)
    concrete = bool(quantities) or (technical >= 1 and not vague) or prices_choice or (weighed and n_words >= 10) or bool(
        lx.OWNERSHIP.search(body) and n_words >= 6 and not vague) or bool(
        causal and n_words >= 12 and not vague and not lx.FLUFF.search(body)
        and (committed(body) or lx.RANKING.search(body) or lx.DECISION.search(body))) or bool(
        argued_apart and n_words >= 8 and not vague and not lx.FLUFF.search(body))
    causal = causal or argued_apart
    # The drill's own multiple ("at a thousand times") is no figure of the candidate's: "we'd need a lot more servers"
    # after it is still the generic fix.
    figures = [q for q in quantities if not _MULTIPLE.search(q)]
    if (lx.OVERCLAIM.search(body) or lx.AUTHORITY.search(body) or lx.GENERIC_FIX.search(body)) and not figures:
        # "It scales", "no contention", "that's what real databases use", "we'd just retry": claims, not reasons.
        concrete = False
    if "?" in body and n_words >= 4 and _QUESTION_WORDS.search(body):
        # A question asks; it argues nothing. "How long do we keep trying a dead endpoint?" is a good question,
        # not a failure mode handled.
        found.add("clarifying")
        return found
    if lx.CLARIFY.search(body) and n_words >= 5 and not vague and not lx.DISMISSIVE.search(body):
        found.add("clarifying")
    plain = not vague and not lx.FLUFF.search(body)
    if lx.STRUCTURE.search(body) and n_words >= 7 and plain and (technical or n_words >= 10 or lx.NAMED_PART.search(body)):
        # Where this code's parts live ("the sender owns the HTTP call"); a label alone is taken out by `analyze`.
        found.add("structure")
    if lx.SIGNPOST.search(body) and n_words >= 6 and plain:
        # Saying where the discussion goes is its own evidence; whether there was substance to steer is the
        # scorer's question, not this sentence's.
        found.add("signposting")
    if not concrete or n_words < 5:
        return found
    if quantities:
        found.add("numbers")
    if causal:
        found.add("reasoning")
    if (lx.CHOICE.search(body) and lx.COST.search(body)) or (
        lx.STRONG_CHOICE.search(body) and lx.COUNTERFACTUAL.search(body)
    ) or prices_choice or weighed or lx.PREFERS.search(body) or (
        # "X is easy to undo, whereas Y is not, so I chose X rather than Z": both sides weighed, then the call.
        lx.STRONG_CHOICE.search(body) and _WEIGHED_SIDES.search(body) and causal and not _THIN_REASON.search(body)
    ) or (lx.DECISION.search(body) and lx.STRONG_CHOICE.search(body) and causal
                           and not _THIN_REASON.search(body)):
        # "I picked Decimal over integer cents because ...": a named alternative turned down for a reason.
        # "I'd use SSE rather than WebSockets ... What I give up is sending on the same channel."
        found.add("tradeoffs")
    failure = lx.FAILURE.search(body)
    if failure and (lx.MITIGATION.search(body) or causal or re.search(r"\b(?:if|when|then|until|unless)\b", body)):
        found.add("failure_modes")
    elif failure is None and lx.MITIGATION.search(body) and lx.FAILURE.search(before):
        # "If the worker dies mid-stream ..." followed by "The client resumes from its offset."
        found.add("failure_modes")
    multiplier = bool(multipliers)
    # Growth met by a consequence ("the index no longer fits") or, at a named multiple, by the speaker's own plan.
    responds = lx.CONSEQUENCE.search(body) or (multiplier and lx.PLAN.search(body))
    if (multiplier or lx.GROWTH.search(body)) and responds and (multiplier or quantities or technical >= 1):
        found.add("scale")
    if lx.TESTING.search(body) and (technical or causal or lx.TEST_CASE.search(body)):
        found.add("testing")
    if lx.COMPLEXITY.search(body):
        found.add("complexity")
    if lx.OWNERSHIP.search(body):
        found.add("ownership")
    if not lx.FLUFF.search(body) and (
        (lx.STANCE.search(body) and (causal or lx.CHOICE.search(body) or quantities))
        or (lx.OWNERSHIP.search(body) and (causal or quantities))
        or (lx.RANKING.search(body) and (causal or ":" in body))
        # "My doubt is the default: most people never change one" - a committed position and, after the colon, why.
        or (committed(body) and _EXPLAINED.search(body) is not None and n_words >= 12)
    ):
        # A position with its reason, or a decision of one's own with its reason or its numbers.
        found.add("specificity")
    if lx.RIGOR.search(body) and (causal or quantities or technical >= 2):
        found.add("rigor")
    return found
