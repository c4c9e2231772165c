"""Hidden checks for coding rounds: find a problem's checks and run the candidate's code
against them in a separate, limited process.

Names load on first use, so importing the package costs nothing until a check runs (and
never imports numpy).
"""

from importlib import import_module

_WHERE = {
    "run_checks": "runner", "run_gate": "runner",
    "RunResult": "model", "CheckResult": "model", "Limits": "model",
    "list_checks": "checks", "checks_for_gate": "checks", "has_checks": "checks", "checks_file": "checks",
    "gate_order": "checks", "gates_through": "checks", "CheckInfo": "checks", "WorkbenchError": "checks",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
