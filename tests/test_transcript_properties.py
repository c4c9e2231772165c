"""A crash can cut the file at any byte: loading never fails and never loses a whole turn."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewer.transcript import TranscriptWriter, load_transcript

SAMPLE = (REPO / "transcripts" / "samples" / "system-design-streaming-chat.jsonl").read_bytes()
HEADER_END = SAMPLE.index(b"\n") + 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=HEADER_END, max_value=len(SAMPLE)))
def test_any_cut_loads_and_keeps_every_complete_turn(tmp_path, cut):
    path = tmp_path / f"cut-{cut}.jsonl"
    path.write_bytes(SAMPLE[:cut])
    transcript = load_transcript(path)
    records, torn = [], False
    for line in SAMPLE[:cut].splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            torn = True  # only the last, unterminated line can be cut mid-record
    expected = [r for r in records if r["type"] == "turn"]
    assert [t.text for t in transcript.turns] == [r["text"] for r in expected]
    assert bool(transcript.warnings) == torn

    # Writing after the cut keeps the file readable and the new record whole.
    writer = TranscriptWriter(path)
    writer.append({"type": "turn", "n": 999, "role": "candidate", "text": "after the crash"})
    writer.close()
    again = load_transcript(Path(path))
    assert again.turns[-1].text == "after the crash"
    assert [t.text for t in again.turns[:-1]] == [r["text"] for r in expected]
