"""Topics: what a question asks about and what an answer covers.

A topic is a named thing a candidate may ask the interviewer about (the users, the peak load, the
brief) or cover in an answer (the streaming protocol, reconnects). The same catalogue serves both
directions: a candidate's question is matched to the problem's facts through its topics, and a
planned question is skipped once the candidate has already covered every topic it asks about.

The base catalogue below holds topics that come up in any round; a rubric adds its own (round-wide
and per problem). Terms are matched as word prefixes, like the rest of the lexicon ("latenc" would
match "latency"); a term ending in "$" must end a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from .lexicon import words


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: catalogues key a cache, cheaply
class TopicTerms:
    id: str
    title: str  # how the interviewer names it in a sentence: "the peak load"
    pattern: re.Pattern[str]
    # The first word of every term: a text holding none of them cannot match, and a substring test is far
    # cheaper than the pattern (which allows filler words and swapped determiners inside every term).
    anchors: tuple[str, ...] = ()


# (id, title, terms). Kept to topics every kind of round shares; anything specific to a round or a
# problem belongs in its rubric, where the facts that answer it live too.
BASE_TOPICS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("users", "the users", (
        "users$", "user base", "customers", "consumers", "audience", "who uses", "who is using", "who's using",
        "who are we building", "who would use", "personas", "who the users", "end users", "who's actually using",
        "who actually uses", "who will use", "who'll use", "using this", "open to anyone", "anyone with", "developers",
        "public$",
    )),
    ("load", "the load", (
        "load$", "traffic", "qps", "rps", "requests per second", "requests a second", "request rate", "peak",
        "concurrent users", "concurrent streams", "concurrent connections", "concurrent requests", "open streams",
        "how many concurrent", "concurrency level", "volume$", "message volume", "daily users", "daily active", "dau$", "mau$", "monthly active",
        "throughput", "how many requests", "how many users", "what scale", "the scale", "volume of requests",
        "messages per", "messages a day", "messages per day",
    )),
    ("latency", "the latency target", (
        "latency", "p50", "p90", "p95", "p99", "ttft", "time to first token", "first token", "response time",
        "how fast", "milliseconds", "ms$", "latency budget", "latency target",
    )),
    ("data_volume", "the data volume", (
        "data volume", "how much data", "storage size", "terabytes", "petabytes", "dataset size", "data size",
        "corpus size", "how big is the", "size of the data", "how many documents", "how many records",
    )),
    ("retention", "retention", (
        "retention", "retain", "keep the data", "keep data", "how long do we keep", "how long we keep",
        "how long should we keep", "delete after", "kept for",
    )),
    ("regions", "the regional setup", (
        "region", "regions", "global", "multi-region", "geograph", "countries", "worldwide", "data residency",
        "single region", "one region",
    )),
    ("consistency", "consistency and ordering", (
        "consistency", "consistent", "eventual", "strongly", "exactly once", "exactly-once", "at least once",
        "at-least-once", "at most once", "at-most-once", "ordering", "in order", "out of order",
    )),
    ("availability", "availability", (
        "availability", "uptime", "sla$", "slas$", "slo$", "slos$", "nines", "downtime", "highly available",
    )),
    ("cost", "cost", (
        "cost", "costs", "budget", "spend", "pricing", "price", "dollars", "cheap", "expensive",
    )),
    ("scope", "the scope of the first version", (
        "first version", "v1$", "mvp", "in scope", "out of scope", "which features", "feature set", "must-have",
        "must have", "nice to have", "nice-to-have",
    )),
    ("security", "security and access", (
        "auth$", "authentication", "authorization", "security", "permissions", "access control", "pii", "privacy",
        "encrypt",
    )),
    ("language", "the language", (
        "which language", "what language", "programming language", "python", "java$", "golang", "c++",
        "typescript", "rust$", "in go$", "rewritten in", "rewrite it in", "rewrite the service in", "rewrite this in",
    )),
    ("libraries", "libraries", (
        "library", "libraries", "standard library", "stdlib", "third-party", "third party", "import$", "imports$", "numpy",
        "pytorch", "torch$", "built-in", "builtin", "external package", "packages", "scipy", "sortedcontainers",
        "pull in", "pip install",
    )),
    ("interface", "the interface", (
        "interface", "signature", "api look", "api shape", "method", "methods", "return type", "should it return",
        "does it return", "should get return", "endpoint", "endpoints",
    )),
    ("inputs", "the inputs", (
        "input", "inputs", "edge case", "empty", "negative", "is none", "be none", "null", "invalid", "malformed",
        "unicode", "missing key", "key that isn't there", "key that doesn't exist",
    )),
    ("concurrency", "concurrency", (
        "thread", "threads", "thread-safe", "threadsafe", "multiple processes", "multi-threaded", "multithreaded",
        "in parallel", "lock$", "locks$", "locking", "concurrent access", "concurrently",
    )),
    ("durability", "durability", (
        "persist", "persistence", "durable", "durability", "to disk", "on disk", "survive a restart",
        "survive restarts", "crash recovery", "after a crash", "after a restart",
    )),
    ("testing", "testing", (
        "test", "tests", "testing", "unit test", "test suite", "ci$",
    )),
    ("runbook", "the runbook", (
        "runbook", "run book", "playbook", "procedure", "status page", "customer comms", "comms$", "communication plan",
        "who communicates", "who tells the customers", "who talks to customers", "incident process", "escalation policy",
    )),
    ("network", "the network setup", (
        "proxy", "proxies", "egress", "firewall", "load balancer", "vpn", "nat gateway", "network path", "network setup",
    )),
)

# Questions the interviewer answers from the session itself rather than from the problem.
TIME_LEFT = words("how much time do we have", "how much time is left", "how much time have we", "how much time left",
                 "how long do we have", "how long have we got", "time left", "minutes left", "time remaining",
                 "time do we have", "are we on time", "running out of time")
REPEAT = words("repeat the question", "say that again", "repeat that", "what was the question", "come again",
               "rephrase", "could you repeat", "can you repeat")

BASE_TOPIC_IDS: frozenset[str] = frozenset(t[0] for t in BASE_TOPICS)


# Words people drop into a phrase without changing it: "who actually owns", "can it really start".
_FILLER = r"(?:(?:actually|really|exactly|just|even|also|then|still|ever|roughly|usually|single)\s+)?"


# Determiners people swap freely: "how big is the deal" and "how big is this deal" ask the same thing.
_DETERMINERS = ("the", "this", "that", "our", "your")


def _with_determiners(term: str) -> set[str]:
    tokens = term.split(" ")
    variants = {term}
    for index, token in enumerate(tokens):
        if token in _DETERMINERS:
            variants |= {" ".join([*tokens[:index], other, *tokens[index + 1:]]) for other in _DETERMINERS}
    return variants


def compile_topics(items: Iterable[tuple[str, str, Iterable[str]]]) -> tuple[TopicTerms, ...]:
    """Later items with the same id replace earlier ones, so a rubric can redefine a base topic. Inside a
    term of several words, a filler word is allowed between words, and "the", "this", "that", "our" and
    "your" stand for one another."""
    merged: dict[str, TopicTerms] = {}
    for topic_id, title, terms in items:
        variants = {v for t in terms for v in _with_determiners(t.lower())}
        pattern = words(*variants)
        anchors = tuple(sorted({v.split(" ")[0].rstrip("$") for v in variants}))
        merged[topic_id] = TopicTerms(topic_id, title, re.compile(pattern.pattern.replace(r"\s+", r"\s+" + _FILLER)),
                                      anchors)
    return tuple(merged.values())


def topics_in(low: str, catalogue: tuple[TopicTerms, ...]) -> list[str]:
    """Ids of the topics `low` (lower-cased text) mentions, in the order they first appear. A topic
    whose every match lies inside a longer match of another topic ("users" in "daily users", which is
    about load) does not count."""
    seen: list[str] = []
    for _, _, topic_id in topic_spans(low, catalogue):
        if topic_id not in seen:
            seen.append(topic_id)
    return seen


def topic_spans(low: str, catalogue: tuple[TopicTerms, ...]) -> list[tuple[int, int, str]]:
    """Every match of every topic in `low`, in order, without those inside a longer match of another topic."""
    return list(_topic_spans(low, catalogue))


@lru_cache(maxsize=4096)  # one turn asks about the same sentences several times (questions, coverage, claims)
def _topic_spans(low: str, catalogue: tuple[TopicTerms, ...]) -> tuple[tuple[int, int, str], ...]:
    found: list[tuple[list[tuple[int, int]], str]] = []
    for topic in catalogue:
        if topic.anchors and not any(anchor in low for anchor in topic.anchors):
            continue
        spans = [(m.start(), m.end()) for m in topic.pattern.finditer(low)]
        if spans:
            found.append((spans, topic.id))
    kept: list[tuple[int, int, str]] = []
    for spans, topic_id in found:
        others = [span for other, other_id in found if other_id != topic_id for span in other]
        kept += [(a, b, topic_id) for a, b in spans if not any(c <= a and b <= d and d - c > b - a for c, d in others)]
    return tuple(sorted(kept))
