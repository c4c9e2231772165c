"""Run the candidate's code against a problem's checks in a separate, limited process.

`run_checks` is a plain blocking call meant for a worker thread: it keeps no global state
(no chdir, no environment or signal changes), so several runs can go at once. The child
(`_child.py`) is started with `python -I -S`, so the user's environment, site
customisations and current directory do not leak in; the only import paths it gets are
this package's and numpy's. It runs in a fresh temporary directory (removed afterwards),
in its own process group (killed as a whole on timeout and swept after every run), with
the limits of `Limits`, and the kernel-enforced confinement of `_confine.py`.

This process marks itself non-dumpable before the first run (Linux), which makes its
`/proc/<pid>/environ` and memory unreadable to other processes of the same user: the API
key in its environment stays out of the candidate's reach even where namespaces are not
allowed. A child orphaned by a killed interviewer dies with it (PR_SET_PDEATHSIG); the
temporary folder it leaves is removed by the next run.

POSIX only: it relies on process groups and `resource` limits.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .checks import WorkbenchError, gate_order, gates_through
from .checks import checks_file as problem_checks_file
from .model import Limits, RunResult
from .verdict import ChildReport, build_result

if TYPE_CHECKING:
    from ..rubric import RubricLibrary

CHILD_SCRIPT = Path(__file__).resolve().parent / "_child.py"
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent
_READ_CHUNK = 64 * 1024
_RESULTS_CAP = 4 * 1024 * 1024
# Time to collect what is left in the pipes once the process group has been killed.
_DRAIN_S = 2.0
# Without a pidfd to wait on, how often the loop looks whether the child has exited.
_POLL_S = 0.05
DEFAULT_LIMITS = Limits()
WORKDIR_PREFIX = "interviewer-check-"
# A run lasts seconds; a check folder this old belongs to no run in progress.
STALE_WORKDIR_S = 3600
PR_SET_DUMPABLE = 4


def run_checks(code: str, checks_file: Path, gate_ids: list[str], limits: Limits = DEFAULT_LIMITS) -> RunResult:
    """Run `code` and the checks of `gate_ids` (in that order) from `checks_file`."""
    if os.name != "posix":
        raise WorkbenchError("running code checks needs Linux or macOS (process groups and resource limits)")
    checks_file = Path(checks_file).resolve()
    if not checks_file.is_file():
        raise WorkbenchError(f"{checks_file}: no checks file here; write one (see interviewer/workbench/spec.py)")
    if not gate_ids:
        raise WorkbenchError(f"{checks_file}: no gates to check; pass at least one gate id")
    job = {
        "code": code,
        "checks_file": str(checks_file),
        "gate_ids": list(gate_ids),
        "limits": limits.to_dict(),
        "sys_path": child_sys_path(),
        "parent_pid": os.getpid(),
    }
    _protect_this_process()
    sweep_orphaned_workdirs()
    workdir = Path(tempfile.mkdtemp(prefix=f"{WORKDIR_PREFIX}{os.getpid()}-"))
    started = time.monotonic()
    try:
        report = _run_child(job, workdir, limits)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if report.harness_error:
        raise WorkbenchError(f"{checks_file}: the checks cannot run ({report.harness_error}); fix the checks file")
    if report.plan is not None and not report.plan:
        raise WorkbenchError(f"{checks_file}: no checks for gate(s) {', '.join(gate_ids)}; add some or fix the ids")
    return build_result(
        report,
        limits=limits,
        gate_ids=list(gate_ids),
        duration_s=time.monotonic() - started,
        code_sha256=hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest(),
    )


def run_gate(code: str, round_id: str, problem_id: str, gate_id: str, limits: Limits = DEFAULT_LIMITS,
             library: RubricLibrary | None = None) -> RunResult:
    """Run the checks a problem's `gate_id` calls for: that gate's and every earlier one's."""
    order = gate_order(round_id, problem_id, library)
    gates = gates_through(order, gate_id, where=f"problem {problem_id!r}")
    return run_checks(code, problem_checks_file(round_id, problem_id), gates, limits)


@lru_cache(maxsize=1)
def _protect_this_process() -> None:
    """Non-dumpable: /proc/<this pid>/environ and /proc/<this pid>/mem become unreadable to
    other processes of the same user (the check child above all)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        except (OSError, AttributeError):
            pass


def sweep_orphaned_workdirs(now: float | None = None) -> list[Path]:
    """Remove check folders whose interviewer has died (a `kill -9` mid-run leaves one), and any
    older than a run could last; return what was removed."""
    removed = []
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(WORKDIR_PREFIX):
            continue
        owner = entry.name[len(WORKDIR_PREFIX):].split("-", 1)[0]
        try:
            stale = now - entry.stat(follow_symlinks=False).st_mtime > STALE_WORKDIR_S
            if entry.is_dir(follow_symlinks=False) and (stale or (owner.isdigit() and not _alive(int(owner)))):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's
    return True


@lru_cache(maxsize=1)
def child_sys_path() -> list[str]:
    """Import paths the child needs: this package (for the check vocabulary) and numpy."""
    paths = [str(_PACKAGE_ROOT)]
    numpy = importlib.util.find_spec("numpy")  # finding it does not import it
    if numpy is not None and numpy.submodule_search_locations:
        paths.append(str(Path(next(iter(numpy.submodule_search_locations))).parent))
    return list(dict.fromkeys(paths))


def _child_env(workdir: Path) -> dict[str, str]:
    home = str(workdir)
    return {
        "HOME": home,
        "TMPDIR": home,
        "PATH": os.defpath,
        "LANG": "C.UTF-8",
        # One BLAS thread and few malloc arenas keep numpy's address space inside the memory limit.
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
    }


def _run_child(job: dict, workdir: Path, limits: Limits) -> ChildReport:
    results_read, results_write = os.pipe()
    job["results_fd"] = results_write
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-B", "-X", "utf8", str(CHILD_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=workdir,
            env=_child_env(workdir),
            pass_fds=(results_write,),
            start_new_session=True,
        )
    except BaseException:
        os.close(results_read)
        os.close(results_write)
        raise
    os.close(results_write)
    try:
        return _supervise(proc, results_read, json.dumps(job).encode(), limits)
    finally:
        os.close(results_read)
        for stream in (proc.stdin, proc.stdout):
            if stream is not None and not stream.closed:
                stream.close()


def _supervise(proc: subprocess.Popen, results_fd: int, job: bytes, limits: Limits) -> ChildReport:
    """Feed the job, collect output and results without ever blocking on a full pipe, and
    enforce the wall-clock and output limits."""
    report = ChildReport()
    results = bytearray()
    pgid = proc.pid  # start_new_session makes the child its own process group leader
    deadline = time.monotonic() + limits.wall_s
    pidfd = _open_pidfd(proc.pid)
    out_fd = proc.stdout.fileno()
    in_fd = proc.stdin.fileno()
    os.set_blocking(in_fd, False)
    pending = memoryview(job)
    exited = False
    killed = False
    with selectors.DefaultSelector() as selector:
        selector.register(out_fd, selectors.EVENT_READ, "output")
        selector.register(results_fd, selectors.EVENT_READ, "results")
        selector.register(in_fd, selectors.EVENT_WRITE, "job")
        if pidfd is not None:
            selector.register(pidfd, selectors.EVENT_READ, "exit")
        open_pipes = {"output", "results"}
        while open_pipes or not exited:
            now = time.monotonic()
            if now >= deadline:
                if killed:
                    break  # killed and still not drained: give up on what is left
                report.wall_timeout = not exited
                _kill_group(pgid)
                killed = True
                deadline = now + _DRAIN_S
            wait = deadline - now if pidfd is not None else min(deadline - now, _POLL_S)
            for key, _ in selector.select(max(wait, 0)):
                what = key.data
                if what == "job":
                    pending = _feed(in_fd, pending)
                    if not pending:
                        selector.unregister(in_fd)
                        proc.stdin.close()
                elif what == "exit":
                    selector.unregister(pidfd)
                    exited = True
                else:
                    chunk = _read(key.fd)
                    if not chunk:
                        selector.unregister(key.fd)
                        open_pipes.discard(what)
                    elif what == "results":
                        if len(results) < _RESULTS_CAP:
                            results += chunk
                    elif report.take_output(chunk, limits) and not killed:
                        report.output_limit = True
                        _kill_group(pgid)
                        killed = True
                        deadline = time.monotonic() + _DRAIN_S
            if pidfd is None and not exited and proc.poll() is not None:
                exited = True
            if exited and not killed:
                # With a pidfd the leader has exited but is not reaped yet, so its group id cannot
                # have been reused: sweep anything the code left behind before collecting the
                # pipes' tails. Once poll() has reaped it, killing the group id is no longer safe.
                if pidfd is not None:
                    _kill_group(pgid)
                killed = True
                deadline = min(deadline, time.monotonic() + _DRAIN_S)
    if pidfd is not None:
        os.close(pidfd)
    if not exited:
        _kill_group(pgid)
    report.returncode = proc.wait()
    report.parse_results(bytes(results))
    return report


def _feed(fd: int, pending: memoryview) -> memoryview:
    try:
        written = os.write(fd, pending)
    except BlockingIOError:
        return pending
    except OSError:
        return pending[len(pending):]  # the child died before reading its job; its exit says why
    return pending[written:]


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, _READ_CHUNK)  # the selector said it is readable, so this does not block
    except OSError:
        return b""


def _open_pidfd(pid: int) -> int | None:
    """A descriptor that becomes readable when the child exits, without reaping it (Linux 5.3+)."""
    opener = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        return opener(pid)
    except OSError:
        return None


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
