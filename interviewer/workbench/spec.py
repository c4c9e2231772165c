"""The small vocabulary gate checks are written in.

A problem's checks live in `rubrics/checks/<round-id>/<problem-id>.py`. Each check is a
plain function that takes the candidate's code as a module and raises (usually with an
`assert` and a message the candidate can act on) when the code falls short:

    from interviewer.workbench.spec import check

    @check("basic", "get returns None for a key that was never set")
    def missing_key(solution):
        store = solution.KVStore()
        assert store.get("absent") is None, "get('absent') should return None"

The first argument names the gate (its `id` in the rubric) whose requirement the check
exercises; the second is what the candidate sees. The candidate never sees the code.
This module imports nothing beyond the standard library because it is loaded inside the
sandboxed child process next to untrusted code.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Callable

CheckFunction = Callable[[ModuleType], None]


@dataclass(frozen=True)
class Check:
    gate: str
    name: str
    description: str
    function: CheckFunction
    line: int


def check(gate: str, description: str) -> Callable[[CheckFunction], CheckFunction]:
    """Mark a function as one of `gate`'s checks, described to the candidate as `description`."""

    def mark(function: CheckFunction) -> CheckFunction:
        function.__check__ = Check(  # type: ignore[attr-defined]
            gate=gate,
            name=function.__name__,
            description=description,
            function=function,
            line=function.__code__.co_firstlineno,
        )
        return function

    return mark


def collect(module: ModuleType) -> list[Check]:
    """Every check a checks module defines, in the order they are written."""
    found = [value.__check__ for value in vars(module).values() if hasattr(value, "__check__")]
    return sorted(found, key=lambda c: c.line)
