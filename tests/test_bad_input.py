"""Bad input as a user (or a hostile file) gives it: one line naming the problem and the fix,
exit code 2, no traceback, no hang, bounded memory, and nothing already saved is lost."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from conftest import REPO, cli_env, interviewer_cmd
from test_cli import SD_ANSWERS

from interviewer.transcript import load_transcript

SAMPLE = REPO / "transcripts" / "samples" / "system-design-streaming-chat.jsonl"


def run(args, tmp_path, stdin: bytes | str = b"", env=None, timeout=60):
    data = stdin.encode() if isinstance(stdin, str) else stdin
    result = subprocess.run(interviewer_cmd() + args, input=data, capture_output=True, env=env or cli_env(tmp_path),
                            timeout=timeout, cwd=tmp_path)
    result.stdout, result.stderr = result.stdout.decode(errors="replace"), result.stderr.decode(errors="replace")
    return result


def one_line_error(result, *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("interviewer: error:")]
    assert len(errors) == 1, result.stderr
    for text in expected:
        assert text in errors[0], errors[0]


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom"])
def test_score_refuses_a_device_before_reading_it(tmp_path, special):
    one_line_error(run(["score", special], tmp_path, timeout=20), special, "is a character device, not a regular file")


def test_score_refuses_a_fifo_without_blocking_on_it(tmp_path):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    one_line_error(run(["score", str(fifo)], tmp_path, timeout=20), "is a pipe (FIFO), not a regular file")


def test_a_transcript_over_the_limit_is_refused_by_size(tmp_path):
    huge = tmp_path / "huge.jsonl"
    with open(huge, "wb") as out:
        out.truncate(70 << 20)  # sparse: 70 MB on paper, nothing on disk
    one_line_error(run(["score", str(huge)], tmp_path), "huge.jsonl: 70 MB, over the 64 MB limit")


def test_invalid_utf8_on_stdin_stops_with_the_line_named_and_keeps_earlier_answers(tmp_path):
    stdin = (SD_ANSWERS[0] + "\n").encode() + b"caf\xe9 au lait \xff\n" + (SD_ANSWERS[1] + "\n").encode()
    result = run(["practice", "system-design", "--plain"], tmp_path, stdin)
    one_line_error(result, "stdin line 2: not UTF-8 text (byte 0xe9 at column 4); send answers as UTF-8")
    [path] = list((tmp_path / "transcripts").glob("*.jsonl"))
    assert [t.text for t in load_transcript(path).candidate_turns()] == SD_ANSWERS[:1]


def test_an_answer_of_only_nul_bytes_is_empty(tmp_path):
    result = run(["practice", "system-design", "--plain"], tmp_path, b"\x00\x00\x00\x00\n")
    one_line_error(result, "stdin line 1: empty answer")


def write_config(tmp_path, text: str) -> dict:
    path = tmp_path / "config.toml"
    path.write_text(text)
    env = cli_env(tmp_path)
    env["INTERVIEWER_CONFIG"] = str(path)
    return env


@pytest.mark.parametrize(("config", "expected"), [
    ('[llm]\ntimeout_s = "abc"\n', "field llm.timeout_s is 'abc'; use a number of seconds from 0.1 to 3600"),
    ('[llm]\nprices = { "gpt-4o-mini" = [0.15] }\n', "field llm.prices.gpt-4o-mini is [0.15]; use a table like"),
    ('[llm]\nprices = "cheap"\n', "field llm.prices is 'cheap'; use a table like"),
    ("max_answer_chars = 1e400\n", "field max_answer_chars is inf; use a whole number from 100 to 200,000"),
    ("[llm]\ntimeout = 5\n", "unknown field llm.timeout; known fields: model, base_url"),
    ('[llm]\nbase_url = "http://[::1"\n', "field llm.base_url: 'http://[::1' is not a valid URL"),
    ("[llm]\nmax_attempts = 2.5\n", "field llm.max_attempts is 2.5; use a whole number from 1 to 20"),
], ids=["timeout-text", "price-pair", "prices-shape", "answer-chars-inf", "unknown-key", "base-url", "attempts"])
def test_bad_settings_are_blamed_on_the_file_even_for_listing_rounds(tmp_path, config, expected):
    env = write_config(tmp_path, config)
    result = run(["rubrics"], tmp_path, env=env)
    one_line_error(result, f"{tmp_path / 'config.toml'}: {expected}")


def test_a_bad_value_is_blamed_on_where_it_came_from(tmp_path):
    env = write_config(tmp_path, "max_answer_chars = 5000\n")
    env["INTERVIEWER_MAX_ANSWER_CHARS"] = "lots"
    one_line_error(run(["rubrics"], tmp_path, env=env),
                   "INTERVIEWER_MAX_ANSWER_CHARS is 'lots'; use a whole number from 100 to 200,000")
    env = write_config(tmp_path, 'level = "L9"\n')
    one_line_error(run(["rubrics"], tmp_path, env=env), f"{tmp_path / 'config.toml'}: field level is 'L9'")
    env = cli_env(tmp_path)
    env["INTERVIEWER_LEVEL"] = "L9"
    one_line_error(run(["rubrics"], tmp_path, env=env), "INTERVIEWER_LEVEL is 'L9'; use one of L4, L5, L6")


def test_a_base_url_that_does_not_parse(tmp_path):
    one_line_error(run(["practice", "coding", "--plain", "--base-url", "http://[::1"], tmp_path),
                   "--base-url: 'http://[::1' is not a valid URL")
    env = cli_env(tmp_path)
    env["OPENAI_BASE_URL"] = "ftp://files.example"
    one_line_error(run(["practice", "coding", "--plain"], tmp_path, env=env),
                   "OPENAI_BASE_URL: 'ftp://files.example' is not an http(s) URL with a host")


def damaged(tmp_path, edit) -> str:
    records = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
    edit(records)
    path = tmp_path / "damaged.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return str(path)


def test_deeply_nested_json_is_a_skipped_line_not_a_crash(tmp_path):
    path = damaged(tmp_path, lambda records: records.insert(3, "[" * 100_000 + "]" * 100_000))
    result = run(["score", path], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "line 4: unreadable line skipped" in result.stderr and "Traceback" not in result.stderr


def test_header_fields_of_the_wrong_type_are_ignored_with_a_warning(tmp_path):
    def edit(records):
        records[0]["settings"] = ["not", "a", "table"]
        records[0]["problem"] = 7
        records[2]["engine"] = "garbage"
        records[2]["move"] = 3

    path = damaged(tmp_path, edit)
    result = run(["score", path], tmp_path)
    assert result.returncode == 0 and "# Scorecard" in result.stdout and "Traceback" not in result.stderr
    assert "field settings is not an object" in result.stderr and "field engine is not an object" in result.stderr


def test_resuming_from_a_damaged_engine_state_names_the_turn(tmp_path):
    def edit(records):
        last = max(i for i, r in enumerate(records) if r.get("role") == "interviewer")
        records[last]["engine"]["phase_index"] = "three"
        del records[-1]  # the end record, so the session counts as interrupted

    path = damaged(tmp_path, edit)
    one_line_error(run(["resume", path, "--plain"], tmp_path), "is damaged (field phase_index is 'three')",
                   "interviewer score")


ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m \x9b31m"


def test_escape_sequences_never_reach_the_terminal(tmp_path):
    text = tmp_path / "evil.txt"
    text.write_text(f"Round: system-design\n\nInterviewer: Hello{ESCAPES}\nCandidate: I'd shard by user{ESCAPES}.\n")
    for args in (["review", str(text)], ["score", str(text)]):
        result = run(args, tmp_path)
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout + result.stderr and "\x9b" not in result.stdout
    assert "I'd shard by userred" in run(["review", str(text)], tmp_path).stdout
    result = run(["practice", "system-design", "--plain"], tmp_path, f"assume 5M users{ESCAPES}\n/quit\n")
    assert result.returncode == 0
    [path] = list((tmp_path / "transcripts").glob("*.jsonl"))
    assert [t.text for t in load_transcript(path).candidate_turns()] == ["assume 5M usersred 31m"]
    assert "\\u001b" not in path.read_text()


def test_review_without_a_terminal_says_what_to_do_instead_of_hanging(tmp_path):
    one_line_error(run(["review"], tmp_path, timeout=20), "needs a terminal", "interviewer sessions")
