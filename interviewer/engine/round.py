"""The round engine: a deterministic state machine driven by the rubric.

It owns phases, gates, time budgets, checkpoints and the scale drill, and decides every
interviewer move; a brain only phrases the move. Given the same answers at the same
clock readings it makes the same moves.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Callable

from ..analysis import Analysis, Context, analyze, fingerprint, overlap
from ..errors import SessionStateError
from ..rubric.schema import Phase, Problem, Rubric
from .gates import GateFlow
from .state import TARGETS, EngineState, Move

log = logging.getLogger("interviewer.engine")

_CODE = re.compile(r"\bdef \w+\(|\bclass \w+|\breturn\b|[=:]\s*\{|\bself\.|\w+\[\w*\]\s*=|\bimport \w+")
# A gate counts as worked on once an answer carries this much: code, or a real explanation.
_SUBSTANTIVE_WORDS = 12
SAME_QUESTION = 0.3  # content-word overlap above which two questions ask the same thing
TRACKED = ("numbers", "scale", "failure_modes", "tradeoffs", "clarifying", "testing", "complexity")


def context_for(rubric: Rubric) -> Context:
    return Context.build(
        tuple(rubric.vocabulary),
        tuple((a.id, tuple(a.terms)) for a in rubric.areas),
    )


class RoundEngine(GateFlow):
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
        self.context = context_for(rubric)
        self._events: list[dict[str, Any]] = []

    # ----------------------------------------------------------------- public API
    @property
    def phase(self) -> Phase:
        return self.rubric.phases[min(self.state.phase_index, len(self.rubric.phases) - 1)]

    @property
    def finished(self) -> bool:
        return self.state.finished

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
        analysis = analyze(text, self.context)
        before = set(self.state.coverage)
        self._track_coverage(analysis, turn)
        for signal in analysis.signals:
            if signal not in self.state.phase_signals:
                self.state.phase_signals.append(signal)
        # Acknowledge what the candidate raised for the first time, not every repeat.
        ack = tuple(sorted((set(self.state.coverage) - before) & set(TRACKED)))
        if _thin(text, analysis) and not self.state.pressed and self.state.last_content:
            # One word is not an answer; a real interviewer asks again before moving on.
            self.state.pressed = True
            last = self.state.last_move
            return self._record(Move("press", self.state.last_content, self.phase.id, self.phase.title,
                                     gate=last.get("gate"), signal=last.get("signal"), multiplier=last.get("multiplier")),
                                keep_press=True)
        if self.state.gate_stage == "transition" and self.phase.ask_from == "gates":
            explained = analysis.has("tradeoffs")
            if not explained and self.checked and not self.state.gate_tradeoff_asked_again:
                again = self._ask_tradeoff_again(ack)
                if again is not None:
                    return self._record(again)
            return self._record(self._pass_gate(explained=explained, ack=ack))
        if self.state.pending:
            return self._record(self._next_pending(ack))
        if self._over_budget():
            return self._record(self._time_up(ack))
        if self.phase.ask_from == "gates":
            if _substantive(text, analysis):
                self.state.gate_substantive = True
            return self._record(self._gate_work(analysis, ack))
        return self._record(self._phase_work(analysis, ack))

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
        questions = self._phase_questions(phase)
        self.state.question_index = 1
        return Move("phase_start", questions[0], phase.id, phase.title)

    def _phase_work(self, analysis: Analysis, ack: tuple[str, ...]) -> Move:
        phase = self.phase
        followup = self._followup(phase, analysis, ack)
        if followup is not None:
            return followup
        questions = self._phase_questions(phase)
        while self.state.question_index < len(questions):
            content = questions[self.state.question_index]
            self.state.question_index += 1
            if not self._already_asked(content):
                return Move("question", content, phase.id, phase.title, acknowledge=ack)
        return self._end_phase(ack)

    def _followup(self, phase: Phase, analysis: Analysis, ack: tuple[str, ...]) -> Move | None:
        if self.state.followups_used >= phase.max_followups:
            return None
        for signal in phase.expects:
            if analysis.has(signal) or signal in self.state.phase_signals:
                continue
            probe = self._probe(signal)
            if probe is None:
                continue
            self.state.followups_used += 1
            gate, title = self._gate_info()
            return Move("followup", probe, phase.id, phase.title, gate=gate, gate_title=title, signal=signal, acknowledge=ack)
        return None

    def _probe(self, signal: str) -> str | None:
        probes = self.rubric.probe_bank.get(signal, [])  # type: ignore[call-overload]
        while self.state.probes_used.get(signal, 0) < len(probes):
            probe = probes[self.state.probes_used.get(signal, 0)]
            self.state.probes_used[signal] = self.state.probes_used.get(signal, 0) + 1
            if not self._already_asked(probe):
                return probe
        return None

    def _already_asked(self, content: str) -> bool:
        """Follow-ups and planned questions overlap; never ask nearly the same thing twice."""
        key = fingerprint(content)
        return any(overlap(key, fingerprint(earlier)) >= SAME_QUESTION for earlier in self.state.asked)

    def _end_phase(self, ack: tuple[str, ...], lead: str | None = None) -> Move:
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
        return self._next_pending(ack)

    def _next_pending(self, ack: tuple[str, ...]) -> Move:
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
                return Move("drill", step.prompt, phase.id, phase.title, signal="scale", multiplier=multiplier, acknowledge=ack)
            if item["kind"] == "failure_probe":
                if self.state.coverage.get("failure_modes"):
                    covered = self.state.coverage["failure_modes"]
                    self._emit("checkpoint", check="failure_modes", status="covered", proactive=covered["proactive"], turn=covered["turn"])
                    continue
                self._emit("checkpoint", check="failure_modes", status="asked")
                return Move("failure_probe", self.problem.failure_probes[0], phase.id, phase.title, signal="failure_modes", acknowledge=ack)
            return self._advance(ack, item.get("lead"))
        return self._advance(ack, None)

    def _advance(self, ack: tuple[str, ...], lead: str | None) -> Move:
        if self.state.phase_index + 1 >= len(self.rubric.phases):
            return self.finish()
        self.state.phase_index += 1
        self._emit("phase_started", phase=self.phase.id, budget_min=self.phase.budget_min)
        move = self._phase_opening_move()
        return Move(move.kind, move.content, move.phase, move.phase_title, gate=move.gate, gate_title=move.gate_title, lead=lead, acknowledge=ack)

    def _round_over_before_last_phase(self) -> bool:
        return self.clock() >= self.rubric.duration_min * 60 and self.state.phase_index < len(self.rubric.phases) - 1

    def _over_budget(self) -> bool:
        if self._round_over_before_last_phase():
            return True
        return self.clock() - self.state.phase_started_at > self.phase.budget_min * 60

    def _time_up(self, ack: tuple[str, ...]) -> Move:
        if self._round_over_before_last_phase():
            # Out of time for the whole round: go straight to the last phase.
            self.state.phase_index = len(self.rubric.phases) - 2
        if self.phase.ask_from == "gates" and self.state.gate_stage == "working":
            if self._gate_ready():
                return self._transition(ack, lead="time")
            if self.state.gate and not self._gate_closed(self.state.gate):
                self._close_gate(passed=False, explained=False)
        self._emit("time_up", phase=self.phase.id)
        return self._end_phase(ack, lead="time")

    def _skip_ahead(self) -> Move:
        """The candidate says this part is done (/next)."""
        if self.state.pending:
            return self._next_pending(())
        if self.phase.ask_from != "gates":
            return self._end_phase(())
        if self.state.gate_stage == "transition":
            return self._pass_gate(explained=False, ack=())
        if self._gate_ready():
            return self._transition(())
        if self.state.gate_holds == 0:
            return self._hold(())
        # Nothing workable after being told what is missing: the gate is not passed and
        # later gates stay hidden, as in the real screen.
        self._close_gate(passed=False, explained=False)
        return self._end_phase(())

    # ------------------------------------------------------------------- hints
    def _hint(self) -> Move:
        sources: list[str] = []
        gate, title = self._gate_info()
        if gate:
            sources += self.problem.gates[gate - 1].hints
        sources += self.problem.hints + self.rubric.hints
        remaining = [h for h in sources if h not in self.state.hints_given]
        self.state.hints_used += 1
        if not remaining:
            content = ""
        else:
            content = remaining[0]
            self.state.hints_given.append(content)
        self._emit("hint", number=self.state.hints_used, gate=gate, exhausted=not remaining)
        return Move("hint", content, self.phase.id, self.phase.title, gate=gate, gate_title=title)

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
        if not keep_press:
            self.state.pressed = False
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


def _thin(text: str, analysis: Analysis) -> bool:
    return len(text.split()) < 4 and not analysis.signals and not _CODE.search(text)


def _substantive(text: str, analysis: Analysis) -> bool:
    return analysis.substantive > 0 or len(text.split()) >= _SUBSTANTIVE_WORDS or bool(_CODE.search(text))
