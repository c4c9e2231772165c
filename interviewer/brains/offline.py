"""The offline interviewer: phrases engine moves from the rubric with no model and no
network. Wording follows from the move alone (what the candidate asked, what the engine
presses or challenges, what it heard), never from chance, and it never praises."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # annotations only: building the services need not load the engine
    from ..engine.state import Move
    from .base import Conversation


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
        ).strip()
