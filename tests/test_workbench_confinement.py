"""The limits on the candidate's code hold when the code reaches around Python: the kernel
refuses new processes, sockets, signals to other processes and the interviewer's environment;
a child dies with a killed interviewer and its folder is swept; run output is scrubbed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from textwrap import dedent

import pytest
from conftest import cli_env, interviewer_cmd
from test_workbench_runner import BASIC, CHECKS, basic_with, run

from interviewer.transcript import load_transcript
from interviewer.workbench import Limits
from interviewer.workbench.runner import WORKDIR_PREFIX, sweep_orphaned_workdirs

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kernel confinement is Linux-only")

LIBC = "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"


def kernel_says(code: str) -> str:
    """Run `code` at the candidate's module level; it ends by raising what it found out."""
    result = run(LIBC + dedent(code) + BASIC)
    assert result.reason == "exception at import", result.message
    return result.message


def test_switching_off_the_python_guard_leaves_the_kernel_guard():
    code = """
    import sys
    sys.modules["__main__"].State.guard_on = False  # the one-line bypass of the old guard
    sys.modules["__main__"].PROCESS_EVENTS.clear()
    pid = libc.fork()  # straight to the C library: no audit event at all
    if pid == 0:
        os._exit(0)
    raise RuntimeError(f"fork={pid} errno={ctypes.get_errno()}")
    """
    assert "fork=-1 errno=1" in kernel_says(code)


def test_no_process_outlives_the_run_even_through_setsid():
    code = """
    started = 0
    for _ in range(30):
        pid = libc.fork()
        if pid == 0:
            libc.setsid()
            libc.pause()
        started += pid > 0
    raise RuntimeError(f"children started: {started}")
    """
    assert "children started: 0" in kernel_says(code)


@pytest.mark.parametrize("family", [2, 10], ids=["ipv4", "ipv6"])
def test_sockets_are_refused_by_the_kernel(family):
    code = f"""
    fd = libc.socket({family}, 1, 0)
    raise RuntimeError(f"socket={{fd}} errno={{ctypes.get_errno()}}")
    """
    assert "socket=-1 errno=1" in kernel_says(code)


def test_the_interviewer_cannot_be_signalled():
    code = """
    raise RuntimeError(f"kill={libc.kill(os.getppid(), 15)} errno={ctypes.get_errno()}")
    """
    assert "kill=-1 errno=1" in kernel_says(code)


def test_threads_and_signals_to_itself_still_work():
    code = basic_with("get", dedent("""
        import threading
        box = []
        worker = threading.Thread(target=lambda: box.append(self.data.get(args[0])))
        worker.start()
        worker.join()
        os.kill(os.getpid(), 0)
        return box[0]"""), "import os\n")
    assert run(code).status == "passed"


def test_the_interviewers_environment_and_memory_are_unreadable(tmp_path):
    key = "azure-" + "7f" * 16
    solution = tmp_path / "solution.py"
    solution.write_text(dedent("""
        import os
        found = []
        for name in ("environ", "mem", "cmdline"):
            try:
                with open(f"/proc/{os.getppid()}/{name}", "rb") as source:
                    found.append(f"{name}: read {len(source.read(64))} bytes")
            except OSError as error:
                found.append(f"{name}: {type(error).__name__}")
        raise RuntimeError("; ".join(found))
        """))
    env = cli_env(tmp_path)
    env.update(OPENAI_API_KEY=key, OPENAI_BASE_URL="http://127.0.0.1:9/v1", INTERVIEWER_BRAIN="offline")
    result = subprocess.run(interviewer_cmd() + ["practice", "coding", "--problem", "kv-store", "--plain"],
                            input="Strings only, single-threaded.\n/next\n/run solution.py\n/quit\n",
                            capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "environ: PermissionError; mem: PermissionError" in result.stdout
    [path] = (tmp_path / "transcripts").glob("*.jsonl")
    assert key not in path.read_text() and key not in result.stdout


def test_run_output_is_scrubbed_before_it_is_shown_or_saved(services):
    from interviewer import redaction
    from interviewer.session import Session

    redaction.register("configured-" + "z" * 20)
    code = ("print('gsk' + '_' + 'K' * 30)\nprint('configured-' + 'z' * 20)\n"
            "raise RuntimeError('configured-' + 'z' * 20)\n")
    session = Session.create(services.library, "coding", "kv-store", services.settings, services.brain)
    session.open()
    session.submit("Strings only, single-threaded.")
    session.command("next")
    shown = session.run_checks(code)
    session.close("quit")
    assert "gsk_" not in shown.result.output and "zzzz" not in shown.result.output + shown.result.message
    [event] = [e for e in load_transcript(session.path).events if e["kind"] == "checks_run"]
    assert event["output"] == "[redacted]\n[redacted]\n" and "[redacted]" in event["message"]


def test_a_child_killed_with_its_interviewer_dies_and_its_folder_is_swept(tmp_path):
    marker = tmp_path / "child.pid"
    code = f"import os, time\nopen({str(marker)!r}, 'w').write(str(os.getpid()))\ntime.sleep(60)\n" + BASIC
    limits = Limits(wall_s=120, check_s=100, cpu_s=120, memory_mb=512)
    script = (f"from interviewer.workbench import run_checks, Limits\n"
              f"run_checks({code!r}, {str(CHECKS)!r}, ['basic'], Limits(**{limits.to_dict()!r}))\n")
    parent = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": os.getcwd()})
    deadline = time.monotonic() + 30
    while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)  # another process: poll with a deadline
    child = int(marker.read_text())
    folders = [p for p in os.listdir("/tmp") if p.startswith(f"{WORKDIR_PREFIX}{parent.pid}-")]
    assert len(folders) == 1
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while os.path.exists(f"/proc/{child}") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists(f"/proc/{child}"), "the check child outlived its interviewer"
    assert os.path.isdir(f"/tmp/{folders[0]}")  # nobody was left to remove it...
    assert f"/tmp/{folders[0]}" in [str(p) for p in sweep_orphaned_workdirs()]  # ...until the next run
    assert not os.path.exists(f"/tmp/{folders[0]}")

