"""The candidate's questions to the interviewer, one per thing asked.

"Who are the users, and what peak load should I plan for?" is two questions. A question the
candidate goes on to answer in the same turn without turning to the interviewer ("What happens if
the worker dies? The client reconnects ...") is thinking aloud, not a question to answer, unless it
is about the problem itself (then the interviewer confirms or corrects). Spoken answers arrive
without question marks, so a sentence that opens like a question counts as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .signals import Span
from .topics import REPEAT, TIME_LEFT, TopicTerms, topics_in

QuestionKind = Literal["fact", "time", "repeat", "permission", "open"]

_OPENS_LIKE_QUESTION = re.compile(
    r"^(?:(?:so|and|also|ok|okay|um|uh|right|quick question|one more thing)[,\s]+)*"
    r"(?:who|what|what's|whats|when|where|which|how|why|is|are|was|were|do|does|did|has|have|can|could|should|would"
    r"|will|may|shall|am)\b"
)
# "What I'd do is ...", "How we handle it: ..." open like questions but are statements.
_DECLARATIVE = re.compile(
    r"^(?:(?:so|and|also|ok|okay|um|uh|right)[,\s]+)*(?:what|how|where|when|which|why)\s+(?:i|we|i'd|we'd|i'll|we'll|i'm|"
    r"you'd|the|this|that|it)\b(?!.*\?$)"
    r"|^(?:(?:so|and|ok|okay|um|uh|well)[,\s]+)*(?:should|would|could|will|might|must|can|may) be\b(?!.*\?$)"
)
_ASKS_OUTRIGHT = re.compile(
    r"\b(?:i'd (?:like|want|love) to (?:know|check|confirm|clarify)|can you tell me|could you tell me"
    r"|i'm wondering|i wonder|i was wondering|i'd (?:like|want) to ask|let me ask|my question is"
    r"|can you (?:confirm|clarify)|could you (?:confirm|clarify))\b"
)
# Addressed to the interviewer even when the candidate goes on talking afterwards.
_ADDRESSED = re.compile(
    r"\b(?:you|your|can i|could i|may i|should i|shall i|do i|am i|is it ok|is it okay|is that ok|is that okay"
    r"|do we|are we|should we|can we|will we|were we|was i|was it|did we|did you|were you|is there|are there"
    r"|would it be|do you)\b"
)
_PERMISSION = re.compile(
    r"\b(?:can i|could i|may i|is it ok|is it okay|is that ok|is that okay|is that fine|do you mind|should i (?:start|go|begin"
    r"|just|write|code|jump|dive|focus)|shall i|do you want me|would you like me|want me to|am i allowed|is it fine"
    r"|does that (?:sound|work|make sense)|sound good|okay with you|ok with you|fine with you)\b"
)
# Tags that turn a statement into a question in form only: "..., you know?", "Honestly?".
_TAG = re.compile(r"(?:,?\s*(?:you know|right|no|yeah|isn't it|doesn't it|wouldn't it|don't you think|see what i mean"
                  r"|make sense|honestly|really|seriously)\s*\?+)$")
# Joins that start a second question inside one sentence.
_SPLIT = re.compile(
    r"\s*(?:[,;]\s*(?:and|or|also|plus|but)?|\s(?:and|or|also|plus)(?:\s+also)?)\s+"
    r"(?=(?:who|what|what's|whats|when|where|which|how|is|are|do|does|should|can|could|will|would|roughly how)\b)"
)


@dataclass(frozen=True)
class Question:
    """One thing the candidate asked the interviewer."""

    text: str  # the part of the sentence that asks it, verbatim
    sentence: Span
    kind: QuestionKind
    topics: tuple[str, ...]


def find_questions(sentences: list[Span], catalogue: tuple[TopicTerms, ...], answerable: frozenset[str]) -> list[Question]:
    """The questions in an answer, split into one per thing asked. `answerable` holds the topics the
    problem has a fact for: a question about one of those is always answered, even one the candidate
    goes on to answer themselves (they may have assumed wrong)."""
    found: list[Question] = []
    for index, span in enumerate(sentences):
        low = span.text.lower().strip()
        if not _is_question(low, span.text):
            continue
        followed = any(not _is_question(s.text.lower().strip(), s.text) for s in sentences[index + 1:])
        for part in _parts(span.text):
            part_low = part.lower()
            topics = tuple(topics_in(part_low, catalogue))
            kind = _kind(part_low, topics, answerable)
            if followed and kind == "open" and not _ADDRESSED.search(part_low):
                continue  # thinking aloud: the candidate answers it themselves
            found.append(Question(part.strip(), span, kind, topics))
    return found


def _is_question(low: str, original: str = "") -> bool:
    first = original.split()[0] if original.split() else ""
    if len(first) > 1 and first.isupper() and first.isalpha():
        return False  # "WHERE status = 'pending' ..." is SQL read aloud, not a question
    if _DECLARATIVE.search(low):
        return False  # "What I'd want to know first is whether ...", "Should be fine."
    tagged = _TAG.search(low)
    if tagged:  # "Honestly?", "it's the best place to be, you know?": a question only if the rest is one
        low = low[: tagged.start()].strip()
        return len(low.split()) >= 3 and bool(_OPENS_LIKE_QUESTION.search(low)) and not _DECLARATIVE.search(low)
    if low.endswith("?"):
        return len(low.split()) >= 2
    if _ASKS_OUTRIGHT.search(low):
        return True
    return bool(_OPENS_LIKE_QUESTION.search(low)) and len(low.split()) >= 3


def _parts(text: str) -> list[str]:
    """The questions in one sentence. A piece that asks nothing by itself ("Sorry,", "Before I answer,")
    joins the question after it."""
    parts: list[str] = []
    carry = ""
    for part in _SPLIT.split(text):
        if not part.strip(" ,;?"):
            continue
        low = part.strip().lower()
        if not low.endswith("?") and not _OPENS_LIKE_QUESTION.search(low) and not _ASKS_OUTRIGHT.search(low):
            carry += part.strip() + " "
            continue
        parts.append((carry + part.strip()).strip())
        carry = ""
    if carry.strip():
        if parts:
            parts[-1] = f"{parts[-1]} {carry.strip()}"
        else:
            parts.append(carry.strip())
    return parts or [text]


def _kind(low: str, topics: tuple[str, ...], answerable: frozenset[str]) -> QuestionKind:
    if TIME_LEFT.search(low):
        return "time"
    if REPEAT.search(low):
        return "repeat"
    if any(t in answerable for t in topics):
        return "fact"
    if _PERMISSION.search(low):
        return "permission"
    return "open"
