"""A tiny chat-model interface: `stream(messages)` yields text, `complete(messages)`
returns it whole. One implementation talks to any OpenAI-compatible endpoint through the
official `openai` client; a scripted fake stands in for tests."""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Protocol

from ..errors import InterviewerError
from .config import LLMConfig
from .deadline import Deadline, DeadlinePassed, OnWait, Waiting

__all__ = ["CallStats", "ChatModel", "ModelUnavailable", "OpenAIChatModel", "Restart", "ScriptedModel",
           "StructuredOutputUnsupported", "Usage", "Waiting", "stop_waiting", "watch_waits"]

log = logging.getLogger("interviewer.llm")
Message = dict[str, str]
# One interviewer turn: a model that runs on past this is cut (and the transcript stays bounded).
MAX_REPLY_CHARS = 16_000


class ModelUnavailable(InterviewerError):
    """The endpoint failed after every retry. `partial` holds text that had streamed."""

    title = "LLM unavailable"

    def __init__(self, message: str, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial


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


class ChatModel(Protocol):
    name: str
    last: CallStats

    def stream(self, messages: list[Message], **options: Any) -> Iterator[str]: ...

    def complete(self, messages: list[Message], schema: dict | None = None, **options: Any) -> str: ...


def estimate_tokens(text: str) -> int:
    """About four characters a token for English; used only when a server reports no usage."""
    return max(1, (len(text) + 3) // 4)


def estimate_prompt_tokens(messages: list[Message]) -> int:
    return estimate_tokens("".join(m["content"] for m in messages))


class OpenAIChatModel:
    """The one place that builds the `openai` client: explicit timeouts, and retries done
    here (the client's own are off) so text that already streamed is never lost.

    `config.timeout_s` bounds a whole call: every attempt, the waits between them and a server
    that trickles or hangs (see `deadline.py`). A Retry-After that fits in what is left is
    honoured as given; one that does not ends the call at once, saying so. `on_wait` hears how
    long the model has been waited on and when a retry is coming, for a front end to show."""

    def __init__(self, config: LLMConfig, sleep: Callable[[float], Any] | None = None,
                 rng: random.Random | None = None) -> None:
        import openai  # heavy: imported only when an LLM is actually used

        self._openai = openai
        self.config = config
        self.name = config.model
        self._stopped = threading.Event()
        self._sleep = sleep or self._stopped.wait  # a wait before a retry ends early on cancel()
        self._rng = rng or random.Random()
        self.client = openai.OpenAI(
            api_key=config.api_key or "not-needed",
            base_url=config.base_url,
            timeout=openai.Timeout(config.timeout_s, connect=config.connect_timeout_s, read=config.read_timeout_s),
            max_retries=0,
        )
        self.last = CallStats()
        self.on_wait: OnWait | None = None
        self._current: Deadline | None = None
        self._cancelled = False

    def cancel(self) -> None:
        """The session is closing: end the call in progress, and refuse later ones, at once (a
        quitting app would otherwise wait for the worker blocked in it)."""
        self._cancelled = True
        self._stopped.set()
        if self._current is not None:
            self._current.cancel()

    # ------------------------------------------------------------------ calls
    def stream(self, messages: list[Message], **options: Any) -> Iterator[str]:
        self.last = stats = CallStats()
        deadline = self._deadline()
        for attempt in range(1, self.config.max_attempts + 1):
            stats.attempts = attempt
            started = time.perf_counter()
            parts: list[str] = []
            size = 0
            try:
                chunks = deadline.stream(lambda: self.client.chat.completions.create(
                    model=self.config.model, messages=messages, stream=True,
                    stream_options={"include_usage": True}, timeout=self._timeout(deadline), **options,
                ))
                for chunk in chunks:
                    if chunk.usage is not None:
                        stats.usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens, True)
                    for choice in chunk.choices:
                        text = (choice.delta.content or "")[:MAX_REPLY_CHARS - size]
                        if text:
                            if stats.first_token_s is None:
                                stats.first_token_s = time.perf_counter() - started
                            parts.append(text)
                            size += len(text)
                            yield text
                    if size >= MAX_REPLY_CHARS:
                        chunks.close()  # a runaway reply: keep what fits in one turn
                        log.warning("LLM reply cut at %d characters", MAX_REPLY_CHARS)
                        break
                if not stats.usage.reported:
                    stats.usage = Usage(estimate_prompt_tokens(messages), estimate_tokens("".join(parts)))
                return
            except Exception as exc:  # noqa: BLE001 - classified in _after_failure; unknown errors re-raise
                partial = "".join(parts)
                self._after_failure(exc, attempt, stats, deadline, partial)
                if partial:
                    # The next attempt regenerates the reply from the start.
                    yield Restart(partial)

    def complete(self, messages: list[Message], schema: dict | None = None, **options: Any) -> str:
        self.last = stats = CallStats()
        if schema is not None:
            options["response_format"] = {"type": "json_schema", "json_schema": schema}
        deadline = self._deadline()
        for attempt in range(1, self.config.max_attempts + 1):
            stats.attempts = attempt
            try:
                response = deadline.call(lambda: self.client.chat.completions.create(
                    model=self.config.model, messages=messages, timeout=self._timeout(deadline), **options))
            except self._openai.BadRequestError as exc:
                if schema is not None and "response_format" in str(exc):
                    raise StructuredOutputUnsupported(f"{self.config.shown_url or 'endpoint'} has no structured "
                                                      "outputs") from None
                raise self._refused(exc) from None
            except Exception as exc:  # noqa: BLE001 - classified in _after_failure; unknown errors re-raise
                self._after_failure(exc, attempt, stats, deadline)
                continue
            text = (response.choices[0].message.content or "")[:MAX_REPLY_CHARS * 4]
            if response.usage is not None:
                stats.usage = Usage(response.usage.prompt_tokens, response.usage.completion_tokens, True)
            else:
                stats.usage = Usage(estimate_prompt_tokens(messages), estimate_tokens(text))
            return text
        raise AssertionError("unreachable")

    # -------------------------------------------------------------- policy
    def _deadline(self) -> Deadline:
        self._current = Deadline(self.config.model, self.config.timeout_s, self.on_wait)
        if self._cancelled:
            self._current.cancel()
        return self._current

    def _timeout(self, deadline: Deadline):
        """The client's own timeouts, never longer than what is left of the call."""
        left = max(deadline.left(), 0.1)
        return self._openai.Timeout(left, connect=min(self.config.connect_timeout_s, left),
                                    read=min(self.config.read_timeout_s, left))

    def _after_failure(self, exc: Exception, attempt: int, stats: CallStats, deadline: Deadline,
                       partial: str = "") -> None:
        """Record a failed attempt and wait before the next one; raise when a retry cannot
        help, the attempts are used up, or the wait would not fit in the call's time."""
        reason = self._retryable(exc)
        if reason is None:
            raise self._refused(exc) from None
        if partial and reason in ("connection failed", "stream cut"):
            reason = f"stream cut after {len(partial)} characters"
        stats.retried_for.append(reason)
        log.warning("LLM call failed (%s), attempt %d of %d", reason, attempt, self.config.max_attempts)
        budget = f"llm.timeout_s = {self.config.timeout_s:g} s"
        if deadline.cancelled:
            raise ModelUnavailable(f"{self.config.describe()}: stopped, the session is closing", partial=partial) \
                from None
        if isinstance(exc, DeadlinePassed):
            raise ModelUnavailable(f"{self.config.describe()} did not finish within {budget} ({reason})",
                                   partial=partial) from None
        if attempt == self.config.max_attempts:
            raise ModelUnavailable(f"{self.config.describe()} failed {attempt} times ({reason})", partial=partial) from None
        delay, asked = self._backoff(attempt, exc)
        left = deadline.left()
        if asked is not None and asked > left:
            raise ModelUnavailable(f"{self.config.describe()} is rate limited: it asked to wait {asked:g} s, more "
                                   f"than the {max(left, 0):.0f} s left of {budget}", partial=partial) from None
        delay = min(delay, max(left, 0.0))
        if left - delay <= 0.05:
            raise ModelUnavailable(f"{self.config.describe()} did not finish within {budget} ({reason})",
                                   partial=partial) from None
        deadline.notify_retry(delay, reason)
        self._sleep(delay)

    def _retryable(self, exc: Exception) -> str | None:
        o = self._openai
        if isinstance(exc, DeadlinePassed):
            return "timed out"
        if isinstance(exc, o.RateLimitError):
            return "429 rate limited"
        if isinstance(exc, o.APITimeoutError):
            return "timed out"
        if isinstance(exc, o.APIConnectionError):
            return "connection failed"
        if isinstance(exc, o.APIStatusError) and exc.status_code >= 500:
            return f"server error {exc.status_code}"
        if type(exc).__module__.split(".")[0] in ("httpx2", "httpx", "httpcore", "h11") or isinstance(exc, (ConnectionError, OSError)):
            return "stream cut"  # the connection dropped mid-reply
        return None

    def _refused(self, exc: Exception) -> Exception:
        """Errors a retry cannot fix, as a message that says what to change. The server's
        own text is left out: a 401 body can echo part of the key."""
        status = getattr(exc, "status_code", None)
        if status is None:
            return exc
        fix = {401: "authentication failed; check OPENAI_API_KEY", 403: "permission denied for this key or model",
               404: "model or endpoint not found; check --model and --base-url",
               400: "the server rejected the request"}.get(status, f"the server refused the request ({status})")
        return ModelUnavailable(f"{self.config.describe()}: {fix}")

    def _backoff(self, attempt: int, exc: Exception) -> tuple[float, float | None]:
        """(seconds to wait, what the server asked for in Retry-After, if anything). The server's
        ask is honoured as given, beyond `backoff_max_s`: retrying sooner only earns another 429."""
        retry_after = None
        response = getattr(exc, "response", None)
        if response is not None:
            try:
                retry_after = float(response.headers.get("retry-after"))
            except (TypeError, ValueError):
                retry_after = None
            if retry_after is not None and not (0 <= retry_after < float("inf")):
                retry_after = None
        ceiling = min(self.config.backoff_max_s, self.config.backoff_base_s * 2 ** (attempt - 1))
        delay = self._rng.uniform(0, ceiling)  # full jitter, so clients retrying together spread out
        return (max(delay, retry_after), retry_after) if retry_after is not None else (delay, None)


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
        self.last = CallStats(Usage(estimate_prompt_tokens(messages), estimate_tokens(text)), 0.0, 1)
        return text


def watch_waits(brain: Any, on_wait: OnWait | None) -> None:
    """Have the model behind an LLM brain report its waits (see `Waiting`); other brains have none."""
    model = getattr(brain, "model", None)
    if model is not None and hasattr(model, "on_wait"):
        model.on_wait = on_wait


def stop_waiting(brain: Any) -> None:
    """End at once any call the model behind an LLM brain is waiting on (the session is closing)."""
    cancel = getattr(getattr(brain, "model", None), "cancel", None)
    if cancel is not None:
        cancel()
