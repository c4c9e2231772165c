"""Find a problem's checks file and say which checks each gate runs, without running the
candidate's code. The checks file itself is trusted (it ships with the rubrics), so it is
imported here to read its `@check` marks."""

from __future__ import annotations

import importlib.util
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InterviewerError
from ..resources import rubrics_dir

if TYPE_CHECKING:
    from ..rubric import RubricLibrary
    from .spec import Check

_LOAD_LOCK = threading.Lock()


class WorkbenchError(InterviewerError):
    """A checks file or gate list is wrong: a problem in the rubric data, not in the candidate's code."""

    title = "Check error"


@dataclass(frozen=True)
class CheckInfo:
    gate: str
    name: str
    description: str


def checks_file(round_id: str, problem_id: str) -> Path:
    """Where a problem's checks live: `rubrics/checks/<round-id>/<problem-id>.py`."""
    return rubrics_dir() / "checks" / round_id / f"{problem_id}.py"


def has_checks(round_id: str, problem_id: str, *, path: Path | None = None) -> bool:
    return (path if path is not None else checks_file(round_id, problem_id)).is_file()


def list_checks(round_id: str, problem_id: str, *, path: Path | None = None) -> list[CheckInfo]:
    """Every check of a problem, in the order the file writes them."""
    source = path if path is not None else checks_file(round_id, problem_id)
    return [CheckInfo(c.gate, c.name, c.description) for c in load_checks(source)]


def gate_order(round_id: str, problem_id: str, library: RubricLibrary | None = None) -> list[str]:
    """The problem's gate ids in the order the rubric runs them."""
    if library is None:
        from ..rubric import RubricLibrary

        library = RubricLibrary()
    rubric = library.load(round_id).rubric
    for problem in rubric.problems:
        if problem.id == problem_id:
            return [gate.id for gate in problem.gates]
    known = ", ".join(p.id for p in rubric.problems)
    raise WorkbenchError(f"round {round_id!r} has no problem {problem_id!r}; choose one of: {known}")


def gates_through(order: list[str], gate_id: str, *, where: str = "the problem") -> list[str]:
    """The gates a run on `gate_id` executes: it and every earlier one, so earlier behaviour
    must keep working."""
    if gate_id not in order:
        raise WorkbenchError(f"{where} has no gate {gate_id!r}; its gates are: {', '.join(order) or 'none'}")
    return order[: order.index(gate_id) + 1]


def checks_for_gate(
    round_id: str,
    problem_id: str,
    gate_id: str,
    *,
    order: list[str] | None = None,
    path: Path | None = None,
    library: RubricLibrary | None = None,
) -> list[CheckInfo]:
    """The checks a run on `gate_id` executes (that gate's and every earlier gate's), in gate
    order and then file order. `order` is the problem's gate ids; by default the rubric's."""
    if order is None:
        order = gate_order(round_id, problem_id, library)
    source = path if path is not None else checks_file(round_id, problem_id)
    checks = list_checks(round_id, problem_id, path=source)
    unknown = sorted({c.gate for c in checks} - set(order))
    if unknown:
        raise WorkbenchError(
            f"{source}: checks name gate(s) {', '.join(unknown)} that problem {problem_id!r} does not have "
            f"(its gates: {', '.join(order)}); fix the gate id in @check"
        )
    wanted = gates_through(order, gate_id, where=f"problem {problem_id!r}")
    rank = {gate: i for i, gate in enumerate(wanted)}
    selected = [c for c in checks if c.gate in rank]
    return sorted(selected, key=lambda c: rank[c.gate])  # stable: file order within a gate


def load_checks(path: Path) -> list[Check]:
    """Import a checks file (cached until it changes) and collect its checks."""
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except OSError:
        raise WorkbenchError(f"{path}: no checks file here; write one (see interviewer/workbench/spec.py)") from None
    return list(_load_checks(path, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=32)
def _load_checks(path: Path, _mtime_ns: int, _size: int) -> tuple[Check, ...]:
    from .spec import collect

    name = f"_interviewer_checks_{abs(hash(str(path))):x}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise WorkbenchError(f"{path}: not a Python file; checks files end in .py")
    module = importlib.util.module_from_spec(spec)
    # Registered only while it executes (dataclasses and pickling look the module up by name).
    with _LOAD_LOCK:
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # noqa: BLE001 - any failure is the checks file's, reported as one line
            line = _line_in(exc, path)
            at = f" at line {line}" if line else ""
            raise WorkbenchError(
                f"{path}: cannot load the checks ({type(exc).__name__}{at}: {exc}); fix the checks file"
            ) from None
        finally:
            sys.modules.pop(name, None)
    checks = tuple(collect(module))
    seen: set[str] = set()
    for item in checks:
        if item.name in seen:
            raise WorkbenchError(f"{path}: two checks are named {item.name!r}; rename one")
        seen.add(item.name)
    return checks


def _line_in(exc: BaseException, path: Path) -> int | None:
    if isinstance(exc, SyntaxError) and exc.lineno:
        return exc.lineno
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename) == path:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
