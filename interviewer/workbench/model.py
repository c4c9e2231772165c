"""What a check run is given and what it reports: plain dataclasses that serialise to JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

RUN_STATUSES = ("passed", "failed", "error")
# Check-level reasons that mean the code broke a limit of the sandbox rather than giving a
# wrong answer; any of them makes the whole run an "error".
LIMIT_REASONS = ("memory limit", "file size limit")
FORBIDDEN_PREFIX = "forbidden: "
# How much of a run's output a transcript keeps: enough to see the last prints before a failure.
SUMMARY_OUTPUT_CHARS = 2000


@dataclass(frozen=True)
class Limits:
    """The bounds one run of the candidate's code and its checks is held to.

    wall_s: the whole run, from starting the process to the last result; the process group
        is killed when it is over.
    check_s: each check (and loading the code) inside the run; a check that takes longer is
        reported as timed out and the next one starts.
    cpu_s: CPU seconds for the process (RLIMIT_CPU, rounded up to whole seconds).
    memory_mb: address space (RLIMIT_AS); numpy imports comfortably under the default.
    file_mb: the largest file the code may write (RLIMIT_FSIZE).
    open_files: file descriptors the process may hold (RLIMIT_NOFILE).
    output_keep_bytes: how much of stdout and stderr is kept; the rest is counted and dropped.
    output_max_bytes: printing more than this stops the run ("output limit").
    """

    wall_s: float = 10.0
    check_s: float = 3.0
    cpu_s: float = 10.0
    memory_mb: int = 1024
    file_mb: int = 16
    open_files: int = 256
    output_keep_bytes: int = 64 * 1024
    output_max_bytes: int = 8 * 1024 * 1024

    def __post_init__(self) -> None:
        for item in fields(self):
            if getattr(self, item.name) <= 0:
                raise ValueError(f"Limits.{item.name} must be positive, got {getattr(self, item.name)!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckResult:
    """One check's outcome. `reason` is None when it passed, else one of "failed" (the
    check's assertion), "exception", "missing name", "timed out", "memory limit",
    "file size limit", "forbidden: <what>" or "not run" (the run stopped before it).
    `line` is the line of the candidate's code the failure points into, when it does."""

    gate: str
    name: str
    description: str
    passed: bool
    message: str = ""
    reason: str | None = None
    line: int | None = None
    duration_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class RunResult:
    """The outcome of running the candidate's code against the checks of some gates.

    status: "passed" (every check passed), "failed" (at least one did not) or "error" (the
        code could not be judged, or broke a limit). `reason` says which error:
        "syntax error", "import error", "exception at import", "timed out", "memory limit",
        "file size limit", "output limit", "crashed" or "forbidden: <what>".
    message: one line naming what happened and what to do about it.
    line: the line of the candidate's code that message points at, when it points at one
        (a syntax error, an exception while loading, the first failing check's line).
    output: the head of what the code printed (stdout and stderr interleaved), at most
        `Limits.output_keep_bytes`; `output_bytes` counts all of it.
    """

    status: str
    message: str
    reason: str | None = None
    line: int | None = None
    checks: list[CheckResult] = field(default_factory=list)
    gate_ids: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    output: str = ""
    output_bytes: int = 0
    output_truncated: bool = False
    code_sha256: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self, output_chars: int = SUMMARY_OUTPUT_CHARS) -> dict[str, Any]:
        """The compact record a transcript keeps of a run: counts, the message, every check's
        outcome, and only the end of the captured output."""
        return {
            "status": self.status,
            "reason": self.reason,
            "message": self.message,
            "line": self.line,
            "passed": sum(1 for c in self.checks if c.passed),
            "total": len(self.checks),
            "gate_ids": list(self.gate_ids),
            "duration_s": self.duration_s,
            "code_sha256": self.code_sha256,
            "checks": [{k: v for k, v in c.to_dict().items() if k != "duration_s"} for c in self.checks],
            "output": self.output[-output_chars:] if output_chars > 0 else "",
            "output_bytes": self.output_bytes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunResult:
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        values["checks"] = [CheckResult.from_dict(c) for c in data.get("checks", [])]
        return cls(**values)
