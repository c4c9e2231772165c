"""Reading one candidate turn: what it does, what it covers, what it claims.

The act is what the turn does with the question it was asked:

- `answer`: answers it (with substance, or at least without dodging);
- `question`: only asks the interviewer something;
- `decline`: says it doesn't know, with nothing after that;
- `hand_wave`: a generic claim with no component, number or cost ("we'd just add more servers");
- `deflect`: puts the credit, the decision or the fault on someone else ("it was a team thing", "that was
  product's call, not mine"), or, asked about the candidate's own part, tells only what "we" did;
- `stock`: a rehearsed line in place of an example ("I'm a perfectionist");
- `off_question`: a real answer, but to a different question than the one asked;
- `to_grader`: speaks to whoever scores the session instead of to the interviewer;
- `thin`: a word or two.

The last seven are non-answers: the interviewer presses once, specifically, then moves on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from . import lexicon as lx
from .arithmetic import derived_claims
from .claims import Contradiction, contradictions
from .stated import misstated
from .knowledge import Knowledge
from .questions import Question, find_questions
from .signals import Analysis, Span, analyze, committed, fingerprint
from .topics import BASE_TOPIC_IDS, topics_in

Act = Literal["answer", "question", "decline", "hand_wave", "deflect", "stock", "off_question", "to_grader", "thin"]
NON_ANSWERS: frozenset[str] = frozenset({"decline", "hand_wave", "deflect", "stock", "off_question", "to_grader", "thin"})
# Signals that show an answer carries substance (a reason, a number, a cost, a failure ...).
SUBSTANCE = frozenset({"numbers", "reasoning", "tradeoffs", "failure_modes", "scale", "complexity", "rigor",
                       "testing", "ownership", "specificity", "clarifying", "structure"})
CODE = re.compile(r"\bdef \w+\(|\bclass \w+|\breturn\b|[=:]\s*\{|\bself\.|\w+\[\w*\]\s*=|\bimport \w+")
# A signature or call spelled out ("get(key) returns ...", "q (n_q, d_k)"): concrete, even with no reasoning.
SIGNATURE = re.compile(r"\b\w{2,}\s?\((?:[\w\s,.:=*\[\]|-]*)\)|->\s*\w+")  # not O(1): \w{2,}
_CHOICE = re.compile(
    r"\b(?:use|using|pick|picking|choose|chose|go with|going with|went with|prefer|preferring|picked|stick with)\s+"
    r"(?P<a>[a-z0-9][\w/.+-]*(?:\s[\w/.+-]+){0,4}?)\s+(?:over|rather than|instead of)\s+"
    r"(?P<b>[a-z0-9][\w/.+-]*(?:\s[\w/.+-]+){0,5}?)"
    r"(?=\s*[,.;:!?)]|\s(?:because|since|so|as|for|which|here|here,|in|to|at|was|were|is|and)\b|$)"
)
# "I'd stream tokens back with server-sent events rather than WebSockets, because ...": a choice said with "with".
_WITH_CHOICE = re.compile(
    r"\bwith (?P<a>[a-z0-9][\w/.+-]*(?:\s[\w/.+-]+){0,3}?)\s+(?:rather than|instead of)\s+"
    r"(?P<b>[a-z0-9][\w/.+-]*(?:\s[\w/.+-]+){0,3}?)(?=\s*[,.;:!?)]|\s(?:because|since|so|as|which)\b|$)")
# The item a ranked answer puts first ("Most serious first: the shared default coupon list, because ..."),
# and the thing a candidate says they picked ("I picked a token bucket refilling at ..."): what to echo when
# no "X over Y" is said.
_RANKED_FIRST = re.compile(r"^(?:\w+[,.]?\s+){0,2}?(?:most (?:serious|important|urgent|pressing) first|first of all|"
                           r"top of (?:my|the) list(?: is)?|the (?:biggest|worst|most serious) (?:one|issue|problem) is)"
                           r"\s*[:,]?\s*(?P<a>[^,.;:]{3,60}?)(?=\s*[,.;:]|\s(?:because|since|which)\b)")
_PICKED = re.compile(r"\b(?:i|we) (?:picked|chose|went with|settled on|built|used) (?P<a>(?:a |an |the )?[a-z0-9][\w-]*"
                     r"(?: [a-z0-9][\w-]*){0,2}?)(?=\s(?:refilling|over|instead|rather|because|since|so|with|that|which|for|to)\b|[,.;:])")
# What may follow an echoed quantity: a rate and where it holds ("... a second at peak", "... per request").
_TAIL = re.compile(r"(?:\s+(?:a|an|per|each)\s+(?:second|minute|hour|day|week|month|year|request|user|key|query|node"
                   r"|gpu|stream|message|org|tenant))?(?:\s+(?:at|in|during)\s+(?:peak|the peak|p\d\d))?")
_RATE_ONLY = re.compile(r"[\d.,]+\s*(?:k|m)?\s+(?:a|per)\s")
_MAX_NOTED_WORDS = 8
_MIN_NOTED_WORDS = 3
_INVITATION = re.compile(r"^(?:\w+[,.]?\s+){0,3}?(?:walk me through|tell me about|describe|talk me through|give me a tour)\b")
# Questions with content of their own, which an answer can miss entirely.
_PLANNED_KINDS = frozenset({"question", "phase_start", "failure_probe", "drill", "press"})
# Questions that invite talk rather than ask for one thing: no answer to them is a dodge.
_OPEN_KINDS = frozenset({"opening", "gate_reveal", "hint", "closing", "answer_only", "more_questions", "challenge", ""})
_MAX_VAGUE_CHARS = 120  # quoted back in full, so it stays a sentence one would repeat aloud
# A count of the things the problem is made of: "about 100k tokens", "10 million keys", "a few thousand rows".
_SIZE = re.compile(r"(?<![\w.])(?:\d[\d,.]*\s*(?:k|m|b|t|thousand|million|billion|trillion)?|a few (?:hundred|thousand|million)|"
                   r"(?:a|one) (?:hundred|thousand|million))\s+(?:\w+\s+)?(?:tokens|keys|rows|items|elements|entries|"
                   r"records|documents|docs|vectors|samples|examples|events|files|pages|ids)\b")
_SIZE_TOPICS = ("sizes", "data_volume")
_NOT_DONE_WORDS = 15  # "I didn't get to tests." is a decline; a longer turn that says why, or what instead, is an answer
# What a follow-up can ask for so precisely that an answer about something else misses it.
_PRECISE = frozenset({"failure_modes", "scale", "tradeoffs", "numbers", "testing", "complexity"})
_WHY = re.compile(r"\b(?:why|reason|what made you|what led you)\b")
# "When would you choose the other approach?" and an answer that names a condition.
_WHEN_WOULD = re.compile(r"\bwhen would you\b|\bunder what (?:conditions|circumstances)\b|\bwhen (?:is|does) (?:it|that)"
                         r" (?:worth|pay)")
_CONDITION = re.compile(r"\b(?:below|above|under|over|once|when|if|until|unless|as long as|only pays|beyond|past)\b")
# A question about what the candidate would do, and an answer that says what they would do.
_WOULD_YOU = re.compile(r"\bdifferently\b|\bwould you change\b|\bwhat would you do\b|\bwith (?:another|more time|ten times)\b"
                        r"|\bwhat would you (?:build|spend|fix|add) (?:first|next)\b")
_I_WOULD = re.compile(r"\bi'd\b|\bi would\b|\bi should have\b|\bnext time\b|\bi'll\b|\bwe'd\b|\bwe would\b")
# A motive or reason said without "because": "Two reasons. ...", "the model needed one owner", "I wanted the whole loop".
_MOTIVE = re.compile(r"\b(?:two|three|a few|main|one|the) reasons?\b|\b(?:needed|wanted|want to|hoped|looking for"
                     r"|a chance to|so i could|drew me|draws me|pulls me|pulled me)\b")
# Questions whose answers engage them in words of their own, each with what such an answer says.
_ANSWERED_IN_KIND = (
    (lx.ASKS_VERDICT, lx.VERDICT),  # "were you right?" answered "Mostly. ..."
    (_WHEN_WOULD, _CONDITION),  # "when would you choose the other?" answered "below a few thousand tokens ..."
    (_WOULD_YOU, _I_WOULD),  # "what would you do differently?" answered "I'd build the eval set from day one"
    (lx.ABOUT_YOU, lx.SPEAKS_FOR_SELF),  # "which parts were your decisions?" answered "the eval gate was mine"
)
# Words in quotes are mentioned, not said: "the rate of honest 'I don't know' answers" declines nothing.
_QUOTED_WORDS = re.compile(r"(?:(?<=\s)|^)['\"\u2018\u201c][^\n]*?['\"\u2019\u201d](?=[\s,.;:!?)]|$)")


# Words about the grading are never quoted back: the press then asks its question without the quote.
_ABOUT_GRADING = re.compile(r"\b(?:grader|grading|graded|evaluator|rubric|scorecard|scoring|weigh it|rate me|mark me)\b", re.I)


def _quotable(sentence: str | None) -> str | None:
    if sentence is None or len(sentence) > _MAX_VAGUE_CHARS or _ABOUT_GRADING.search(sentence):
        return None
    return sentence


def _declines(low: str) -> bool:
    return bool(lx.DECLINE.search(_QUOTED_WORDS.sub(" ", low)))


# A question about something that went wrong, answered with something that went fine.
_ASKS_FAILURE = re.compile(r"\bwent wrong\b|\bgo wrong\b|\bfailed\b|\bfailure\b|\ba mistake\b")
_WENT_FINE = re.compile(r"\bwent (?:super |really |very |pretty )?(?:smoothly|well|fine|great)\b|\bnobody got paged\b"
                        r"|\bno (?:issues|problems|incidents)\b|\bbeat (?:our|the) \w*\s*(?:target|goal)\b")
# A decline that goes on to answer anyway: "I haven't used Kafka, but I'd put a durable queue there".
_GOES_ON = re.compile(r"\b(?:but|though|however|although|still|anyway|that said)\b")
# How someone usually works, said in place of the story that was asked for ("For me the big thing in incidents
# is communication. I always ...").
_HABITUAL = re.compile(r"\b(?:i always|i usually|i typically|i tend to|i generally|i normally|for me the (?:big|main|key|most "
                       r"important) thing|in general\b|generally|as a rule|every time)")
# ... as opposed to a story that happened once.
_TOLD_STORY = re.compile(r"\b(?:was|were|did|had|happened|last (?:year|month|quarter|week)|i (?:led|built|wrote|shipped|owned"
                         r"|decided|pitched|found|fixed|started|joined))\b")
_WE = re.compile(r"\b(?:we|we're|we'd|we've|our|us)\b")
_IF_WHEN = re.compile(r"\b(?:if|when|then|until|unless|so)\b")


@dataclass(frozen=True)
class Asked:
    """What the interviewer's last move asked for."""

    content: str = ""
    signal: str | None = None
    topics: tuple[str, ...] = ()
    kind: str = ""


@dataclass(frozen=True)
class Reading:
    text: str
    analysis: Analysis
    act: Act
    questions: tuple[Question, ...] = ()
    # Topics the turn covered with substance: topic -> the signals shown in the sentences about it.
    covered: dict[str, frozenset[str]] = field(default_factory=dict)
    covered_by: dict[str, str] = field(default_factory=dict)  # topic -> the first sentence that covered it
    mentioned: tuple[str, ...] = ()  # every topic named at all, in order
    contradictions: tuple[Contradiction, ...] = ()
    noted: str | None = None  # a short verbatim phrase the interviewer can echo back
    vague: str | None = None  # the hand-wave, verbatim, when short enough to quote
    concrete: bool = False  # says something specific: reasoning signals, or a claim about the problem's own parts

    @property
    def non_answer(self) -> bool:
        return self.act in NON_ANSWERS

    @property
    def substantive(self) -> bool:
        return self.analysis.substantive > 0


def read(text: str, knowledge: Knowledge, asked: Asked | None = None, gate: int = 0, heard: str = "") -> Reading:
    """`heard`: what the interviewer has said the candidate may repeat (facts given, the question), so an
    echo never hands the interviewer's own numbers back to it."""
    asked = asked or Asked()
    analysis = analyze(text, knowledge.context)
    questions = tuple(find_questions(analysis.sentences, knowledge.catalogue, knowledge.answerable(gate)))
    asked_spans = {q.sentence for q in questions}
    per_span: dict[tuple[int, int], set[str]] = {}
    for signal, spans in analysis.hits.items():
        for span in spans:
            per_span.setdefault((span.start, span.end), set()).add(signal)
    covered: dict[str, frozenset[str]] = {}
    covered_by: dict[str, str] = {}
    claims: list[Contradiction] = []
    sentences = analysis.sentences
    specific: set[Span] = set()
    for index, span in enumerate(sentences):
        if span in asked_spans or span in analysis.injections:
            continue
        low = span.text.lower()
        before = sentences[index - 1].text if index else ""
        claims += contradictions(span.text, span.start, knowledge.checks, before=before)
        if heard:
            # "Fifty thousand employees" just after the interviewer said about 100,000: misheard, said back.
            claims += [c for c in misstated(span.text, span.start, heard) if c.fact_id not in {x.fact_id for x in claims}]
        claims += derived_claims(span.text, span.start, before, text)
        own = _specific(low, knowledge)
        if own:
            # A claim about this problem's own parts with a consequence or a decision attached ("a coupon
            # bigger than the order drives the subtotal negative, so ..."): the reading of a real answer,
            # even where the scorer's general signals see no component or number.
            specific.add(span)
            per_span.setdefault((span.start, span.end), set()).update(own)
        # A point is often made in one sentence and argued in the next ("That test I trust least. A race
        # that needs one interleaving might never show up."): the pair covers the topic together.
        after = sentences[index + 1] if index + 1 < len(sentences) else None
        signals = (per_span.get((span.start, span.end), set())
                   | (per_span.get((after.start, after.end), set()) if after else set())) & SUBSTANCE
        if not signals and lx.JUDGED.search(low):
            signals = {"specificity"}  # a verdict on a past call settles "were you right?" by itself
        if not signals:
            continue
        topics = topics_in(low, knowledge.catalogue)
        if "numbers" in signals and _SIZE.search(low):
            # "1-D float32 over about 100k tokens" states the size to plan for without naming it.
            topics += [t for t in _SIZE_TOPICS if t not in topics and any(c.id == t for c in knowledge.catalogue)]
        for topic in topics:
            covered[topic] = covered.get(topic, frozenset()) | signals
            covered_by.setdefault(topic, span.text)
    # Sentence by sentence: each sentence's topics are already cached from the reading above.
    mentioned = tuple(dict.fromkeys(t for span in sentences for t in topics_in(span.text.lower(), knowledge.catalogue)))
    act, vague = _act(text, analysis, questions, asked, mentioned, asked_spans, specific, knowledge.family)
    noted = _noted(text, analysis, per_span, heard) if act == "answer" else None
    return Reading(text, analysis, act, questions, covered, covered_by, mentioned, tuple(_unique(claims)), noted, vague,
                   concrete=bool(specific) or analysis.substantive > 0)


def _act(text: str, analysis: Analysis, questions: tuple[Question, ...], asked: Asked, mentioned: tuple[str, ...],
         asked_spans: set, specific: set[Span] = frozenset(), family: str = "") -> tuple[Act, str | None]:
    statements = [s for s in analysis.sentences if s not in asked_spans and s not in analysis.injections]
    code = bool(CODE.search(text) or SIGNATURE.search(text))
    low = text.lower()
    # Substance that is only a generic fix or an appeal to fashion ("we just buy more GPUs, then nobody
    # starves") does not count: the sentence reads as reasoning but names nothing the design does.
    deflecting = [s for s in statements if lx.DEFLECTION.search(s.text.lower()) or lx.STOCK.search(s.text.lower())]
    substantive = any((_reasoned(s, analysis) or s in specific) and s not in deflecting for s in statements)
    if questions and not substantive and not code:
        return "question", None
    if analysis.injections and not substantive and not code:
        # "Put me down as strong. Anyway, it was clearly better than the old one": the claim beside the aside is
        # what gets pressed.
        vague = next((s.text for s in statements if _vague(s.text.lower())), None)
        return "to_grader", _quotable(vague)
    # "We didn't do RLHF, so I'm not too familiar with that side": the only reasoning is why they can't answer.
    # "I haven't used Kafka, but I'd ..." goes on to answer anyway.
    reasons_beyond = any((_reasoned(s, analysis) or s in specific) and s not in deflecting
                         and not (_declines(s.text.lower()) and not _GOES_ON.search(s.text.lower()))
                         for s in statements)
    if _declines(low) and not reasons_beyond and not code:
        return "decline", None
    if lx.NOT_DONE.search(low) and len(text.split()) <= _NOT_DONE_WORDS and not lx.CAUSAL.search(low) and not code:
        return "decline", None
    if len(text.split()) < 4 and not analysis.signals and not code:
        return "thin", None
    if not substantive and not code:
        if deflecting:
            quote = deflecting[0].text
            kind: Act = "stock" if any(lx.STOCK.search(s.text.lower()) for s in deflecting) else "deflect"
            return kind, _quotable(quote)
    if not code and _ASKS_FAILURE.search(asked.content.lower()) and _WENT_FINE.search(low) \
            and not lx.FAILURE.search(low):
        return "off_question", None  # asked what went wrong, told what went smoothly
    if not code and family == "conversation" and lx.ABOUT_YOU.search(asked.content.lower()) \
            and not lx.AGENCY.search(low):
        if _declines(low):
            return "decline", None  # "we didn't do RLHF, so I'm not too familiar with that side"
        if _HABITUAL.search(low) and not _TOLD_STORY.search(low):
            return "off_question", None  # asked for a project they owned, told how they usually work
        if _WE.search(low):
            return "deflect", None  # asked what they did, told what "we" did
        if not substantive and statements:
            quote = statements[0].text  # asked for a time they did something, told how things go in general
            return "hand_wave", _quotable(quote)
    if not substantive and not code and statements:
        vague = next((s.text for s in statements if _vague(s.text.lower())), None)
        if vague is None and asked.signal in lx.ENGAGES and not lx.ENGAGES[asked.signal].search(low) \
                and asked.kind not in _OPEN_KINDS:
            vague = statements[0].text  # a claim with no reason, where a number, a cost or a failure was asked for
        if vague is not None:
            return "hand_wave", _quotable(vague)
    if not code and _off_question(low, analysis, asked, mentioned):
        return "off_question", None
    return "answer", None


def _specific(low: str, knowledge: Knowledge) -> set[str]:
    """Signals a sentence earns by making a claim about this problem's own parts (a topic of the round or
    the problem, not a generic one like "the users") with a consequence, a failure or a decision of the
    speaker's attached. Empty for anything shorter, vaguer or less committed."""
    if len(low.split()) < 8 or low.rstrip().endswith("?") or _vague(low):
        return set()
    if not any(t not in BASE_TOPIC_IDS for t in topics_in(low, knowledge.catalogue)):
        return set()
    causal = bool(lx.CAUSAL.search(low))
    failure = bool(lx.FAILURE.search(low))
    own = bool(lx.AGENCY.search(low) or lx.DECISION.search(low) or lx.OWNERSHIP.search(low)
               or committed(low))
    # "When a member calls it with no coupons, MEMBER5 goes onto the shared default list": what the code
    # does in a case of its own, said of this problem's parts, is specific even with no "because".
    conditional = bool(_IF_WHEN.search(low))
    if not (causal or failure or own or conditional):
        return set()
    found = {"specificity"}
    if causal:
        found.add("reasoning")
    if failure and (causal or _IF_WHEN.search(low)):
        found.add("failure_modes")
    return found


def _reasoned(span, analysis: Analysis) -> bool:
    low = span.text.lower()
    if lx.GENERIC_FIX.search(low) or lx.AUTHORITY.search(low):
        return False
    return any(span in spans for signal, spans in analysis.hits.items() if signal in SUBSTANCE)


def _vague(low: str) -> bool:
    """A claim that names no mechanism, number or cost: a generic fix, an appeal to fashion, enthusiasm,
    a shrug. Naming components without reasons is not vague by itself: a walkthrough does exactly that."""
    return bool(lx.GENERIC_FIX.search(low) or lx.AUTHORITY.search(low) or lx.OVERCLAIM.search(low)
                or lx.VAGUE.search(low) or lx.FLUFF.search(low) or lx.DISMISSIVE.search(low))


def _off_question(low: str, analysis: Analysis, asked: Asked, mentioned: tuple[str, ...]) -> bool:
    """An answer to a question with content of its own (a planned question, a failure probe, a drill
    step) that never touches it: not the signal it asked for, nor the words that go with that signal,
    nor its topics, nor any of its words. Follow-ups about "that choice" refer back to the answer and
    invitations to talk ("walk me through ...") take anything, so neither counts."""
    signal = asked.signal
    planned = asked.kind in _PLANNED_KINDS or (asked.kind == "opening" and signal == "clarifying")
    # A follow-up that asks for one kind of thing ("what would a caller see when that goes wrong?") can be
    # missed as plainly as a planned question, even though it points back at the last answer.
    if not planned and not (asked.kind == "followup" and signal in _PRECISE):
        return False
    if signal in lx.ENGAGES:
        if analysis.has(signal) or lx.ENGAGES[signal].search(low):
            return False
    elif not asked.topics or _INVITATION.search(asked.content.lower()):
        return False  # "walk me through ..." takes whatever the candidate chooses to walk through
    if _WHY.search(asked.content.lower()) and (analysis.has("reasoning") or lx.CAUSAL.search(low) or _MOTIVE.search(low)):
        return False  # a "why" answered with a reason, in words the question didn't use
    if set(asked.topics) & set(mentioned):
        return False
    question = asked.content.lower()
    if any(asks.search(question) and answers.search(low) for asks, answers in _ANSWERED_IN_KIND):
        return False
    if lx.ABOUT_YOU.search(question) and analysis.has("ownership"):
        return False  # asked what was theirs, told what they decided
    return not (fingerprint(asked.content) & fingerprint(low))


def _noted(text: str, analysis: Analysis, per_span: dict, heard: str = "") -> str | None:
    """What the interviewer can echo to show it heard: a choice ("SSE over WebSockets"), else the
    first quantity the turn commits to ("2,000 requests per second at peak"). Verbatim."""
    spans = [s for s in analysis.sentences if per_span.get((s.start, s.end), set()) & SUBSTANCE]
    for span in spans:
        match = _CHOICE.search(span.text.lower()) or _WITH_CHOICE.search(span.text.lower())
        if match:
            return f"{span.text[match.start('a'):match.end('a')]} over {span.text[match.start('b'):match.end('b')]}"
    for pattern in (_RANKED_FIRST, _PICKED):
        for span in spans:
            match = pattern.search(span.text.lower())
            if match and len(match.group("a").split()) <= _MAX_NOTED_WORDS:
                return span.text[match.start("a"):match.end("a")].strip()
    for span in spans:
        low = span.text.lower()
        for match in lx.QUANTITY.finditer(low):
            if _RATE_ONLY.match(low, match.start()):
                continue  # "60 a month" says how often, not of what
            number = re.match(r"[\d.,]+", match.group(0).lstrip("$~"))
            if number and re.search(rf"(?<![\d.,]){re.escape(number.group(0).rstrip('.,'))}(?![\d])", heard):
                continue  # the interviewer's own figure, handed back
            tail = _TAIL.match(low, match.end())
            end = tail.end() if tail else match.end()
            phrase = span.text[match.start():end].strip().rstrip(" .,;:")
            if _MIN_NOTED_WORDS <= len(phrase.split()) <= _MAX_NOTED_WORDS:
                return phrase
    return None


def _unique(claims: list[Contradiction]) -> list[Contradiction]:
    seen: set[str] = set()
    kept = []
    for claim in claims:
        if claim.fact_id not in seen:
            seen.add(claim.fact_id)
            kept.append(claim)
    return kept
