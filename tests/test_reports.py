"""Scorecard exports (Markdown, HTML, JSON) and the saved-session index, on real transcripts."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import shutil
import types
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jinja2
import pytest
from conftest import FIXTURES, REPO
from markupsafe import escape

from interviewer.reports import FORMATS, environment, export, render_html, render_json, render_markdown
from interviewer.rubric import RubricLibrary
from interviewer.scoring import Quote, Scorecard, score, to_json_text, to_markdown
from interviewer.sessions import scorecard_history, what_changed
from interviewer.sessions import (
    SessionSummary,
    dimension_history,
    interrupted,
    list_sessions,
    save_scorecard,
    scorecard_path,
)
from interviewer.transcript import Transcript, TranscriptWriter, load_transcript, parse_text

LIBRARY = RubricLibrary()
SAMPLES = sorted((REPO / "transcripts" / "samples").glob("*.jsonl"))
REAL = sorted((FIXTURES / "scoring").glob("*/*.txt")) + SAMPLES
LOG = "interviewer.sessions"


def scored(path: Path) -> tuple[Transcript, Scorecard]:
    transcript = load_transcript(path)
    return transcript, score(transcript, LIBRARY.load(transcript.round).rubric)


def ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.stem}" for p in paths]


# A candidate who pastes markup into their answers. Every quote the scorer keeps must reach
# the HTML page as text, never as markup.
HOSTILE = """Round: system-design
Problem: streaming-chat

Interviewer: Design a streaming chat product. Where do you start?
Candidate: I'd assume 5M daily users and 20k concurrent streams <script>alert("x")</script> at peak, so about 1,400 requests per second.
Interviewer: How do replies reach the client?
Candidate: SSE over WebSockets because traffic is one way, at the cost of no binary framing; <img src=x onerror=alert(1)> & "quotes" stay text.
Interviewer: What fails first?
Candidate: If a GPU node dies mid-stream the gateway retries on another pool from the last token, so users see a pause, not an error </q></li><script>steal()</script>.
"""


@pytest.fixture(scope="module")
def cards() -> dict[Path, tuple[Transcript, Scorecard]]:
    return {path: scored(path) for path in REAL}


# ------------------------------------------------------------------ exports
@pytest.mark.parametrize("path", REAL, ids=ids(REAL))
def test_markdown_carries_every_dimension_quote_and_turn(path, cards):
    transcript, card = cards[path]
    text = render_markdown(card, transcript)
    title = f"# Scorecard: {card.round}" + (f" / {card.problem}" if card.problem else "")
    assert text.startswith(title + "\n")
    score = f" ({card.overall_score:.0f}/100)" if card.overall_level != "not_assessed" else ""
    assert f"**Overall: {card.overall_level.replace('_', ' ')}{score}**" in text
    assert f"level signal: **{card.level_signal}**" in text and card.level_reason in text
    assert "scorer: `offline-heuristic`" in text
    for dim in card.dimensions:
        section = text.split(f"## {dim.title}: ", 1)[1].split("\n## ", 1)[0]
        assert section.startswith(f"{dim.level.replace('_', ' ')}" + (f" ({dim.score:.0f})" if dim.assessed else ""))
        assert dim.descriptor.strip() in section and f"Why: {dim.rationale}" in section
        for quote in dim.evidence:
            tag = " (unprompted)" if quote.proactive else " (when asked)"
            assert f"- turn {quote.turn}{tag}: \"{quote.quote}\"" in section
        if not dim.assessed:
            assert "Evidence: nothing in the session asked for this or showed it." in section
        elif not dim.evidence:
            assert "Evidence: nothing in the transcript showed this." in section
        if dim.level == "great" or not dim.great_example:
            assert "What great sounds like:" not in section
        else:
            assert "What great sounds like:\n\n> " + dim.great_example.strip().split("\n")[0] in section
    for correction in card.corrections:
        assert f'- turn {correction["turn"]}: "{correction["claim"]}" {correction["fact"]}' in text
    for note in card.notes:
        assert f"- {note}" in text
    assert text.index(card.notes[0]) < text.index("## Transcript")
    listed = text.split("## Transcript\n", 1)[1]
    for turn in transcript.turns:
        speaker = "Interviewer" if turn.role == "interviewer" else "Candidate"
        assert f"\n{turn.n}. **{speaker}**" in "\n" + listed
        assert turn.text.split("\n")[0] in listed
    assert text.endswith("\n") and not text.endswith("\n\n")


@pytest.mark.parametrize("path", REAL, ids=ids(REAL))
def test_html_is_standalone_and_carries_every_dimension_and_quote(path, cards):
    transcript, card = cards[path]
    page = render_html(card, transcript)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page
    for external in ("<script", "<link", "src=", "@import", "url(", "http://", "https://"):
        assert external not in page
    assert f"<code>{escape(card.scorer)}</code>" in page
    for dim in card.dimensions:
        assert f'id="dimension-{dim.id}"' in page and str(escape(dim.title)) in page
        assert str(escape(dim.descriptor.strip())) in page
        for quote in dim.evidence:
            assert f'<q class="quote">{escape(quote.quote)}</q>' in page
            assert f'href="#turn-{quote.turn}"' in page
        if dim.level != "great" and dim.great_example:
            assert f"<blockquote>{escape(dim.great_example.strip())}</blockquote>" in page
    for note in card.notes:
        assert f"<li>{escape(note)}</li>" in page
    for turn in transcript.turns:
        assert f'<li id="turn-{turn.n}" class="{turn.role}">' in page
        assert f'<div class="text">{escape(turn.text)}</div>' in page
    for gate in card.gates:
        assert f"<td>Gate {gate['gate']}" in page


@pytest.mark.parametrize("path", SAMPLES, ids=ids(SAMPLES))
def test_json_round_trips_to_the_contract(path, cards):
    _, card = cards[path]
    data = json.loads(render_json(card))
    assert data == card.to_json()
    assert render_json(card) == json.dumps(card.to_json(), indent=2, ensure_ascii=False)
    assert {"round", "scorer", "overall", "dimensions"} <= set(data)
    assert data["round"] == card.round and data["scorer"] == "offline-heuristic"
    assert data["overall"] == {"level": card.overall_level, "score": round(card.overall_score, 1)}
    assert [d["id"] for d in data["dimensions"]] == [d.id for d in card.dimensions]
    for dim, out in zip(card.dimensions, data["dimensions"]):
        assert out["level"] == dim.level and out["score"] == round(dim.score, 1)
        assert out["evidence"] == [{"turn": q.turn, "quote": q.quote} for q in dim.evidence]


def test_candidate_markup_is_escaped_in_html(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    transcript, card = scored(path)
    quotes = [q.quote for d in card.dimensions for q in d.evidence]
    assert any("<script>" in q for q in quotes) and any("<img" in q for q in quotes)  # the test bites
    page = render_html(card, transcript)
    assert "<script" not in page and "<img" not in page and "</q></li><script>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;quotes&#34; stay text." in page
    for quote in quotes:
        assert f'<q class="quote">{escape(quote)}</q>' in page
    # Markdown is plain text: the quote appears as the candidate wrote it.
    assert '<script>alert("x")</script>' in render_markdown(card)


def test_export_writes_every_format_beside_each_other(tmp_path):
    transcript, card = scored(SAMPLES[0])
    folder = tmp_path / "exports" / "nested"
    paths = export(card, transcript, folder)
    stem = SAMPLES[0].stem
    assert paths == [folder / f"{stem}.scorecard.{ext}" for ext in ("md", "html", "json")]
    assert paths[0].read_text(encoding="utf-8") == render_markdown(card, transcript)
    assert paths[1].read_text(encoding="utf-8") == render_html(card, transcript)
    assert json.loads(paths[2].read_text(encoding="utf-8")) == card.to_json()
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)  # no temp files left
    assert FORMATS == ("md", "html", "json")


def test_export_takes_a_path_and_a_subset_and_refuses_unknown_formats(tmp_path):
    _, card = scored(SAMPLES[1])
    [html] = export(card, SAMPLES[1], tmp_path, formats=["html"])
    assert html == tmp_path / f"{SAMPLES[1].stem}.scorecard.html"
    assert "<h2>Transcript</h2>" in html.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="unknown export format.*'pdf'.*md, html, json"):
        export(card, SAMPLES[1], tmp_path, formats=("md", "pdf"))
    assert list(tmp_path.iterdir()) == [html]


def test_markdown_without_a_transcript_has_no_transcript_section():
    transcript, card = scored(SAMPLES[0])
    text = render_markdown(card)
    assert "## Transcript" not in text
    assert text.rstrip().endswith(f"- {card.notes[-1]}")


def test_cli_report_functions_delegate_to_the_exports():
    transcript, card = scored(FIXTURES / "scoring" / "coding" / "strong.txt")
    text = to_markdown(card)
    assert text == render_markdown(card)
    assert text.startswith("# Scorecard: coding") and "Evidence:" in text
    assert "\n- Offline heuristic scorer" in text and "scorer: `offline-heuristic`" in text
    assert to_json_text(card) == render_json(card)


def test_gates_show_time_per_gate_when_known():
    transcript, card = scored(REPO / "transcripts" / "samples" / "coding-kv-store.jsonl")
    timed = [g for g in card.gates if g.get("elapsed_s") is not None]
    assert timed
    text = render_markdown(card)
    for gate in timed:
        result = "passed" if gate["passed"] else "not passed"
        assert re.search(rf"- Gate {gate['gate']} [^\n]*: {result} \([^\n]*{gate['elapsed_s'] / 60:.1f} min", text)
    runs = [g for g in card.gates if g.get("runs")]
    assert runs and f"{runs[0]['runs']} check run" in text  # the sample runs the checks
    assert f"{timed[0]['elapsed_s'] / 60:.1f} min" in render_html(card)


def test_unknown_provenance_and_missing_level_signal_are_left_out():
    _, card = scored(FIXTURES / "scoring" / "system-design" / "strong.txt")
    dims = [dataclasses.replace(d, evidence=[Quote(q.turn, q.quote) for q in d.evidence], rationale="judged.")
            for d in card.dimensions]
    judged = dataclasses.replace(card, scorer="llm:test-model", level_signal=None, level_reason="", dimensions=dims)
    text = render_markdown(judged)
    assert "level signal" not in text and "(unprompted)" not in text and "(when asked)" not in text
    assert "scorer: `llm:test-model`" in text
    assert "Why: judged.\n" in text  # no doubled full stop
    quote = dims[0].evidence[0]
    assert f'- turn {quote.turn}: "{quote.quote}"' in text
    assert 'class="tag' not in render_html(judged) and "Level signal" not in render_html(judged)


def test_templates_fail_loudly_on_a_missing_variable():
    _, card = scored(FIXTURES / "scoring" / "behavioral" / "middling.txt")
    with pytest.raises(jinja2.UndefinedError, match="transcript"):
        environment("md").get_template("scorecard.md.j2").render(card=card)
    with pytest.raises(jinja2.UndefinedError, match="transcript"):
        environment("html").get_template("scorecard.html.j2").render(card=card)
    partial = types.SimpleNamespace(**{k: v for k, v in vars(card).items() if k != "scorer"})
    with pytest.raises(jinja2.UndefinedError, match="scorer"):
        render_markdown(partial)  # type: ignore[arg-type]
    with pytest.raises(jinja2.UndefinedError, match="scorer"):
        render_html(partial)  # type: ignore[arg-type]
    dim = types.SimpleNamespace(**{k: v for k, v in vars(card.dimensions[0]).items() if k != "great_example"})
    with pytest.raises(jinja2.UndefinedError, match="great_example"):
        render_markdown(dataclasses.replace(card, dimensions=[dim]))  # type: ignore[list-item]
    assert environment("html").autoescape is True and environment("md").autoescape is False


def test_templates_ship_inside_the_package():
    folder = REPO / "interviewer" / "reports" / "templates"
    assert {p.name for p in folder.iterdir()} >= {"scorecard.md.j2", "scorecard.html.j2"}
    assert environment("md").loader.list_templates() == environment("html").loader.list_templates()


# ------------------------------------------------------------------ the session index
UTC = timezone.utc
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def write_session(folder: Path, name: str, *, round: str = "coding", problem: str = "kv-store",
                  created: datetime | None = T0, answers: int = 2, end: str | None = "completed",
                  after: tuple[dict, ...] = ()) -> Path:
    """A session the way Session writes one: header, turns, events, then an end record."""
    path = folder / f"{name}.jsonl"
    header = {"type": "session", "v": 1, "session_id": name, "round": round, "problem": problem, "level": "L6",
              "rubric": {"id": round, "sha256": "0" * 64}, "brain": "offline", "settings": {"level": "L6"}}
    if created is not None:
        header["created"] = created.isoformat(timespec="seconds")
    with TranscriptWriter(path) as writer:
        writer.append(header)
        n = 0
        for i in range(answers):
            n += 1
            writer.append({"type": "turn", "n": n, "role": "interviewer", "text": f"Question {i}?", "t": n * 10.0,
                           "phase": "clarify", "move": {"kind": "question"}, "engine": {"phase_index": 0}})
            writer.append({"type": "event", "after_turn": n, "kind": "phase_started", "phase": "clarify"})
            n += 1
            writer.append({"type": "turn", "n": n, "role": "candidate", "text": f'Answer {i}, "role":"candidate"',
                           "t": n * 10.0, "phase": "clarify"})
        if end is not None:
            writer.append({"type": "end", "reason": end, "t": n * 10.0, "turns": n})
        for record in after:
            writer.append(record)
    return path


def test_list_sessions_reads_metadata_and_cached_scores(tmp_path):
    folder = tmp_path / "transcripts"
    folder.mkdir()
    copies = [Path(shutil.copy(p, folder)) for p in SAMPLES]
    transcript, card = scored(copies[1])
    saved = save_scorecard(copies[1], card)
    assert saved == scorecard_path(copies[1]) == folder / f"{copies[1].stem}.score.json"
    listed = {s.path: s for s in list_sessions(folder)}
    assert set(listed) == set(copies)
    for path in copies:
        summary, full = listed[path], load_transcript(path)
        assert isinstance(summary, SessionSummary)
        assert (summary.round, summary.problem, summary.level) == (full.round, full.problem, full.level)
        assert summary.session_id == "sample" and summary.brain == "offline"
        assert summary.created == datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
        assert summary.turns == len(full.turns) and summary.answers == len(full.candidate_turns())
        assert summary.ended_reason == "completed" and summary.completed
    scored_one = listed[copies[1]]
    assert scored_one.scorer == "offline-heuristic" and not scored_one.score_stale
    assert scored_one.overall_level == card.overall_level
    assert scored_one.overall_score == round(card.overall_score, 1)
    assert scored_one.dimension_scores == {d.id: round(d.score, 1) for d in card.dimensions}
    for path in (copies[0], copies[2]):
        assert listed[path].scorer is None and listed[path].overall_score is None
        assert listed[path].dimension_scores == {}


def test_save_scorecard_is_atomic_and_keeps_every_earlier_card(tmp_path):
    transcript_path = write_session(tmp_path, "s1")
    _, weak = scored(FIXTURES / "scoring" / "coding" / "weak.txt")
    _, strong = scored(FIXTURES / "scoring" / "coding" / "strong.txt")
    save_scorecard(transcript_path, weak, reason="end of session")
    path = save_scorecard(transcript_path, strong, reason="re-scored")
    latest = json.loads(path.read_text(encoding="utf-8"))
    assert {k: v for k, v in latest.items() if k not in ("saved_at", "reason")} == strong.to_json()
    assert latest["reason"] == "re-scored"
    # no temp file left; the history sits beside the session without looking like one
    beside = sorted(p.name for p in tmp_path.iterdir() if p.name != "cache")  # the cache folder is the test's own
    assert beside == ["s1.jsonl", "s1.score.json", "s1.scorecards.ndjson"]
    assert [c["reason"] for c in scorecard_history(transcript_path)] == ["end of session", "re-scored"]
    [session] = list_sessions(tmp_path)
    assert session.overall_score == round(strong.overall_score, 1)
    changes = what_changed(*scorecard_history(transcript_path))
    assert any(c.startswith("overall below bar -> ") or c.startswith("overall good -> ") for c in changes), changes
    assert scorecard_path("a/b/2026-x.jsonl") == Path("a/b/2026-x.score.json")


def test_scorecard_saved_before_a_resume_is_marked_stale(tmp_path):
    path = write_session(tmp_path, "s1", end="quit")
    _, card = scored(FIXTURES / "scoring" / "coding" / "middling.txt")
    saved = save_scorecard(path, card)
    os.utime(saved, ns=(10**18, 10**18))
    os.utime(path, ns=(10**18 + 10**9, 10**18 + 10**9))  # the transcript grew after it was scored
    [summary] = list_sessions(tmp_path)
    assert summary.scorer == "offline-heuristic" and summary.score_stale


def test_unreadable_files_are_skipped_with_a_warning(tmp_path, caplog):
    good = write_session(tmp_path, "good")
    (tmp_path / "binary.jsonl").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "garbage.jsonl").write_text("this is not json\n{also not\n")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "latin1.jsonl").write_bytes(b'{"type":"session","round":"caf\xe9"}\n')
    (tmp_path / "headless.jsonl").write_text('{"type":"turn","n":1,"role":"candidate","text":"hi"}\n')
    (tmp_path / "no-round.jsonl").write_text('{"type":"session","v":1}\n')
    (tmp_path / "array.jsonl").write_text("[1, 2, 3]\n")
    (tmp_path / "folder.jsonl").mkdir()  # not a file: ignored
    (tmp_path / "nested").mkdir()
    write_session(tmp_path / "nested", "deeper")  # not recursive
    (tmp_path / "notes.txt").write_text("Round: coding\nCandidate: hi\n")  # not a session file
    (tmp_path / "good.score.json").write_text("{ torn")  # a bad cache: listed unscored
    with caplog.at_level(logging.WARNING, logger=LOG):
        listed = list_sessions(tmp_path)
    assert [s.path for s in listed] == [good]
    assert listed[0].scorer is None and listed[0].dimension_scores == {}
    warned = {Path(r.getMessage().split(":", 1)[0]).name for r in caplog.records if r.name == LOG}
    assert warned == {"binary.jsonl", "garbage.jsonl", "empty.jsonl", "latin1.jsonl", "headless.jsonl",
                      "no-round.jsonl", "array.jsonl", "good.score.json"}
    assert any("binary data" in r.getMessage() for r in caplog.records)


def test_counts_match_the_reader_on_torn_and_hand_written_lines(tmp_path):
    path = write_session(tmp_path, "torn", end="quit", after=(
        {"type": "resumed", "at": "2026-03-01T10:00:00+00:00", "turns": 4},
    ))
    with open(path, "a", encoding="utf-8") as out:
        out.write('{"type": "turn", "n": 5, "role": "interviewer", "text": "spaced out"}\n')  # hand-written
        out.write('{"type":"turn","n":6,"role":"candidate","text":"no")\n')  # unreadable line, skipped
        out.write('{"type":"turn","n":6,"role":"candidate","text":"torn mid-wri')  # torn last line
    full = load_transcript(path)
    [summary] = list_sessions(tmp_path)
    assert (summary.turns, summary.answers) == (len(full.turns), len(full.candidate_turns())) == (5, 2)
    assert summary.ended_reason is None and not summary.completed  # resumed after its /quit


def test_newest_first_and_filtered_by_round(tmp_path):
    write_session(tmp_path, "a-oldest", created=T0)
    write_session(tmp_path, "z-middle", round="system-design", problem="streaming-chat", created=T0 + timedelta(days=1))
    write_session(tmp_path, "m-newest", created=T0 + timedelta(days=2))
    undated = write_session(tmp_path, "b-undated", created=None)  # ordered by its modification time
    stamp = (T0 + timedelta(hours=12)).timestamp()
    os.utime(undated, (stamp, stamp))
    assert [s.session_id for s in list_sessions(tmp_path)] == ["m-newest", "z-middle", "b-undated", "a-oldest"]
    assert [s.session_id for s in list_sessions(tmp_path, round="coding")] == ["m-newest", "b-undated", "a-oldest"]
    assert [s.session_id for s in list_sessions(tmp_path, round="system-design")] == ["z-middle"]
    assert list_sessions(tmp_path, round="behavioral") == []
    assert list_sessions(tmp_path / "never-created") == []


def test_interrupted_finds_sessions_that_can_be_resumed(tmp_path):
    write_session(tmp_path, "done", end="completed", created=T0)
    write_session(tmp_path, "crashed", end=None, created=T0 + timedelta(hours=1))
    write_session(tmp_path, "quit", end="quit", created=T0 + timedelta(hours=2))
    write_session(tmp_path, "resumed", end="quit", created=T0 + timedelta(hours=3), after=(
        {"type": "resumed", "at": "2026-03-01T13:00:00+00:00", "turns": 4},
    ))
    write_session(tmp_path, "resumed-then-done", end="quit", created=T0 + timedelta(hours=4), after=(
        {"type": "resumed", "at": "2026-03-01T14:00:00+00:00", "turns": 4},
        {"type": "end", "reason": "completed", "t": 90.0, "turns": 4},
    ))
    found = interrupted(tmp_path)
    assert [s.session_id for s in found] == ["resumed", "quit", "crashed"]
    assert [s.ended_reason for s in found] == [None, "quit", None]
    assert not any(s.completed for s in found)
    assert [s.session_id for s in interrupted(tmp_path, round="system-design")] == []


def test_dimension_history_is_chronological_per_dimension(tmp_path):
    folder = FIXTURES / "scoring" / "coding"
    cards = {name: scored(folder / f"{name}.txt")[1] for name in ("weak", "middling", "strong")}
    days = {"weak": T0, "middling": T0 + timedelta(days=3), "strong": T0 + timedelta(days=7)}
    for name, prefix in (("strong", "a"), ("weak", "z"), ("middling", "m")):  # file names out of time order
        save_scorecard(write_session(tmp_path, f"{prefix}-{name}", created=days[name]), cards[name])
    write_session(tmp_path, "unscored", created=T0 + timedelta(days=5))
    _, design = scored(FIXTURES / "scoring" / "system-design" / "strong.txt")
    other = write_session(tmp_path, "other-round", round="system-design", created=T0 + timedelta(days=1))
    save_scorecard(other, design)
    history = dimension_history(tmp_path, "coding")
    assert set(history) == {d.id for d in cards["weak"].dimensions}
    for dim_id, series in history.items():
        expected = [(days[n], round(next(d.score for d in cards[n].dimensions if d.id == dim_id), 1))
                    for n in ("weak", "middling", "strong")]
        assert series == expected
    assert [d for d, _ in history["problem_solving"]] == sorted(days.values())
    assert dimension_history(tmp_path, "behavioral") == {}
