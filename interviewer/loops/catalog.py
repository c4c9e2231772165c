"""The interview loops a candidate can run end to end: their stages, in order, with the real stage's length and
the round of this program that practises it.

A stage names a round id. When `rubrics/` has no such round (or none of the problems the stage wants), the
stage is listed as not yet available and the loop runs without it: a loop never stands in another round for a
stage it cannot practise. Adding the round's rubric makes the stage available with no change here.

`weight` is how much a stage counts in the debrief's overall level. Every write-up of these loops says the
committee does not read rounds equally: the work trial decides most SWE loops, system design and the project
presentation carry the most weight at senior level, the recruiter screen is a fit check, not a level read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from ..errors import InterviewerError


class UnknownLoopError(InterviewerError):
    title = "Unknown loop"


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    real_length: str  # how long the real stage runs, as reported ("45-60 min", "48-hour window")
    round: str  # the round id that practises it
    weight: float
    problems: tuple[str, ...] = ()  # the problems that fit this loop's role, in order; empty: any problem
    note: str = ""  # what the practice round leaves out of the real stage, said beside it


@dataclass(frozen=True)
class Loop:
    id: str
    title: str
    role: str  # the role on the setup screen that runs this loop
    target: str  # the level this loop is usually run for; `--level` changes it
    stages: tuple[Stage, ...]
    about: str

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def rounds(self) -> list[str]:
        """The rounds this loop's stages use, in stage order, each once."""
        return list(dict.fromkeys(stage.round for stage in self.stages))


# The stages both software loops share; the work trial weighs more where fewer rounds surround it.
_SWE_RECRUITER = Stage("recruiter", "Recruiter screen", "30 min", "recruiter-screen", 0.5, ("swe-generalist",))
_WORK_TRIAL = Stage("work-trial", "Work trial follow-up", "48-hour take-home, then a review", "work-trial", 1.0,
                    ("webhook-delivery-service", "rate-limited-api-client", "feature-on-existing-service",
                     "resumable-dataset-iterator"),
                    note="The 48 hours are yours to spend beforehand; the round is the conversation about what you "
                         "built.")
LOOPS: dict[str, Loop] = {loop.id: loop for loop in (
    Loop("swe", "Software engineer", "swe", "L4", about=(
        "Five interviewed stages over four to six weeks, then an offer call with team matching (not practised "
        "here). The paid 48-hour work trial is where most of these loops are decided."), stages=(
        _SWE_RECRUITER,
        Stage("tech-screen", "Technical screen: progressive coding", "60 min", "coding", 1.0),
        replace(_WORK_TRIAL, weight=1.5),
        Stage("system-design", "System design", "60 min", "system-design", 1.0),
        Stage("behavioral", "Behavioral and mission", "45 min", "behavioral", 1.0,
              ("ownership-and-pushback", "mission-and-safety")),
    )),
    Loop("senior-swe", "Senior software engineer", "senior-swe", "L5", about=(
        "Up to seven rounds over three to four weeks. System design and the project presentation weigh most; "
        "the presentation is not part of mid-level loops."), stages=(
        _SWE_RECRUITER,
        Stage("tech-screen", "Technical screen: four gates", "60 min", "coding", 1.0),
        _WORK_TRIAL,
        # One real 60-minute stage with two problems: a design problem built in steps, and a refactoring one.
        Stage("lld", "Coding and low-level design: the design problem", "60 min, with the refactoring problem",
              "coding-lld", 0.5, note="The real stage fits this and the refactoring problem into one 60-minute "
                                      "interview; here each is a sitting of its own."),
        Stage("refactor", "Coding and low-level design: the refactoring problem", "60 min, with the design problem",
              "coding-refactor", 0.5),
        Stage("system-design", "System design", "60 min", "system-design", 2.0),
        Stage("presentation", "Technical presentation", "45 min", "presentation", 1.5, ("own-project",)),
        Stage("behavioral", "Behavioral and mission", "45 min", "behavioral", 1.0,
              ("mission-and-safety", "ownership-and-pushback")),
    )),
    Loop("mle", "Machine learning engineer", "mle", "L5", about=(
        "A recruiter screen, a hiring-manager screen, one or more assessments (live coding, a take-home), then a "
        "final loop of four to six interviews; teams combine, reorder or skip stages. Usually four to six weeks."),
        stages=(
        Stage("recruiter", "Recruiter screen", "30-45 min", "recruiter-screen", 0.5, ("mle-candidate",)),
        Stage("hm-screen", "Hiring-manager screen: a model you built", "45-60 min", "ml-screen", 1.0),
        Stage("ml-coding", "ML coding, pair programming", "45-60 min", "ml-coding", 1.0),
        Stage("take-home", "Take-home follow-up", "a few hours to several days, then a review", "work-trial", 1.0,
              ("ml-eval-harness",),
              note="The take-home is yours to do beforehand; the round is the conversation about the evaluation "
                   "harness you built."),
        Stage("ml-design", "ML system design", "about 60 min", "ml-system-design", 1.5),
        Stage("deep-dive", "Project deep dive", "45-60 min", "presentation", 1.5, ("ml-project",)),
        Stage("behavioral", "Behavioral and collaboration", "30-60 min", "behavioral", 1.0,
              ("ml-experiments-and-concerns",)),
    )),
)}

# Stage ids that saved loop files may still hold, per loop, and the stage that took them over: the senior loop's
# single `coding-lld` stage, practised by the refactoring round, became `lld` and `refactor`.
RENAMED_STAGES: dict[tuple[str, str], str] = {("senior-swe", "coding-lld"): "refactor"}

# The roles on the setup screen, each with the loop it runs.
ROLES: dict[str, tuple[str, str]] = {loop.role: (loop.title, loop.id) for loop in LOOPS.values()}


def get_loop(loop_id: str) -> Loop:
    try:
        return LOOPS[loop_id]
    except KeyError:
        raise UnknownLoopError(f"no loop {loop_id!r}; choose one of: {', '.join(LOOPS)} "
                               "(see `interviewer loop list`)") from None


def stage_problems(stage: Stage, problem_ids: Iterable[str]) -> list[str] | None:
    """The problems a stage may run: those it wants that the round has (an empty list makes the stage
    unavailable); None when it wants none in particular, so any of the round's problems."""
    if not stage.problems:
        return None
    known = set(problem_ids)
    return [p for p in stage.problems if p in known]


def availability(loop: Loop, rounds: dict[str, list[str]]) -> dict[str, str]:
    """Per stage id, why it cannot be practised yet ("" when it can). `rounds` maps each round id the
    library has to its problem ids."""
    why = {}
    for stage in loop.stages:
        if stage.round not in rounds:
            why[stage.id] = f"not yet available: there is no `{stage.round}` round in the rubrics"
        elif stage_problems(stage, rounds[stage.round]) == []:
            why[stage.id] = (f"not yet available: the `{stage.round}` round has none of "
                             f"{', '.join(stage.problems)}")
        else:
            why[stage.id] = ""
    return why


def role_rounds(role: str, known: Iterable[str]) -> list[str]:
    """Every round `known`, those of the role's loop first in stage order (the rest after, sorted)."""
    known = list(known)
    first = [r for r in LOOPS[ROLES[role][1]].rounds() if r in known] if role in ROLES else []
    return first + sorted(set(known) - set(first))
