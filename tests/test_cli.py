"""The `interviewer` command as a user runs it: real processes, real pipes."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import FIXTURES, REPO, cli_env, interviewer_cmd

from interviewer.transcript import load_transcript

SD_ANSWERS = [
    "Who are the users, and what's the peak? I'll assume 5M daily users and 20k concurrent streams.",
    "Streaming replies, history and stop generation first; I'd leave voice out of version one.",
    "20k streams at 50 tokens/s is 1M tokens per second, so GPUs dominate the cost.",
    "The client renders SSE tokens; the gateway does auth and per-org rate limits; a router feeds GPU pools.",
]


def run(args, tmp_path, stdin="", timeout=60):
    return subprocess.run(interviewer_cmd() + args, input=stdin, capture_output=True, text=True,
                          env=cli_env(tmp_path), timeout=timeout, cwd=tmp_path)


def test_plain_practice_in_a_pipe_saves_and_scores(tmp_path):
    result = run(["practice", "system-design", "--plain"], tmp_path, "\n".join(SD_ANSWERS + ["/quit"]) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Interviewer:") == len(SD_ANSWERS) + 1
    assert "# Scorecard: system-design" in result.stdout
    assert "Offline heuristic scorer" in result.stdout
    [path] = list((tmp_path / "transcripts").glob("*.jsonl"))
    assert str(path) in result.stderr
    transcript = load_transcript(path)
    assert [t.text for t in transcript.candidate_turns()] == SD_ANSWERS
    assert transcript.ended["reason"] == "quit"


def test_hint_next_and_done_commands(tmp_path):
    stdin = "\n".join(["Keys are strings? I'll assume so.", "/next", "/hint", "/done"]) + "\n"
    result = run(["practice", "coding", "--problem", "kv-store", "--plain"], tmp_path, stdin)
    assert result.returncode == 0, result.stderr
    assert "Here's a nudge" in result.stdout
    [path] = list((tmp_path / "transcripts").glob("*.jsonl"))
    assert load_transcript(path).completed


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["practice", "system-desing", "--plain"], "unknown round 'system-desing'; choose one of:"),
        (["practice", "coding", "--problem", "btree", "--plain"], "round 'coding' has no problem 'btree'; choose one of:"),
        (["rubrics", "--validate", "missing.yaml"], "missing.yaml: no such file"),
        (["score", "nothing.jsonl"], "nothing.jsonl: no such file"),
    ],
)
def test_usage_errors_are_one_line_exit_2(tmp_path, args, expected):
    result = run(args, tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_binary_transcript_is_refused_cleanly(tmp_path):
    (tmp_path / "photo.jsonl").write_bytes(bytes(range(256)) * 4)
    result = run(["score", "photo.jsonl"], tmp_path)
    assert result.returncode == 2
    assert "photo.jsonl: binary data, not a transcript" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_round_in_a_text_transcript_names_the_field(tmp_path):
    (tmp_path / "t.txt").write_text("Round: chess\n\nInterviewer: hi\nCandidate: hello\n")
    result = run(["score", "t.txt"], tmp_path)
    assert result.returncode == 2
    assert "t.txt: field Round: unknown round 'chess'" in result.stderr


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [("   ", "empty answer"), ("x" * 1_048_576, "answer is 1,048,576 characters, over the 20,000 limit")],
    ids=["blank-line", "one-megabyte"],
)
def test_bad_answer_in_a_pipe_exits_2_and_keeps_what_was_saved(tmp_path, bad_line, message):
    stdin = "\n".join(SD_ANSWERS[:2] + [bad_line, SD_ANSWERS[2]]) + "\n"
    result = run(["practice", "system-design", "--plain"], tmp_path, stdin)
    assert result.returncode == 2
    assert f"stdin line 3: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    [path] = list((tmp_path / "transcripts").glob("*.jsonl"))
    transcript = load_transcript(path)
    assert [t.text for t in transcript.candidate_turns()] == SD_ANSWERS[:2]
    assert "interviewer resume" in result.stderr


def test_score_json_follows_the_contract(tmp_path):
    result = run(["score", str(FIXTURES / "scoring/system-design/strong.txt"), "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert isinstance(card["round"], str) and card["scorer"] == "offline-heuristic"
    assert card["overall"]["level"] in ("below_bar", "good", "great")
    assert 0 <= card["overall"]["score"] <= 100
    for dim in card["dimensions"]:
        assert set(dim) >= {"id", "level", "score", "evidence"}
        assert dim["level"] in ("below_bar", "good", "great")
        for quote in dim["evidence"]:
            assert isinstance(quote["turn"], int) and isinstance(quote["quote"], str)


def test_score_markdown_and_review(tmp_path):
    transcript = FIXTURES / "scoring/coding/strong.txt"
    markdown = run(["score", str(transcript), "--markdown"], tmp_path)
    assert markdown.returncode == 0 and markdown.stdout.startswith("# Scorecard: coding")
    assert "Evidence:" in markdown.stdout
    review = run(["review", str(transcript)], tmp_path)
    assert review.returncode == 0
    assert "Round: coding" in review.stdout and "Candidate:" in review.stdout and "# Scorecard" in review.stdout


def test_rubrics_lists_every_round(tmp_path):
    result = run(["rubrics"], tmp_path)
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.splitlines()}
    assert listed >= {"coding", "coding-refactor", "coding-lld", "system-design", "presentation", "behavioral",
                      "work-trial", "recruiter-screen", "ml-system-design", "ml-coding", "ml-screen"}


def test_rubrics_validate_accepts_the_shipped_folder(tmp_path):
    result = run(["rubrics", "--validate", str(REPO / "rubrics")], tmp_path)
    assert result.returncode == 0
    assert result.stdout.count("ok ") == 11


def test_resume_refuses_a_completed_session(tmp_path):
    run(["practice", "coding", "--problem", "kv-store", "--plain"], tmp_path, "/done\n")
    [path] = list((tmp_path / "transcripts").glob("*.jsonl"))
    result = run(["resume", str(path), "--plain"], tmp_path)
    assert result.returncode == 2
    assert "this session is complete; score it with" in result.stderr


def test_every_scorecard_is_kept_with_its_session(tmp_path):
    ended = run(["practice", "system-design", "--problem", "streaming-chat", "--plain"], tmp_path,
                "\n".join(SD_ANSWERS + ["/done"]) + "\n")
    assert ended.returncode == 0, ended.stderr
    [path] = list((tmp_path / "transcripts").glob("*.jsonl"))  # the history file does not look like a session
    from interviewer.sessions import list_sessions, scorecard_history

    [first] = scorecard_history(path)
    assert first["reason"] == "end of session" and first["scorer"] == "offline-heuristic"
    [summary] = list_sessions(tmp_path / "transcripts")
    assert summary.scorer == "offline-heuristic"  # review lists it as scored
    again = run(["score", str(path)], tmp_path)
    assert again.returncode == 0 and "kept with the session" not in again.stderr  # nothing changed: nothing kept
    listed = run(["review", str(path)], tmp_path)
    assert "## Scorecards kept with this session" in listed.stdout and "end of session" in listed.stdout
    untouched = run(["score", str(path), "--no-save"], tmp_path)
    assert untouched.returncode == 0 and len(scorecard_history(path)) == 1


def test_the_arguments_that_open_the_app_mean_what_the_parser_gives_for_them():
    from interviewer.cli import OPENING_THE_APP, _arguments, _parser

    for argv in ([], ["review"]):
        assert vars(_arguments(argv)) == vars(_parser().parse_args(argv))
    assert set(OPENING_THE_APP) == {(), ("review",)}


COMMAND_LINES = [
    ["practice", "system-design", "--problem", "streaming-chat", "--level", "L6", "--plain"],
    ["practice", "coding", "--voice", "--stt-model", "tiny", "--model", "m", "--base-url", "http://127.0.0.1:1/v1"],
    ["resume", "some-session", "--plain", "--transcripts-dir", "x"],
    ["score", "t.jsonl", "--json", "--no-save"], ["review", "t.jsonl"], ["sessions", "--round", "coding"],
    ["paths", "--json"], ["import"], ["transcribe", "a.wav", "--device", "cpu", "--round", "coding"],
    ["say", "hello", "--rate", "1.2"], ["rubrics", "--check"], ["loop", "start", "senior-swe"], ["loop"],
]


@pytest.mark.parametrize("argv", COMMAND_LINES, ids=lambda argv: " ".join(argv[:2]))
def test_a_command_alone_is_parsed_as_the_whole_parser_parses_it(argv):
    from interviewer.cli import COMMANDS, _arguments, _parser

    assert argv[0] in COMMANDS
    assert vars(_arguments(argv)) == vars(_parser().parse_args(argv))


def test_every_command_is_one_a_command_line_can_name_alone():
    import argparse

    from interviewer.cli import COMMANDS, _parser

    [sub] = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(sub.choices) == set(COMMANDS)
    assert {c for c in COMMANDS if set(_subcommands(_parser(c))) != {c}} == set()


def _subcommands(parser):
    import argparse

    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def test_a_command_alone_reports_its_errors_and_help_as_before(tmp_path):
    missing = run(["practice"], tmp_path)
    assert missing.returncode == 2 and "interviewer practice: error: the following arguments are required: round" \
        in missing.stderr
    shown = run(["practice", "--help"], tmp_path)
    assert shown.returncode == 0 and shown.stdout.startswith("usage: interviewer practice")
    whole = run(["--help"], tmp_path)
    assert all(command in whole.stdout for command in ("practice", "transcribe", "loop"))
