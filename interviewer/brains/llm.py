"""The LLM interviewer: phrases the engine's moves through a chat model, streaming.

The engine still decides every move; the model gets the move as an instruction. Private
notes the model writes for the scorer (<notes>...</notes>) are held back from the stream
and kept in the transcript for the judge.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..engine.state import Move
from ..llm.context import ContextWindow
from ..llm.model import ChatModel, Restart
from ..templates import render
from .base import Conversation

OPEN, CLOSE = "<notes>", "</notes>"
_NOTES = re.compile(r"<notes>(.*?)(?:</notes>|$)", re.S)


class LLMBrain:
    def __init__(self, model: ChatModel, budget_tokens: int = 3000) -> None:
        self.model = model
        self.name = f"llm:{model.name}"
        self.window = ContextWindow(budget_tokens=budget_tokens)
        self._system: str | None = None
        self.stats: dict = {}

    def system_prompt(self, conversation: Conversation) -> str:
        if self._system is None:
            from ..understanding.knowledge import knowledge_for

            self._system = render(f"llm/system_{conversation.rubric.family}.j2", rubric=conversation.rubric,
                                  problem=conversation.problem, level=conversation.level,
                                  knowledge=knowledge_for(conversation.rubric, conversation.problem)).strip()
        return self._system

    def messages(self, move: Move, conversation: Conversation) -> list[dict[str, str]]:
        instruction = render(
            "llm/move.j2", move=move, rubric=conversation.rubric, uncovered=list(conversation.uncovered),
            covered=list(conversation.covered),
            phase_left_min=max(0, round(conversation.phase_left_min)),
            round_left_min=max(0, round(conversation.round_left_min)),
            gate_total=len(conversation.problem.gates),
        ).strip()
        # The candidate's own words the move refers to travel as data in a user turn, never in the instruction.
        quotes = {name: text for name, text in (("noted", move.noted), ("pressed", move.quote)) if text}
        return self.window.messages(self.system_prompt(conversation), list(conversation.history), instruction,
                                    quotes)

    def respond(self, move: Move, conversation: Conversation) -> Iterator[str]:
        messages = self.messages(move, conversation)
        raw: list[str] = []
        shown = 0  # characters of `raw` already handed to the consumer
        partials: list[str] = []
        for chunk in self.model.stream(messages, temperature=0.7):
            if isinstance(chunk, Restart):
                partials.append(chunk.partial)
                raw, shown = [], 0
                yield chunk
                continue
            raw.append(chunk)
            text = "".join(raw)
            visible = _visible_prefix(text)
            if visible > shown:
                yield text[shown:visible]
                shown = visible
        text = "".join(raw)
        notes = " ".join(m.strip() for m in _NOTES.findall(text) if m.strip())
        reply = text[: text.find(OPEN)] if OPEN in text else text
        if len(reply.rstrip()) > shown:
            yield reply.rstrip()[shown:]
        last = self.model.last
        self.stats = {
            "first_token_ms": None if last.first_token_s is None else round(last.first_token_s * 1000, 1),
            "prompt_tokens": last.usage.prompt_tokens,
            "completion_tokens": last.usage.completion_tokens,
            "usage_reported": last.usage.reported,
            "attempts": last.attempts,
            **({"retried_for": last.retried_for} if last.retried_for else {}),
            # The reply stopped at llm.reply_max_tokens: kept as it is, and marked so a reader knows why it ends there.
            **({"finish_reason": "length"} if last.finish_reason == "length" else {}),
            **({"partials": partials} if partials else {}),
            **({"notes": notes} if notes else {}),
        }


def _visible_prefix(text: str) -> int:
    """How much of the streamed text is safe to show: everything before <notes>, holding
    back a tail that might be the start of the tag."""
    at = text.find(OPEN)
    if at >= 0:
        return at
    for keep in range(len(OPEN) - 1, 0, -1):
        if text.endswith(OPEN[:keep]):
            return len(text) - keep
    return len(text)
