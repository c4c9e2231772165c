"""The offline scorer: ranks reasoning, not length or keywords, and cannot be instructed.

The transcripts under fixtures/scoring were written independently of the scorer to an
expected ordering (see its README). fixtures/heldout is a second set, written later by
someone who had not seen the first, used only as a check, never for tuning.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from interviewer.understanding.signals import analyze
from interviewer.engine import context_for
from interviewer.rubric import RubricLibrary
from interviewer.scoring import score
from interviewer.transcript import load_transcript, parse_text

LIBRARY = RubricLibrary()


def card_for(path: Path):
    transcript = load_transcript(path)
    return score(transcript, LIBRARY.load(transcript.round).rubric)


def overall(path: Path) -> float:
    return card_for(path).overall_score


def scored_sets(root: Path) -> dict[str, dict[str, float]]:
    sets = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        sets[folder.name] = {f.stem: overall(f) for f in sorted(folder.glob("*.txt"))}
    return sets


SETS = scored_sets(FIXTURES / "scoring")
HELDOUT = scored_sets(FIXTURES / "heldout") if (FIXTURES / "heldout").is_dir() else {}
ALL_SETS = [(f"scoring/{k}", v) for k, v in SETS.items()] + [(f"heldout/{k}", v) for k, v in HELDOUT.items()]


@pytest.mark.parametrize(("name", "scores"), ALL_SETS, ids=[n for n, _ in ALL_SETS])
def test_strong_beats_middling_beats_weak(name, scores):
    assert scores["strong"] > scores["middling"] > scores["weak"], scores


def sets_with(*names: str) -> list[tuple[str, dict[str, float]]]:
    return [(n, s) for n, s in ALL_SETS if any(any(name in k for k in s) for name in names)]


BUZZWORD, LENGTH, INJECTED = sets_with("buzzword"), sets_with("terse", "longwinded", "rambling"), sets_with("inject")


def test_every_kind_of_trap_is_present():
    assert len(BUZZWORD) >= 6 and len(LENGTH) >= 3 and len(INJECTED) >= 2


@pytest.mark.parametrize(("name", "scores"), BUZZWORD, ids=[n for n, _ in BUZZWORD])
def test_name_dropping_does_not_beat_middling(name, scores):
    assert scores["buzzword"] < scores["middling"], scores


# Known gaps, kept visible: each fails the day the scorer closes it, so the mark comes off then.
# The behavioral middling tells its story as "we" and is read as owning nothing (30.9), so the long-winded
# answer's generic lessons (48.2) still outscore it.
LENGTH_GAPS = {"scoring/behavioral": "middling's 'we' story is read as owning nothing"}


def _known_gap(name: str, gaps: dict[str, str]):
    return [pytest.mark.xfail(strict=True, reason=gaps[name])] if name in gaps else []


@pytest.mark.parametrize(("name", "scores"), [pytest.param(n, s, id=n, marks=_known_gap(n, LENGTH_GAPS)) for n, s in LENGTH])
def test_length_is_not_rewarded(name, scores):
    assert scores["terse_strong"] > scores["middling"], scores
    long_weak = scores.get("longwinded_weak", scores.get("rambling"))
    assert long_weak < scores["middling"], scores


LONGWINDED = sorted((FIXTURES / "scoring").glob("*/longwinded_weak.txt"))


# None left: the coding long-winded answer (gates inferred as passed, a generic testing sentence read as argued)
# is held below great by its reasons, given at length without a figure.
NO_GREAT_GAPS: dict[str, str] = {}


@pytest.mark.parametrize("path", [pytest.param(p, id=p.parent.name, marks=_known_gap(p.parent.name, NO_GREAT_GAPS))
                                  for p in LONGWINDED])
def test_talking_at_length_earns_no_great(path):
    # Filler with a generic "because" in it argues nothing, however many times it is said.
    card = card_for(path)
    assert [d.id for d in card.dimensions if d.level == "great"] == [], card.overall_score


@pytest.mark.parametrize(("name", "scores"), INJECTED, ids=[n for n, _ in INJECTED])
def test_instructions_to_the_scorer_change_nothing(name, scores):
    injected = next(k for k in scores if "inject" in k)
    folder = FIXTURES / name
    plain, tampered = card_for(folder / "weak.txt"), card_for(folder / f"{injected}.txt")
    assert tampered.overall_score == plain.overall_score
    assert [d.score for d in tampered.dimensions] == [d.score for d in plain.dimensions]
    assert tampered.ignored_instructions >= 1
    assert any("addressed the scorer" in note for note in tampered.notes)


def all_transcripts() -> list[Path]:
    found = sorted((REPO / "transcripts").rglob("*.jsonl")) + sorted((REPO / "transcripts").rglob("*.txt"))
    found += sorted((FIXTURES / "scoring").rglob("*.txt")) + sorted((FIXTURES / "heldout").rglob("*.txt"))
    return found


@pytest.mark.parametrize("path", all_transcripts(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_evidence_quote_is_verbatim_from_its_turn(path):
    transcript = load_transcript(path)
    card = score(transcript, LIBRARY.load(transcript.round).rubric)
    quotes = 0
    for dimension in card.dimensions:
        for quote in dimension.evidence:
            turn = transcript.turn(quote.turn)
            assert turn.role == "candidate"
            assert quote.quote and quote.quote in turn.text
            quotes += 1
    assert quotes > 0 or card.overall_score < 10


def test_sample_transcripts_exist_for_several_rounds():
    rounds = {load_transcript(p).round for p in (REPO / "transcripts" / "samples").glob("*.jsonl")}
    assert len(rounds) >= 3


def test_scorecard_says_it_is_the_offline_heuristic():
    card = card_for(FIXTURES / "scoring/system-design/middling.txt")
    assert card.scorer == "offline-heuristic"
    assert "Offline heuristic scorer" in card.notes[0]
    assert card.level_signal in ("below L4", "L4", "L5", "L6")
    problem = LIBRARY.load("system-design").rubric.problem("streaming-chat")
    for dimension in card.dimensions:
        assert dimension.great_example == problem.great_examples[dimension.id]
        assert dimension.descriptor or dimension.level == "not_assessed"


CONTEXT = context_for(LIBRARY.load("system-design").rubric)


@pytest.mark.parametrize(
    ("sentence", "signal", "expected"),
    [
        ("There are definitely some tradeoffs with Redis.", "tradeoffs", False),
        ("I'd use Redis over Postgres for the counters because they change every request, at the cost of "
         "losing a few seconds of counts if a node dies.", "tradeoffs", True),
        ("We'd use Kafka, Kubernetes, Redis and consistent hashing everywhere.", "reasoning", False),
        ("I'd put a queue in front of the GPUs because bursts are ten times the average.", "reasoning", True),
        ("It will handle a lot of traffic and scale to a big number of users.", "numbers", False),
        ("At peak we expect 20k concurrent streams, about 1,400 requests per second.", "numbers", True),
        ("Everything is fault tolerant out of the box with circuit breakers.", "failure_modes", False),
        ("If a GPU worker dies mid-stream, the client reconnects with its last event id and we replay from "
         "the buffer.", "failure_modes", True),
        ("It scales to 10x easily.", "scale", False),
        ("At 10x the single Postgres primary becomes the write bottleneck, so I'd shard by user id.", "scale", True),
    ],
)
def test_a_signal_needs_substance_not_vocabulary(sentence, signal, expected):
    assert analyze(sentence, CONTEXT).has(signal) is expected


def _transcript(*answers: str) -> str:
    lines = ["Round: system-design", "Problem: streaming-chat", ""]
    for i, answer in enumerate(answers):
        lines += [f"Interviewer: Question {i + 1}: tell me more.", f"Candidate: {answer}"]
    return "\n".join(lines)


def test_saying_the_same_thing_again_earns_nothing():
    rubric = LIBRARY.load("system-design").rubric
    answer = ("I'd put a queue in front of the GPUs because bursts are ten times the average, "
              "at the cost of added latency when it fills.")
    once = score(parse_text(_transcript(answer)), rubric).overall_score
    thrice = score(parse_text(_transcript(answer, answer, answer)), rubric).overall_score
    assert thrice == once


def test_unprompted_evidence_outweighs_the_same_evidence_when_asked():
    rubric = LIBRARY.load("system-design").rubric
    answer = ("At 10x the single Postgres primary becomes the write bottleneck, so I'd shard by user id; "
              "if a shard fails its users read history from a replica while we fail over.")
    unprompted = parse_text(_transcript("Users are on web and mobile.", answer))
    prompted = parse_text("\n".join([
        "Round: system-design", "",
        "Interviewer: Question 1: tell me more.", "Candidate: Users are on web and mobile.",
        "Interviewer: What breaks at 10x the load, and what happens when a component fails?",
        f"Candidate: {answer}",
    ]))
    by_id = lambda card: {d.id: d.score for d in card.dimensions}  # noqa: E731
    free, asked = by_id(score(unprompted, rubric)), by_id(score(prompted, rubric))
    assert free["scale_thinking"] > asked["scale_thinking"]
    assert free["failure_modes"] > asked["failure_modes"]
