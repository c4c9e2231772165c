"""Does the server's chat template keep system messages? Measured, not guessed.

Some templates drop every system message: Gemma's in llama-cpp-python 0.3.36 (`--chat_format gemma`)
does, so the model never sees the persona or the engine's move and at times answers as the candidate.
The prompt a server builds cannot be seen, but its size can: the same short user turn is sent twice for
one token each, once after a system message, and the server's `usage.prompt_tokens` must grow by most
of that message's length. Not streamed: llama-cpp-python reports usage only then.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .messages import estimate_tokens

SYSTEM = ("You are a technical interviewer running a mock system design interview. Ask one clear question at "
          "a time, keep each reply to a few spoken sentences, never answer for the candidate, and follow the "
          "instruction you are given for the current step of the interview exactly as written.")
USER = "Say hello."


@dataclass(frozen=True)
class SystemCount:
    """Prompt tokens the server counted for the user turn alone, and with the system message before it."""

    without: int
    with_system: int

    @property
    def added(self) -> int:
        return self.with_system - self.without

    @property
    def dropped(self) -> bool:
        """The system message added less than half of what its text alone must take: the template left it out."""
        return self.added < estimate_tokens(SYSTEM) // 2

    def describe(self) -> str:
        return (f"a {estimate_tokens(SYSTEM)}-token system message added {self.added} prompt tokens "
                f"({self.without} without it, {self.with_system} with it)")


def count_system(create: Callable[..., Any], model: str, cap_field: str, timeout: Any) -> SystemCount | None:
    """Two one-token requests through `create` (the client's `chat.completions.create`); None when the
    server reports no prompt tokens, so nothing can be told. Errors are the caller's to classify."""
    counts = []
    for messages in ([{"role": "user", "content": USER}],
                     [{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER}]):
        response = create(model=model, messages=messages, stream=False, temperature=0, timeout=timeout,
                          **{cap_field: 1})
        tokens = getattr(getattr(response, "usage", None), "prompt_tokens", None)
        if not isinstance(tokens, int) or isinstance(tokens, bool) or tokens <= 0:
            return None
        counts.append(tokens)
    return SystemCount(*counts)
