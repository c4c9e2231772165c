"""LLM endpoint configuration. The API key lives only here: it is never part of
`public()`, never printed, and never written to a transcript, log or export; it and any
credentials in the endpoint URL are registered with `interviewer.redaction` as they are read,
so they are masked wherever else they might turn up."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..errors import InterviewerError
from ..redaction import redact_url, register, url_secrets

# USD per million tokens (input, output). Local servers cost nothing; hosted models are
# priced from the settings file's [prices] table, because list prices change.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")
URL_EXAMPLE = "http://localhost:11434/v1"


class LLMSettingsError(InterviewerError):
    title = "LLM settings error"


# [llm] fields that are numbers: (whole numbers only, lowest, highest, what it is).
_NUMBERS: dict[str, tuple[bool, float, float]] = {
    "timeout_s": (False, 0.1, 3600), "connect_timeout_s": (False, 0.1, 600), "read_timeout_s": (False, 0.1, 3600),
    "backoff_base_s": (False, 0.0, 600), "backoff_max_s": (False, 0.0, 3600),
    "max_attempts": (True, 1, 20), "context_budget_tokens": (True, 100, 2_000_000),
    "reply_max_tokens": (True, 16, 32_000), "judge_max_tokens": (True, 256, 64_000),
    "judge_timeout_s": (False, 1, 7200), "context_window_tokens": (True, 1024, 2_000_000),
}
_FLAGS = ("fold_system",)
_TEXTS = ("model", "base_url", "api_key")
LLM_FIELDS = (*_TEXTS, *_NUMBERS, *_FLAGS, "prices")
# Fields a variable can set, for one run or one machine, over the settings file.
ENV = {"reply_max_tokens": "INTERVIEWER_LLM_REPLY_MAX_TOKENS", "judge_max_tokens": "INTERVIEWER_LLM_JUDGE_MAX_TOKENS",
       "judge_timeout_s": "INTERVIEWER_LLM_JUDGE_TIMEOUT_S", "context_window_tokens": "INTERVIEWER_LLM_CONTEXT_WINDOW",
       "context_budget_tokens": "INTERVIEWER_LLM_CONTEXT_BUDGET", "fold_system": "INTERVIEWER_LLM_FOLD_SYSTEM"}


@dataclass
class LLMConfig:
    model: str = "gpt-4o-mini"
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout_s: float = 60.0  # one call, every attempt and wait included
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0  # longest wait for the next bytes: the first token, or any gap between tokens
    max_attempts: int = 3
    backoff_base_s: float = 0.5
    backoff_max_s: float = 8.0
    context_budget_tokens: int = 1800  # summary plus recent turns; the system prompt comes on top
    # A spoken interviewer reply is a few sentences (and the private notes after it); a model that
    # runs on past this is stopped by the server, not left to fill its context.
    reply_max_tokens: int = 400
    judge_max_tokens: int = 2000  # the scorecard's JSON: a rationale and a few quotes per dimension
    judge_timeout_s: float = 300.0  # the whole scorecard, every attempt included; streamed, so read_timeout_s bounds silence
    context_window_tokens: int = 8192  # what the judge's request (prompt and reply) must fit in
    # For chat templates that drop system messages: send them inside user turns. None ("auto"): measure it
    # once per session against the server (see `system_probe`); True or False: as set.
    fold_system: bool | None = None
    prices: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        """An LLM is used only when the user pointed at one: a key or an endpoint."""
        return bool(self.api_key or self.base_url)

    @property
    def local(self) -> bool:
        return bool(self.base_url) and (urlsplit(self.base_url).hostname or "") in LOCAL_HOSTS

    def price(self) -> tuple[float, float] | None:
        if self.model in self.prices:
            return self.prices[self.model]
        return (0.0, 0.0) if self.local else None

    def estimate_cost(self, prompt_tokens: int, completion_tokens: int) -> float | None:
        price = self.price()
        if price is None:
            return None
        return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000

    @property
    def shown_url(self) -> str | None:
        """The endpoint as it may be shown or saved: credentials in it masked."""
        return redact_url(self.base_url)

    def public(self) -> dict[str, Any]:
        return {"model": self.model, "base_url": self.shown_url or "default", "timeout_s": self.timeout_s,
                "max_attempts": self.max_attempts, "context_budget_tokens": self.context_budget_tokens,
                "reply_max_tokens": self.reply_max_tokens, "judge_max_tokens": self.judge_max_tokens,
                "context_window_tokens": self.context_window_tokens,
                **({"fold_system": self.fold_system} if self.fold_system is not None else {})}

    def describe(self) -> str:
        where = self.shown_url or "the OpenAI API"
        return f"LLM interviewer {self.model} at {where}"


def check_llm_table(table: Any, source: str) -> dict[str, Any]:
    """The [llm] table of the settings, checked field by field; errors name `source` and the field."""
    if not isinstance(table, dict):
        raise LLMSettingsError(f"{source}: field llm must be a table ([llm]); got {table!r}")
    unknown = sorted(set(table) - set(LLM_FIELDS))
    if unknown:
        raise LLMSettingsError(f"{source}: unknown field llm.{unknown[0]}; known fields: {', '.join(LLM_FIELDS)}")
    clean: dict[str, Any] = {}
    for name, value in table.items():
        where = f"{source}: field llm.{name}"
        if name in _NUMBERS:
            clean[name] = _number(value, where, *_NUMBERS[name])
        elif name in _FLAGS:
            clean[name] = _flag(value, where)
        elif name == "prices":
            clean[name] = _prices(value, where)
        elif not isinstance(value, str) or not value.strip():
            raise LLMSettingsError(f"{where} must be a non-empty string; got {value!r}")
        elif name == "base_url":
            clean[name] = check_base_url(value, where)
        else:
            clean[name] = value.strip()
    return clean


def _number(value: Any, where: str, whole: bool, low: float, high: float) -> float | int:
    kind = "a whole number" if whole else "a number of seconds"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or (whole and value != int(value)) or not low <= value <= high:
        raise LLMSettingsError(f"{where} is {value!r}; use {kind} from {low:g} to {high:g}")
    return int(value) if whole else float(value)


def _flag(value: Any, where: str) -> bool | None:
    """true, false, or "auto" (None: the product finds out for itself)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on", "0", "false", "no", "off", "auto"):
        return None if text == "auto" else text in ("1", "true", "yes", "on")
    raise LLMSettingsError(f"{where} is {value!r}; use true, false or auto")


def _prices(value: Any, where: str) -> dict[str, tuple[float, float]]:
    shape = 'a table like prices = { "gpt-4o-mini" = [0.15, 0.60] } (USD per million input, output tokens)'
    if not isinstance(value, dict):
        raise LLMSettingsError(f"{where} is {value!r}; use {shape}")
    prices = {}
    for model, pair in value.items():
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2
                and all(not isinstance(p, bool) and isinstance(p, (int, float)) and math.isfinite(p) and p >= 0
                        for p in pair)):
            raise LLMSettingsError(f"{where}.{model} is {pair!r}; use {shape}")
        prices[str(model)] = (float(pair[0]), float(pair[1]))
    return prices


def check_base_url(value: str, where: str) -> str:
    """An http(s) URL with a host, or a one-line error naming `where` and an example."""
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as exc:
        raise LLMSettingsError(f"{where}: {redact_url_safely(value)!r} is not a valid URL ({exc}); "
                               f"use e.g. {URL_EXAMPLE}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LLMSettingsError(f"{where}: {redact_url_safely(value)!r} is not an http(s) URL with a host; "
                               f"use e.g. {URL_EXAMPLE}")
    return value.strip()


def redact_url_safely(value: str) -> str:
    """A URL that failed to parse may still hold credentials: mask them before quoting it."""
    register(*url_secrets(value))
    return redact_url(value) or ""


def llm_config(model: str | None = None, base_url: str | None = None, file_values: dict[str, Any] | None = None,
               file_source: str = "settings") -> LLMConfig:
    """Flags beat the environment, which beats the settings file (already checked by
    `check_llm_table`). Errors name the flag or variable the bad value came from."""
    values = dict(file_values or {})
    for name, env in ENV.items():
        if os.environ.get(env, "").strip():
            raw = os.environ[env].strip()
            values[name] = _flag(raw, env) if name in _FLAGS else _number(_parse_number(raw), env, *_NUMBERS[name])
    config = LLMConfig()
    for name in (*_NUMBERS, *_FLAGS):
        if name in values:
            setattr(config, name, values[name])
    config.prices = dict(values.get("prices") or {})
    config.model = _text(model, "--model") or _text(os.environ.get("INTERVIEWER_MODEL"), "INTERVIEWER_MODEL") \
        or values.get("model") or config.model
    for value, where in ((base_url, "--base-url"), (os.environ.get("OPENAI_BASE_URL"), "OPENAI_BASE_URL"),
                         (values.get("base_url"), f"{file_source}: field llm.base_url")):
        if value:
            config.base_url = check_base_url(value, where)
            break
    config.api_key = os.environ.get("OPENAI_API_KEY") or values.get("api_key") or None
    register(config.api_key, *url_secrets(config.base_url))
    return config


def _parse_number(raw: str) -> float | str:
    try:
        return float(raw)
    except ValueError:
        return raw  # refused by _number with the variable's name


def _text(value: str | None, where: str) -> str | None:
    if value is None or not value.strip():
        return None
    if any(ord(c) < 32 for c in value):
        raise LLMSettingsError(f"{where}: {value!r} has control characters; use the model's plain name")
    return value.strip()
