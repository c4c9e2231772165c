"""The round engine: a deterministic state machine driven by the rubric.

It owns phases, gates, time budgets, checkpoints and the scale drill, and decides every
interviewer move; a brain only phrases the move. Given the same answers at the same
clock readings it makes the same moves.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import re
from typing import Any, Callable

from ..errors import SessionStateError
from ..rubric.schema import Phase, Problem, Rubric
from ..understanding.knowledge import knowledge_for
from ..understanding.reading import CODE, Reading, read
from ..understanding import lexicon as lx
from ..understanding.signals import Analysis, Context, fingerprint, overlap
from .gates import GateFlow
from .listening import Listening
from .state import TARGETS, EngineState, Move

log = logging.getLogger("interviewer.engine")

# A gate counts as worked on once an answer carries this much: code, or a real explanation.
_SUBSTANTIVE_WORDS = 12
# Handing the floor back in a phase of the candidate's own questions.
# A figure of any kind in an answer: "4 points", "18%", "200k tickets".
_FIGURE = re.compile(r"\b\d[\d,.]*\b")
OPEN_FLOOR_AGAIN = "What else would you like to know?"
# The hint when none of the rubric's speaks to the check that fails.
CHECK_NUDGE = ("Build that case yourself, small enough to follow by hand, and step through your code with it: "
               "where does what it does first part from what the check expects?")
SAME_QUESTION = 0.3  # content-word overlap above which two questions ask the same thing
TRACKED = ("numbers", "scale", "failure_modes", "tradeoffs", "clarifying", "testing", "complexity")


def context_for(rubric: Rubric) -> Context:
    return Context.build(
        tuple(rubric.vocabulary),
        tuple((a.id, tuple(a.terms)) for a in rubric.areas),
    )


# A question about something that already happened: its follow-ups ask about what was done, not what to find out.
_PAST_STORY = re.compile(r"^(?:\w+[,.]?\s+){0,3}?tell me about (?:a time|an?|the)\b|\ba time (?:you|when)\b"
                         r"|\bhave you ever\b|\bwhat happened\b")

class RoundEngine(GateFlow, Listening):
    def __init__(
        self,
        rubric: Rubric,
        problem: Problem,
        clock: Callable[[], float],
        state: EngineState | None = None,
        checked: bool = False,
    ) -> None:
        self.rubric = rubric
        # When the problem ships gate checks, a gate is done on a passing run, not on talk.
        self.checked = checked
        self.problem = problem
        self.clock = clock
        self.state = state or EngineState()
        self.knowledge = knowledge_for(rubric, problem)
        self.context = self.knowledge.context
        self._events: list[dict[str, Any]] = []
        # What this turn adds to whatever move the engine makes: answers to the candidate's questions,
        # the phrase to echo back, planned questions skipped as already covered, a "moved on" lead.
        self._extras: dict[str, Any] = {}
        self._question_turn = False

    # ----------------------------------------------------------------- public API
    @property
    def phase(self) -> Phase:
        return self.rubric.phases[min(self.state.phase_index, len(self.rubric.phases) - 1)]

    @property
    def finished(self) -> bool:
        return self.state.finished

    def fork(self, clock: Callable[[], float]) -> "RoundEngine":
        """A copy that decides moves without touching this engine (a reply worked out ahead of the
        answer being sent): the rubric, problem and knowledge are shared, being read-only; the
        state, the events and the clock are its own."""
        twin = copy.copy(self)
        twin.clock = clock
        twin.state = copy.deepcopy(self.state)
        twin._events, twin._extras = [], dict(self._extras)
        return twin

    def drain_events(self) -> list[dict[str, Any]]:
        events, self._events = self._events, []
        return events

    def start(self) -> Move:
        self._emit("phase_started", phase=self.phase.id, budget_min=self.phase.budget_min)
        first = self._phase_opening_move()
        return self._record(
            Move(
                kind="opening",
                content=first.content,
                phase=first.phase,
                phase_title=first.phase_title,
                gate=first.gate,
                gate_title=first.gate_title,
                signal=first.signal,
            )
        )

    def answer(self, text: str, turn: int) -> Move:
        """Take the candidate's answer (already saved by the caller) and decide the next move."""
        self._require_running()
        asked = self._asked()
        heard = " ".join([*self.state.told.values(), self.state.last_content])
        reading = read(text, self.knowledge, asked, gate=self.state.gate, heard=heard)
        self.state.awaiting = False
        self._track_coverage(reading.analysis, turn)
        self._remember(reading, turn, asked)
        shown = set(reading.analysis.signals)
        if reading.act == "answer" and asked.signal in lx.ENGAGES and lx.ENGAGES[asked.signal].search(text.lower()):
            # "It cost us two incidents and a month" answers "what did that cost?", even where the sentence
            # alone would not read as a full tradeoff: asking for the cost again would be asking twice.
            shown.add(asked.signal)
        if reading.act == "answer" and lx.SPEAKS_FOR_SELF.search(text.lower()):
            shown.add("ownership")  # "I said no in the launch review": whose call it was is said; don't ask it again
        if reading.act == "answer" and lx.ASKS_VERDICT.search(asked.content.lower()) and lx.VERDICT.search(text.lower()):
            shown.add("specificity")  # "Yes or no?" answered "No. <reasons>": the position, taken and argued
        for signal in sorted(shown):
            if signal not in self.state.phase_signals:
                self.state.phase_signals.append(signal)
        if self._wants_hint(reading):
            return self._record(self._hint(), counts_as_prompt=False)
        answers = self._answers(reading, turn, self._round_left_min())
        self._after_challenge, self.state.challenged_last = self.state.challenged_last, False
        challenge = self._challenges(reading, turn)
        if challenge:
            self.state.challenged_last = True
            # Say so at once, with the fact; the question in play stays the one the candidate answers.
            return self._record(self._here("challenge", "", answers=answers, challenge=challenge),
                                counts_as_prompt=False, keep_press=True)
        if self.state.pressed and reading.act == "answer" and not reading.concrete and not reading.questions \
                and not CODE.search(text):
            # Pressed once and answered again with nothing to hold on to ("Yeah, logs, and probably some
            # metrics too."): still unanswered, so the round records it and moves on.
            reading = dataclasses.replace(reading, act="hand_wave")
        press = self._press(reading, turn, asked, answers)
        if press is not None:
            return self._record(press, keep_press=True)
        invited = self._invited(asked)
        if answers and self.phase.open_floor and not reading.non_answer and not self._over_budget():
            # Their questions are the point of this phase: answer, and ask for the next one rather than
            # closing the round on the first.
            return self._record(self._here("more_questions", OPEN_FLOOR_AGAIN, answers=answers),
                                counts_as_prompt=False, keep_press=True)
        if reading.act == "question" and not invited:
            # Only a question: answer it and hand the floor back; the interviewer's question still stands.
            return self._record(self._here("answer_only", self.state.last_content, answers=answers),
                                counts_as_prompt=False, keep_press=True)
        moved_on = reading.non_answer and not (invited and reading.act in ("thin", "decline"))
        self._extras = {"answers": answers, "noted": reading.noted, "lead": "moved_on" if moved_on else None}
        # No follow-up after a turn of questions (no claim yet) or after moving on from a non-answer (asking
        # for the same thing in other words would be pressing twice).
        self._question_turn = reading.act == "question" or moved_on
        return self._record(self._decide(reading))

    def _decide(self, reading: Reading) -> Move:
        """The planned move after a real answer: gates, checkpoints, time, follow-ups, questions."""
        analysis = reading.analysis
        if self.state.gate_stage == "transition" and self.phase.ask_from == "gates":
            explained = analysis.has("tradeoffs")
            if not explained and self.checked and not self.state.gate_tradeoff_asked_again and not reading.non_answer:
                again = self._ask_tradeoff_again()
                if again is not None:
                    return again
            return self._pass_gate(explained=explained)
        if self.state.pending:
            return self._next_pending()
        if self._over_budget():
            return self._time_up()
        if self.phase.ask_from == "gates":
            if _substantive(reading.text, analysis):
                self.state.gate_substantive = True
            return self._gate_work(analysis)
        return self._phase_work(analysis)

    def _here(self, kind: str, content: str, **fields: Any) -> Move:
        """A move that stays where the round is: same phase, same part."""
        gate, title = self._gate_info()
        return Move(kind, content, self.phase.id, self.phase.title, gate=gate, gate_title=title, **fields)  # type: ignore[arg-type]

    def _round_left_min(self) -> float:
        return (self.rubric.duration_min * 60 - self.clock()) / 60

    def command(self, name: str) -> Move:
        self._require_running()
        if name == "hint":
            return self._record(self._hint(), counts_as_prompt=False)
        if name == "next":
            return self._record(self._skip_ahead())
        raise SessionStateError(f"unknown command /{name}; use /hint, /next, /done or /quit")

    def finish(self) -> Move:
        """End the round now (candidate said /done or the clock ran out)."""
        if self.phase.ask_from == "gates" and self.state.gate and not self._gate_closed(self.state.gate):
            self._close_gate(passed=self._gate_ready() and self.state.gate_stage == "transition", explained=False)
        self.state.finished = True
        self._emit("round_finished", phase=self.phase.id, elapsed_s=round(self.clock(), 1))
        return self._record(Move("closing", self.rubric.wrap_up, self.phase.id, self.phase.title, final=True))

    # ------------------------------------------------------------ phase handling
    def _phase_questions(self, phase: Phase) -> list[str]:
        if phase.ask_from == "phase":
            return list(phase.questions)
        return list(getattr(self.problem, phase.ask_from))

    def _phase_opening_move(self) -> Move:
        phase = self.phase
        self.state.phase_started_at = self.clock()
        self.state.question_index = 0
        self.state.followups_used = 0
        self.state.phase_signals = []
        self.state.time_nudged = False
        if phase.ask_from == "gates":
            return self._reveal_gate(1)
        move = self._next_planned(phase, "phase_start")
        return move if move is not None else self._end_phase()

    def _next_planned(self, phase: Phase, kind: str = "question") -> Move | None:
        """The next planned question of the phase that is neither asked already nor covered by what
        the candidate has said; None when the phase has no more."""
        questions = self._phase_questions(phase)
        while self.state.question_index < len(questions):
            content = questions[self.state.question_index]
            self.state.question_index += 1
            if self._already_asked(content):
                continue
            covered = self._covered(content)
            if covered:
                self._emit("question_skipped", question=content, covered=list(covered))
                self._say_covered(covered)
                continue
            deeper = self._deeper(content)
            if deeper:
                self._emit("question_narrowed", question=content, deeper=True)
                return Move(kind, deeper, phase.id, phase.title)  # type: ignore[arg-type]
            if self._walked_through(content):
                self._emit("question_skipped", question=content, covered=["end_to_end"])
                self._say_covered(("the design end to end",))
                continue
            narrowed = self._without_told(content)
            if narrowed != content:
                self._emit("question_narrowed", question=content, told=True)
                if not narrowed:
                    continue
                content = narrowed
            done, left = self._partly_covered(content)
            if done:
                # Ask only for what is missing, rather than for numbers the candidate already gave.
                self._emit("question_narrowed", question=content, covered=list(done))
                self._say_covered(done)
                content = f"What about {_listed(left)}? Give me the number you're working with."
            return Move(kind, content, phase.id, phase.title)  # type: ignore[arg-type]
        return None

    def _say_covered(self, titles: tuple[str, ...]) -> None:
        """The reply opens by naming what the candidate already covered, once each, in order."""
        earlier = self._extras.get("covered", ())
        self._extras["covered"] = (*earlier, *(t for t in titles if t not in earlier))

    def _phase_work(self, analysis: Analysis) -> Move:
        phase = self.phase
        followup = self._followup(phase, analysis)
        if followup is not None:
            return followup
        move = self._next_planned(phase)
        return move if move is not None else self._end_phase()

    def _followup(self, phase: Phase, analysis: Analysis) -> Move | None:
        if self.state.followups_used >= phase.max_followups or self._question_turn:
            return None  # a turn of questions has made no claim yet to follow up on
        for signal in phase.expects:
            if analysis.has(signal) or signal in self.state.phase_signals or self._planned_ahead(phase, signal):
                continue
            if self.state.last_move.get("kind") == "followup" and self.state.last_move.get("signal") == signal:
                continue  # the same thing, asked again in other words, right after it was answered
            if signal == "clarifying" and _PAST_STORY.search(self._last_planned().lower()):
                continue  # "what would you want to know before deciding?" fits a situation ahead, not a story told
            if signal == "ownership" and lx.SPEAKS_FOR_SELF.search(analysis.text.lower()):
                continue  # "I'd build it from day one" already says whose call it is
            if signal == "specificity" and (analysis.has("numbers") or _FIGURE.search(analysis.text)):
                # Measured results ("inflated by about 4 points") are as concrete as an answer gets: "the exact
                # example?" would not be listening.
                continue
            probe = self._probe(signal)
            if probe is None:
                continue
            self.state.followups_used += 1
            gate, title = self._gate_info()
            return Move("followup", probe, phase.id, phase.title, gate=gate, gate_title=title, signal=signal)
        return None

    def _last_planned(self) -> str:
        """The last question the round planned (not a follow-up from the probe bank): what the talk is about."""
        probes = {q for qs in self.rubric.probe_bank.values() for q in qs}  # type: ignore[attr-defined]
        return next((q for q in reversed(self.state.asked) if q not in probes), self.state.last_content)

    def _planned_ahead(self, phase: Phase, signal: str) -> bool:
        """Whether a planned question still to come in this phase asks for `signal` anyway."""
        if phase.ask_from == "gates":
            return False
        cue = lx.PROMPT_CUES.get(signal)
        rest = self._phase_questions(phase)[self.state.question_index:]
        return cue is not None and any(cue.search(q.lower()) for q in rest if not self._covered(q))

    def _probe(self, signal: str) -> str | None:
        probes = self.rubric.probe_bank.get(signal, [])  # type: ignore[call-overload]
        while self.state.probes_used.get(signal, 0) < len(probes):
            probe = probes[self.state.probes_used.get(signal, 0)]
            self.state.probes_used[signal] = self.state.probes_used.get(signal, 0) + 1
            if not self._already_asked(probe) and not self._covered(probe):
                return probe
        return None

    def _already_asked(self, content: str) -> bool:
        """Follow-ups and planned questions overlap; never ask nearly the same thing twice."""
        key = fingerprint(content)
        return any(overlap(key, fingerprint(earlier)) >= SAME_QUESTION for earlier in self.state.asked)

    def _end_phase(self, lead: str | None = None) -> Move:
        """Queue the phase's checkpoints (only what the candidate has not covered), then advance."""
        phase = self.phase
        self._emit("phase_ended", phase=phase.id, elapsed_s=round(self.clock() - self.state.phase_started_at, 1))
        pending: list[dict[str, Any]] = []
        for checkpoint in phase.checkpoints:
            if checkpoint == "failure_modes":
                covered = self.state.coverage.get("failure_modes")
                if covered:
                    self._emit("checkpoint", check="failure_modes", status="covered", proactive=covered["proactive"], turn=covered["turn"])
                else:
                    pending.append({"kind": "failure_probe"})
            elif checkpoint == "scale_drill":
                pending.extend({"kind": "drill", "multiplier": step.multiplier} for step in self.problem.scale_drill)
        pending.append({"kind": "advance", "lead": lead})
        self.state.pending = pending
        return self._next_pending()

    def _next_pending(self) -> Move:
        phase = self.phase
        while self.state.pending:
            item = self.state.pending.pop(0)
            if item["kind"] == "drill":
                multiplier = item["multiplier"]
                seen = self.state.multipliers.get(multiplier)
                if seen:
                    self._emit("drill_step", multiplier=multiplier, status="covered", proactive=seen["proactive"], turn=seen["turn"])
                    continue
                step = next(s for s in self.problem.scale_drill if s.multiplier == multiplier)
                self._emit("drill_step", multiplier=multiplier, status="asked")
                return Move("drill", step.prompt, phase.id, phase.title, signal="scale", multiplier=multiplier)
            if item["kind"] == "failure_probe":
                if self.state.coverage.get("failure_modes"):
                    covered = self.state.coverage["failure_modes"]
                    self._emit("checkpoint", check="failure_modes", status="covered", proactive=covered["proactive"], turn=covered["turn"])
                    continue
                self._emit("checkpoint", check="failure_modes", status="asked")
                return Move("failure_probe", self.problem.failure_probes[0], phase.id, phase.title, signal="failure_modes")
            return self._advance(item.get("lead"))
        return self._advance(None)

    def _advance(self, lead: str | None) -> Move:
        if self.state.phase_index + 1 >= len(self.rubric.phases):
            return self.finish()
        self.state.phase_index += 1
        self._emit("phase_started", phase=self.phase.id, budget_min=self.phase.budget_min)
        move = self._phase_opening_move()
        return move if move.lead is not None else dataclasses.replace(move, lead=lead)

    def _round_over_before_last_phase(self) -> bool:
        return self.clock() >= self.rubric.duration_min * 60 and self.state.phase_index < len(self.rubric.phases) - 1

    def _over_budget(self) -> bool:
        if self._round_over_before_last_phase():
            return True
        return self.clock() - self.state.phase_started_at > self.phase.budget_min * 60

    def _time_up(self) -> Move:
        if self._round_over_before_last_phase():
            # Out of time for the whole round: go straight to the last phase.
            self.state.phase_index = len(self.rubric.phases) - 2
        if self.phase.ask_from == "gates" and self.state.gate_stage == "working":
            if self._gate_ready():
                return self._transition(lead="time")
            if self.state.gate and not self._gate_closed(self.state.gate):
                self._close_gate(passed=False, explained=False)
        self._emit("time_up", phase=self.phase.id)
        return self._end_phase(lead="time")

    def _skip_ahead(self) -> Move:
        """The candidate says this part is done (/next)."""
        if self.state.pending:
            return self._next_pending()
        if self.phase.ask_from != "gates":
            return self._end_phase()
        if self.state.gate_stage == "transition":
            return self._pass_gate(explained=False)
        if self._gate_ready():
            return self._transition()
        if self.state.gate_holds == 0:
            return self._hold()
        # Nothing workable after being told what is missing: the gate is not passed and
        # later gates stay hidden, as in the real screen.
        self._close_gate(passed=False, explained=False)
        return self._end_phase()

    # ------------------------------------------------------------------- hints
    def _hint(self) -> Move:
        """A nudge from the rubric; when the last run of this part failed, the one closest to the
        check that failed, and the move names that check."""
        sources: list[str] = []
        gate, title = self._gate_info()
        if gate:
            sources += self.problem.gates[gate - 1].hints
        sources += self.problem.hints + self.rubric.hints
        remaining = [h for h in sources if h not in self.state.hints_given]
        failing = self.state.failing_checks[0] if gate and self.state.failing_checks else None
        closest = None
        if failing and remaining:
            # Shared words of five letters or more: "most" or "key" alone does not tie a hint to a check.
            words = {w for w in fingerprint(failing) if len(w) >= 5}
            best = max(remaining, key=lambda h: len(fingerprint(h) & words))
            closest = best if fingerprint(best) & words else None
        self.state.hints_used += 1
        if failing and closest is None:
            # No hint speaks to the check that fails: a stock nudge about something else would send the
            # candidate the wrong way, so the nudge is to work that very case by hand.
            content = CHECK_NUDGE
        else:
            content = closest or (remaining[0] if remaining else "")
        if content and content != CHECK_NUDGE:
            self.state.hints_given.append(content)
        self._emit("hint", number=self.state.hints_used, gate=gate, exhausted=not remaining,
                   **({"failing": failing} if failing else {}))
        return Move("hint", content, self.phase.id, self.phase.title, gate=gate, gate_title=title, failing=failing)

    # ----------------------------------------------------------------- tracking
    def _track_coverage(self, analysis: Analysis, turn: int) -> None:
        asked_for = self.state.last_move.get("signal")
        for signal in sorted(analysis.signals):
            if signal in self.state.coverage:
                continue
            proactive = signal not in self.state.prompted and signal != asked_for
            self.state.coverage[signal] = {"turn": turn, "proactive": proactive}
            if signal in TRACKED:
                self._emit("coverage", signal=signal, proactive=proactive, turn=turn)
        asked_multiplier = self.state.last_move.get("multiplier")
        for multiplier in sorted(analysis.multipliers):
            if multiplier in self.state.multipliers:
                continue
            proactive = multiplier != asked_multiplier and not self._drilled(multiplier)
            self.state.multipliers[multiplier] = {"turn": turn, "proactive": proactive}
            self._emit("coverage", signal="scale", multiplier=multiplier, proactive=proactive, turn=turn)

    def _drilled(self, multiplier: str) -> bool:
        return multiplier in self.state.prompted

    def _record(self, move: Move, counts_as_prompt: bool = True, keep_press: bool = False) -> Move:
        extras, self._extras, self._question_turn = self._extras, {}, False
        extras = {k: v for k, v in extras.items() if v and not (k == "lead" and move.lead)}
        if extras:
            move = dataclasses.replace(move, **extras)
        if not keep_press:
            self.state.pressed = False
        if move.kind in ("question", "phase_start", "followup", "press", "drill", "failure_probe", "transition_probe"):
            self.state.awaiting = True
        if move.kind == "followup" and move.gate and move.signal and move.signal not in self.state.gate_prompted:
            self.state.gate_prompted.append(move.signal)
        if counts_as_prompt:
            self.state.last_content = move.content
            if move.kind not in ("press", "closing") and move.content not in self.state.asked:
                self.state.asked.append(move.content)
            target = move.signal or TARGETS.get(move.kind)
            if target and target not in self.state.prompted:
                self.state.prompted.append(target)
            if move.multiplier and move.multiplier not in self.state.prompted:
                self.state.prompted.append(move.multiplier)
            self.state.last_move = move.to_record()
        return move

    def _emit(self, kind: str, **data: Any) -> None:
        event = {"kind": kind, **data}
        log.debug("engine event %s", event)
        self._events.append(event)

    def _require_running(self) -> None:
        if self.state.finished:
            raise SessionStateError("this round has ended; score it with `interviewer score FILE`")



def _substantive(text: str, analysis: Analysis) -> bool:
    return analysis.substantive > 0 or len(text.split()) >= _SUBSTANTIVE_WORDS or bool(CODE.search(text))


def _listed(titles: tuple[str, ...]) -> str:
    """"the latency target", "the load and the latency target", "a, b and c"."""
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]
