"""The interviewer's reply worked out while the silence that ends a hands-free answer runs out.

A hands-free answer is sent after a silence, and during that silence the refinement pass has
already heard it (`voice.refine_ahead`): nothing new is said. The offline interviewer is quick
and deterministic (the same move gets the same words), so its reply to that text can be worked
out then, on a fork of the engine, and the reply's first clause synthesized (`Speaker.prepare`).
When the turn ends the session steps its real engine as always (the engine owns every move and
the transcript); the speaker plays the prepared audio only if the real reply is word for word the
one worked out ahead, else it synthesizes as usual. Never for an LLM: a reply worked out ahead
would spend tokens on answers that may yet go on.

    snapshot = Snapshot.take(session, ahead_s)    # on the thread that steps the session, while it
                                                  # is idle; None unless the offline interviewer replies
    generation = ahead.start()
    ahead.prepare(snapshot, text, speaker, generation)   # on a worker
    ahead.cancel()                                # the candidate spoke again: drop it
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from .brains.offline import OfflineBrain
from .errors import AnswerError
from .session import conversation_for

if TYPE_CHECKING:
    from .engine import RoundEngine
    from .session import Session


@dataclass(frozen=True)
class Snapshot:
    """The session as the next answer will find it: a fork of its engine (clock `ahead_s` ahead,
    when the turn is expected to end) and the counts the reply depends on."""

    session: "Session"
    engine: "RoundEngine"
    turns: int
    interviewer_turns: int
    history: tuple[tuple[str, str], ...]

    @classmethod
    def take(cls, session: "Session", ahead_s: float = 0.0) -> "Snapshot | None":
        """None when the next reply is not the offline interviewer's, or there is none to come. Call
        it where nothing is stepping the session: the engine's state is copied, not locked."""
        if not session.replies_offline() or session.writer.closed or session.engine.finished:
            return None
        elapsed: Callable[[], float] = session.elapsed
        engine = session.engine.fork(clock=lambda: elapsed() + ahead_s)
        return cls(session, engine, session.turns, session.interviewer_turns, tuple(session.history))

    def reply(self, text: str) -> str | None:
        """The offline interviewer's reply to `text` sent as the next answer, or None where the
        session would refuse the answer. Any thread; the session is not touched."""
        try:
            answer = self.session.validate_answer(text)
        except AnswerError:
            return None
        engine = self.engine.fork(self.engine.clock)  # this snapshot's engine stays as taken
        move = engine.answer(answer, self.turns + 1)
        conversation = conversation_for(self.session, engine, self.interviewer_turns + 1, answer,
                                        (*self.history, ("candidate", answer)), engine.clock())
        return "".join(OfflineBrain().respond(move, conversation)).strip()


class ReplyAhead:
    """The generations of replies worked out ahead for one answer: `start` one for each text heard
    ahead, `cancel` when the candidate speaks again. A preparation whose generation is no longer
    current is not kept, and `cancel` drops one already kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.generation = 0
        self._speaker: Any = None
        self.requests = 0
        self.prepared = 0  # first clauses synthesized and kept
        self.cancelled = 0

    def start(self) -> int:
        with self._lock:
            self.generation += 1
            self.requests += 1
            return self.generation

    def current(self, generation: int) -> bool:
        with self._lock:
            return generation == self.generation

    def cancel(self) -> None:
        with self._lock:
            self.generation += 1
            self.cancelled += 1
            speaker = self._speaker
        if speaker is not None:  # after the generation moved on: a preparation finishing now is refused
            speaker.drop_prepared()

    def prepare(self, snapshot: Snapshot, text: str, speaker: Any, generation: int) -> str | None:
        """On a worker: work out the reply to `text` and have `speaker` synthesize its first clause.
        Returns the reply worked out if its audio was kept."""
        if not self.current(generation):
            return None
        reply = snapshot.reply(text)
        if not reply:
            return None
        with self._lock:
            self._speaker = speaker
        if not speaker.prepare(reply, wanted=lambda: self.current(generation)):
            return None
        with self._lock:
            self.prepared += 1
        return reply
