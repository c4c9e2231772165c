"""The blind graded set (tests/fixtures/graded): does the scorer order and level transcripts the way an
experienced interviewer would? Run directly (`python tests/test_graded.py`) for the agreement report.

Pairwise ordering is the hard requirement; level agreement (overall, level signal, each dimension) is
measured against the levels the set's author allowed (expected.yaml), and must not fall below what the
scorer reached when this file was written.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
GRADED = HERE / "fixtures" / "graded"
LEVEL_STEPS = {"below_bar": 0, "good": 1, "great": 2}


@dataclass
class Card:
    score: float
    overall: str
    signal: str
    dimensions: dict[str, str]
    dimension_scores: dict[str, float] = field(default_factory=dict)


@dataclass
class Agreement:
    hits: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.total += 1
        self.hits += ok
        if not ok:
            self.misses.append(what)

    def __str__(self) -> str:
        return f"{self.hits}/{self.total}"


def _signal(card) -> str:
    value = getattr(card, "level_signal", "") or ""
    return {"below L4": "below_L4"}.get(value, value)


def scored(key: str, folder: Path = GRADED) -> Card:
    from interviewer.rubric import RubricLibrary
    from interviewer.scoring import score
    from interviewer.transcript import load_transcript

    transcript = load_transcript(folder / f"{key}.txt")
    card = score(transcript, RubricLibrary().load(transcript.round).rubric)
    return Card(card.overall_score, card.overall_level, _signal(card), {d.id: d.level for d in card.dimensions},
                {d.id: d.score for d in card.dimensions})


def _allowed(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def evaluate(folder: Path = GRADED) -> dict[str, Agreement]:
    """Agreement of the scorer with a graded set's expectations (`expected.yaml` in `folder`)."""
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    cards = {key: scored(key, folder) for key in expected if "/" in key}
    result = {name: Agreement() for name in ("ordering", "equal", "within_one", "overall", "level_signal", "dimensions")}
    for set_name, pairs in expected["ordering"].items():
        for high, low in pairs:
            a, b = cards[f"{set_name}/{high}"], cards[f"{set_name}/{low}"]
            result["ordering"].add(a.score > b.score, f"{set_name}: {high} {a.score:.1f} > {low} {b.score:.1f}")
    for set_name, pairs in (expected.get("equal") or {}).items():
        for one, other in pairs:
            a, b = cards[f"{set_name}/{one}"], cards[f"{set_name}/{other}"]
            same = (a.overall, a.signal, a.dimensions) == (b.overall, b.signal, b.dimensions)
            result["equal"].add(same, f"{set_name}: {one} == {other}")
    for set_name, pairs in (expected.get("within_one_level") or {}).items():
        for one, other in pairs:
            a, b = cards[f"{set_name}/{one}"], cards[f"{set_name}/{other}"]
            ok = a.overall in LEVEL_STEPS and b.overall in LEVEL_STEPS and \
                abs(LEVEL_STEPS[a.overall] - LEVEL_STEPS[b.overall]) <= 1
            result["within_one"].add(ok, f"{set_name}: {one} {a.overall} ~ {other} {b.overall}")
    if expected.get("dimension_ordering"):
        # [higher, lower, dimension]: the first file must score higher on that one dimension.
        result["dimension_ordering"] = Agreement()
        for set_name, triples in expected["dimension_ordering"].items():
            for high, low, dim in triples:
                a, b = cards[f"{set_name}/{high}"], cards[f"{set_name}/{low}"]
                hi, lo = a.dimension_scores.get(dim), b.dimension_scores.get(dim)
                ok = hi is not None and lo is not None and hi > lo
                result["dimension_ordering"].add(ok, f"{set_name}: {high} > {low} on {dim} "
                                                     f"({'missing' if hi is None else f'{hi:.1f}'} vs "
                                                     f"{'missing' if lo is None else f'{lo:.1f}'})")
    for key, want in expected.items():
        if "/" not in key:
            continue
        card = cards[key]
        result["overall"].add(card.overall in _allowed(want["overall"]), f"{key}: overall {card.overall}, want {want['overall']}")
        result["level_signal"].add(card.signal in _allowed(want["level_signal"]),
                                   f"{key}: signal {card.signal}, want {want['level_signal']}")
        for dim, level in want["dimensions"].items():
            got = card.dimensions.get(dim, "missing")
            result["dimensions"].add(got in _allowed(level), f"{key}: {dim} {got}, want {level}")
    return result


@pytest.fixture(scope="module")
def agreement() -> dict[str, Agreement]:
    return evaluate()


# Agreement reached so far (the first run, on the scorer before this set shaped anything, got ordering 55/65,
# equal 3/3, within_one 6/6, overall 29/39, level_signal 22/39, dimensions 107/196). A change that scores
# worse on a measure fails; one that scores better should raise its floor here. Lowered once, dimensions 121 to
# 120 (2026-12-03): "a fully masked row" had been read as an overclaim ("fully"), which kept ml-coding/middling's
# correct explanation of NaN rows from counting; counted, it takes numerical stability to great where the set says
# good. Ordering rose to 60 with the new dimensions of that day.
FLOORS = {"ordering": 63, "equal": 3, "within_one": 6, "overall": 32, "level_signal": 33, "dimensions": 128}


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_agreement_does_not_fall_below_its_floor(agreement, measure):
    reached = agreement[measure]
    assert reached.hits >= FLOORS[measure], f"{measure} {reached} (floor {FLOORS[measure]}):\n" + "\n".join(reached.misses)


# Later sets, each with the floors it reached. blind2 (tests/fixtures/blind2), written after the scorer changes of
# 2026-12-03 and first run then, is still blind: only its figures are shown, since the misses would show which
# files to tune toward. blind3 (communication in the design rounds, code structure in the work trial) had its misses
# read after its second run, so it is a regression check now, not a blind one (its README has the history).
BLIND2 = HERE / "fixtures" / "blind2"
BLIND3 = HERE / "fixtures" / "blind3"
BLIND4 = HERE / "fixtures" / "blind4"
BLIND5 = HERE / "fixtures" / "blind5"
BLIND6 = HERE / "fixtures" / "blind6"
LATER_SETS = {
    "blind2": (BLIND2, {"ordering": 59, "equal": 3, "within_one": 3, "overall": 20, "level_signal": 22,
                        "dimensions": 116}, False),
    "blind3": (BLIND3, {"ordering": 32, "equal": 3, "within_one": 6, "overall": 16, "level_signal": 16,
                        "dimensions": 104, "dimension_ordering": 23}, True),
    # blind4 (reasons in their own sentences; the shapes of reasoning without substance): its misses chose the
    # hollow-reason rule, so it is a tuning set now (see its README).
    "blind4": (BLIND4, {"ordering": 58, "equal": 0, "within_one": 8, "overall": 26, "level_signal": 25,
                        "dimensions": 120, "dimension_ordering": 40}, True),
    # blind5 (recruiter screen, ML coding, coding with design, behavioral mission; off-problem, grader-addressing
    # and short sessions): its misses chose the rules after its second result, so it is a tuning set now.
    "blind5": (BLIND5, {"ordering": 61, "equal": 0, "within_one": 4, "overall": 31, "level_signal": 31,
                        "dimensions": 166, "dimension_ordering": 42}, True),
    # blind6 (coding screen, ML screen, system design on metrics ingestion, ML design on the training-data
    # pipeline): blind, figures only.
    "blind6": (BLIND6, {"ordering": 63, "equal": 0, "within_one": 4, "overall": 33, "level_signal": 33,
                        "dimensions": 187, "dimension_ordering": 41}, False),
}


@pytest.fixture(scope="module")
def later_agreement() -> dict[str, dict[str, Agreement]]:
    return {name: evaluate(folder) for name, (folder, _, _) in LATER_SETS.items()}


@pytest.mark.parametrize("name,measure", [(name, measure) for name, (_, floors, _) in LATER_SETS.items()
                                          for measure in sorted(floors)])
def test_later_sets_do_not_fall_below_their_floors(later_agreement, name, measure):
    _, floors, show_misses = LATER_SETS[name]
    reached = later_agreement[name][measure]
    misses = "\n" + "\n".join(reached.misses) if show_misses else ""
    assert reached.hits >= floors[measure], f"{name} {measure} {reached} (floor {floors[measure]}){misses}"


# Sets still blind: `report` prints their figures only, since a miss names the file to tune toward.
BLIND = {BLIND2, BLIND6}


def report(folder: Path = GRADED, details: bool = False) -> int:
    result = evaluate(folder)
    show = details or folder.resolve() not in {b.resolve() for b in BLIND}
    for name, agreement in result.items():
        print(f"{name:14} {agreement}")
        for miss in agreement.misses if show else ():
            print(f"    {miss}")
    return 0


if __name__ == "__main__":
    # `python tests/test_graded.py [FOLDER] [--details]`: the agreement report for a graded set (default: the
    # tuning set). For a blind set only the figures are printed unless --details is given.
    args = [a for a in sys.argv[1:] if a != "--details"]
    sys.exit(report(Path(args[0]) if args else GRADED, "--details" in sys.argv[1:]))
