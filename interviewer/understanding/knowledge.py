"""What the interviewer knows about the problem in play: its topics, the facts it gives when asked,
and the reference facts it holds claims to. Built once per session from the rubric."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .claims import FactCheck
from .signals import Context
from .topics import BASE_TOPICS, TopicTerms, compile_topics

if TYPE_CHECKING:
    from ..rubric.schema import Problem, Rubric


@dataclass(frozen=True)
class Knowledge:
    context: Context
    catalogue: tuple[TopicTerms, ...] = ()
    titles: dict[str, str] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)  # topic -> answer, for the whole problem
    gate_facts: tuple[dict[str, str], ...] = ()  # per coding gate: facts that hold once it is revealed
    checks: tuple[FactCheck, ...] = ()
    family: str = ""  # the rubric's family: "conversation" rounds ask about the candidate's own work

    def facts_at(self, gate: int = 0) -> dict[str, str]:
        """The facts in force: the problem's, updated by every gate revealed so far."""
        facts = dict(self.facts)
        for number, extra in enumerate(self.gate_facts, start=1):
            if number <= gate:
                facts.update(extra)
        return facts

    def answerable(self, gate: int = 0) -> frozenset[str]:
        return frozenset(self.facts_at(gate))

    def title(self, topic: str) -> str:
        return self.titles.get(topic, topic.replace("_", " "))


def knowledge_for(rubric: "Rubric", problem: "Problem | None") -> Knowledge:
    """What the interviewer knows in a session of `problem`; with no problem (a transcript recorded
    elsewhere, for a problem this library doesn't have), what the round alone knows."""
    problem_topics = problem.topics if problem else []
    topics = [*BASE_TOPICS, *((t.id, t.title, tuple(t.terms)) for t in rubric.topics),
              *((t.id, t.title, tuple(t.terms)) for t in problem_topics)]
    catalogue = compile_topics(topics)
    checks = tuple(
        FactCheck.build(f.id, f.says, list(f.about), f.quantity.unit if f.quantity else None,
                        f.quantity.min if f.quantity else 0.0, f.quantity.max if f.quantity else 0.0,
                        list(f.wrong_if), list(f.not_with))
        for f in (*rubric.reference_facts, *(problem.reference_facts if problem else ()))
    )
    return Knowledge(
        context=Context.build(tuple(rubric.vocabulary), tuple((a.id, tuple(a.terms)) for a in rubric.areas)),
        catalogue=catalogue,
        titles={topic_id: title for topic_id, title, _ in topics},
        facts={**rubric.facts, **(problem.facts if problem else {})},
        gate_facts=tuple(dict(g.facts) for g in problem.gates) if problem else (),
        checks=checks,
        family=str(rubric.family),
    )
