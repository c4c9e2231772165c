"""The scorecard's delivery section: how spoken answers were said, summed over the session.

Pace, fillers and pauses are reported beside the technical levels and never feed them: a
clear thinker who says "um" is not a weaker engineer, and a fluent talker is not a stronger one.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from ..transcript import Transcript


def delivery_section(transcript: Transcript) -> dict[str, Any]:
    """The summary of every spoken answer's `delivery` event; empty when none was spoken."""
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
                              "time_to_first_word_s": e.get("time_to_first_word_s")} for e in recorded]
    return summary
