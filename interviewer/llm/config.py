"""LLM endpoint configuration. The API key lives only here: it is never part of
`public()`, never printed, and never written to a transcript, log or export."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

# USD per million tokens (input, output). Local servers cost nothing; hosted models are
# priced from the settings file's [prices] table, because list prices change.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


@dataclass
class LLMConfig:
    model: str = "gpt-4o-mini"
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout_s: float = 60.0
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0  # longest wait for the next bytes: the first token, or any gap between tokens
    max_attempts: int = 3
    backoff_base_s: float = 0.5
    backoff_max_s: float = 8.0
    context_budget_tokens: int = 1800  # summary plus recent turns; the system prompt comes on top
    prices: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        """An LLM is used only when the user pointed at one: a key or an endpoint."""
        return bool(self.api_key or self.base_url)

    @property
    def local(self) -> bool:
        return bool(self.base_url) and (urlparse(self.base_url).hostname or "") in LOCAL_HOSTS

    def price(self) -> tuple[float, float] | None:
        if self.model in self.prices:
            return self.prices[self.model]
        return (0.0, 0.0) if self.local else None

    def estimate_cost(self, prompt_tokens: int, completion_tokens: int) -> float | None:
        price = self.price()
        if price is None:
            return None
        return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000

    def public(self) -> dict[str, Any]:
        return {"model": self.model, "base_url": self.base_url or "default", "timeout_s": self.timeout_s,
                "max_attempts": self.max_attempts, "context_budget_tokens": self.context_budget_tokens}

    def describe(self) -> str:
        where = self.base_url or "the OpenAI API"
        return f"LLM interviewer {self.model} at {where}"


def llm_config(model: str | None = None, base_url: str | None = None, file_values: dict[str, Any] | None = None) -> LLMConfig:
    """Flags beat the environment, which beats the settings file."""
    values = dict(file_values or {})
    config = LLMConfig()
    for name in ("timeout_s", "connect_timeout_s", "read_timeout_s", "backoff_base_s", "backoff_max_s"):
        if name in values:
            setattr(config, name, float(values[name]))
    for name in ("max_attempts", "context_budget_tokens"):
        if name in values:
            setattr(config, name, int(values[name]))
    config.prices = {k: (float(v[0]), float(v[1])) for k, v in (values.get("prices") or {}).items()}
    config.model = model or os.environ.get("INTERVIEWER_MODEL") or values.get("model") or config.model
    config.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or values.get("base_url") or None
    config.api_key = os.environ.get("OPENAI_API_KEY") or values.get("api_key") or None
    return config
