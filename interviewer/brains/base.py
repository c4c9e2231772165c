"""The brain interface: something that phrases the engine's moves.

A brain never decides what happens next; the round engine does. Replies are streamed as
an iterator of text chunks so a UI can show them as they arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Protocol

if TYPE_CHECKING:  # annotations only: the app's first frame need not load the engine's state classes
    from ..engine.state import Move
    from ..rubric.schema import Problem, Rubric


@dataclass(frozen=True)
class Conversation:
    """What a brain may see when phrasing a move."""

    rubric: Rubric
    problem: Problem
    level: str
    interviewer_turn: int  # how many interviewer turns came before this one, plus one
    last_answer: str | None
    history: tuple[tuple[str, str], ...] = ()  # (role, text) of every turn so far
    uncovered: tuple[str, ...] = ()  # signals the current phase expects and has not seen
    covered: tuple[str, ...] = ()  # topics the candidate has already covered, as the interviewer names them
    phase_left_min: float = 0.0
    round_left_min: float = 0.0


class Brain(Protocol):
    name: str
    stats: dict  # what the last reply cost and how it went (empty for the offline brain)

    def respond(self, move: Move, conversation: Conversation) -> Iterator[str]:
        """Yield the interviewer's words for `move`, in chunks."""
        ...
