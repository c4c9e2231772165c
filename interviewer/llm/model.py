"""The one implementation of `ChatModel` that talks to a server: any OpenAI-compatible endpoint,
through the official `openai` client."""

from __future__ import annotations

import logging
import random
import threading
import time
from typing import Any, Callable, Iterator

from . import refusals, system_probe
from .base import (CallStats, ChatModel, Message, ModelUnavailable, Restart, ScriptedModel,
                   StructuredOutputUnsupported, Usage, estimate_prompt_tokens, estimate_tokens, stop_waiting,
                   watch_waits)
from .config import LLMConfig
from .deadline import Deadline, DeadlinePassed, OnWait, Waiting
from .messages import STRUCTURED_MODES, fold_system, with_schema

__all__ = ["CallStats", "ChatModel", "ModelUnavailable", "OpenAIChatModel", "Restart", "ScriptedModel",
           "StructuredOutputUnsupported", "Usage", "Waiting", "estimate_tokens", "stop_waiting", "watch_waits"]

log = logging.getLogger("interviewer.llm")
# One interviewer turn: a model that runs on past this is cut (and the transcript stays bounded).
MAX_REPLY_CHARS = 16_000


class StreamCut(Exception):
    """The stream ended with neither a finish_reason nor `[DONE]`: the server stopped mid-reply
    (killed, restarted, a proxy timed out) and closed the connection cleanly, so the HTTP layer
    saw nothing wrong."""


class _EndWatch:
    """Wraps the client's SSE decoder to notice the `[DONE]` event, which the client consumes
    without handing it on."""

    def __init__(self, decoder: Any) -> None:
        self.decoder = decoder
        self.done = False

    def iter_bytes(self, chunks: Any) -> Iterator[Any]:
        for event in self.decoder.iter_bytes(chunks):
            if event.data.startswith("[DONE]"):
                self.done = True
            yield event


class OpenAIChatModel:
    """The one place that builds the `openai` client: explicit timeouts, and retries done
    here (the client's own are off) so text that already streamed is never lost.

    Every call streams, so the read timeout bounds a silence, not a whole answer, and a call that is
    given up closes its connection (a local server then stops generating). `config.timeout_s` bounds
    a whole interviewer reply, `config.judge_timeout_s` a whole scorecard: every attempt, the waits
    between them and a server that trickles or hangs (see `deadline.py`). A Retry-After that fits
    in what is left is honoured as given; one that does not ends the call at once, saying so.
    `on_wait` hears how long the model has been waited on and when a retry is coming.

    What the endpoint turned out not to support (a kind of structured output, `max_tokens`, system
    messages its chat template drops) is remembered for as long as this object lives: a session asks
    the simpler way from then on. `findings` holds, once each, what a session should tell the user."""

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
        self.structured = STRUCTURED_MODES[0]
        self._cap_field = "max_tokens"  # "max_completion_tokens" once a server asks for it
        # Whether system messages go inside user turns: as set, or None until measured (`_measure_system`).
        self.fold = config.fold_system
        self.findings: list[str] = []
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
    def stream(self, messages: list[Message], max_tokens: int | None = None, **options: Any) -> Iterator[str]:
        """An interviewer reply, capped at `llm.reply_max_tokens` unless told otherwise."""
        self.last = CallStats()
        yield from self._attempts(messages, max_tokens or self.config.reply_max_tokens, "llm.timeout_s", options)

    def complete(self, messages: list[Message], schema: dict | None = None, max_tokens: int | None = None,
                 **options: Any) -> str:
        """A whole answer (the judge's scorecard), capped at `llm.judge_max_tokens` and bounded by
        `llm.judge_timeout_s`. With `schema` ({name, strict, schema}), asked for as structured output
        the best way this endpoint has not refused."""
        while True:
            mode = self.structured if schema is not None else None
            request, response_format = with_schema(messages, schema, mode) if schema is not None else (messages, None)
            if response_format is not None:
                options["response_format"] = response_format
            else:
                options.pop("response_format", None)
            self.last = CallStats(structured=mode)
            text = ""
            try:
                for chunk in self._attempts(request, max_tokens or self.config.judge_max_tokens,
                                            "llm.judge_timeout_s", options):
                    text = "" if isinstance(chunk, Restart) else text + chunk
                return text
            except StructuredOutputUnsupported:
                self.structured = STRUCTURED_MODES[STRUCTURED_MODES.index(mode) + 1]
                log.info("%s refused response_format %s; asking with %s from now on", self.config.describe(), mode,
                         self.structured)

    def _attempts(self, messages: list[Message], max_tokens: int, setting: str,
                  options: dict[str, Any]) -> Iterator[str]:
        """One call: attempts until a reply ends properly, each bounded by the deadline that `setting`
        (llm.timeout_s or llm.judge_timeout_s) names."""
        stats = self.last
        deadline = self._deadline(setting)
        if self.fold is None and any(m["role"] == "system" for m in messages):
            self._measure_system(deadline)
        if self.fold:
            messages = fold_system(messages)
        cuts: list[str] = []
        limit = MAX_REPLY_CHARS * 4 if "response_format" in options or max_tokens > 4096 else MAX_REPLY_CHARS
        for attempt in range(1, self.config.max_attempts + 1):
            stats.attempts = attempt
            started = time.perf_counter()
            parts: list[str] = []
            size = 0
            ends: list[_EndWatch] = []
            stats.finish_reason = None
            try:
                chunks = deadline.stream(lambda: self._open(messages, max_tokens, deadline, options, ends))
                for chunk in chunks:
                    if chunk.usage is not None:
                        stats.usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens, True)
                    for choice in chunk.choices:
                        stats.finish_reason = choice.finish_reason or stats.finish_reason
                        text = (choice.delta.content or "")[:limit - size]
                        if text:
                            if stats.first_token_s is None:
                                stats.first_token_s = time.perf_counter() - started
                            parts.append(text)
                            size += len(text)
                            yield text
                    if size >= limit:
                        chunks.close()  # a runaway reply: keep what fits in one turn
                        log.warning("LLM reply cut at %d characters", limit)
                        stats.finish_reason = "length"
                        break
                if stats.finish_reason is None and not (ends and ends[0].done):
                    raise StreamCut()
                if stats.finish_reason == "length":
                    log.info("LLM reply reached its cap of %d tokens", max_tokens)
                if not stats.usage.reported:
                    stats.usage = Usage(estimate_prompt_tokens(messages), estimate_tokens("".join(parts)))
                return
            except Exception as exc:  # noqa: BLE001 - classified in _after_failure; unknown errors re-raise
                partial = "".join(parts)
                if partial:
                    cuts.append(partial)
                self._after_failure(exc, attempt, stats, deadline, cuts, partial, "response_format" in options)
                if partial:
                    # The next attempt regenerates the reply from the start.
                    yield Restart(partial)

    def _open(self, messages: list[Message], max_tokens: int, deadline: Deadline, options: dict[str, Any],
              ends: list[_EndWatch]) -> Any:
        response = self.client.chat.completions.create(
            model=self.config.model, messages=messages, stream=True, stream_options={"include_usage": True},
            timeout=self._timeout(deadline), **{self._cap_field: max_tokens}, **options)
        decoder = getattr(response, "_decoder", None)
        if decoder is not None and hasattr(decoder, "iter_bytes"):
            response._decoder = watch = _EndWatch(decoder)
            ends.append(watch)
        return response

    def _measure_system(self, deadline: Deadline) -> None:
        """Settle `fold` for this session by asking the server (see `system_probe`). The OpenAI API keeps
        system messages; a server that cannot be asked just now (down, timing out) is asked at the next
        call; one that refuses the probe or reports no usage is sent system messages as they are."""
        if not self.config.base_url:
            self.fold = False
            return
        try:
            count = deadline.call(lambda: system_probe.count_system(
                self.client.chat.completions.create, self.config.model, self._cap_field, self._timeout(deadline)))
        except Exception as exc:  # noqa: BLE001 - classified below; the call itself then meets the same server
            if self._retryable(exc) is not None:
                return
            count, why = None, f"refused a one-token request ({refusals.status(exc) or type(exc).__name__})"
        else:
            why = "reports no prompt tokens"
        self.fold = bool(count and count.dropped)
        if count is None:
            log.info("%s %s: cannot tell whether its chat template keeps system messages; set llm.fold_system = "
                     "true if replies ignore the interviewer's instructions", self.config.describe(), why)
        elif self.fold:
            finding = (f"the server's chat template drops system messages ({count.describe()}); sending them "
                       "inside user turns for the rest of the session")
            log.info("%s: %s", self.config.describe(), finding)  # the session says it once, on screen
            self.findings.append(finding)

    # -------------------------------------------------------------- policy
    def _deadline(self, setting: str) -> Deadline:
        self._current = Deadline(self.config.model, getattr(self.config, setting.removeprefix("llm.")), self.on_wait,
                                 setting=setting)
        if self._cancelled:
            self._current.cancel()
        return self._current

    def _timeout(self, deadline: Deadline):
        """The client's own timeouts, never longer than what is left of the call."""
        left = max(deadline.left(), 0.1)
        return self._openai.Timeout(left, connect=min(self.config.connect_timeout_s, left),
                                    read=min(self.config.read_timeout_s, left))

    def _after_failure(self, exc: Exception, attempt: int, stats: CallStats, deadline: Deadline,
                       cuts: list[str], partial: str = "", asked_format: bool = False) -> None:
        """Record a failed attempt and wait before the next one; raise when a retry cannot
        help, the attempts are used up, or the wait would not fit in the call's time."""
        if asked_format and refusals.declines_response_format(exc):
            raise StructuredOutputUnsupported(f"{self.config.describe()} refused this response_format") from None
        if self._cap_field == "max_tokens" and refusals.declines_max_tokens(exc) and attempt < self.config.max_attempts:
            self._cap_field = "max_completion_tokens"
            stats.retried_for.append("asks for max_completion_tokens")
            return
        reason = self._retryable(exc)
        if reason is None:
            raise self._refused(exc, cuts, "judge" if deadline.setting == "llm.judge_timeout_s" else "reply") from None
        if partial and reason in ("connection failed", "stream cut", "stream ended mid-reply"):
            reason = f"stream cut after {len(partial)} characters"
        stats.retried_for.append(reason)
        log.warning("LLM call failed (%s), attempt %d of %d", reason, attempt, self.config.max_attempts)
        if deadline.cancelled:
            raise ModelUnavailable(f"{self.config.describe()}: stopped, the session is closing", cuts) from None
        if isinstance(exc, DeadlinePassed):
            raise ModelUnavailable(f"{self.config.describe()} did not finish within {self._limit(deadline)} "
                                   f"({reason})", cuts) from None
        if attempt == self.config.max_attempts:
            raise ModelUnavailable(f"{self.config.describe()} failed {attempt} times ({reason})", cuts) from None
        delay, asked = self._backoff(attempt, exc)
        left = deadline.left()
        if asked is not None and asked > left:
            raise ModelUnavailable(f"{self.config.describe()} is rate limited: it asked to wait {asked:g} s, more "
                                   f"than the {max(left, 0):.0f} s left of {self._limit(deadline)}", cuts) from None
        delay = min(delay, max(left, 0.0))
        if left - delay <= 0.05:
            raise ModelUnavailable(f"{self.config.describe()} did not finish within {self._limit(deadline)} "
                                   f"({reason})", cuts) from None
        deadline.notify_retry(delay, reason)
        self._sleep(delay)

    @staticmethod
    def _limit(deadline: Deadline) -> str:
        return f"{deadline.setting} = {deadline.budget_s:g} s"

    def _retryable(self, exc: Exception) -> str | None:
        o = self._openai
        if isinstance(exc, StreamCut):
            return "stream ended mid-reply"
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

    def _refused(self, exc: Exception, cuts: list[str], call: str) -> Exception:
        """Errors a retry cannot fix, as one line that says what to change (see `refusals`)."""
        fix = refusals.refusal_fix(exc, call)
        if fix is None:
            return exc
        return ModelUnavailable(f"{self.config.describe()}: {fix}", cuts)

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
