"""Two signals about how a candidate talks about their work, and the dimensions they feed.

`structure` (work trial: code structure) is where code lives, said about this code: a label for a style
("hexagonal", "SOLID", "separation of concerns") says nothing about what lives where. A boundary is argued
when the sentence says what it isolates or what it made testable.

`signposting` (design rounds: communication) is the candidate driving: where the design goes next and why in
that order, or a part closed with its decision. Structure talk around thin content is not clear
communication, and clear, argued answers without it still communicate well.

These sentences and sessions are tuning examples, written for this file.
"""

from __future__ import annotations

import pytest

from interviewer.rubric import RubricLibrary
from interviewer.scoring import score
from interviewer.transcript import parse_text
from interviewer.understanding.signals import analyze

LIBRARY = RubricLibrary()


@pytest.mark.parametrize("text", [
    "worker.py owns the lease loop and nothing else, so the HTTP code never sees a database row.",
    "The RetryPolicy class decides whether and when to try again; the sender only asks it.",
    "All the SQL lives in store.py, which is why swapping SQLite for Postgres touched one file.",
    "I pulled the signing out into its own function, sign_payload(), so the tests can check signatures alone.",
    "The dispatcher claims due rows and hands each one to the sender, which owns the HTTP call.",
])
def test_where_code_lives_is_structure(text):
    assert "structure" in analyze(text).signals


@pytest.mark.parametrize("text", [
    "I went with a hexagonal architecture, ports and adapters, so the domain logic stays isolated.",
    "Everything follows SOLID, and each class has a single responsibility.",
    "There's a clean separation of concerns between all the layers of the service.",
    "I used clean architecture with well-defined layers and interfaces throughout the codebase.",
])
def test_a_label_for_a_style_is_not_structure(text):
    assert "structure" not in analyze(text).signals


@pytest.mark.parametrize("text", [
    "Let me break this into three parts: accepting events, delivering them, and retrying.",
    "That's intake settled; next is the delivery workers and how they claim rows.",
    "I'll come back to ordering once the retry queue is on the board.",
    "I'll start with the delivery path, because that's where the exactly-once promise is decided, then storage.",
    "Decision: Postgres for the outbox, because one transaction covers the event and its delivery rows.",
    "Moving on to the retry queue, since that's where the load piles up when an endpoint is down.",
])
def test_driving_the_discussion_is_signposting(text):
    assert "signposting" in analyze(text).signals


@pytest.mark.parametrize("text", [
    "The queue holds events until a worker takes them.",
    "Retries use exponential backoff with jitter, capped at an hour.",
    "First, I think requirements are really important.",
])
def test_content_alone_is_not_signposting(text):
    assert "signposting" not in analyze(text).signals


def _card(round_id: str, problem: str, answers: list[tuple[str, str]]):
    lines = [f"Round: {round_id}", f"Problem: {problem}", "Level: L5", ""]
    for question, answer in answers:
        lines += [f"Interviewer: {question}", f"Candidate: {answer}"]
    return score(parse_text("\n".join(lines) + "\n"), LIBRARY.load(round_id).rubric)


def _level(card, dimension: str) -> tuple[str, float]:
    got = next(d for d in card.dimensions if d.id == dimension)
    return got.level, got.score


WT_QUESTIONS = [
    "Give me a quick tour of how a single unit of work flows through what you built.",
    "How is the code organised? Which part owns what, and why did you draw the lines where you did?",
    "Where was the brief silent, and what did you assume there?",
    "Why did you store pending deliveries where you did?",
]
EXPLAINED = [
    "An event comes in through the intake handler, which writes the event and one delivery row per subscriber in "
    "one transaction and answers 202. A dispatcher loop claims due rows with a 60-second lease and hands each to "
    "the sender, which signs the payload and makes the HTTP call with a 10-second timeout.",
    "All the SQL lives in store.py, so the dispatcher and sender never see a query, and moving from SQLite to "
    "Postgres would touch that one file. The backoff rules are a RetryPolicy class with an injected clock, which "
    "is what let me test a full day of retries in milliseconds without the sender knowing time exists. Next I'd "
    "move endpoint health out of worker.py, where it shares a function with claiming.",
    "Ordering and the retry window. I assumed no ordering promise, because one slow endpoint would otherwise hold "
    "up every event behind it, and retries for 24 hours.",
    "In the same database as the events, because a separate queue would need a second commit and could lose a "
    "delivery between the two writes.",
]
LABELLED = [
    EXPLAINED[0],
    "I followed a hexagonal architecture with ports and adapters, and everything respects SOLID, so there's a "
    "clean separation of concerns throughout. Each layer has a single responsibility and the design is very "
    "modular and maintainable.",
    EXPLAINED[2],
    EXPLAINED[3],
]
NAMED = [
    EXPLAINED[0],
    "There's an intake module that writes events, a dispatcher that owns claiming rows, a sender that owns the "
    "HTTP call and signing, and store.py with the database code.",
    EXPLAINED[2],
    EXPLAINED[3],
]


def test_code_structure_rewards_boundaries_explained_over_parts_named_over_labels():
    explained = _level(_card("work-trial", "webhook-delivery-service", list(zip(WT_QUESTIONS, EXPLAINED))),
                       "code_structure")
    named = _level(_card("work-trial", "webhook-delivery-service", list(zip(WT_QUESTIONS, NAMED))), "code_structure")
    labelled = _level(_card("work-trial", "webhook-delivery-service", list(zip(WT_QUESTIONS, LABELLED))),
                      "code_structure")
    assert explained[0] == "great" and named[0] == "good" and labelled[0] != "great"
    assert explained[1] > named[1] > labelled[1]


SD_QUESTIONS = [
    "Before you start designing, what would you like to know about this problem?",
    "Which features belong in a first version, and which would you leave out?",
    "Walk me through the high-level design.",
    "What happens when a customer's endpoint is down for an hour?",
]
CONTENT = [
    "Is ordering per endpoint promised, and how long must we keep retrying? I'll assume no ordering and three days.",
    "Version one is signed deliveries, retries with backoff and a dead-letter view; replay from the dashboard can "
    "wait, because customers can refetch events from the API meanwhile.",
    "Events land in an outbox table in the same transaction as the change that caused them, because a separate "
    "publish step could lose an event between two commits. Workers claim due rows with a lease and post them with "
    "a 10-second timeout.",
    "Its deliveries back off exponentially from 1 second to a 1-hour cap with full jitter, so about 80 attempts "
    "over three days, and a circuit breaker parks the endpoint after 20 straight failures so its backlog doesn't "
    "starve healthy customers.",
]
DRIVEN = [
    CONTENT[0] + " I'll take it in this order: durable intake first, because nothing downstream matters if we lose "
    "an event, then the delivery workers, then retries.",
    CONTENT[1],
    "Starting with intake, since it decides what we can promise. " + CONTENT[2] + " So the decision for intake is "
    "the outbox, because one transaction covers the event and its delivery rows.",
    CONTENT[3],
]
THIN_SIGNPOSTS = [
    "Let me break this into three parts: requirements, the high-level design, and then scaling, since that's the "
    "usual order.",
    "To recap the scope, version one covers the main features, and then we'd add more later.",
    "Moving on to the high-level design, since that's the next part: there's a service, a queue and a database.",
    "To sum up on failures, we'd retry and monitor it, and then I'll come back to scale later.",
]


def test_communication_needs_driving_for_great_and_substance_for_good():
    driven = _level(_card("system-design", "webhook-delivery", list(zip(SD_QUESTIONS, DRIVEN))), "communication")
    plain = _level(_card("system-design", "webhook-delivery", list(zip(SD_QUESTIONS, CONTENT))), "communication")
    thin = _level(_card("system-design", "webhook-delivery", list(zip(SD_QUESTIONS, THIN_SIGNPOSTS))),
                  "communication")
    assert driven[0] == "great", driven
    assert plain[0] == "good", plain  # clear and argued without signposts: not penalised to below the bar
    assert thin[0] != "great", thin  # structure around nothing is not clear communication
    assert driven[1] > plain[1] and driven[1] > thin[1]
