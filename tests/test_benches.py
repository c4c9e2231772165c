"""The benches run to the end at their smallest size and print a baseline beside their figures. What they
measure is never judged here (timings belong in the benches' output, not in tests): a bench that crashes,
or reports a launch or a command as failed, fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Each bench at its smallest size, and words that must be in its output: the baselines it prints.
BENCHES = {
    "tui": (["bench_tui.py", "--runs", "1"], ["the empty app's", "idle (baseline)"]),
    "cli": (["bench_cli.py", "--runs", "1"], ["over bare", "with no cache"]),
    "sessions": (["bench_sessions.py", "--sessions", "30", "--turns", "4", "--repeat", "1", "--runs", "1"],
                 ["the empty app's", "with no index", "every transcript read and searched", "beside the warm listing"]),
    "transcripts": (["bench_transcripts.py", "--appends", "20", "--turns", "200"],
                    ["flush-only", "json alone", "first exchange alone", "target: within 4.5x"]),
    "llm": (["bench_llm.py", "--replies", "5"], ["bare socket", "full history"]),
    "understanding": (["bench_understanding.py", "--repeat", "2"], ["p50 base", "baseline"]),
    "workbench": (["bench_workbench.py", "--runs", "2"], ["python -c pass"]),
}


@pytest.mark.parametrize("name", sorted(BENCHES))
def test_the_bench_runs_and_prints_its_baselines(name, tmp_path):
    argv, baselines = BENCHES[name]
    done = subprocess.run([sys.executable, str(REPO / "bench" / argv[0]), *argv[1:]], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Traceback" not in output and "FAILED" not in output, output[-3000:]
    missing = [words for words in baselines if words not in output]
    assert not missing, f"no {missing} in:\n{output[-3000:]}"
