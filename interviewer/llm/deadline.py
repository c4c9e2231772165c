"""One model call held to one deadline, however the server behaves.

The HTTP client's timeouts are per read: a server that trickles a byte every few seconds, or
one that hangs, is never "timed out" as a whole. So the blocking work runs on a helper thread
that hands results over a queue, and the caller waits on the queue no longer than the time left.
While nothing has arrived it reports how long it has waited, so a front end can show it.

A helper thread that is still blocked when the deadline passes is left to end on its own (its
read timeout bounds that) and its results are dropped.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

# When a front end first hears that the model is being waited on, and how often after that.
FIRST_NOTICE_S = 2.0
NOTICE_EVERY_S = 1.0


@dataclass(frozen=True)
class Waiting:
    """The model has said nothing yet: `waited_s` into a call that gives up after `budget_s`.
    `retry_in_s` is set while the call sleeps before another attempt (`reason` says why)."""

    model: str
    waited_s: float
    budget_s: float
    retry_in_s: float | None = None
    reason: str = ""

    def text(self) -> str:
        if self.retry_in_s is not None:
            return (f"{self.model}: {self.reason}; trying again in {self.retry_in_s:.0f} s "
                    f"({self.waited_s:.0f} of {self.budget_s:g} s used)")
        return f"waiting for {self.model}: {self.waited_s:.0f} s (gives up after {self.budget_s:g} s)"


class DeadlinePassed(Exception):
    """The call's time ran out while waiting on the server (or the call was cancelled)."""


OnWait = Callable[[Waiting], None]


class Deadline:
    def __init__(self, model: str, budget_s: float, on_wait: OnWait | None,
                 clock: Callable[[], float] = time.monotonic, setting: str = "llm.timeout_s") -> None:
        self.model = model
        self.setting = setting  # the setting that sets budget_s, for messages
        self.budget_s = budget_s
        self.on_wait = on_wait
        self._clock = clock
        self.started = clock()
        self.at = self.started + budget_s
        self._next_notice = self.started + FIRST_NOTICE_S
        self.heard = False  # something arrived from the server in this call
        self.cancelled = False
        self._waiting_on: queue.Queue | None = None

    def cancel(self) -> None:
        """Stop waiting now (the session is closing): the caller gets DeadlinePassed at once."""
        self.cancelled = True
        waiting_on = self._waiting_on
        if waiting_on is not None:
            waiting_on.put(("cancelled", None))

    def left(self) -> float:
        return self.at - self._clock()

    def waited(self) -> float:
        return self._clock() - self.started

    def notify_retry(self, delay_s: float, reason: str) -> None:
        if self.on_wait is not None:
            self.on_wait(Waiting(self.model, self.waited(), self.budget_s, delay_s, reason))

    def _wait_on(self, results: queue.Queue, stop: threading.Event) -> tuple[str, Any]:
        self._waiting_on = results
        while True:
            now = self._clock()
            left = self.at - now
            if left <= 0 or self.cancelled:
                stop.set()
                raise DeadlinePassed()
            wait = left if self.heard or self.on_wait is None else min(left, max(self._next_notice - now, 0.0))
            try:
                kind, item = results.get(timeout=wait)
            except queue.Empty:
                if not self.heard and self.on_wait is not None and self._clock() >= self._next_notice:
                    self._next_notice = self._clock() + NOTICE_EVERY_S
                    self.on_wait(Waiting(self.model, self.waited(), self.budget_s))
                continue
            if kind == "cancelled":
                stop.set()
                raise DeadlinePassed()
            return kind, item

    def call(self, work: Callable[[], Any]) -> Any:
        """`work()` on a helper thread, its result here, or DeadlinePassed. Its answer is not the reply
        (a probe before it, say), so the wait for the reply's first token is still reported."""
        results: queue.Queue = queue.Queue()
        stop = threading.Event()

        def run() -> None:
            try:
                results.put(("value", work()))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, which classifies it
                results.put(("error", exc))

        threading.Thread(target=run, name="llm-call", daemon=True).start()
        kind, item = self._wait_on(results, stop)
        if kind == "error":
            raise item
        return item

    def stream(self, open_stream: Callable[[], Iterable[Any]]) -> Iterator[Any]:
        """The items of `open_stream()`, read on a helper thread, each handed over in time or
        DeadlinePassed. Closing the generator early stops the reader at its next item."""
        results: queue.Queue = queue.Queue()
        stop = threading.Event()

        def pump() -> None:
            try:
                response = open_stream()
                try:
                    for item in response:
                        if stop.is_set():
                            return
                        results.put(("item", item))
                finally:
                    close = getattr(response, "close", None)
                    if close is not None:
                        close()
                results.put(("done", None))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, which classifies it
                results.put(("error", exc))

        threading.Thread(target=pump, name="llm-stream", daemon=True).start()
        try:
            while True:
                kind, item = self._wait_on(results, stop)
                if kind == "done":
                    return
                if kind == "error":
                    raise item
                self.heard = True
                yield item
        finally:
            stop.set()
