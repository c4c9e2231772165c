"""What a server's refusal means, read from its status, error code and message.

Servers word refusals differently: OpenAI answers 400 with a `code`; llama-cpp-python answers
a request it cannot parse with a 500 that quotes the offending field; llama.cpp's own server
and vLLM put the context size in the message. The product needs three answers from them: is this
the server declining a `response_format` it does not support (then ask in a simpler way, not
again), is it a prompt longer than the model's context (then say which settings to change), or
neither (then the status alone says what to fix). The server's own message is never shown: a
401 body can echo part of the key.
"""

from __future__ import annotations

import re
from typing import Any

# How servers say the prompt did not fit: OpenAI and llama-cpp-python send the code; llama.cpp's
# server says "exceeds the available context size", vLLM "maximum context length".
_CONTEXT = re.compile(r"context_length_exceeded|exceed_context_size|maximum context length|context (?:size|window|"
                      r"length)|too many tokens|prompt is too long|input is too long", re.I)
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,60}$")


def _text(exc: Any) -> str:
    """The error's message and body as one lower-case string, for matching only."""
    body = getattr(exc, "body", None)
    return f"{getattr(exc, 'message', '')} {body!r}".lower()


def status(exc: Any) -> int | None:
    value = getattr(exc, "status_code", None)
    return value if isinstance(value, int) else None


def server_code(exc: Any) -> str | None:
    """The error's short code (`context_length_exceeded`), when the server sent one that reads as a code."""
    body = getattr(exc, "body", None)
    for value in (getattr(exc, "code", None), body.get("code") if isinstance(body, dict) else None,
                  body.get("type") if isinstance(body, dict) else None):
        if isinstance(value, str) and _CODE.match(value):
            return value
    return None


def declines_response_format(exc: Any) -> bool:
    """A 400, 422 or 5xx that names `response_format` (or the json_schema type): the server cannot
    give this kind of structured output; asking again the same way only fails again."""
    code = status(exc)
    if code is None or not (code in (400, 422) or code >= 500):
        return False
    text = _text(exc)
    return "response_format" in text or "json_schema" in text


def context_too_long(exc: Any) -> bool:
    code = status(exc)
    return code is not None and code in (400, 413, 422) and bool(_CONTEXT.search(_text(exc)))


def declines_max_tokens(exc: Any) -> bool:
    """OpenAI's newer models refuse `max_tokens` and ask for `max_completion_tokens` instead."""
    return status(exc) == 400 and "max_completion_tokens" in _text(exc)


# What to lower when a request did not fit, by the call that sent it.
FITS = {"reply": "lower llm.context_budget_tokens or llm.reply_max_tokens",
        "judge": "set llm.context_window_tokens to the server's context size"}


def refusal_fix(exc: Any, call: str = "reply") -> str | None:
    """What to change, for an error a retry cannot fix; None for one that is not an HTTP refusal.
    `call` ("reply" or "judge") picks the settings a context-length refusal points at."""
    code = status(exc)
    if code is None:
        return None
    if context_too_long(exc):
        return (f"the prompt is longer than the model's context window (context_length_exceeded); {FITS[call]}, "
                "or give the server a larger context (llama.cpp: --ctx-size; Ollama: num_ctx)")
    fix = {401: "authentication failed; check OPENAI_API_KEY", 403: "permission denied for this key or model",
           404: "model or endpoint not found; check --model and --base-url",
           400: "the server rejected the request"}.get(code, f"the server refused the request ({code})")
    named = server_code(exc)
    return f"{fix} ({named})" if named and code != 401 else fix
