"""The session index: a second listing reads only what was written since the first."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import REPO

from interviewer import sessions
from interviewer.sessions import list_sessions

SAMPLES = REPO / "transcripts" / "samples"


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    for name, sample in (("chat", "system-design-streaming-chat.jsonl"), ("kv", "coding-kv-store.jsonl")):
        shutil.copy(SAMPLES / sample, folder / f"{name}.jsonl")
    return folder


def reading(monkeypatch) -> list[str]:
    """The names of the transcripts listing reads from here on."""
    read: list[str] = []
    summarize = sessions._summarize

    def counted(path, *args):
        read.append(path.name)
        return summarize(path, *args)

    monkeypatch.setattr(sessions, "_summarize", counted)
    return read


def test_unchanged_sessions_come_from_the_index(folder, monkeypatch):
    first = list_sessions(folder)
    read = reading(monkeypatch)
    assert [s.to_json() for s in list_sessions(folder)] == [s.to_json() for s in first]
    assert read == []


def test_an_appended_answer_and_a_new_session_are_read_again(folder, monkeypatch):
    list_sessions(folder)
    read = reading(monkeypatch)
    turn = {"type": "turn", "n": 99, "role": "candidate", "t": 1.0, "text": "one more answer"}
    with open(folder / "kv.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps(turn) + "\n")
    shutil.copy(SAMPLES / "behavioral-ownership.jsonl", folder / "owner.jsonl")
    listed = {s.name: s for s in list_sessions(folder)}
    assert sorted(read) == ["kv.jsonl", "owner.jsonl"]
    assert listed["kv"].answers == list_sessions(folder, "coding")[0].answers
    assert set(listed) == {"chat", "kv", "owner"}


def test_a_scorecard_saved_later_is_seen(folder):
    assert list_sessions(folder, "coding")[0].overall_level is None
    card = {"scorer": "offline", "overall": {"level": "good", "score": 61.0},
            "dimensions": [{"id": "correctness", "score": 61.0}]}
    (folder / "kv.score.json").write_text(json.dumps(card), encoding="utf-8")
    [summary] = list_sessions(folder, "coding")
    assert (summary.overall_level, summary.dimension_scores) == ("good", {"correctness": 61.0})


def test_a_deleted_session_leaves_the_listing(folder):
    list_sessions(folder)
    (folder / "chat.jsonl").unlink()
    assert [s.name for s in list_sessions(folder)] == ["kv"]


def test_a_corrupt_index_is_rebuilt(folder, tmp_path):
    expected = [s.to_json() for s in list_sessions(folder)]
    [index] = (tmp_path / "cache").glob("sessions-*.json")
    kept = json.loads(index.read_text(encoding="utf-8"))
    del kept["sessions"]["kv.jsonl"]["round"]  # an entry that still matches its file but cannot be read
    kept["sessions"]["chat.jsonl"]["stamp"] = 3
    index.write_text(json.dumps(kept), encoding="utf-8")
    assert [s.to_json() for s in list_sessions(folder)] == expected
    index.write_text("{not json", encoding="utf-8")
    assert [s.to_json() for s in list_sessions(folder)] == expected


def scored(path, library):
    from interviewer.scoring import score
    from interviewer.transcript import load_transcript

    header = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    return score(load_transcript(path), library.load(header["round"]).rubric)


def test_a_scored_session_is_in_the_index_before_the_next_listing(folder, monkeypatch, library):
    list_sessions(folder)
    shutil.copy(SAMPLES / "behavioral-ownership.jsonl", folder / "owner.jsonl")  # new since the last listing
    card = scored(folder / "owner.jsonl", library)
    sessions.save_scorecard(folder / "owner.jsonl", card)
    read = reading(monkeypatch)
    listed = {s.name: s for s in list_sessions(folder)}
    assert read == []  # its summary, scores included, was written when it was scored
    assert listed["owner"].overall_level == card.overall_level
    assert listed["owner"].overall_score == pytest.approx(card.overall_score, abs=0.05) and not listed["owner"].score_stale
    assert set(listed) == {"chat", "kv", "owner"}


def test_a_session_scored_before_any_listing_starts_the_index_that_listing_completes(folder, monkeypatch, library):
    sessions.save_scorecard(folder / "kv.jsonl", scored(folder / "kv.jsonl", library))
    read = reading(monkeypatch)
    assert {s.name for s in list_sessions(folder)} == {"chat", "kv"}
    assert read == ["chat.jsonl"]


def test_a_scorecard_is_saved_even_when_its_index_entry_cannot_be(folder, tmp_path, monkeypatch, library):
    (tmp_path / "cache").write_text("a file where the cache folder should be", encoding="utf-8")
    card = scored(folder / "kv.jsonl", library)
    saved = sessions.save_scorecard(folder / "kv.jsonl", card)
    assert json.loads(saved.read_text(encoding="utf-8"))["overall"]["level"] == card.overall_level
    assert list_sessions(folder, "coding")[0].overall_level == card.overall_level
