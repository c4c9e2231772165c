"""Sessions live in the per-user data folder, so every command finds them from any folder;
`--transcripts-dir` works on every command; `paths` says where things are; sessions an older
version left in ./transcripts are offered for import once."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import REPO, cli_env, interviewer_cmd, user_folders

from interviewer.transcript import load_transcript

SAMPLES = REPO / "transcripts" / "samples"


def env_without_override(tmp_path):
    env = cli_env(tmp_path)
    del env["INTERVIEWER_TRANSCRIPTS_DIR"]
    return env


def run(args, cwd, env, stdin="", timeout=60):
    return subprocess.run(interviewer_cmd() + args, input=stdin, capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=cwd)


def user_sessions(tmp_path):
    return tmp_path / "xdg-data" / "interviewer" / "sessions"


def test_sessions_are_saved_per_user_and_found_from_any_folder(tmp_path):
    env = env_without_override(tmp_path)
    here, elsewhere = tmp_path / "project-a", tmp_path / "somewhere-else"
    here.mkdir()
    elsewhere.mkdir()
    saved = run(["practice", "system-design", "--plain"], here, env, "I'd assume 20k concurrent streams.\n/quit\n")
    assert saved.returncode == 0, saved.stderr
    assert not (here / "transcripts").exists()
    [path] = list(user_sessions(tmp_path).glob("*.jsonl"))
    name = path.name.removesuffix(".jsonl")

    listing = run(["sessions", "--json"], elsewhere, env)
    assert listing.returncode == 0, listing.stderr
    [row] = [json.loads(line) for line in listing.stdout.splitlines()]
    assert row["name"] == name and row["round"] == "system-design" and row["answers"] == 1
    assert row["status"] == "quit" and row["resumable"] is True
    assert name in run(["sessions"], elsewhere, env).stdout

    assert "Candidate: I'd assume 20k concurrent streams." in run(["review", name], elsewhere, env).stdout
    assert run(["score", name, "--json"], elsewhere, env).returncode == 0
    resumed = run(["resume", name, "--plain"], elsewhere, env, "Text chat first.\n/quit\n")
    assert resumed.returncode == 0, resumed.stderr
    assert len(load_transcript(path).candidate_turns()) == 2


@pytest.mark.parametrize("where", ["before", "after"])
def test_transcripts_dir_flag_on_every_command(tmp_path, where):
    env = env_without_override(tmp_path)
    folder = tmp_path / "chosen"
    folder.mkdir()
    shutil.copy(SAMPLES / "coding-kv-store.jsonl", folder / "kv.jsonl")

    def flagged(*args):
        flag = ["--transcripts-dir", str(folder)]
        return flag + list(args) if where == "before" else [args[0], *flag, *args[1:]]

    assert "kv" in run(flagged("sessions"), tmp_path, env).stdout
    assert json.loads(run(flagged("paths", "--json"), tmp_path, env).stdout)["sessions"] == str(folder)
    assert run(flagged("review", "kv"), tmp_path, env).stdout.startswith("Round: coding")
    assert run(flagged("score", "kv", "--json"), tmp_path, env).returncode == 0
    practice = run(flagged("practice", "behavioral", "--plain"), tmp_path, env, "/quit\n")
    assert practice.returncode == 0 and len(list(folder.glob("*.jsonl"))) == 2
    assert not user_sessions(tmp_path).exists()


def test_paths_names_config_sessions_log_and_state(tmp_path):
    env = env_without_override(tmp_path)
    listed = json.loads(run(["paths", "--json"], tmp_path, env).stdout)
    folders = user_folders(tmp_path)
    assert listed == {"config": str(tmp_path / "no-config.toml"), "sessions": str(user_sessions(tmp_path)),
                      "log": f"{folders['XDG_STATE_HOME']}/interviewer/log/interviewer.log",
                      "state": f"{folders['XDG_STATE_HOME']}/interviewer/state.json", "cache": str(tmp_path / "cache")}
    text = run(["paths"], tmp_path, env).stdout
    assert "(not created; defaults apply)" in text and "(created by the first session)" in text


def test_old_transcripts_folder_is_offered_once_and_imported_with_its_companions(tmp_path):
    env = env_without_override(tmp_path)
    old = tmp_path / "transcripts"
    old.mkdir()
    shutil.copy(SAMPLES / "coding-kv-store.jsonl", old / "kv.jsonl")
    (old / "kv.score.json").write_text("{}")
    (old / "kv.audio").mkdir()
    (old / "kv.audio" / "turn-002.wav").write_bytes(b"RIFF")
    (old / "notes.jsonl").write_text("not a session\n")

    first = run(["sessions"], tmp_path, env)
    assert "1 session saved by an older version is in" in first.stderr and "interviewer import" in first.stderr
    assert "older version" not in run(["sessions"], tmp_path, env).stderr  # said once
    assert "old:" in run(["paths"], tmp_path, env).stdout

    imported = run(["import"], tmp_path, env)
    assert imported.returncode == 0, imported.stderr
    assert "copied 1 session" in imported.stderr and "The originals are still in" in imported.stderr
    target = user_sessions(tmp_path)
    assert sorted(p.name for p in target.iterdir()) == ["kv.audio", "kv.jsonl", "kv.score.json"]
    assert (target / "kv.audio" / "turn-002.wav").read_bytes() == b"RIFF"
    assert (old / "kv.jsonl").exists()  # copied, not moved
    again = run(["import"], tmp_path, env)
    assert "copied 0 sessions" in again.stderr and "1 already there" in again.stderr
    assert "old:" not in run(["paths"], tmp_path, env).stdout


def test_import_of_a_missing_folder_is_a_usage_error(tmp_path):
    result = run(["import", "nowhere"], tmp_path, env_without_override(tmp_path))
    assert result.returncode == 2 and "nowhere: no such folder" in result.stderr


def test_warnings_are_logged_to_the_user_log_file_scrubbed(tmp_path):
    from llm_server import FakeOpenAI, Reply

    env = cli_env(tmp_path)
    key = "gsk_" + "q" * 30
    with FakeOpenAI([Reply(fault="500"), Reply(text="Hello.")]) as server:
        env.update(OPENAI_API_KEY=key, OPENAI_BASE_URL=server.base_url, INTERVIEWER_MODEL="test-model")
        result = run(["practice", "behavioral", "--plain"], tmp_path, env, "/quit\n")
    assert result.returncode == 0, result.stderr
    log = tmp_path / "xdg-state" / "interviewer" / "log" / "interviewer.log"
    text = log.read_text()
    assert "LLM call failed (server error 500)" in text and key not in text
