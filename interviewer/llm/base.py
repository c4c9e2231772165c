"""The chat-model interface every caller uses, what a call reports, and a scripted stand-in
for tests. `stream(messages)` yields text; `complete(messages, schema)` returns a whole answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Protocol

from ..errors import InterviewerError
from .messages import Message, estimate_tokens

__all__ = ["CallStats", "ChatModel", "Message", "ModelUnavailable", "Restart", "ScriptedModel",
           "StructuredOutputUnsupported", "Usage", "estimate_prompt_tokens", "estimate_tokens", "stop_waiting",
           "take_findings", "watch_waits"]


class ModelUnavailable(InterviewerError):
    """The endpoint failed after every retry. `partials` holds the text of each attempt that was cut
    mid-reply, oldest first (`partial`: the last of them)."""

    title = "LLM unavailable"

    def __init__(self, message: str, partials: list[str] | None = None) -> None:
        super().__init__(message)
        self.partials = [p for p in partials or [] if p]

    @property
    def partial(self) -> str:
        return self.partials[-1] if self.partials else ""


class Restart(str):
    """Yielded by `stream` when a reply was cut and is being regenerated: what the consumer
    showed so far is replaced by what follows. As text it is empty; `.partial` holds what
    had streamed before the cut."""

    def __new__(cls, partial: str) -> "Restart":
        obj = super().__new__(cls, "")
        obj.partial = partial
        return obj


class StructuredOutputUnsupported(InterviewerError):
    title = "Structured output unsupported"


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reported: bool = False  # False when the server sent no usage and we estimated


@dataclass
class CallStats:
    """What one call cost and how it went, for the transcript."""

    usage: Usage = field(default_factory=Usage)
    first_token_s: float | None = None
    attempts: int = 0
    retried_for: list[str] = field(default_factory=list)
    finish_reason: str | None = None  # "length": the reply reached its max_tokens cap
    structured: str | None = None  # how structured output was asked for (see messages.STRUCTURED_MODES)


class ChatModel(Protocol):
    name: str
    last: CallStats

    def stream(self, messages: list[Message], **options: Any) -> Iterator[str]: ...

    def complete(self, messages: list[Message], schema: dict | None = None, **options: Any) -> str: ...


def estimate_prompt_tokens(messages: list[Message]) -> int:
    return estimate_tokens("".join(m["content"] for m in messages))


class ScriptedModel:
    """A fake for tests: replies come from a list (or a function of the messages)."""

    def __init__(self, replies: list[str] | Callable[[list[Message]], str], name: str = "scripted") -> None:
        self.replies = replies
        self.name = name
        self.calls: list[list[Message]] = []
        self.last = CallStats()

    def _next(self, messages: list[Message]) -> str:
        self.calls.append(messages)
        if callable(self.replies):
            return self.replies(messages)
        return self.replies.pop(0) if self.replies else "OK."

    def stream(self, messages: list[Message], **options: Any) -> Iterator[str]:
        text = self._next(messages)
        self.last = CallStats(Usage(estimate_prompt_tokens(messages), estimate_tokens(text)), 0.0, 1)
        for i in range(0, len(text), 8):
            yield text[i:i + 8]

    def complete(self, messages: list[Message], schema: dict | None = None, **options: Any) -> str:
        text = self._next(messages)
        self.last = CallStats(Usage(estimate_prompt_tokens(messages), estimate_tokens(text)), 0.0, 1,
                              structured="json_schema" if schema is not None else None)
        return text


def watch_waits(brain: Any, on_wait: Any) -> None:
    """Have the model behind an LLM brain report its waits (see `Waiting`); other brains have none."""
    model = getattr(brain, "model", None)
    if model is not None and hasattr(model, "on_wait"):
        model.on_wait = on_wait


def stop_waiting(brain: Any) -> None:
    """End at once any call the model behind an LLM brain is waiting on (the session is closing)."""
    cancel = getattr(getattr(brain, "model", None), "cancel", None)
    if cancel is not None:
        cancel()


def take_findings(brain: Any) -> list[str]:
    """What the model behind an LLM brain found out about its server since last asked (each said once)."""
    findings = getattr(getattr(brain, "model", None), "findings", None)
    if not findings:
        return []
    taken = list(findings)
    findings.clear()
    return taken
