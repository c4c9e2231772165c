"""A saved session's scorecard, as the session browser opens or re-scores it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from .scoring.scorecard import Scorecard
    from .services import Services
    from .transcript import Transcript


def session_scorecard(services: Services, path: Path, how: str) -> tuple[Scorecard, Transcript]:
    """The session's scorecard and transcript. `how`: "saved" (the scorecard kept with it, or an offline
    score when none is), "offline" or "llm" (the LLM judge); a new offline or LLM score is kept with it."""
    from .bounded_read import read_bounded
    from .scoring import score
    from .scoring.llm_judge import judge
    from .scoring.scorecard import Scorecard
    from .sessions import save_scorecard, scorecard_path
    from .transcript import load_transcript

    transcript = load_transcript(path)
    rubric = services.library.load(transcript.round).rubric
    cached = scorecard_path(path)
    if how == "saved" and cached.exists():
        card = Scorecard.from_json(json.loads(read_bounded(cached, 1 << 20)), rubric)
    elif how == "llm":
        card = judge(transcript, rubric, services.chat_model())
    else:
        card = score(transcript, rubric)
    if how != "saved":
        save_scorecard(path, card, reason="re-scored with the LLM judge" if how == "llm" else "re-scored")
    return card, transcript
