"""The scorecard's delivery section: how spoken answers were said, summed over the session.

Pace, fillers and pauses are reported beside the technical levels and never feed them: a
clear thinker who says "um" is not a weaker engineer, and a fluent talker is not a stronger one.
"""

from __future__ import annotations

import statistics
from dataclasses import fields
from typing import Any

from ..transcript import Transcript


def delivery_section(transcript: Transcript) -> dict[str, Any]:
    """The summary of every spoken answer's `delivery` event, with how the interviewer's speech
    went; empty when no answer was spoken."""
    recorded = [e for e in transcript.events if e.get("kind") == "delivery"]
    if not recorded:
        return {}
    from ..voice.metrics import DeliveryMetrics, summarize

    known = {f.name for f in fields(DeliveryMetrics)}
    answers = [DeliveryMetrics(**{k: v for k, v in event.items() if k in known}) for event in recorded]
    summary = summarize(answers).to_dict()
    models = sorted({e["speech_model"] for e in recorded if e.get("speech_model")})
    if models:
        summary["speech_models"] = models  # filler and pace figures are only as good as the recogniser
    summary["per_answer"] = [{"turn": e.get("turn"), "words_per_minute": e.get("words_per_minute"),
                              "filler_count": e.get("filler_count"), "long_pauses": e.get("long_pauses"),
                              "time_to_first_word_s": e.get("time_to_first_word_s"),
                              "after_speech": bool(e.get("after_speech"))} for e in recorded]
    # Measured from the end of the interviewer's speech, the gap is the candidate's own thinking
    # time; measured from the text appearing, it also holds the time spent listening.
    after_speech = [e["time_to_first_word_s"] for e in recorded
                    if e.get("after_speech") and e.get("time_to_first_word_s") is not None]
    if after_speech:
        summary["median_time_to_first_word_after_speech_s"] = round(statistics.median(after_speech), 3)
    spoken = [e for e in transcript.events if e.get("kind") == "interviewer_speech"]
    if spoken:
        firsts = [e["first_audio_s"] for e in spoken if e.get("first_audio_s") is not None]
        summary["interviewer_speech"] = {
            "replies": len(spoken), "spoken_s": round(sum(float(e.get("spoken_s") or 0) for e in spoken), 1),
            "barge_ins": sum(e.get("how") == "barge-in" for e in spoken),
            "muted": sum(e.get("how") == "muted" for e in spoken),
            **({"median_first_audio_s": round(statistics.median(firsts), 3)} if firsts else {}),
            "timeline": [{k: e.get(k) for k in ("after_turn", "started_t", "ended_t", "how")} for e in spoken]}
        cuts = _cut_ins(transcript.events, spoken)
        if cuts:
            summary["interviewer_speech"]["cut_ins"] = cuts
    return summary


def _cut_ins(events: list[dict[str, Any]], spoken: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each `barge_in` event with how it came (`voice`: heard talking over the interviewer; `key`: F8)
    and how far into the reply it was playing. A candidate who always cuts in a second into every
    reply is not hearing the question out; one who cuts in late, to correct a misheard point, is."""
    cuts = []
    for event in events:
        if event.get("kind") != "barge_in" or event.get("t") is None:
            continue
        t = float(event["t"])
        # The reply that was playing: the last one to start at or before the cut.
        playing = [s for s in spoken if s.get("started_t") is not None and float(s["started_t"]) <= t]
        into = round(t - float(playing[-1]["started_t"]), 2) if playing else None
        cuts.append({"t": t, "how": event.get("how"), "into_reply_s": into})
    return cuts
