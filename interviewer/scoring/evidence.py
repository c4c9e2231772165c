"""Collect evidence from a transcript.

Each sentence of a candidate turn that shows a signal is a unit, marked proactive (raised unasked) or
prompted (answering a question that asked for it), and tagged with the phase it was said in. Repeats are
counted once, so saying the same thing twice earns nothing. A sentence that contradicts one of the
problem's reference facts is never evidence: it is a correction the card lists. Alongside the units,
the collector records what the session exercised (the phases the candidate answered in, the signals the
interviewer asked for) and how the answers sit against the problem (relevance).
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field

from ..rubric.schema import Problem, Rubric
from ..transcript import Transcript, Turn
from ..understanding import lexicon as lx
from ..understanding.arithmetic import derived_claims
from ..understanding.claims import contradictions
from ..understanding.knowledge import Knowledge
from ..understanding.signals import Analysis, Span, analyze, derived, fingerprint, thin
from ..engine.state import TARGETS
from .gates import gates_reached
from .relevance import Relevance, index_for, relevance
from .repeats import Said

_PHASE_MATCH = 0.3  # content-word overlap at which an interviewer line is taken as a phase's planned question
# Kinds of support a sentence can give a point; a sentence showing two kinds argues its point rather than
# asserting it. A stance with its reason, or a decision of one's own, is one kind however it is read
# (specificity is defined as a stance with a reason, so it never counts twice with reasoning).
_CONTINUES = re.compile(r"(?:that|this|it|so|because|which|otherwise|the reason|the cost|the catch|the downside"
                        r"|the point|the price|that's|this is|it's|then)\b")
_BACK_REFERENCE = re.compile(r"\b(?:that|this|the same) (?:choice|decision|call|tradeoff|trade-off|approach|design)\b")
_SUPPORT = {"numbers": "numbers", "reasoning": "position", "specificity": "position", "ownership": "position",
            "tradeoffs": "tradeoffs", "failure_modes": "failure_modes", "scale": "scale", "complexity": "complexity",
            "rigor": "rigor", "testing": "testing"}
# Signals that support only their own unit: a sentence that says where the design goes next, or which class owns
# what, argues that point when it also gives a reason, but its structure is no reason for the sentence's other points.
_OWN_SUPPORT = frozenset({"structure", "signposting"})


@dataclass(frozen=True)
class Unit:
    signal: str
    turn: int
    span: Span
    proactive: bool
    phase: str | None = None
    defended: bool = False  # the sentence also gives a reason, a number, a cost or a failure: argued, not asserted
    weak: bool = False  # hedged ("maybe three or five times"), or argued by a bare quality ("because it's reliable")


@dataclass(frozen=True)
class Correction:
    """A claim that contradicts a reference fact: the candidate's sentence and the fact."""

    turn: int
    claim: str
    fact: str
    fact_id: str
    signals: frozenset[str] = frozenset()  # what the sentence would have counted as evidence for


@dataclass
class Evidence:
    units: dict[str, list[Unit]] = field(default_factory=dict)
    analyses: dict[int, Analysis] = field(default_factory=dict)
    name_drops: list[tuple[int, Span]] = field(default_factory=list)
    injections: list[tuple[int, Span]] = field(default_factory=list)
    fluff: list[tuple[int, Span]] = field(default_factory=list)
    blame: list[tuple[int, Span]] = field(default_factory=list)
    substantive: int = 0
    reasons: int = 0  # sentences shaped as an argument
    quantities: int = 0  # figures said in the answers ("500 ms", "about 100,000 employees")
    hollow: list[tuple[int, Span]] = field(default_factory=list)  # of those, the ones whose reason says nothing
    areas: dict[str, Unit] = field(default_factory=dict)
    gates: list[dict] = field(default_factory=list)
    gates_inferred: bool = False
    corrections: list[Correction] = field(default_factory=list)
    # What the session exercised: phases the candidate answered in, signals the interviewer asked for.
    phases: set[str] = field(default_factory=set)
    asked: set[str] = field(default_factory=set)
    answers: int = 0  # candidate turns
    relevance: Relevance = field(default_factory=lambda: Relevance(ratio=0.0, judged=False))

    def of(self, signal: str) -> list[Unit]:
        return self.units.get(signal, [])


def prompted_signals(turn: Turn | None) -> set[str]:
    """What the interviewer's question asked for: from the engine's record when there is
    one, and from the wording in any case (plain-text transcripts have only wording)."""
    if turn is None or turn.role != "interviewer":
        return set()
    asked: set[str] = set()
    if turn.move:
        target = turn.move.get("signal") or TARGETS.get(turn.move.get("kind", ""))
        if target:
            asked.add(target)
    low = turn.text.lower()
    asked |= {signal for signal, cue in lx.PROMPT_CUES.items() if cue.search(low)}
    return asked


def collect(transcript: Transcript, rubric: Rubric, problem: Problem | None, knowledge: Knowledge) -> Evidence:
    evidence = Evidence()
    seen: dict[str, Said] = {}  # per signal, what was already said: saying it again earns nothing
    previous: Turn | None = None
    phase_of = _PhaseReader(rubric, problem)
    phase: str | None = rubric.phases[0].id if rubric.phases else None
    for turn in transcript.turns:
        if turn.role == "interviewer":
            previous = turn
            phase = turn.phase or phase_of(turn.text, phase)
            continue
        evidence.answers += 1
        where = turn.phase or phase
        if where:
            evidence.phases.add(where)
        asked = prompted_signals(previous)
        if previous is not None:
            evidence.asked |= asked
        analysis = analyze(turn.text, knowledge.context)
        evidence.analyses[turn.n] = analysis
        evidence.substantive += analysis.substantive
        evidence.reasons += analysis.reasons
        evidence.quantities += len(lx.QUANTITY.findall(turn.text.lower()))
        evidence.hollow += [(turn.n, s) for s in analysis.hollow]
        evidence.name_drops += [(turn.n, s) for s in analysis.name_drops]
        evidence.injections += [(turn.n, s) for s in analysis.injections]
        evidence.fluff += [(turn.n, s) for s in analysis.fluff]
        evidence.blame += [(turn.n, s) for s in analysis.blame]
        wrong = _corrections(turn, analysis, knowledge, evidence)
        shown: dict[int, set[str]] = {}
        argued: set[int] = set()  # sentences of this turn that defend a point
        for signal, spans in analysis.hits.items():
            for span in spans:
                shown.setdefault(span.start, set()).add(signal)
        # A sentence that opens by pointing back ("That keeps ...", "So ...", "Because ...") argues the one before.
        next_start = {a.start: b.start for a, b in zip(analysis.sentences, analysis.sentences[1:])
                      if _CONTINUES.match(b.text.lower())}
        # "Customers who need order pay for that choice": a cost that names the choice before it is argued by
        # that sentence's reason.
        previous_start = {b.start: a.start for a, b in zip(analysis.sentences, analysis.sentences[1:])
                          if _BACK_REFERENCE.search(b.text.lower())}
        # An estimate worked out in its sentence shows its argument: read once per sentence, not per signal.
        worked_out = {s.start for s in analysis.sentences if derived(s.text.lower())}
        hedged = {s.start for s in analysis.sentences if lx.HEDGE.search(s.text.lower())}
        shallow = hedged | {s.start for s in analysis.sentences if thin(s.text.lower())}
        echoed = _echoed_numbers(analysis, previous)
        for start in echoed:
            shown[start].discard("numbers")
        priced = _echoed_costs(analysis, previous)
        for start in priced:
            shown[start].discard("tradeoffs")
        for signal, spans in analysis.hits.items():
            for span in spans:
                key = fingerprint(span.text)
                if span.start in wrong or seen.setdefault(signal, Said()).repeats(key):
                    continue
                if (signal == "numbers" and span.start in echoed) or (signal == "tradeoffs" and span.start in priced):
                    continue
                seen[signal].add(key)
                # Argued, not asserted: two kinds of support in the sentence, or in it and the sentence that
                # points back to it or that it points back to ("I'd shard by tenant. That keeps one noisy
                # customer from starving the rest.").
                support = {_SUPPORT[x] for x in shown[span.start] if x in _SUPPORT}
                if signal in _OWN_SUPPORT:
                    support.add(signal)
                    # A boundary argued by what it bought; an order of discussion given with its reason.
                    why = lx.STRUCTURE_WHY if signal == "structure" else lx.CAUSAL
                    if why.search(span.text.lower()):
                        support.add("position")
                if span.start in worked_out:
                    support.add("arithmetic")
                defended = len(support) >= 2 or any(
                    len(support | {_SUPPORT[x] for x in shown.get(other, ()) if x in _SUPPORT}) >= 2
                    for other in (next_start.get(span.start), previous_start.get(span.start)) if other is not None)
                # A hedged sentence ("I'd probably ...", "maybe ...") asserts whatever reason it gives.
                defended = defended and span.start not in hedged
                evidence.units.setdefault(signal, []).append(
                    Unit(signal, turn.n, span, signal not in asked, where, defended,
                         span.start in shallow))
                if defended and signal not in _OWN_SUPPORT:
                    argued.add(span.start)
        for area_id in sorted(analysis.areas):
            spans = [s for s in analysis.hits.get("breadth", []) if s.start not in wrong]
            if (area_id in evidence.areas and evidence.areas[area_id].defended) or not spans:
                continue
            # The part of the system is covered best by a sentence that argues about it, else by the first that
            # says how it works; an argued mention later in the session replaces an asserted one.
            pattern = dict(knowledge.context.areas).get(area_id)
            about = [s for s in spans if pattern is not None and pattern.search(s.text.lower())] or spans
            best = next((s for s in about if s.start in argued), about[0])
            if area_id not in evidence.areas or best.start in argued:
                evidence.areas[area_id] = Unit("breadth", turn.n, best, "breadth" not in asked, where,
                                               best.start in argued)
    evidence.gates, evidence.gates_inferred = gates_reached(transcript, evidence.analyses)
    index = index_for(_rubric_folder())
    evidence.relevance = relevance([t.text for t in transcript.candidate_turns()], index, rubric.id, transcript.problem)
    return evidence


def _echoed_numbers(analysis: Analysis, question: Turn | None) -> set[int]:
    """Sentences whose every quantity was already in the interviewer's question: repeating the 2% the
    scenario gave is not quantifying anything."""
    if question is None:
        return set()
    asked = {q.strip() for q in lx.QUANTITY.findall(question.text.lower())}
    echoed = set()
    for span in analysis.hits.get("numbers", []):
        said = {q.strip() for q in lx.QUANTITY.findall(span.text.lower())}
        if said and said <= asked:
            echoed.add(span.start)
    return echoed


def _echoed_costs(analysis: Analysis, question: Turn | None) -> set[int]:
    """Sentences read as tradeoffs only because they name the cost the question asked about: "what does this
    cost?" answered with "cost is a really important consideration" prices no choice. A stated price of a
    choice, or what the alternative would have meant, still counts."""
    if question is None:
        return set()
    asked = _costs_named(question.text.lower())
    echoed = set()
    for span in analysis.hits.get("tradeoffs", []):
        low = span.text.lower()
        costs = _costs_named(low)
        if costs and costs <= asked and not (lx.GIVE_UP.search(low) or lx.COUNTERFACTUAL.search(low)):
            echoed.add(span.start)
    return echoed


def _costs_named(low: str) -> set[str]:
    return {m.group(0).rstrip("s") for m in lx.COST.finditer(low)}  # "costs" names the cost "cost" named


def _corrections(turn: Turn, analysis: Analysis, knowledge: Knowledge, evidence: Evidence) -> set[int]:
    """Record the sentences of a turn that contradict reference facts; returns their start offsets."""
    wrong: set[int] = set()
    for index, span in enumerate(analysis.sentences):
        if span in analysis.injections:
            continue
        before = analysis.sentences[index - 1].text if index else ""
        derived = derived_claims(span.text, span.start, before, analysis.text)
        for claim in contradictions(span.text, span.start, knowledge.checks, before=before) + derived:
            wrong.add(span.start)
            if not any(c.fact_id == claim.fact_id for c in evidence.corrections):
                shown = frozenset(signal for signal, spans in analysis.hits.items() if span in spans)
                evidence.corrections.append(Correction(turn.n, span.text, claim.says, claim.fact_id, shown))
    return wrong


def _rubric_folder():
    from ..resources import rubrics_dir

    return rubrics_dir()


class _PhaseReader:
    """Which phase an interviewer line belongs to, for transcripts that don't record it: the phase whose
    planned questions it matches best, else the phase it was already in (interviews move forward)."""

    def __init__(self, rubric: Rubric, problem: Problem | None) -> None:
        self.questions: list[tuple[str, frozenset[str]]] = []
        for phase in rubric.phases:
            if phase.ask_from == "phase":
                texts = list(phase.questions)
            elif phase.ask_from == "gates":
                texts = [g.adds for g in problem.gates] if problem else []
            else:
                texts = list(getattr(problem, phase.ask_from, []) or []) if problem else []
            self.questions += [(phase.id, fingerprint(t)) for t in texts]

    def __call__(self, text: str, current: str | None) -> str | None:
        words = fingerprint(text)
        best, score = current, 0.0
        for phase_id, question in self.questions:
            value = len(words & question) / max(1, len(question))
            if value > score:
                best, score = phase_id, value
        return best if score >= _PHASE_MATCH else current

