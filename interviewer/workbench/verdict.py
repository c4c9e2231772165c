"""Turn what the child process reported, and how it ended, into one `RunResult`."""

from __future__ import annotations

import json
import signal
from dataclasses import dataclass, field

from ..redaction import scrub
from .model import FORBIDDEN_PREFIX, LIMIT_REASONS, CheckResult, Limits, RunResult

NOT_RUN = "not run: the run stopped before this check"


@dataclass
class ChildReport:
    """Everything the parent learned from one child: its result events, its output and its end."""

    plan: list[dict] | None = None
    load: dict | None = None
    started: int | None = None
    outcomes: dict[int, dict] = field(default_factory=dict)
    done: bool = False
    harness_error: str | None = None
    output: bytearray = field(default_factory=bytearray)
    output_bytes: int = 0
    output_limit: bool = False
    wall_timeout: bool = False
    returncode: int | None = None

    def take_output(self, chunk: bytes, limits: Limits) -> bool:
        """Keep the head of the output, count the rest; True once it is over the limit."""
        room = limits.output_keep_bytes - len(self.output)
        if room > 0:
            self.output += chunk[:room]
        self.output_bytes += len(chunk)
        return self.output_bytes > limits.output_max_bytes

    def parse_results(self, data: bytes) -> None:
        for line in data.splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue  # not ours: something wrote garbage to the results descriptor
            if not isinstance(event, dict):
                continue
            kind = event.get("type")
            if kind == "plan":
                self.plan = event.get("checks", [])
            elif kind == "harness_error":
                self.harness_error = str(event.get("message", "unknown error"))
            elif kind == "load":
                self.load = event
            elif kind == "start":
                self.started = event.get("index")
            elif kind == "check":
                self.outcomes[event.get("index")] = event
            elif kind == "done":
                self.done = True


def build_result(report: ChildReport, *, limits: Limits, gate_ids: list[str], duration_s: float,
                 code_sha256: str) -> RunResult:
    """The run's outcome, with secrets masked in everything the code could have put there (its
    output, exception messages): it is shown on screen and saved in the transcript."""
    result = _build_result(report, limits=limits, gate_ids=gate_ids, duration_s=duration_s, code_sha256=code_sha256)
    result.output = scrub(result.output)
    result.message = scrub(result.message)
    for check in result.checks:
        check.message = scrub(check.message)
    return result


def _build_result(report: ChildReport, *, limits: Limits, gate_ids: list[str], duration_s: float,
                  code_sha256: str) -> RunResult:
    checks = [CheckResult(gate=c["gate"], name=c["name"], description=c["description"], passed=False,
                          message=NOT_RUN, reason="not run") for c in (report.plan or [])]
    for index, outcome in report.outcomes.items():
        if isinstance(index, int) and 0 <= index < len(checks):
            check = checks[index]
            check.passed = bool(outcome.get("passed"))
            check.reason = outcome.get("reason")
            check.message = outcome.get("message") or ""
            check.line = outcome.get("line")
            check.duration_s = float(outcome.get("duration_s") or 0.0)
    result = RunResult(
        status="error",
        message="",
        checks=checks,
        gate_ids=gate_ids,
        duration_s=round(duration_s, 4),
        output=bytes(report.output).decode("utf-8", "replace"),
        output_bytes=report.output_bytes,
        output_truncated=report.output_bytes > len(report.output),
        code_sha256=code_sha256,
    )
    load = report.load
    if load is not None and not load.get("ok"):
        result.reason = load.get("reason") or "exception at import"
        result.message = load.get("message") or "your code could not be loaded"
        result.line = load.get("line")
        return result
    if not report.done:
        running = _running_check(report, checks)
        reason, message = _abnormal_end(report, limits, running, loading=load is None)
        if running is not None:
            running.reason, running.message = reason, message
        result.reason, result.message = reason, message
        return result
    broke_limit = next((c for c in checks if c.reason in LIMIT_REASONS
                        or (c.reason or "").startswith(FORBIDDEN_PREFIX)), None)
    if broke_limit is not None:
        result.reason = broke_limit.reason
        result.message = f"check `{broke_limit.name}` ({broke_limit.gate}): {broke_limit.message}"
        result.line = broke_limit.line
        return result
    failed = [c for c in checks if not c.passed]
    if failed:
        first = failed[0]
        result.status = "failed"
        result.line = first.line
        result.message = (f"{len(failed)} of {len(checks)} checks failed; first: `{first.name}` ({first.gate}): "
                          f"{first.message}")
        return result
    result.status = "passed"
    result.message = f"all {len(checks)} checks passed (gates {', '.join(gate_ids)})"
    return result


def _running_check(report: ChildReport, checks: list[CheckResult]) -> CheckResult | None:
    index = report.started
    if isinstance(index, int) and 0 <= index < len(checks) and index not in report.outcomes:
        return checks[index]
    return None


def _abnormal_end(report: ChildReport, limits: Limits, running: CheckResult | None, *,
                  loading: bool) -> tuple[str, str]:
    """Why the process stopped before reporting every check, as (reason, message)."""
    if running is not None:
        during = f" during check `{running.name}` ({running.gate})"
    elif loading and report.plan is not None:
        during = " while loading your code"
    else:
        during = ""
    code = report.returncode
    if report.output_limit:
        return "output limit", (f"stopped after printing more than {_size(limits.output_max_bytes)}{during}: "
                                "remove prints inside loops")
    if report.wall_timeout:
        return "timed out", f"stopped after {limits.wall_s:.1f} s of wall time{during}: look for an infinite loop"
    if code == -signal.SIGXCPU:
        return "timed out", (f"stopped after using {limits.cpu_s:g} s of CPU time{during}: look for an infinite "
                             "loop or work that grows too fast")
    if report.plan is None:
        tail = bytes(report.output).decode("utf-8", "replace").strip().splitlines()
        said = f": {tail[-1][:200]}" if tail else ""
        return "crashed", f"the check process stopped before it started (exit status {code}){said}; try again"
    if code == -signal.SIGKILL:
        return "crashed", (f"the process was killed by the system{during}, usually for using too much memory: "
                           "look for data that grows without bound")
    if code is not None and code < 0:
        name = _signal_name(-code)
        return "crashed", f"the process crashed with {name}{during}: look for deep recursion or a native extension"
    return "crashed", (f"the process exited with status {code}{during} before the checks finished: "
                       "return from your code instead of exiting")


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _size(count: int) -> str:
    if count >= 1 << 20 and count % (1 << 20) == 0:
        return f"{count >> 20} MiB"
    if count >= 1 << 10 and count % (1 << 10) == 0:
        return f"{count >> 10} KiB"
    return f"{count} bytes"
