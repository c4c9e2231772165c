"""The offline interviewer: phrases engine moves from the rubric with no model and no
network. Wording is chosen from what the last answer showed, never at random."""

from __future__ import annotations

from typing import Iterator

from ..engine.state import Move
from .base import Conversation

# Said when the last answer raised something the interviewer was going to ask about.
_ACK_FOR_SIGNAL = {
    "failure_modes": "Good that you're already thinking about what fails.",
    "scale": "Noted how you expect this to grow.",
    "tradeoffs": "That tradeoff is clear.",
    "numbers": "Those numbers help.",
    "testing": "Good call on testing that.",
    "complexity": "OK, the cost of each operation is clear.",
    "clarifying": "Fair questions.",
}
_NEUTRAL = ("OK.", "Got it.", "Makes sense.", "Alright.", "Understood.")


class OfflineBrain:
    name = "offline"

    def __init__(self) -> None:
        self.stats: dict = {}

    def respond(self, move: Move, conversation: Conversation) -> Iterator[str]:
        from ..templates import render  # Jinja2 loads with the first reply, not at start-up

        yield render(
            "offline/move.j2",
            move=move,
            turn=conversation.interviewer_turn,
            problem=conversation.problem,
            rubric=conversation.rubric,
            ack=self._acknowledge(move, conversation),
        ).strip()

    @staticmethod
    def _acknowledge(move: Move, conversation: Conversation) -> str:
        if move.kind in ("opening", "hint", "closing", "press") or conversation.last_answer is None:
            return ""
        for signal in ("failure_modes", "scale", "tradeoffs", "numbers", "testing", "complexity", "clarifying"):
            if signal in move.acknowledge and signal != move.signal:
                return _ACK_FOR_SIGNAL[signal]
        return _NEUTRAL[conversation.interviewer_turn % len(_NEUTRAL)]
