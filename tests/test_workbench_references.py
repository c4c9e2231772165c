"""Every gated problem's checks against its reference solutions: the solution for gate N
passes the checks of gates 1..N, and the one for gate N-1 does not pass gate N.

Problems are discovered from the rubric library (any gated problem with a checks file under
`rubrics/checks/`, references under `tests/references/<round>/<problem>/gate<N>.py`), plus
the small fixture problem the runner's own tests use, so the rule is exercised even where
no shipped problem has checks yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from interviewer.rubric import RubricLibrary
from interviewer.workbench import (
    Limits,
    RunResult,
    checks_file,
    has_checks,
    list_checks,
    run_checks,
)

REFERENCES = REPO / "tests" / "references"


@dataclass(frozen=True)
class GatedProblem:
    round_id: str
    problem_id: str
    gates: tuple[str, ...]
    checks: Path
    references: Path

    @property
    def label(self) -> str:
        return f"{self.round_id}/{self.problem_id}"

    def reference(self, gate_number: int) -> str:
        path = self.references / f"gate{gate_number}.py"
        assert path.is_file(), f"{path}: missing reference solution for gate {gate_number} of {self.label}"
        return path.read_text(encoding="utf-8")


def discover() -> list[GatedProblem]:
    problems = [GatedProblem("fixture", "kv-store", ("basic", "ttl", "concurrency", "persistence"),
                             FIXTURES / "workbench" / "kv_store_checks.py", FIXTURES / "workbench" / "references")]
    for loaded in RubricLibrary().all():
        for problem in loaded.rubric.problems:
            if problem.gates and has_checks(loaded.rubric.id, problem.id):
                problems.append(GatedProblem(
                    loaded.rubric.id, problem.id, tuple(g.id for g in problem.gates),
                    checks_file(loaded.rubric.id, problem.id), REFERENCES / loaded.rubric.id / problem.id,
                ))
    return problems


PROBLEMS = discover()
GATE_CASES = [pytest.param(p, n, id=f"{p.label}/gate{n}") for p in PROBLEMS for n in range(1, len(p.gates) + 1)]
LIMITS = Limits()  # the limits candidates run under: references must pass within them


def describe(result: RunResult) -> str:
    failed = "; ".join(f"{c.gate}/{c.name}: {c.message}" for c in result.failed_checks)
    return f"{result.status} ({result.reason}): {result.message} | {failed} | output: {result.output[-500:]}"


@pytest.mark.parametrize("problem", [pytest.param(p, id=p.label) for p in PROBLEMS])
def test_every_gate_has_a_check_and_every_check_names_a_real_gate(problem):
    checks = list_checks(problem.round_id, problem.problem_id, path=problem.checks)
    unknown = sorted({c.gate for c in checks} - set(problem.gates))
    assert not unknown, f"{problem.checks}: checks name gates {unknown}; the problem's gates are {problem.gates}"
    missing = [gate for gate in problem.gates if not any(c.gate == gate for c in checks)]
    assert not missing, f"{problem.checks}: no checks for gate(s) {missing}"


@pytest.mark.parametrize("problem, gate_number", GATE_CASES)
def test_reference_passes_its_gate_and_every_earlier_one(problem, gate_number):
    gates = list(problem.gates[:gate_number])
    result = run_checks(problem.reference(gate_number), problem.checks, gates, LIMITS)
    assert result.status == "passed", describe(result)
    assert {c.gate for c in result.checks} == set(gates)


@pytest.mark.parametrize("problem, gate_number", [case for case in GATE_CASES if case.values[1] > 1])
def test_previous_reference_fails_the_next_gate(problem, gate_number):
    gate = problem.gates[gate_number - 1]
    result = run_checks(problem.reference(gate_number - 1), problem.checks, [gate], LIMITS)
    assert result.status == "failed", (
        f"the gate {gate_number - 1} reference should fail a check of gate {gate!r} by giving a wrong answer, "
        f"not pass it or break a limit: {describe(result)}"
    )


HANDED = [pytest.param(loaded.rubric.id, problem, id=f"{loaded.rubric.id}/{problem.id}")
          for loaded in RubricLibrary().all() for problem in loaded.rubric.problems
          if problem.code and problem.gates and has_checks(loaded.rubric.id, problem.id)]


@pytest.mark.parametrize("round_id, problem", HANDED)
def test_handed_over_code_fails_every_gate(round_id, problem):
    """Code handed to the candidate at the start (a debugging problem's buggy script) loads, runs and
    gives wrong answers on every gate's own checks: each gate has a bug of its own left to find."""
    for gate in problem.gates:
        result = run_checks(problem.code, checks_file(round_id, problem.id), [gate.id], LIMITS)
        assert result.status == "failed", (
            f"the handed-over code should fail a check of gate {gate.id!r} by giving a wrong answer: {describe(result)}"
        )
