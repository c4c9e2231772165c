"""How a run of the gate checks reads, in plain text: one source for plain mode, the TUI
and review, from the summary a session saves with each run."""

from __future__ import annotations

from typing import Any


def headline(run: dict[str, Any]) -> str:
    """One line: how the run went, and what to do when it did not get as far as the checks."""
    seconds = f"{run.get('duration_s', 0):.1f} s"
    if run.get("status") == "error":
        return f"Part {run.get('gate')} checks did not run: {run.get('message')} ({seconds})"
    passed, total = run.get("passed", 0), run.get("total", 0)
    verdict = "all pass" if run.get("status") == "passed" else f"{total - passed} failing"
    return f"Part {run.get('gate')} checks: {passed} of {total} pass, {verdict} ({seconds})"


def check_lines(run: dict[str, Any]) -> list[str]:
    """A line per check: a mark, what it checks, and for a failure what came back."""
    lines = []
    for check in run.get("checks", []):
        mark = "PASS" if check.get("passed") else "FAIL"
        line = f"{mark}  {check.get('description')}"
        if not check.get("passed") and check.get("message"):
            line += f": {check['message']}"
        lines.append(line)
    return lines


def intro(gate: int, descriptions: list[str]) -> str:
    """What the candidate sees when a part opens: which checks it has, never their code."""
    if not descriptions:
        return ""
    listed = "\n".join(f"- {d}" for d in descriptions)
    return f"Checks for part {gate} (earlier parts' checks run too):\n{listed}"
