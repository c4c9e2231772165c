"""Running a candidate's code against gate checks in a separate, limited process."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from textwrap import dedent

import pytest
from conftest import FIXTURES, REPO

from interviewer.errors import InterviewerError
from interviewer.workbench import (
    CheckInfo,
    Limits,
    RunResult,
    WorkbenchError,
    checks_for_gate,
    has_checks,
    list_checks,
    run_checks,
    run_gate,
)

CHECKS = FIXTURES / "workbench" / "kv_store_checks.py"
REFERENCES = FIXTURES / "workbench" / "references"
GATES = ["basic", "ttl", "concurrency", "persistence"]
# Small limits keep the failure cases fast; the margin covers process start and teardown.
FAST = Limits(wall_s=4.0, check_s=0.5, cpu_s=4, memory_mb=512, file_mb=1, output_max_bytes=4 << 20)
MARGIN_S = 1.5

BASIC = """
class KVStore:
    def __init__(self):
        self.data = {}

    def set(self, key, value):
        self.data[key] = value

    def get(self, key):
        return self.data.get(key)

    def delete(self, key):
        return self.data.pop(key, None) is not None
"""


def reference(gate: int) -> str:
    return (REFERENCES / f"gate{gate}.py").read_text()


def basic_with(method: str, body: str, prelude: str = "") -> str:
    """BASIC with one method's body replaced, so a single check misbehaves."""
    lines = [f"    def {method}(self, *args):", *("        " + line for line in dedent(body).strip().splitlines())]
    source = re.sub(rf"    def {method}\(self[^)]*\):\n(        .*\n)+", "\n".join(lines) + "\n", BASIC)
    return dedent(prelude) + source


def run(code: str, gates=("basic",), limits: Limits = FAST) -> RunResult:
    return run_checks(dedent(code), CHECKS, list(gates), limits)


def by_name(result: RunResult) -> dict:
    return {c.name: c for c in result.checks}


def printed_pgid(result: RunResult) -> int:
    return int(re.search(r"PGID=(\d+)", result.output).group(1))


def group_is_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


# --- results -----------------------------------------------------------------------------------------------------

def test_passing_code_reports_every_check_of_the_gates_in_order():
    code = reference(4)
    result = run_checks(code, CHECKS, GATES)
    assert result.status == "passed" and result.reason is None
    assert [c.gate for c in result.checks] == ["basic"] * 3 + ["ttl"] * 2 + ["concurrency", "persistence"]
    assert all(c.passed and c.reason is None for c in result.checks)
    assert result.message == "all 7 checks passed (gates basic, ttl, concurrency, persistence)"
    assert result.code_sha256 == hashlib.sha256(code.encode()).hexdigest()
    assert result.gate_ids == GATES and result.duration_s > 0
    data = json.loads(json.dumps(result.to_dict()))
    assert RunResult.from_dict(data) == result
    summary = json.loads(json.dumps(result.summary()))
    assert (summary["status"], summary["passed"], summary["total"]) == ("passed", 7, 7)
    assert summary["checks"][0] == {"gate": "basic", "name": "set_then_get", "description": "get returns what set stored",
                                    "passed": True, "message": "", "reason": None, "line": None}


def test_only_the_requested_gates_run_in_the_order_given():
    result = run(reference(2), gates=["ttl", "basic"])
    assert [c.gate for c in result.checks] == ["ttl", "ttl", "basic", "basic", "basic"]
    assert result.status == "passed"


def test_a_failing_assertion_reports_its_message():
    result = run(basic_with("get", "return 42"))
    assert result.status == "failed" and result.reason is None
    checks = by_name(result)
    assert checks["set_then_get"].reason == "failed"
    assert checks["set_then_get"].message == "get('a') returned 42 after set('a', 1); expected 1"
    assert checks["set_then_get"].line is None  # the check's own assertion, not a line of the candidate's code
    assert result.message.startswith("3 of 3 checks failed; first: `set_then_get` (basic): get('a') returned 42")


def test_an_exception_in_the_candidates_code_names_its_line():
    result = run(basic_with("get", "return {}[args[0]]"))
    check = by_name(result)["set_then_get"]
    assert check.reason == "exception" and check.line == 10
    assert check.message == "KeyError at line 10 of your code: 'a'" and result.line == 10


def test_a_missing_class_or_method_is_named():
    assert by_name(run("class Store:\n    pass\n"))["missing_key"].message == "your code does not define `KVStore`: add it"
    result = run(BASIC.replace("def delete", "def remove"))
    check = by_name(result)["delete_removes"]
    assert check.reason == "missing name" and check.message == "`KVStore` has no attribute `delete`: add it"


def test_a_syntax_error_names_the_line_and_stops_before_any_check():
    result = run("class KVStore:\n    def get(self, key)\n        return None\n")
    assert result.status == "error" and result.reason == "syntax error"
    assert result.message == "SyntaxError at line 2: expected ':' - fix it and run again" and result.line == 2
    assert all(c.reason == "not run" for c in result.checks) and len(result.checks) == 3


def test_an_exception_while_loading_names_its_type_and_line():
    result = run("LIMIT = 10\nRATIO = LIMIT / 0\n")
    assert result.reason == "exception at import"
    assert result.message == ("your code raised ZeroDivisionError at line 2 of your code while loading: "
                              "division by zero - fix it and run again")


def test_an_unavailable_module_is_named():
    result = run("import pandas\n")
    assert result.reason == "import error"
    assert result.message.startswith("your code imports `pandas` at line 1 of your code, which is not available")


def test_input_and_exit_do_not_hang_or_take_the_run_down():
    assert run("name = input()\n").message.startswith("your code raised EOFError at line 1")
    result = run(basic_with("get", "raise SystemExit(1)"))
    assert result.status == "failed"
    assert by_name(result)["set_then_get"].message.startswith("your code called sys.exit() at line 10")


def test_prints_do_not_affect_results():
    fake = json.dumps({"type": "check", "index": 0, "passed": False, "reason": "failed", "message": "fake"})
    code = basic_with("get", f"print({fake!r})\nprint('{{\"type\": \"done\"}}')\nreturn self.data.get(args[0])")
    result = run(code)
    assert result.status == "passed"
    assert '"message": "fake"' in result.output


def test_numpy_imports_under_the_default_memory_limit():
    code = "import numpy as np\n" + BASIC.replace("self.data[key] = value", "self.data[key] = int(np.int64(value))")
    assert run(code, limits=Limits()).status == "passed"


def test_the_users_environment_and_directory_do_not_leak_in(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INTERVIEWER_LEAK_PROBE", "1")
    (tmp_path / "collections_extra.py").write_text("VALUE = 1\n")
    code = """
    import os, sys
    assert "INTERVIEWER_LEAK_PROBE" not in os.environ, "environment leaked"
    assert os.getcwd() != TMP, "working directory leaked"
    try:
        import collections_extra
    except ImportError:
        pass
    else:
        raise AssertionError("the user's directory is importable")
    """.replace("TMP", repr(str(tmp_path)))
    assert run(dedent(code) + BASIC).status == "passed"


def test_the_temporary_directory_is_removed_and_the_callers_cwd_untouched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = "import os\nprint('CWD=' + os.getcwd())\n" + reference(4)
    result = run(code, gates=GATES, limits=Limits(check_s=2.0))
    assert result.status == "passed"  # the persistence check wrote its log into the run's own directory
    workdir = Path(re.search(r"CWD=(\S+)", result.output).group(1))
    assert workdir != tmp_path and not workdir.exists()
    assert Path.cwd() == tmp_path and list(tmp_path.iterdir()) == []


# --- limits ------------------------------------------------------------------------------------------------------

def test_one_hanging_check_times_out_while_the_others_report():
    result = run(basic_with("delete", "while True:\n    pass"))
    checks = by_name(result)
    assert checks["set_then_get"].passed and checks["missing_key"].passed
    hung = checks["delete_removes"]
    assert hung.reason == "timed out" and hung.line in (13, 14)
    assert hung.message.startswith("did not finish within 0.5 s (it was at line")
    assert FAST.check_s <= hung.duration_s < FAST.check_s + 1.0
    assert result.status == "failed" and result.duration_s < FAST.check_s + MARGIN_S


def test_an_infinite_loop_while_loading_stops_at_the_check_limit():
    result = run("while True:\n    pass\n")
    assert result.reason == "timed out"
    assert result.message.startswith("your code did not finish loading within 0.5 s (it was at line")
    assert result.duration_s < FAST.check_s + MARGIN_S


def test_work_the_alarm_cannot_interrupt_is_killed_at_the_wall_limit():
    limits = Limits(wall_s=1.5, check_s=0.3, cpu_s=10)
    # A long computation inside one C call: the per-check alarm cannot interrupt it.
    code = "import os\nprint('PGID=%d' % os.getpgid(0), flush=True)\nTOTAL = sum(range(10 ** 14))\n"
    result = run(code, limits=limits)
    assert result.status == "error" and result.reason == "timed out"
    assert result.message == "stopped after 1.5 s of wall time while loading your code: look for an infinite loop"
    assert limits.wall_s <= result.duration_s < limits.wall_s + MARGIN_S
    assert group_is_gone(printed_pgid(result))


def test_cpu_time_is_limited():
    limits = Limits(wall_s=8.0, check_s=6.0, cpu_s=1)
    result = run(basic_with("get", "while True:\n    pass"), limits=limits)
    assert result.reason == "timed out"
    assert result.message.startswith("stopped after using 1 s of CPU time during check `set_then_get` (basic)")
    assert by_name(result)["set_then_get"].reason == "timed out"
    assert by_name(result)["delete_removes"].reason == "not run"
    assert result.duration_s < limits.wall_s


def test_a_memory_bomb_hits_the_memory_limit():
    result = run(basic_with("set", "self.hoard = []\nwhile True:\n    self.hoard.append(bytes(32 << 20))"))
    assert result.status == "error" and result.reason == "memory limit"
    assert result.message.startswith("check `set_then_get` (basic): ran out of memory at line")
    assert "(the limit is 512 MiB)" in result.message
    assert by_name(result)["missing_key"].passed  # the next checks still ran, with the memory given back
    at_import = run("HUGE = bytearray(1 << 40)\n")
    assert at_import.reason == "memory limit" and at_import.message.startswith("ran out of memory at line 1")


@pytest.mark.parametrize("call, what", [
    ("os.fork()", "fork"),
    ("while True:\n    os.fork()", "fork"),
    ("subprocess.run(['true'])", "subprocess"),
    ("os.system('true')", "subprocess"),
    ("os.execv('/bin/true', ['true'])", "subprocess"),
    ("os.kill(os.getppid(), 0)", "signal"),
    ("try:\n    os.fork()\nexcept BaseException:\n    pass", "fork"),  # swallowing the refusal does not hide it
])
def test_new_processes_and_signals_to_others_are_refused(call, what):
    prelude = "import os, subprocess\nprint('PGID=%d' % os.getpgid(0), flush=True)\n"
    result = run(basic_with("set", call + "\nself.data[args[0]] = args[1]", prelude))
    assert result.status == "error" and result.reason == f"forbidden: {what}"
    check = by_name(result)["set_then_get"]
    assert check.reason == f"forbidden: {what}" and "which is not allowed here" in check.message
    assert result.message.startswith("check `set_then_get` (basic): your code called ")
    assert group_is_gone(printed_pgid(result))


def test_network_connections_are_refused():
    code = basic_with("get", "socket.create_connection(('127.0.0.1', 9), timeout=1)", "import socket\n")
    result = run(code)
    assert result.reason == "forbidden: network"
    assert "there is no network here" in by_name(result)["set_then_get"].message


def test_a_huge_file_hits_the_file_size_limit():
    code = basic_with("set", "with open('big.bin', 'wb') as out:\n    out.write(bytes(2 << 20))")
    result = run(code)
    assert result.reason == "file size limit"
    assert "wrote a file larger than 1 MiB" in result.message


def test_enormous_output_is_capped_and_the_run_still_reports():
    code = "import sys\nsys.stdout.write('x' * (768 << 10))\n" + BASIC
    result = run(code)
    assert result.status == "passed"
    assert len(result.output.encode()) == FAST.output_keep_bytes and result.output_truncated
    assert result.output_bytes == 4 * (768 << 10)  # once while loading, then once per check
    assert result.summary()["output"] == "x" * 2000 and result.summary()["output_bytes"] == result.output_bytes


def test_output_past_the_maximum_stops_the_run():
    result = run(basic_with("get", "while True:\n    print('spam' * 1000)"))
    assert result.reason == "output limit"
    assert result.message.startswith("stopped after printing more than 4 MiB during check `set_then_get` (basic)")
    assert result.duration_s < FAST.wall_s


def test_a_crash_and_an_early_exit_are_reported():
    crash = run(basic_with("get", "os.kill(os.getpid(), signal.SIGSEGV)", "import os, signal\n"))
    assert crash.reason == "crashed" and "SIGSEGV during check `set_then_get`" in crash.message
    early = run(basic_with("get", "os._exit(3)", "import os\n"))
    assert early.reason == "crashed" and "exited with status 3 during check `set_then_get`" in early.message


def test_runs_in_parallel_threads_do_not_interfere():
    results: dict[str, RunResult] = {}

    def go(label: str, code: str) -> None:
        results[label] = run(code)

    threads = [threading.Thread(target=go, args=("good", BASIC)),
               threading.Thread(target=go, args=("bad", basic_with("get", "return 42")))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results["good"].status == "passed"
    assert results["bad"].status == "failed" and by_name(results["bad"])["set_then_get"].reason == "failed"


def test_without_a_pidfd_the_runner_polls_for_the_exit(monkeypatch):
    from interviewer.workbench import runner

    monkeypatch.setattr(runner, "_open_pidfd", lambda pid: None)  # as on macOS
    assert run(BASIC).status == "passed"
    hung = run(basic_with("get", "while True:\n    pass"))
    assert by_name(hung)["set_then_get"].reason == "timed out" and by_name(hung)["missing_key"].reason == "timed out"


# --- finding checks ----------------------------------------------------------------------------------------------

def test_listing_checks_reads_the_file_without_running_code():
    checks = list_checks("coding", "kv-store", path=CHECKS)
    assert checks[0] == CheckInfo("basic", "set_then_get", "get returns what set stored")
    assert [c.gate for c in checks] == ["basic"] * 3 + ["ttl"] * 2 + ["concurrency", "persistence"]
    assert has_checks("coding", "kv-store", path=CHECKS)
    assert not has_checks("coding", "no-such-problem")


def test_a_gate_runs_its_own_checks_and_every_earlier_gates():
    from_rubric = checks_for_gate("coding", "kv-store", "ttl", path=CHECKS)
    assert [c.name for c in from_rubric] == ["set_then_get", "missing_key", "delete_removes", "ttl_expires",
                                             "overwrite_resets_ttl"]
    reordered = checks_for_gate("x", "y", "basic", order=["ttl", "basic", "concurrency", "persistence"], path=CHECKS)
    assert [c.gate for c in reordered] == ["ttl", "ttl", "basic", "basic", "basic"]


def test_running_a_gate_runs_the_rubrics_gates_up_to_it(monkeypatch):
    from interviewer.workbench import runner

    monkeypatch.setattr(runner, "problem_checks_file", lambda round_id, problem_id: CHECKS)
    result = run_gate(reference(2), "coding", "kv-store", "ttl", FAST)
    assert result.status == "passed" and result.gate_ids == ["basic", "ttl"]
    assert run_gate(reference(2), "coding", "kv-store", "concurrency", FAST).status == "failed"


def test_gate_and_file_mistakes_are_actionable_errors(tmp_path):
    with pytest.raises(WorkbenchError, match="has no gate 'nope'; its gates are: basic, ttl"):
        checks_for_gate("coding", "kv-store", "nope", path=CHECKS)
    with pytest.raises(WorkbenchError, match=r"checks name gate\(s\) concurrency, persistence that problem"):
        checks_for_gate("coding", "kv-store", "basic", order=["basic", "ttl"], path=CHECKS)
    broken = tmp_path / "broken.py"
    broken.write_text("from interviewer.workbench.spec import check\n\nraise RuntimeError('half written')\n")
    with pytest.raises(WorkbenchError, match=r"broken.py: cannot load the checks \(RuntimeError at line 3"):
        list_checks("coding", "kv-store", path=broken)
    with pytest.raises(WorkbenchError, match="the checks cannot run"):
        run_checks(BASIC, broken, ["basic"], FAST)
    with pytest.raises(WorkbenchError, match="no checks file here"):
        run_checks(BASIC, tmp_path / "missing.py", ["basic"], FAST)
    with pytest.raises(WorkbenchError, match="no checks for gate"):
        run_checks(BASIC, CHECKS, ["nope"], FAST)
    assert issubclass(WorkbenchError, InterviewerError)


def test_limits_must_be_positive():
    with pytest.raises(ValueError, match="Limits.wall_s must be positive"):
        Limits(wall_s=0)


def test_importing_the_package_loads_neither_numpy_nor_the_runner():
    code = ("import sys, interviewer.workbench as w; w.Limits; w.list_checks; "
            "print(sorted(m for m in ('numpy', 'interviewer.workbench.runner') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
