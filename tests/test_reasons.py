"""Hollow reasons: the shape of an argument around nothing, told apart from short real reasons."""

from __future__ import annotations

import pytest

from interviewer.rubric import RubricLibrary
from interviewer.scoring.offline import score
from interviewer.transcript.reader import parse_text
from interviewer.understanding.reasons import hollow_reason
from interviewer.understanding.signals import analyze

HOLLOW = [
    "I'd ask about the load first, because load matters.",
    "I'd keep the layers separate because separate layers are cleaner, which means the design stays clean.",
    "We should monitor it because monitoring is important.",
    "I picked the queue because it fits, and that's what matters most here.",
    "I'd write the decisions down because clear decisions build trust.",
    "What would change my mind is if it didn't work.",
]
SAYS_SOMETHING = [
    # A short reason with a property of the problem, a number, or a mechanism is a reason.
    "I'd shard by tenant because one tenant's burst would otherwise stall everyone's deliveries.",
    "Retries get a jittered backoff, so a recovering endpoint isn't hit by every worker at the same second.",
    "I'd keep the cache in process since a network hop would double the p99 we have to hit.",
    "The rollout goes region by region, so a bad build reaches a fifth of users before the alarm fires.",
    "It costs 3 extra milliseconds per call, which is fine against a 200 ms budget.",
    "I'd pin the model version because a silent upgrade would shift the eval baseline under us.",
]


@pytest.mark.parametrize("sentence", HOLLOW)
def test_a_reason_that_restates_its_claim_or_names_nothing_is_hollow(sentence):
    assert hollow_reason(sentence.lower())


@pytest.mark.parametrize("sentence", SAYS_SOMETHING)
def test_a_short_reason_with_substance_is_not_hollow(sentence):
    assert not hollow_reason(sentence.lower())


def test_a_sentence_without_a_connective_gives_no_reason_to_judge():
    assert not hollow_reason("i'd use postgres for the ledger.")


def test_a_leading_thats_why_argues_from_the_sentence_before():
    assert hollow_reason("that's why i'd do it this way.", before="it seems like the right thing to do.")
    assert not hollow_reason("that's why i'd do it this way.",
                             before="each webhook endpoint gets its own queue with a bounded retry budget.")


def _card(answers: list[str], problem_id: str | None = None):
    library = RubricLibrary()
    rubric = library.load("work-trial").rubric
    problem = rubric.problem(problem_id) if problem_id else rubric.problems[0]
    questions = [phase.questions[0] for phase in rubric.phases if phase.questions] * 3
    lines = ["Round: work-trial", f"Problem: {problem.id}", "Level: L5", ""]
    for question, answer in zip(questions, answers):
        lines += [f"Interviewer: {question}", f"Candidate: {answer}"]
    return score(parse_text("\n".join(lines)), rubric)


HOLLOW_ANSWERS = [
    "I built it in layers, because layers keep things organised, which means everything has its place. "
    "That's why I kept it simple rather than clever.",
    "I tested the important parts because the important parts matter most, which means the tests add value. "
    "I decided to test the main flow rather than everything, because the main flow is what matters.",
    "If something fails, I'd handle it, because handling failures is important, which means the system is robust. "
    "The cost of this is some complexity, but the benefit is reliability.",
    "At ten times the load I'd scale it out, because scaling out is how you handle more load. "
    "What would change my mind is if it didn't work.",
    "I owned it end to end, which means every decision was mine. I'd do it the same way again, "
    "because it was the right approach.",
]


def test_answers_whose_reasons_say_nothing_stay_below_the_bar_wherever_reasoning_would_lift_them():
    card = _card(HOLLOW_ANSWERS)
    argued = [d for d in card.dimensions if d.assessed and "restated their claim" in d.rationale]
    assert argued, [d.rationale for d in card.dimensions]
    assert all(d.level == "below_bar" for d in argued)
    assert any("reasons you gave restated their claim" in note for note in card.notes)


# Reasons told without a connective, as strong engineers often speak: the world without the choice, what a rejected
# option would have done, or the guarantee after a colon.
UNCONNECTED = [
    ("Each endpoint gets its own lane.", "Without the lanes, one slow endpoint would hold every worker slot."),
    ("Retries don't go back on the main topic.", "That would put fresh events behind three days of retries."),
    ("", "The intake acks only after the replicated write: once a producer has its ack, the event can't be lost."),
]
NOT_A_REASON = [
    ("I'd use a queue.", "That would be nice."),
    ("", "Three options: a queue, a table and a log."),
    ("", "Without a doubt, it's the best option."),
]


def _signals_of(text: str, sentence: str) -> set[str]:
    return {signal for signal, spans in analyze(text).hits.items() if any(span.text == sentence for span in spans)}


@pytest.mark.parametrize(("before", "sentence"), UNCONNECTED)
def test_a_reason_in_its_own_sentence_without_a_connective_is_reasoning(before, sentence):
    assert "reasoning" in _signals_of(f"{before} {sentence}".strip(), sentence)


@pytest.mark.parametrize(("before", "sentence"), NOT_A_REASON)
def test_a_bare_quality_or_a_list_is_not(before, sentence):
    assert "reasoning" not in _signals_of(f"{before} {sentence}".strip(), sentence)


def _system_design(answers: list[str]):
    rubric = RubricLibrary().load("system-design").rubric
    lines = ["Round: system-design", "Problem: webhook-delivery", "Level: L5", ""]
    questions = [q for phase in rubric.phases for q in phase.questions] or ["Go on."]
    for n, answer in enumerate(answers):
        lines += [f"Interviewer: {questions[n % len(questions)]}", f"Candidate: {answer}"]
    return score(parse_text("\n".join(lines)), rubric)


SOUND = [
    "Customers register endpoints; we deliver each event at least once with an event id so they can drop duplicates.",
    "Peak is 10,000 events a second, so at a 10-second timeout up to 100,000 requests can be in flight.",
    "Intake writes to Kafka and acks after the replicated write, because an acked event must survive a broker loss.",
    "Delivery workers sign each body with HMAC-SHA256 and POST it; failures go to a retry scheduler with backoff.",
    "Each endpoint gets a concurrency cap of 20, so one slow endpoint can't take every worker slot.",
    "Retries back off exponentially with full jitter up to an hour, so a recovering endpoint isn't hit in bursts.",
    "At 10x I'd add partitions and workers; at 100x the attempt log moves to a store partitioned by endpoint.",
    "After 50 straight failures an endpoint is parked and probed once a minute, so dead endpoints stop eating retries.",
]
WRONG = [
    "Kafka transactions give exactly-once delivery to the customer's endpoint, so they never see duplicates.",
    "One well-tuned Postgres primary handles around 200,000 writes a second, so sharding is premature.",
]


def test_claims_against_the_problems_facts_weigh_on_the_whole_result():
    sound = _system_design(SOUND)
    assert not sound.corrections
    one = _system_design(SOUND[:2] + WRONG[:1] + SOUND[3:])
    two = _system_design(SOUND[:2] + WRONG + SOUND[4:])
    assert len(one.corrections) == 1 and len(two.corrections) == 2, (one.corrections, two.corrections)
    assert one.overall_level in ("good", "below_bar") and one.overall_score < 70
    assert two.overall_level == "below_bar" and two.level_signal == "below L4"
    assert any("leave the overall result below the bar" in note for note in two.notes)


ABSTRACT = [
    "I put the limiter in front of the transport because a request that waits there never reaches the upstream, and I "
    "kept the clock injectable since tests then control refills exactly. The policy decides retries, so the client "
    "stays a thin loop. I read Retry-After first because the upstream knows its own recovery better than my backoff.",
    "Writes without an idempotency key are never resent, because a timeout doesn't tell us whether the upstream "
    "applied them, which means a resend could double a charge. Keyed writes are retried with the same key, so the "
    "upstream can drop the duplicate. Reads retry freely since repeating them changes nothing.",
    "The bucket lives in one process because sharing it needs a lease store I couldn't test properly, which means "
    "several processes divide the limit between them. I chose a token bucket over a sliding log since the bucket "
    "computes the exact wait and keeps no history.",
    "I tested the thread safety with a fake clock because real sleeps make the suite slow and flaky, and I pinned "
    "the retry schedule so a change to the backoff shows up as a failing test. The riskiest part is the lock, "
    "because a missed refill under contention would let a burst through.",
    "In production I'd watch the share of rate-limited responses since it should stay near zero by design, and I'd "
    "alert on the limiter's queue filling because that means callers wait longer than their deadlines allow. I'd "
    "add a shared limiter next, because several workers on one key exceed the limit together.",
]


def test_answers_that_argue_at_length_without_a_single_figure_stay_below_the_bar():
    # Ten answers, two dozen reasons, not one figure.
    card = _card(ABSTRACT * 2, "rate-limited-api-client")
    assert card.ignored_instructions == 0
    capped = [d for d in card.dimensions if "nothing argued was tied to a number" in d.rationale]
    assert capped and all(d.level == "below_bar" for d in capped)
    assert any("reasons were never tied to a number" in note for note in card.notes)
    # The same arguments with the problem's figures in them are not capped.
    figures = [" That is 9 requests a second with a burst of 20.", " A timeout is 10 s.", " Up to 600 a minute.",
               " The suite runs 500 threads in 2 seconds.", " Alert above 0.5% for an hour."]
    card = _card([answer + figure for answer, figure in zip(ABSTRACT, figures)] * 2, "rate-limited-api-client")
    assert not any("nothing argued was tied to a number" in d.rationale for d in card.dimensions)


def test_a_first_part_handed_over_by_name_starts_the_gates_of_a_plain_transcript():
    rubric = RubricLibrary().load("ml-coding").rubric
    answer = ("def sample(logits, temperature, rng): I subtract the max before exp because float32 overflows past "
              "about 88, then return int(rng.choice(len(p), p=p)); with temperature 0 I return argmax, since "
              "dividing by zero would give NaN. I test it with a seeded rng over 10,000 draws.")
    lines = ["Round: ml-coding", "Problem: token-sampler", "Level: L5", "",
             "Interviewer: Thanks for joining; we'll build one component in four steps.", "Candidate: Sounds good.",
             "Interviewer: Here's the first requirement. Write sample(logits, temperature, rng).", f"Candidate: {answer}",
             "Interviewer: Here's the next requirement. Add top-k.", f"Candidate: {answer.replace('argmax', 'top-k')}"]
    card = score(parse_text("\n".join(lines)), rubric)
    assert [g["gate"] for g in card.gates] == [1, 2] and card.gates[0]["passed"]


@pytest.mark.parametrize(("name", "off"), [("off_problem", True), ("strong", False), ("terse_strong", False),
                                           ("weak", False)])
def test_a_conversation_round_answered_for_another_of_its_problems_is_off_problem(name, off):
    from pathlib import Path

    for round_id in ("behavioral", "recruiter-screen"):
        path = Path(__file__).parent / "fixtures" / "blind5" / round_id / f"{name}.txt"
        transcript = parse_text(path.read_text())
        card = score(transcript, RubricLibrary().load(round_id).rubric)
        assert card.relevance["off_problem"] is off, (round_id, card.relevance)
        if off:
            assert card.overall_level == "below_bar" and all(d.level != "great" for d in card.dimensions)
