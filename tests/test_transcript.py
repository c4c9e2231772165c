"""Transcript store and reader: durability, secrets, torn lines, plain text, bad files."""

from __future__ import annotations

import json
import os

import pytest

from interviewer.errors import TranscriptError
from interviewer.session import Session
from interviewer.settings import load_settings
from interviewer.transcript import TranscriptWriter, load_transcript, parse_text, redact


def test_every_append_is_flushed_and_fsynced(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    writer = TranscriptWriter(tmp_path / "t.jsonl")
    writer.append({"type": "session", "round": "coding"})
    writer.append({"type": "turn", "role": "candidate", "text": "hello"})
    assert len(synced) == 2
    # Readable by another process before close.
    assert len((tmp_path / "t.jsonl").read_text().splitlines()) == 2
    writer.close()


def test_session_header_records_rubric_hash_and_settings_but_no_secret(services, clock, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-abcdefghijklmnopqrstuvwxyz0123")
    session = Session.create(services.library, "coding", "kv-store", services.settings, services.brain, clock=clock)
    session.open()
    session.submit("My key is sk-test-abcdefghijklmnopqrstuvwxyz0123 but that's not relevant; strings only?")
    session.close("quit")
    raw = session.path.read_text()
    header = json.loads(raw.splitlines()[0])
    assert header["rubric"]["id"] == "coding" and len(header["rubric"]["sha256"]) == 64
    assert header["settings"]["level"] == "L5"
    assert "sk-test-abcdefghijklmnopqrstuvwxyz0123" not in json.dumps(header)
    assert "OPENAI_API_KEY" not in raw
    assert "sk-test-abcdefghijklmnopqrstuvwxyz0123" not in raw  # masked even inside an answer
    assert "[redacted]" in raw


def test_redact_drops_secret_fields_and_masks_key_like_values():
    clean = redact({"api_key": "x", "nested": {"token": "y", "url": "http://h/?k=sk-abcdefghijklmnop"}, "level": "L5"})
    assert clean == {"nested": {"url": "http://h/?k=[redacted]"}, "level": "L5"}


def _session_file(services, clock):
    session = Session.create(services.library, "coding", "kv-store", services.settings, services.brain, clock=clock)
    session.open()
    session.submit("Strings and single-threaded? I'll assume both for now.")
    session.writer.close()
    return session.path


def test_torn_last_line_is_reported_and_skipped(services, clock):
    path = _session_file(services, clock)
    turns_before = len(load_transcript(path).turns)
    with open(path, "ab") as f:
        f.write(b'{"type":"turn","n":9,"role":"candidate","text":"half a wri')
    transcript = load_transcript(path)
    assert len(transcript.turns) == turns_before
    assert len(transcript.warnings) == 1 and "torn last line" in transcript.warnings[0]


def test_writer_starts_a_fresh_line_after_a_torn_tail(services, clock):
    path = _session_file(services, clock)
    with open(path, "ab") as f:
        f.write(b'{"type":"turn","n":9,"ro')
    writer = TranscriptWriter(path)
    writer.append({"type": "event", "kind": "resumed-test"})
    writer.close()
    transcript = load_transcript(path)
    assert transcript.events[-1]["kind"] == "resumed-test"
    assert any("unreadable line" in w for w in transcript.warnings)


def test_plain_text_transcript_is_accepted():
    text = "Round: system-design\nProblem: streaming-chat\n\nInterviewer: Hi.\nWhat do you need?\nCandidate: Users.\n  More detail.\n"
    transcript = parse_text(text)
    assert transcript.round == "system-design" and transcript.problem == "streaming-chat"
    assert [t.role for t in transcript.turns] == ["interviewer", "candidate"]
    assert transcript.turns[0].text == "Hi.\nWhat do you need?"
    assert "More detail." in transcript.turns[1].text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (b"\xff\xfe\xfa not utf8", "not UTF-8"),
        (b"", "empty file"),
        (b"Interviewer: hi\nCandidate: hello\n", "Round: <round>"),
        (b"just some notes\n", "expected 'Round: <round>'"),
        (b'{"type":"turn","role":"candidate","text":"x"}\n', "not a session header"),
    ],
)
def test_bad_transcripts_get_one_actionable_line(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(TranscriptError) as caught:
        load_transcript(path)
    text = str(caught.value)
    assert message in text and str(path) in text and "\n" not in text


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(TranscriptError, match="no such file"):
        load_transcript(tmp_path / "nope.jsonl")
    with pytest.raises(TranscriptError, match="is a folder"):
        load_transcript(tmp_path)


def test_settings_file_and_env_override(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('level = "L6"\nmax_answer_chars = 5000\n')
    monkeypatch.setenv("INTERVIEWER_CONFIG", str(config))
    assert load_settings().level == "L6"
    monkeypatch.setenv("INTERVIEWER_LEVEL", "L4")
    settings = load_settings()
    assert settings.level == "L4" and settings.max_answer_chars == 5000
    config.write_text('levle = "L6"\n')
    with pytest.raises(Exception, match="unknown field 'levle'"):
        load_settings()
