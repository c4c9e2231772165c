"""The rubric schema: what a round file in ``rubrics/`` must contain.

Every model forbids unknown fields so a typo in a rubric is an error that names the
field, not a silently ignored setting.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..understanding.topics import BASE_TOPIC_IDS

# The reasoning signals the engine tracks and the scorer weighs. A dimension lists the
# signals that feed it; the probe bank holds follow-ups for an answer that lacks one.
Signal = Literal[
    "numbers",  # a quantity attached to a claim: load, latency, memory, cost
    "reasoning",  # a claim with its cause or consequence ("because", "so that")
    "tradeoffs",  # a choice that names what it gives up
    "failure_modes",  # what breaks, paired with what the design does about it
    "scale",  # what changes at 10x / 100x / 1000x, what breaks first
    "breadth",  # covers the round's areas (client, API, serving, storage, cost ...)
    "clarifying",  # asks questions or states assumptions before building
    "testing",  # edge cases, tests, how the work is verified
    "complexity",  # time/space cost of the operations
    "ownership",  # first-person decisions, accountability, reflection
    "specificity",  # a concrete position with a reason, not enthusiasm
    "rigor",  # baselines, ablations, held-out evals, proving a gain is real
    "progress",  # coding gates reached and transitions explained
    "structure",  # how code is laid out: which part owns what, and what a boundary isolates or makes testable
    "signposting",  # drives the discussion: says where it is going and closes a part with the decision made
]
SIGNALS: tuple[str, ...] = Signal.__args__  # type: ignore[attr-defined]

Checkpoint = Literal["scale_drill", "failure_modes"]
Family = Literal["coding", "design", "conversation"]
Multiplier = Literal["10x", "100x", "1000x"]
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"{value!r} is not a lower-case id (letters, digits, '-' or '_')")
    return value


class Phase(Strict):
    """A stretch of the round with its own goal and time budget."""

    id: str
    title: str
    budget_min: float = Field(gt=0, description="Minutes this phase should take.")
    goal: str = Field(description="What the interviewer wants to learn here.")
    questions: list[str] = Field(
        default_factory=list,
        description="Asked in order. Empty when `ask_from` takes them from the problem.",
    )
    ask_from: Literal["phase", "requirements", "deep_dives", "failure_probes", "expected_issues", "gates"] = Field(
        default="phase",
        description="Where this phase's questions come from. `gates` walks the problem's coding gates.",
    )
    expects: list[Signal] = Field(
        default_factory=list,
        description="Signals a strong answer in this phase shows; a missing one draws a follow-up.",
    )
    max_followups: int = Field(default=2, ge=0, le=6)
    open_floor: bool = Field(
        default=False,
        description="The candidate's own questions: each turn that asks something is answered and the floor "
        "handed back, until the candidate has no more or the phase's time is up.",
    )
    checkpoints: list[Checkpoint] = Field(
        default_factory=list,
        description="Checks run when the phase ends: the scale drill and failure-mode probe fire only if "
        "the candidate has not already covered them.",
    )

    _id = field_validator("id")(_slug)

    @model_validator(mode="after")
    def _has_questions(self) -> "Phase":
        if self.ask_from == "phase" and not self.questions:
            raise ValueError("needs at least one entry in `questions`, or an `ask_from` source")
        return self


class Dimension(Strict):
    """One line of the scorecard."""

    id: str
    title: str
    weight: float = Field(default=1.0, gt=0)
    signals: list[Signal] = Field(min_length=1)
    below_bar: str
    good: str
    great: str
    phases: list[str] = Field(
        default_factory=list, description="Phases whose questions exercise this dimension; a session that never "
        "reached them (and never showed the dimension's main signal) leaves it not assessed.")
    unprompted: bool = Field(
        default=False, description="Great needs the main signal raised before the interviewer asked for it (scale "
        "drilled, failures raised, tradeoffs at transitions); answering well when asked is good. Leave false where "
        "the round's own questions ask for it (a walkthrough, what you would test).")

    _id = field_validator("id")(_slug)


class Topic(Strict):
    """Something a candidate may ask about or cover. Questions about it are answered from `facts`;
    a planned question about it is skipped once the candidate has covered it."""

    id: str
    title: str = Field(description="How the interviewer names it mid-sentence, e.g. 'the reconnect path'.")
    terms: list[str] = Field(min_length=1, description="Words that show a question or answer is about it.")

    _id = field_validator("id")(_slug)


class Quantity(Strict):
    unit: Literal["GB", "ms", "tokens/s", "writes/s", "usd/Mtok", "%"]
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> "Quantity":
        if self.min > self.max:
            raise ValueError(f"min {self.min:g} is above max {self.max:g}")
        return self


class ReferenceFact(Strict):
    """A fact the interviewer holds claims to: a stated number outside `quantity`'s range, or one of
    the `wrong_if` phrases, about this subject is challenged once, with `says`."""

    id: str
    says: str = Field(description="The fact as the interviewer states it.")
    about: list[str] = Field(
        min_length=1, description="Terms that must all appear near a claim for it to be about this fact; "
        "'fp16|16-bit' lists alternatives.")
    quantity: Quantity | None = None
    wrong_if: list[str] = Field(default_factory=list, description="Phrases that contradict the fact outright.")
    not_with: list[str] = Field(default_factory=list, description="Terms that mean a nearby number is about "
                                "something else (a KV cache, a whole node).")

    _id = field_validator("id")(_slug)

    @model_validator(mode="after")
    def _checkable(self) -> "ReferenceFact":
        if self.quantity is None and not self.wrong_if:
            raise ValueError("give a `quantity` range or `wrong_if` phrases, or the fact can never be checked")
        return self


class Levels(Strict):
    L4: str
    L5: str
    L6: str


class DrillStep(Strict):
    multiplier: Multiplier
    prompt: str = Field(description="What the interviewer asks at this step.")
    expect: str = Field(description="What breaks at this scale and what a strong answer changes.")


class Gate(Strict):
    """One stage of a progressive coding problem."""

    id: str
    title: str
    adds: str = Field(description="The requirement this gate adds, as told to the candidate.")
    transition_probe: str = Field(description="The tradeoff question asked before the next gate opens.")
    budget_min: float = Field(gt=0)
    pass_bar: str = Field(description="What a passing solution for this gate does (for the scorer; never shown).")
    hints: list[str] = Field(default_factory=list)
    facts: dict[str, str] = Field(default_factory=dict, description="Answers that hold once this gate is revealed.")

    _id = field_validator("id")(_slug)


class Problem(Strict):
    id: str
    title: str
    prompt: str = Field(description="The problem statement the candidate hears.")
    requirements: list[str] = Field(default_factory=list, description="What a strong candidate elicits.")
    reference_numbers: list[str] = Field(default_factory=list)
    deep_dives: list[str] = Field(default_factory=list)
    failure_probes: list[str] = Field(default_factory=list)
    scale_drill: list[DrillStep] = Field(default_factory=list)
    gates: list[Gate] = Field(default_factory=list)
    code: str | None = Field(default=None, description="Code handed to the candidate (refactoring rounds).")
    expected_issues: list[str] = Field(default_factory=list)
    hints: list[str] = Field(default_factory=list)
    great_examples: dict[str, str] = Field(
        default_factory=dict, description="dimension id -> what a great answer sounds like for this problem, in the "
        "candidate's voice.")
    topics: list[Topic] = Field(default_factory=list, description="Topics of this problem beyond the round's.")
    facts: dict[str, str] = Field(default_factory=dict, description="topic id -> what the interviewer says when asked.")
    reference_facts: list[ReferenceFact] = Field(default_factory=list)

    _id = field_validator("id")(_slug)

    @model_validator(mode="after")
    def _drill_in_order(self) -> "Problem":
        order = [step.multiplier for step in self.scale_drill]
        if order and order != ["10x", "100x", "1000x"][: len(order)]:
            raise ValueError("scale_drill steps must run 10x, then 100x, then 1000x")
        return self


class Area(Strict):
    """Part of the system a full-stack answer touches (client, API, storage, cost ...)."""

    id: str
    title: str
    terms: list[str] = Field(min_length=1)

    _id = field_validator("id")(_slug)


class Rubric(Strict):
    id: str
    title: str
    family: Family
    summary: str
    duration_min: int = Field(gt=0, le=240)
    pass_bar: str = Field(description="What it takes to pass this round, per level.")
    opening: str = Field(description="The interviewer's first words, before the problem.")
    phases: list[Phase] = Field(min_length=1)
    dimensions: list[Dimension] = Field(min_length=2)
    levels: Levels
    vocabulary: list[str] = Field(min_length=5)
    areas: list[Area] = Field(default_factory=list)
    probe_bank: dict[Signal, list[str]] = Field(
        description="Follow-ups keyed by the signal an answer lacks.",
    )
    hints: list[str] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list, description="Topics every problem of this round shares.")
    facts: dict[str, str] = Field(default_factory=dict, description="Answers every problem of this round shares.")
    reference_facts: list[ReferenceFact] = Field(default_factory=list)
    open_answer: str = Field(
        default="{topic} is your call: state your assumption and keep going.",
        description="What the interviewer says when asked about something the problem leaves open; {topic} is "
        "replaced by what was asked about, or by 'that'.")
    wrap_up: str = Field(description="What the interviewer says when the round ends.")
    problems: list[Problem] = Field(min_length=1)

    _id = field_validator("id")(_slug)

    @model_validator(mode="after")
    def _consistent(self) -> "Rubric":
        _unique("phases", [p.id for p in self.phases])
        _unique("dimensions", [d.id for d in self.dimensions])
        _unique("problems", [p.id for p in self.problems])
        budget = sum(p.budget_min for p in self.phases)
        if budget > self.duration_min + 0.01:
            raise ValueError(f"phase budgets add up to {budget:g} min, more than duration_min {self.duration_min}")
        for signal, probes in self.probe_bank.items():
            if not probes:
                raise ValueError(f"probe_bank.{signal} is empty: give at least one follow-up")
        expected = {s for p in self.phases for s in p.expects}
        missing = sorted(expected - set(self.probe_bank))
        if missing:
            raise ValueError(f"phases expect {missing} but probe_bank has no follow-ups for them")
        self._check_checkpoints()
        phase_ids = {p.id for p in self.phases}
        for dimension in self.dimensions:
            unknown = sorted(set(dimension.phases) - phase_ids)
            if unknown:
                raise ValueError(f"dimensions.{dimension.id}.phases: no phase {unknown[0]!r}; use one of {sorted(phase_ids)}")
        if any("breadth" in d.signals for d in self.dimensions) and not self.areas:
            raise ValueError("a dimension scores `breadth` but the rubric lists no `areas`")
        for problem in self.problems:
            self._check_problem(problem)
        return self

    def _check_checkpoints(self) -> None:
        """A checkpoint exists to see whether the candidate raises something unprompted; a
        follow-up for the same signal in that phase or an earlier one would prompt it first."""
        signal_of = {"failure_modes": "failure_modes", "scale_drill": "scale"}
        for index, phase in enumerate(self.phases):
            for checkpoint in phase.checkpoints:
                signal = signal_of[checkpoint]
                for earlier in self.phases[: index + 1]:
                    if signal in earlier.expects:
                        raise ValueError(
                            f"phases.{earlier.id}.expects lists {signal!r}, but phase {phase.id!r} checks "
                            f"{checkpoint} at its end; remove {signal!r} there so the checkpoint can tell "
                            "whether the candidate raised it unprompted"
                        )

    def _check_problem(self, problem: Problem) -> None:
        where = f"problems.{problem.id}"
        sources = {p.ask_from for p in self.phases}
        checkpoints = {c for p in self.phases for c in p.checkpoints}
        if "gates" in sources:
            if len(problem.gates) != 4:
                raise ValueError(f"{where}: a gated round needs exactly 4 gates, found {len(problem.gates)}")
            _unique(f"{where}.gates", [g.id for g in problem.gates])
        for source in sources - {"phase", "gates"}:
            if not getattr(problem, source):
                raise ValueError(f"{where}: a phase asks from `{source}` but the problem has none")
        if "scale_drill" in checkpoints and len(problem.scale_drill) != 3:
            raise ValueError(f"{where}: the round runs a scale drill, so give 10x, 100x and 1000x steps")
        if "failure_modes" in checkpoints and not problem.failure_probes:
            raise ValueError(f"{where}: the round checks failure modes, so give at least one failure_probe")
        if "expected_issues" in sources and not problem.code:
            raise ValueError(f"{where}: a refactoring problem needs the `code` to hand over")
        self._check_knowledge(problem, where)
        dimension_ids = [d.id for d in self.dimensions]
        unknown = sorted(set(problem.great_examples) - set(dimension_ids))
        if unknown:
            raise ValueError(f"{where}.great_examples: no dimension {unknown[0]!r}; use one of the round's dimension ids")
        missing = [d for d in dimension_ids if d not in problem.great_examples]
        if missing:
            raise ValueError(f"{where}.great_examples: no example for {missing[0]!r}; every dimension needs one "
                             "for every problem, written for that problem")

    def _check_knowledge(self, problem: "Problem", where: str) -> None:
        round_topics = [t.id for t in self.topics]
        _unique("topics", round_topics)
        _unique(f"{where}.topics", [t.id for t in problem.topics])
        clash = sorted(set(round_topics) & {t.id for t in problem.topics})
        if clash:
            raise ValueError(f"{where}.topics: {clash} already defined at the round level; give them other ids")
        known = BASE_TOPIC_IDS | set(round_topics) | {t.id for t in problem.topics}
        places = [("facts", self.facts), (f"{where}.facts", problem.facts),
                  *((f"{where}.gates.{g.id}.facts", g.facts) for g in problem.gates)]
        for place, facts in places:
            unknown = sorted(set(facts) - known)
            if unknown:
                raise ValueError(f"{place}: no topic {unknown[0]!r}; add it to `topics` (round or problem) "
                                 f"or use a base topic ({', '.join(sorted(BASE_TOPIC_IDS))})")
        _unique(f"{where}.reference_facts", [f.id for f in (*self.reference_facts, *problem.reference_facts)])

    def problem(self, problem_id: str) -> Problem:
        for problem in self.problems:
            if problem.id == problem_id:
                return problem
        raise KeyError(problem_id)

    @property
    def gated(self) -> bool:
        return any(p.ask_from == "gates" for p in self.phases)


def _unique(where: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{where}: id {item!r} appears twice")
        seen.add(item)
