"""Listening: the engine's memory of what the candidate said, and its answers to them.

Mixed into the round engine. It answers the candidate's questions from the problem's facts,
remembers which topics the candidate has covered (so a planned question on them is skipped),
presses a non-answer once before moving on, and challenges a claim that contradicts a reference
fact, once per fact. Every one of these is recorded as an event for the scorecard.
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

from ..understanding import lexicon as lx
from ..understanding.reading import Asked, Reading
from ..understanding.questions import question_parts
from ..understanding.signals import fingerprint, split_sentences
from ..understanding.topics import topics_in
from .state import TARGETS, Move

if TYPE_CHECKING:
    from ..understanding.knowledge import Knowledge
    from .state import EngineState

# The signals a question can ask for, most specific first, as read from its wording.
_ASKABLE = ("failure_modes", "scale", "tradeoffs", "numbers", "testing", "complexity")
# Moves whose question invites the candidate's own questions or a free answer: nothing to press.
_INVITATIONS = ("clarifying",)
# A deeper follow-up on the candidate's own words, worded three ways.
_WHY_THAT = ("Why that, rather than the alternatives, and what did it cost you?",
             "What made you settle on that, and what would have pushed you the other way?",
             "What was the reasoning there, and what did you give up for it?")
_BEFORE_DESIGN = re.compile(r"\bbefore (?:you|we) (?:design|draw|sketch)\b.*\b(?:want|like|need) to (?:know|ask)\b")
# A question that points back at what was just said rather than naming its subject.
_POINTS_BACK = re.compile(r"\b(?:it|that|this|they|those|them)\b")
# Topics whose facts fix the stack rather than leave a design choice open: asked "X or Y?", these are answered.
_FIXED_STACK = frozenset({"language", "libraries", "storage", "interface"})
# A planned question that asks for the whole design walked end to end, and how many parts of the system the
# candidate must already have explained for that walk to have happened.
_END_TO_END = re.compile(r"\bwalk me through\b.*\bend to end\b|\bend to end\b.*\bwalk me through\b")
WALKED_AREAS = 3
_HINT_REQUEST = lx.words("a hint", "hint$", "a nudge", "point me", "where should i start", "where should i look",
                         "give me a clue")


class Listening:
    """For `RoundEngine`, which supplies state, knowledge, clock, rubric and `_emit`."""

    state: "EngineState"
    knowledge: "Knowledge"
    _after_challenge = False  # the answer being read follows a reply that corrected a fact

    # ------------------------------------------------------------- what was asked
    def _asked(self) -> Asked:
        last = self.state.last_move
        content = self.state.last_content
        signal = last.get("signal") or TARGETS.get(last.get("kind", "")) or _signal_asked(content)
        if signal not in _ASKABLE:
            # A follow-up chosen for missing reasoning may still ask for one precise thing in its wording
            # ("What would a caller see when that goes wrong?"): that is what an answer has to engage.
            signal = _signal_asked(content) or signal
        if signal is None and last.get("kind") == "opening" and _BEFORE_DESIGN.search(content.lower()):
            # "Before you design anything, what would you want to know?": an answer that starts designing instead
            # answers another question. (A coding round's "anything to ask or assume about the inputs?" is
            # answered by stating the inputs, which needs no question or "assume".)
            signal = "clarifying"
        topics = tuple(topics_in(content.lower(), self.knowledge.catalogue))
        return Asked(content, signal, topics, last.get("kind", ""))

    def _invited(self, asked: Asked) -> bool:
        """Whether the last question invited questions or open talk rather than a specific answer."""
        return asked.signal in _INVITATIONS or bool(lx.PROMPT_CUES["clarifying"].search(asked.content.lower())) \
            or asked.kind in ("answer_only", "more_questions", "closing", "")

    # ------------------------------------------------------------------ memory
    def _remember(self, reading: Reading, turn: int, asked: Asked) -> None:
        if reading.non_answer and reading.act != "off_question":
            # "2,000 prompts is a lot, so the difference is real" was pressed, not answered: it settles nothing, and
            # a planned question on it must still be asked. A real answer to another question still counts.
            return
        for area in sorted(reading.analysis.areas):
            if area not in self.state.areas:
                self.state.areas.append(area)
        covered = dict(reading.covered)
        if reading.act == "answer" and reading.concrete and asked.kind not in ("", "closing"):
            # An answer to a question covers what the question asked about, in whatever words it used
            # ("No. The shared default list ..." answers "Would you ship it?").
            shown = frozenset(reading.analysis.signals) | frozenset().union(*covered.values())
            for topic in asked.topics:
                covered.setdefault(topic, shown)
        covered_by = {t: reading.covered_by.get(t, reading.text) for t in covered}
        for topic, signals in covered.items():
            seen = self.state.topics.get(topic)
            if seen is None:
                self.state.topics[topic] = {"turn": turn, "proactive": topic not in asked.topics,
                                            "signals": sorted(signals), "said": covered_by[topic]}
            else:
                seen["signals"] = sorted(set(seen["signals"]) | signals)

    def _covered(self, question: str) -> tuple[str, ...]:
        """Titles of the topics a planned question asks about that the candidate has already covered with
        what the question asks for (a number, a tradeoff ...), when that is most of what it asks: after
        traffic and latency figures, "What data volume, traffic and latency?" would ask again in substance.
        Empty otherwise."""
        low = question.lower()
        topics = topics_in(low, self.knowledge.catalogue)
        if not topics:
            return ()
        wanted = {s for s in _ASKABLE if lx.PROMPT_CUES[s].search(low)}
        if self.knowledge.family == "conversation" and wanted and wanted <= {"tradeoffs", "reasoning"}:
            # "Why this company?" asks for a position and its reason, which a conversation round reads as
            # specificity ("what pulls me is the reliability work: our outages were ...").
            wanted |= {"specificity"}
        done = [t for t in topics if (seen := self.state.topics.get(t)) is not None
                and (not wanted or wanted & _satisfying(set(seen["signals"])))]
        if len(done) * 2 <= len(topics):
            return ()
        return tuple(self.knowledge.title(t) for t in done)

    def _deeper(self, question: str) -> str | None:
        """A planned "why?" about what the candidate has already described without the why ("Retries start at
        one second, double up to a one-hour cap ..."): asked about their own words instead of as if new."""
        low = question.lower()
        if not re.search(r"\bwhy\b", low):
            return None
        topics = topics_in(low, self.knowledge.catalogue)
        seen = [self.state.topics[t] for t in topics if t in self.state.topics]
        if not topics or len(seen) * 2 <= len(topics):
            return None
        said = _clause(seen[0]["said"])
        if not said:
            return None
        # Worded differently each time, so two of these in a session never read as the same question.
        earlier = sum(1 for q in self.state.asked if q.startswith('You said "'))
        return f'You said "{said}". {_WHY_THAT[earlier % len(_WHY_THAT)]}'

    def _walked_through(self, question: str) -> bool:
        """Whether a planned "walk me through your design end to end" would ask for a walk the candidate has
        already given: they explained or argued about at least WALKED_AREAS parts of the system."""
        return bool(_END_TO_END.search(question.lower())) and len(self.state.areas) >= WALKED_AREAS

    def _without_told(self, question: str) -> str | None:
        """A planned question with the parts about what the interviewer already told the candidate left out:
        after answering "who calls this?", "Who do you think calls this, and what are they relying on it to
        guarantee?" asks only the second part. The question itself when nothing was told; "" when every part
        was."""
        parts = question_parts(question)
        kept = [p for p in parts if not (topics := topics_in(p.lower(), self.knowledge.catalogue))
                or not set(topics) <= set(self.state.told)]
        if len(kept) == len(parts):
            return question
        if not kept:
            return ""
        text = " ".join(kept).strip()
        return text[0].upper() + text[1:] + ("" if text.endswith("?") else "?")

    def _partly_covered(self, question: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """For a planned question that asks for numbers on several topics ("What load and latency should we
        design for?"), the titles of those the candidate already put numbers on and of those still open, when
        both exist: the question then asks only for what is missing."""
        low = question.lower()
        if self.knowledge.family == "conversation" or not lx.PROMPT_CUES["numbers"].search(low):
            # A story question ("... how long did it take you to accept it?") is asked whole: "what about the
            # experiment? Give me the number" would turn it into an estimate.
            return (), ()
        topics = topics_in(low, self.knowledge.catalogue)
        # Settled: numbers the candidate gave, or a target the interviewer stated when asked ("TTFT 200-500 ms").
        done = [t for t in topics if t in self.state.told
                or ((seen := self.state.topics.get(t)) is not None and "numbers" in seen["signals"])]
        left = [t for t in topics if t not in done]
        if not done or not left:
            return (), ()
        return tuple(self.knowledge.title(t) for t in done), tuple(self.knowledge.title(t) for t in left)

    # --------------------------------------------------------- their questions
    def _answers(self, reading: Reading, turn: int, round_left_min: float) -> tuple[tuple[str, str], ...]:
        answers: list[tuple[str, str]] = []
        facts = self.knowledge.facts_at(self.state.gate)
        given: set[str] = set()
        topics_answered: list[str] = []
        open_topics: list[str] = []
        previous = None
        # A question with no topic of its own, beside one the facts answer, is one more way of asking it.
        fact_asked = any(q.kind == "fact" and set(q.topics) & set(facts) for q in reading.questions)
        for question in reading.questions:
            if question.kind == "time":
                answers.append(("time", str(max(0, round(round_left_min)))))
            elif question.kind == "repeat":
                answers.append(("repeat", self.state.last_content))
            elif question.kind == "fact":
                for topic in question.topics:
                    if topic in facts and topic not in given:
                        given.add(topic)
                        # "As I said" only when it was this very answer: a gate can change a fact.
                        answers.append(("again" if self.state.told.get(topic) == facts[topic] else "fact", facts[topic]))
                        topics_answered.append(topic)
            elif question.kind == "permission":
                answers.append(("permission", ""))
            elif question.kind == "choice":
                # Asked to choose for them: what the problem says about that part is given ("history is durable"),
                # a stack it fixes settles the choice ("we run Postgres"), and otherwise the choice is theirs.
                known = [t for t in question.topics if t in facts and t not in given]
                for topic in known:
                    given.add(topic)
                    answers.append(("fact", facts[topic]))
                    topics_answered.append(topic)
                if not set(known) & _FIXED_STACK:
                    answers.append(("open", ""))
                    open_topics.append("")
            elif not question.topics and (fact_asked or (previous is not None and previous.kind == "fact")):
                continue  # "... and what does it involve?", "Like, two points up?": one more way of asking the fact
            elif not question.topics and (said := self._about_last_told(question.text, facts)):
                # "And is it usually from scratch?" right after the work trial was explained: about that, and
                # answered with the part of what was said that speaks to it.
                answers.append(("fact", said))
            else:
                unknown = [t for t in question.topics if t not in facts]
                answers.append(("open", self.knowledge.title(unknown[0]) if unknown else ""))
                open_topics += unknown or [""]
            previous = question
        for topic in topics_answered:
            self.state.told[topic] = facts[topic]
        self.state.last_told = topics_answered
        heard = " ".join(self.state.asked + [reading.text])
        scopes: set[str] = set()
        answers = [(kind, _in_scope(text, heard, scopes)) if kind in ("fact", "again") else (kind, text)
                   for kind, text in answers]
        answers = [(kind, text) for kind, text in answers if text or kind not in ("fact", "again")]
        if answers:
            self._emit("question_answered", turn=turn, topics=topics_answered,
                       open=[t for t in open_topics if t], kinds=[k for k, _ in answers])
        return tuple(_dedupe(answers))

    def _about_last_told(self, question: str, facts: dict[str, str]) -> str:
        """For a short question that names nothing but points back ("is it paid?", "and is that remote?"), the
        sentences of the facts given in the last reply that share its words; "" when it is not such a question."""
        low = question.lower()
        if not self.state.last_told or len(low.split()) > 16 or not _POINTS_BACK.search(low):
            return ""
        words = fingerprint(question)
        picked = [s.text.strip() for topic in self.state.last_told if topic in facts
                  for s in split_sentences(facts[topic]) if fingerprint(s.text) & words]
        return " ".join(dict.fromkeys(picked))

    def _wants_hint(self, reading: Reading) -> bool:
        return any(_HINT_REQUEST.search(q.text.lower()) for q in reading.questions)

    # ------------------------------------------------------------ wrong facts
    def _challenges(self, reading: Reading, turn: int) -> tuple[str, ...]:
        said: list[str] = []
        for claim in reading.contradictions:
            if claim.fact_id in self.state.challenged:
                continue
            self.state.challenged.append(claim.fact_id)
            said.append(claim.says)
            self._emit("claim_challenged", turn=turn, fact=claim.fact_id, claim=claim.claim, says=claim.says)
        return tuple(said)

    # ------------------------------------------------------------- non-answers
    def _press(self, reading: Reading, turn: int, asked: Asked, answers: tuple[tuple[str, str], ...]) -> Move | None:
        """Press a non-answer once, specifically; the second time, record it and let the round move
        on (the caller carries on with a "moved_on" lead). None when there is nothing to press."""
        if not reading.non_answer or not self.state.last_content or self.state.last_move.get("kind") == "closing":
            return None
        if self.state.pressed:
            self._emit("moved_on_unanswered", turn=turn, act=reading.act)
            return None
        if self._invited(asked) and reading.act in ("thin", "decline"):
            return None  # "No questions, thanks" answers "any questions for me?"
        last = self.state.last_move
        if self._after_challenge and reading.act == "off_question":
            # The answer speaks to the fact just corrected, not to the question still in play: no non-answer, but
            # that question is still open, so ask it again.
            return Move("press", self.state.last_content, self.phase.id, self.phase.title, gate=last.get("gate"),
                        gate_title=self._gate_info()[1], press="after_challenge", answers=answers)
        self.state.pressed = True
        self._emit("answer_pressed", turn=turn, act=reading.act, question=self.state.last_content)
        last = self.state.last_move
        return Move("press", self.state.last_content, self.phase.id, self.phase.title, gate=last.get("gate"),
                    gate_title=self._gate_info()[1], signal=asked.signal if asked.signal in _ASKABLE else None,
                    multiplier=last.get("multiplier"), press=reading.act, quote=reading.vague, answers=answers)


def _clause(sentence: str, limit: int = 90) -> str:
    """The sentence, or its opening clauses up to `limit` characters, for quoting back."""
    text = sentence.strip().rstrip(".!?")
    if len(text) <= limit:
        return text
    cut = max(text.rfind(", ", 0, limit), text.rfind("; ", 0, limit))  # not the comma inside "4,000"
    return text[:cut].strip() if cut > 30 else ""


def _satisfying(shown: set[str]) -> set[str]:
    """What a topic's evidence answers: a reason given for a choice answers "why this one?" too."""
    return shown | ({"tradeoffs"} if "reasoning" in shown else set())


def _signal_asked(content: str) -> str | None:
    low = content.lower()
    return next((s for s in _ASKABLE if lx.PROMPT_CUES[s].search(low)), None)


_SCOPE = re.compile(r"^for the ([^,]+),", re.I)


def _in_scope(fact: str, heard: str, scopes: set[str]) -> str:
    """A fact's sentences less those scoped to a situation not raised yet: in a round of two situations,
    "For the customer request, ..." waits until the customer request has come up. A scope already named
    in this reply (`scopes`, updated) is not named again."""
    said = fingerprint(heard)
    kept = []
    for sentence in split_sentences(fact):
        text = sentence.text.strip()
        scope = _SCOPE.match(text)
        if scope is None:
            kept.append(text)
        elif fingerprint(scope.group(1)) & said:
            name = scope.group(1).lower()
            if name in scopes:
                text = text[scope.end():].strip()
                text = text[:1].upper() + text[1:]
            scopes.add(name)
            kept.append(text)
    return " ".join(kept)


def _dedupe(answers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each answer once, and each sentence of the facts once: two topics' facts often share a sentence ("Scores
    can run into the thousands ..."), and one reply must not say it twice."""
    seen: set[tuple[str, str]] = set()
    said: set[str] = set()
    kept = []
    for kind, text in answers:
        if (kind, text) in seen:
            continue
        seen.add((kind, text))
        if kind in ("fact", "again"):
            fresh = [s for s in split_sentences(text) if " ".join(s.text.lower().split()) not in said]
            said |= {" ".join(s.text.lower().split()) for s in fresh}
            if not fresh:
                continue
            text = " ".join(s.text for s in fresh)
        kept.append((kind, text))
    return kept
