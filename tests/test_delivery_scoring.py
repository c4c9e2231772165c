"""The scorecard's delivery section: summed from spoken answers, shown in every format, and
never moving a technical level."""

from __future__ import annotations

import json

from conftest import REPO

from interviewer.reports.export import render_html, render_markdown
from interviewer.rubric import RubricLibrary
from interviewer.scoring import score
from interviewer.scoring.scorecard import Scorecard
from interviewer.transcript import load_transcript

SAMPLE = REPO / "transcripts" / "samples" / "system-design-streaming-chat.jsonl"


def spoken_copy(tmp_path, fillers: int, wpm: float, interviewer_spoke: bool = False):
    """The sample session as if every answer had been spoken with this delivery (and, with
    `interviewer_spoke`, every reply said aloud, the second one cut short by the candidate)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        out.append(line)
        record = json.loads(line)
        if interviewer_spoke and record.get("type") == "turn" and record["role"] == "interviewer":
            how = "barge-in" if record["n"] == 3 else "ended"
            if how == "barge-in":  # heard 2.5 s into the reply, which then stopped
                out.append(json.dumps({"type": "event", "after_turn": record["n"], "kind": "barge_in",
                                       "t": record["t"] + 2.8, "how": "voice"}))
            out.append(json.dumps({"type": "event", "after_turn": record["n"], "kind": "interviewer_speech",
                                   "started_t": record["t"] + 0.3, "ended_t": record["t"] + 6.3, "spoken_s": 6.0,
                                   "how": how, "first_audio_s": 0.4}))
        if record.get("type") == "turn" and record["role"] == "candidate":
            words = len(record["text"].split())
            out.append(json.dumps({"type": "event", "after_turn": record["n"], "kind": "delivery", "turn": record["n"],
                                   "words": words, "duration_s": words / wpm * 60 + 1, "speaking_s": words / wpm * 60,
                                   "words_per_minute": wpm, "fillers": {"um": fillers} if fillers else {},
                                   "filler_count": fillers, "fillers_per_100_words": round(100 * fillers / words, 1),
                                   "long_pauses": 1, "longest_pause_s": 2.6, "time_to_first_word_s": 1.5,
                                   "speech_model": "tiny.en on cpu/int8", "refined": True,
                                   "after_speech": interviewer_spoke and record["n"] != 4}))
    path = tmp_path / f"spoken-{fillers}-{wpm}.jsonl"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return load_transcript(path)


def test_delivery_is_summed_shown_and_never_moves_a_level(tmp_path):
    rubric = RubricLibrary().load("system-design").rubric
    typed = score(load_transcript(SAMPLE), rubric)
    fluent = score(spoken_copy(tmp_path, fillers=0, wpm=150), rubric)
    halting = score(spoken_copy(tmp_path, fillers=6, wpm=70), rubric)
    assert typed.delivery == {}
    levels = [[(d.id, d.level, d.score) for d in card.dimensions] for card in (typed, fluent, halting)]
    assert levels[0] == levels[1] == levels[2]
    assert typed.overall_score == fluent.overall_score == halting.overall_score

    answers = len(load_transcript(SAMPLE).candidate_turns())
    assert halting.delivery["answers"] == answers
    assert halting.delivery["filler_count"] == 6 * answers and halting.delivery["fillers"] == {"um": 6 * answers}
    assert halting.delivery["words_per_minute"] == 70.0
    assert halting.delivery["median_time_to_first_word_s"] == 1.5

    markdown = render_markdown(halting)
    assert "## Delivery" in markdown and "70 words a minute" in markdown and "does not change them" in markdown
    assert "Transcribed on this machine by tiny.en on cpu/int8." in markdown
    assert "<h2>Delivery</h2>" in render_html(halting)
    assert "## Delivery" not in render_markdown(typed)
    # The delivery section survives saving and reopening a scorecard.
    assert Scorecard.from_json(halting.to_json(), rubric).delivery_lines() == halting.delivery_lines()


def test_the_interviewers_speech_and_the_gap_after_it_are_in_the_delivery_section(tmp_path):
    rubric = RubricLibrary().load("system-design").rubric
    transcript = spoken_copy(tmp_path, fillers=1, wpm=140, interviewer_spoke=True)
    card = score(transcript, rubric)
    heard = card.delivery["interviewer_speech"]
    replies = len([t for t in transcript.turns if t.role == "interviewer"])
    assert heard["replies"] == replies and heard["barge_ins"] == 1 and heard["muted"] == 0
    assert heard["spoken_s"] == 6.0 * replies and heard["median_first_audio_s"] == 0.4
    assert heard["timeline"][0]["how"] == "ended" and heard["timeline"][0]["started_t"] is not None
    assert card.delivery["median_time_to_first_word_after_speech_s"] == 1.5
    # The cut-in is placed in the reply that was playing, and the card says how it came.
    [cut] = heard["cut_ins"]
    assert cut["how"] == "voice" and cut["into_reply_s"] == 2.5
    assert any("you cut in 1 time (by talking over it, 2.5 s into the reply)." in line
               for line in card.delivery_lines())
    assert Scorecard.from_json(card.to_json(), rubric).delivery_lines() == card.delivery_lines()
    assert [a["after_speech"] for a in card.delivery["per_answer"]][:2] == [True, False]
    markdown = render_markdown(card)
    assert "you cut in 1 time (by talking over it" in markdown
    assert "Time to first word after the interviewer stopped speaking: 1.5 s (median)." in markdown
    assert "cut in" not in render_markdown(score(spoken_copy(tmp_path, fillers=1, wpm=140), rubric))
