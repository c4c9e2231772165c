"""Gate checks in a session: what a part's checks look at, and running them on the
candidate's code with the run saved and handed to the engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from . import workbench
from .errors import AnswerError
from .transcript import scrub

if TYPE_CHECKING:
    from .session import Reply


@dataclass(frozen=True)
class CheckRun:
    """One run of the gate checks: what ran and how it went, and the interviewer's reply
    when the run moved the round on (a passing run opens the transition)."""

    gate: int
    result: Any  # interviewer.workbench.RunResult
    summary: dict[str, Any]  # what the transcript saved of the run
    reply: "Reply | None"


def failing_checks(summary: dict[str, Any]) -> list[str]:
    """What a saved run failed on, as the candidate saw it: the failing checks, or, when the code never
    got as far as the checks (a syntax error, an import that crashed), the run's message."""
    if summary.get("status") == "passed":
        return []
    failing = [c["description"] for c in summary.get("checks", []) if not c.get("passed") and c.get("reason") != "not run"]
    return failing or ([summary["message"]] if summary.get("message") else [])


class GateChecks:
    """Mixed into `Session`, which supplies the engine, problem, rubric and event writing."""

    def gate_checks(self, gate: int) -> list[Any]:
        """The checks of part `gate` as the candidate sees them (names, never code)."""
        if not self.checked or not 1 <= gate <= len(self.problem.gates):
            return []
        gate_id = self.problem.gates[gate - 1].id
        return [c for c in workbench.list_checks(self.rubric.id, self.problem.id) if c.gate == gate_id]

    def run_checks(self, code: str, on_result: Callable[[dict[str, Any]], None] | None = None) -> CheckRun:
        """Run the checks of the part in play (and every earlier part) on `code` in a sandboxed
        process. Blocking: call it from a worker thread. The code and the run's results are
        saved; a passing run may move the round on, and then the reply is in the result.
        `on_result` sees the run's summary before the interviewer's reply starts streaming."""
        self._require_open()
        gate = self.engine.state.gate
        if not self.checked:
            raise AnswerError("this problem has no checks to run; talk the interviewer through your tests instead")
        if not gate:
            raise AnswerError("the checks arrive with part 1 of the problem; answer the clarifying questions first")
        code = scrub(code)
        if not code.strip():
            raise AnswerError("there is no code to run: write it in the editor (or pass a file to /run) first")
        self.snapshot_code(code)
        gate_ids = [g.id for g in self.problem.gates[:gate]]
        result = workbench.run_checks(code, workbench.checks_file(self.rubric.id, self.problem.id), gate_ids)
        summary = {"gate": gate, "t": round(self.elapsed(), 2), **result.summary()}
        self._event({"kind": "checks_run", **summary})
        if on_result is not None:
            on_result(summary)  # before any reply streams, so results read first
        move = self.engine.checks_ran(gate, result.status == "passed", failing_checks(summary))
        if move is None:
            for event in self.engine.drain_events():
                self._event(event)
            return CheckRun(gate, result, summary, None)
        return CheckRun(gate, result, summary, self._reply(move))

