"""`interviewer transcribe`: a recorded answer as text with its timing; bad files are one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interviewer.cli import main

SPEECH = Path(__file__).resolve().parent / "fixtures" / "speech"


def test_transcribes_a_file_and_reports_timing(capsys):
    assert main(["transcribe", str(SPEECH / "lru_pause.flac"), "--device", "cpu"]) == 0
    out, err = capsys.readouterr()
    assert "linked list" in out.lower() and "capacity" in out.lower()
    assert len(out.strip().splitlines()) == 1
    assert "20.0 s of audio" in err and "tiny.en on cpu/int8" in err and "real-time factor" in err


def test_json_output_with_round_vocabulary(capsys):
    assert main(["transcribe", str(SPEECH / "webhook_retries.flac"), "--round", "system-design", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "kafka" in data["text"].lower()
    assert data["model"] == "tiny.en" and data["audio_s"] == pytest.approx(32.2, abs=0.1)
    assert data["transcribe_s"] > 0 and data["load_s"] > 0
    assert data["real_time_factor"] == pytest.approx(data["transcribe_s"] / data["audio_s"], rel=0.01)
    words = [w for s in data["segments"] for w in s["words"]]
    assert words and {"text", "start", "end", "probability"} <= set(words[0])
    assert data["delivery"]["words"] == len(words)


@pytest.mark.parametrize("make, expected", [
    (lambda tmp: tmp / "missing.flac", "no such audio file"),
    (lambda tmp: (tmp / "garbage.mp3").write_bytes(b"\x00garbage" * 100) and tmp / "garbage.mp3",
     "not a readable audio file"),
    (lambda tmp: Path("/dev/zero"), "is a character device, not a regular file"),
    (lambda tmp: tmp, "is a folder, not a regular file"),
], ids=["missing", "garbage", "device", "folder"])
def test_bad_files_are_one_line_errors_with_exit_2(tmp_path, capsys, make, expected):
    path = make(tmp_path)
    assert main(["transcribe", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("interviewer: error: ") and expected in err and str(path) in err


def test_unknown_model_name_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty-cache"))
    assert main(["transcribe", str(SPEECH / "lru_pause.flac"), "--stt-model", "small.en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not in the local model cache" in err
