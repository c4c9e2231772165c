"""Coding gates: reveal, hold, transition probe, pass or fail, and runs of the gate checks.

Mixed into the round engine; kept apart so the gate rules read as one piece.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .state import Move

if TYPE_CHECKING:
    from ..understanding.signals import Analysis


class GateFlow:
    """Gate handling for `RoundEngine` (which supplies state, problem, phase, clock and the
    helpers `_record`, `_emit`, `_followup`, `_probe`, `_end_phase`, `_require_running`)."""

    checked: bool

    def checks_ran(self, gate: int | None, passed: bool, failing: list[str] | None = None) -> Move | None:
        """A run of the gate checks finished. A passing run on the gate in play opens the
        transition: straight to the next gate when the candidate already gave the tradeoff,
        otherwise the interviewer asks for it. A question of the interviewer's still waiting for
        its answer is asked again first. A failing run is the candidate's to act on; its first
        failing check is what the next hint starts from."""
        self._require_running()
        if not self.count_run(gate, passed):
            return None
        self.state.failing_checks = [] if passed else list(failing or [])
        if not (passed and self.checked):
            return None
        if self.state.awaiting and self.state.last_move.get("kind") in ("followup", "question", "press"):
            # "The checks pass" must not swallow the question the candidate has yet to answer.
            gate_number, title = self._gate_info()
            return self._record(Move("checks_passed", self.state.last_content, self.phase.id, self.phase.title,
                                     gate=gate_number, gate_title=title, lead="checks_passed"),
                                counts_as_prompt=False, keep_press=True)
        return self._record(self._transition(lead="checks_passed"))

    def count_run(self, gate: int | None, passed: bool) -> bool:
        """Record a run against the gate in play (also used to restore runs saved after the
        last interviewer turn on resume). True when the run can still decide the gate."""
        if self.phase.ask_from != "gates" or gate is None or gate != self.state.gate:
            return False
        self.state.gate_runs += 1
        if self.state.gate_stage != "working":
            return False  # already through; later runs are only recorded
        self.state.gate_checks_passed = passed
        return True

    def _gate_info(self) -> tuple[int | None, str | None]:
        if self.phase.ask_from != "gates" or not self.state.gate:
            return None, None
        return self.state.gate, self.problem.gates[self.state.gate - 1].title

    def _reveal_gate(self, number: int) -> Move:
        gate = self.problem.gates[number - 1]
        self.state.gate = number
        self.state.gate_stage = "working"
        self.state.gate_started_at = self.clock()
        self.state.gate_substantive = False
        self.state.gate_holds = 0
        self.state.gate_runs = 0
        self.state.gate_checks_passed = False
        self.state.gate_tradeoff_asked_again = False
        self.state.gate_prompted = []
        self.state.followups_used = 0
        self.state.phase_signals = []
        self._emit("gate_revealed", gate=number, title=gate.title, budget_min=gate.budget_min)
        return Move("gate_reveal", gate.adds, self.phase.id, self.phase.title, gate=number, gate_title=gate.title)

    def _gate_work(self, analysis: Analysis) -> Move:
        gate = self.problem.gates[self.state.gate - 1]
        if self.clock() - self.state.gate_started_at > gate.budget_min * 60 and self._gate_ready():
            return self._transition(lead="time")
        followup = self._followup(self.phase, analysis)
        if followup is not None:
            return followup
        if not self._gate_ready():
            return self._hold()
        return self._transition()

    def _gate_ready(self) -> bool:
        """Whether the gate in play has what it takes to move on: a passing run of its checks
        when the problem has them, otherwise working code or a real explanation."""
        return self.state.gate_checks_passed if self.checked else self.state.gate_substantive

    def _transition(self, lead: str | None = None) -> Move:
        """The part works: ask for its tradeoff before the next one opens, unless the candidate
        already explained it during this part (then the next part opens at once)."""
        if "tradeoffs" in self.state.phase_signals:
            return self._pass_gate(explained=True, lead=lead)
        gate = self.problem.gates[self.state.gate - 1]
        self.state.gate_stage = "transition"
        return Move("transition_probe", gate.transition_probe, self.phase.id, self.phase.title, gate=self.state.gate,
                    gate_title=gate.title, signal="tradeoffs", lead=lead)

    def _hold(self) -> Move:
        """The part is not done yet. Says what is missing in terms the candidate already has (the
        failing check, or that the checks have not passed), never the expected approach."""
        gate = self.problem.gates[self.state.gate - 1]
        self.state.gate_holds += 1
        failing = self.state.failing_checks[0] if self.state.failing_checks else None
        return Move("gate_hold", "", self.phase.id, self.phase.title, gate=self.state.gate, gate_title=gate.title,
                    lead="run_checks" if self.checked else None, failing=failing)

    def _ask_tradeoff_again(self) -> Move | None:
        """The transition answer gave no tradeoff: ask once more before the next gate opens, unless
        a tradeoff follow-up was already asked during this part."""
        self.state.gate_tradeoff_asked_again = True
        if "tradeoffs" in self.state.gate_prompted:
            return None
        probe = self._probe("tradeoffs")
        if probe is None:
            return None
        gate, title = self._gate_info()
        return Move("followup", probe, self.phase.id, self.phase.title, gate=gate, gate_title=title, signal="tradeoffs")

    def _gate_closed(self, number: int) -> bool:
        return any(g["gate"] == number for g in self.state.gates)

    def _close_gate(self, passed: bool, explained: bool) -> None:
        number = self.state.gate
        record = {
            "gate": number,
            "title": self.problem.gates[number - 1].title,
            "passed": passed,
            "tradeoff_explained": explained,
            "elapsed_s": round(self.clock() - self.state.gate_started_at, 1),
            "hints": self.state.hints_used,
        }
        if self.checked:
            record["runs"] = self.state.gate_runs
            record["checks_passed"] = self.state.gate_checks_passed
        self.state.gates.append(record)
        self._emit("gate_passed" if passed else "gate_failed", **record)

    def _pass_gate(self, explained: bool, lead: str | None = None) -> Move:
        passed = self._gate_ready()
        self._close_gate(passed=passed, explained=explained)
        if passed and self.state.gate < len(self.problem.gates) and self.clock() < self.rubric.duration_min * 60:
            move = self._reveal_gate(self.state.gate + 1)
            return Move(move.kind, move.content, move.phase, move.phase_title, gate=move.gate, gate_title=move.gate_title,
                        lead=lead)
        return self._end_phase()

