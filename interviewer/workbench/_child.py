"""The process a check run happens in; started by `runner.py`, never imported by the package.

It reads its job as JSON on stdin, sets its own resource limits, loads the trusted checks
file, then loads the candidate's code and runs the selected checks one by one, each under
its own alarm. Every step is written as one JSON line to the results descriptor it was
given, never to stdout, which the candidate's prints share; because results stream out as
they happen, the parent still knows which checks finished if this process is killed.

Two layers refuse new processes, network traffic and signals to other processes. The kernel
enforces them (`_confine.py`: seccomp, namespaces, no capabilities, death with the parent; the
resource limits below), so code that reaches around Python still cannot start a process, open
a socket or signal the interviewer. On top, an audit hook names what the code tried, in words,
before the kernel has to refuse it. What remains possible is listed in the README ("Coding
rounds run your code"): above all, the code runs as you and can read what you can read.
"""

from __future__ import annotations

import errno
import importlib.util
import json
import math
import os
import signal
import sys
import time
import types

CANDIDATE_FILE = "solution.py"
MODULE_NAME = "solution"
MESSAGE_CHARS = 600
# Each thread reserves its stack as address space; glibc's 8 MiB default would let a few
# dozen threads exhaust the memory limit before they store anything.
THREAD_STACK_BYTES = 2 << 20
# After a check's alarm, keep interrupting at this interval in case the code swallows it.
REPEAT_ALARM_S = 0.2

PROCESS_EVENTS = {
    "os.fork": "fork", "os.forkpty": "fork", "os.exec": "subprocess", "os.posix_spawn": "subprocess",
    "os.spawn": "subprocess", "os.system": "subprocess", "subprocess.Popen": "subprocess",
}
NETWORK_EVENTS = frozenset({
    "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
    "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo",
})
ADVICE = {
    "fork": "new processes cannot start here; do the work in this process (threads are fine)",
    "subprocess": "programs cannot be started here; do the work in Python",
    "network": "there is no network here; keep the data in memory or in a local file",
    "signal": "only this process may be signalled; leave other processes alone",
}


class CheckTimedOut(BaseException):
    """Raised by the alarm. A BaseException so `except Exception` in the code under test does not swallow it."""


class Forbidden(BaseException):
    def __init__(self, what: str, event: str) -> None:
        super().__init__(f"{event} is not allowed here")
        self.what = what
        self.event = event


class State:
    armed = False
    violation: tuple[str, str, int | None] | None = None


def main() -> None:
    job = json.loads(sys.stdin.buffer.read())
    _detach_stdin()
    # Line by line, so what the code printed before it hung or crashed still reaches the parent.
    sys.stdout.reconfigure(line_buffering=True)
    results = job["results_fd"]
    sys.path[:0] = job["sys_path"]
    from interviewer.workbench import _confine

    _confine.die_with_parent(job["parent_pid"])
    namespaces = _confine.isolate_namespaces()  # while this process still has a single thread
    capabilities_dropped = _confine.drop_capabilities()
    limits = job["limits"]
    _apply_limits(limits)
    try:
        checks = _load_checks(job["checks_file"], job["gate_ids"])
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it as a rubric-data error
        _emit(results, type="harness_error", message=f"{type(exc).__name__}{_line_of(exc, job['checks_file'])}: "
                                                      f"{_text(exc)}")
        _finish(1)
    plan = [{"gate": c.gate, "name": c.name, "description": c.description} for c in checks]
    seccomp = _confine.install_seccomp()
    _emit(results, type="plan", checks=plan, namespaces=namespaces, seccomp=seccomp,
          capabilities_dropped=capabilities_dropped)
    signal.signal(signal.SIGALRM, _on_alarm)
    # Once added, an audit hook cannot be removed, and this one reads nothing the code can
    # rebind: no switch in this module turns it off.
    sys.addaudithook(_make_audit(dict(PROCESS_EVENTS), frozenset(NETWORK_EVENTS), os.getpid()))

    try:
        code = compile(job["code"], CANDIDATE_FILE, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        where = f" at line {line}" if line else ""
        problem = getattr(exc, "msg", None) or _text(exc)
        message = f"{type(exc).__name__}{where}: {problem} - fix it and run again"
        _emit(results, type="load", ok=False, reason="syntax error", message=message, line=line)
        _finish(0)

    error, duration = _guarded(lambda: _fresh_module(code), limits["check_s"])
    if error is not None or State.violation:
        _emit(results, type="load", ok=False, duration_s=duration, **_describe(error, limits, None, loading=True))
        _finish(0)
    _emit(results, type="load", ok=True, duration_s=duration)
    for index, check in enumerate(checks):
        _emit(results, type="start", index=index)
        error, duration = _guarded(lambda run=check.function: run(_fresh_module(code)), limits["check_s"])
        outcome = _describe(error, limits, check, loading=False)
        # The traceback holds the failed check's frames and whatever they allocated: let go of
        # it before the next check, or one check's memory bomb would starve the rest.
        error = None
        _flush_output()
        _emit(results, type="check", index=index, duration_s=round(duration, 4), **outcome)
    _emit(results, type="done")
    _finish(0)


def _fresh_module(code: types.CodeType) -> types.ModuleType:
    """A newly executed copy of the candidate's module, so no check sees another's state."""
    module = types.ModuleType(MODULE_NAME)
    module.__file__ = os.path.join(os.getcwd(), CANDIDATE_FILE)
    sys.modules[MODULE_NAME] = module
    exec(code, module.__dict__)  # noqa: S102 - running the candidate's code is the point
    return module


def _guarded(action, seconds: float) -> tuple[BaseException | None, float]:
    """Run `action` under the per-check alarm; return what it raised (if anything) and how long it took."""
    State.violation = None
    error: BaseException | None = None
    start = time.perf_counter()
    try:
        State.armed = True
        signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_ALARM_S)
        action()
    except BaseException as exc:  # noqa: BLE001 - whatever the code does is reported, not raised
        error = exc
    finally:
        while True:  # a last alarm can land inside the disarming itself
            try:
                State.armed = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                break
            except CheckTimedOut:
                continue
    return error, time.perf_counter() - start


def _on_alarm(_signum, _frame) -> None:
    if State.armed:
        raise CheckTimedOut()


def _make_audit(process_events: dict, network_events: frozenset, own_pid: int):
    forbidden, state, where = Forbidden, State, _candidate_line_of_stack

    def audit(event: str, args: tuple) -> None:
        what = process_events.get(event)
        if what is None:
            if event in network_events:
                what = "network"
            elif event == "os.killpg" or (event == "os.kill" and args and args[0] != own_pid):
                what = "signal"
            else:
                return
        if state.violation is None:
            state.violation = (what, event, where())
        raise forbidden(what, event)

    return audit


def _describe(error: BaseException | None, limits: dict, check, *, loading: bool) -> dict:
    """Turn what a check (or loading the code) raised into passed, reason, message and line."""
    if error is None and State.violation is None:
        return {"passed": True, "reason": None, "message": "", "line": None}
    if error is None or (State.violation is not None and not isinstance(error, Forbidden)):
        what, event, line = State.violation  # the refusal was caught and swallowed by the code
        error = Forbidden(what, event)
    else:
        line = _candidate_line(error)
    at = f" at line {line} of your code" if line else ""
    name = type(error).__name__

    def fail(reason: str, message: str) -> dict:
        return {"passed": False, "reason": reason, "message": _clip(message), "line": line}

    if isinstance(error, CheckTimedOut):
        where = f" (it was at line {line} of your code)" if line else ""
        if loading:
            return fail("timed out", f"your code did not finish loading within {limits['check_s']:g} s{where}: "
                                     "look for an infinite loop or slow work at module level")
        return fail("timed out", f"did not finish within {limits['check_s']:g} s{where}: "
                                 "look for an infinite loop or a deadlock")
    if isinstance(error, Forbidden):
        return fail(f"forbidden: {error.what}", f"your code called {error.event}{at}, which is not allowed here: "
                                                f"{ADVICE[error.what]}")
    if isinstance(error, MemoryError):
        return fail("memory limit", f"ran out of memory{at} (the limit is {limits['memory_mb']} MiB): "
                                    "look for data that grows without bound")
    if isinstance(error, OSError) and error.errno == errno.EFBIG:
        return fail("file size limit", f"wrote a file larger than {limits['file_mb']} MiB{at}, the limit here: "
                                       "write less")
    if isinstance(error, SystemExit):
        return fail("exception", f"your code called sys.exit(){at}: return or raise an exception instead")
    if isinstance(error, AttributeError) and line is None:
        owner = getattr(error, "obj", None)
        missing = getattr(error, "name", None)
        if missing and isinstance(owner, types.ModuleType) and owner.__name__ == MODULE_NAME:
            return fail("missing name", f"your code does not define `{missing}`: add it")
        if missing and type(owner).__module__ == MODULE_NAME:
            return fail("missing name", f"`{type(owner).__name__}` has no attribute `{missing}`: add it")
    if loading:
        if isinstance(error, ImportError) and error.name:
            return fail("import error", f"your code imports `{error.name}`{at}, which is not available here: "
                                        "use the standard library and numpy")
        return fail("exception at import", f"your code raised {name}{at} while loading: {_text(error)} - "
                                           "fix it and run again")
    if isinstance(error, AssertionError) and line is None:
        return fail("failed", _text(error) or f"failed: {check.description}")
    text = _text(error)
    return fail("exception", f"{name}{at}" + (f": {text}" if text else ""))


def _candidate_line(error: BaseException) -> int | None:
    """The deepest line of the candidate's code in the error's traceback."""
    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == CANDIDATE_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _candidate_line_of_stack() -> int | None:
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == CANDIDATE_FILE:
            return frame.f_lineno
        frame = frame.f_back
    return None


def _text(error: BaseException) -> str:
    try:
        return _clip(str(error))
    except Exception:  # noqa: BLE001 - the code's own exception may not print
        return ""


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 3] + "..."


def _line_of(error: BaseException, path: str) -> str:
    line = getattr(error, "lineno", None) if isinstance(error, SyntaxError) else None
    tb = error.__traceback__
    while tb is not None:
        if os.path.realpath(tb.tb_frame.f_code.co_filename) == os.path.realpath(path):
            line = tb.tb_lineno
        tb = tb.tb_next
    return f" at line {line}" if line else ""


def _load_checks(path: str, gate_ids: list[str]) -> list:
    from interviewer.workbench.spec import collect

    spec = importlib.util.spec_from_file_location("_interviewer_checks", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    rank = {gate: i for i, gate in enumerate(gate_ids)}
    return sorted((c for c in collect(module) if c.gate in rank), key=lambda c: rank[c.gate])


def _apply_limits(limits: dict) -> None:
    import _thread
    import resource

    mib = 1 << 20
    cpu = math.ceil(limits["cpu_s"])
    _set_limit(resource, resource.RLIMIT_AS, limits["memory_mb"] * mib)
    # The soft limit sends SIGXCPU (which ends the process); the hard one a second later is a backstop.
    _set_limit(resource, resource.RLIMIT_CPU, cpu, cpu + 1)
    _set_limit(resource, resource.RLIMIT_FSIZE, limits["file_mb"] * mib)
    _set_limit(resource, resource.RLIMIT_NOFILE, limits["open_files"])
    _set_limit(resource, resource.RLIMIT_CORE, 0)
    # Past the file limit a write should fail with EFBIG, which is reported, rather than kill the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _thread.stack_size(THREAD_STACK_BYTES)


def _set_limit(resource, kind: int, soft: int, hard: int | None = None) -> None:
    hard = soft if hard is None else hard
    _, current_hard = resource.getrlimit(kind)
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
        soft = min(soft, hard)
    try:
        resource.setrlimit(kind, (soft, hard))
    except (ValueError, OSError):
        pass  # the platform refuses this limit; the others and the parent's wall clock still hold


def _detach_stdin() -> None:
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)


def _emit(fd: int, **event) -> None:
    data = (json.dumps(event, ensure_ascii=True) + "\n").encode()
    while data:
        try:
            written = os.write(fd, data)
        except InterruptedError:
            continue
        except OSError:
            return  # the parent has gone; nothing left to report to
        data = data[written:]


def _flush_output() -> None:
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - the code may have closed or replaced its streams
            pass


def _finish(status: int) -> None:
    """Exit now, without waiting for threads the code left running."""
    _flush_output()
    os._exit(status)


if __name__ == "__main__":
    main()
