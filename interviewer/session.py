"""An interview session: the engine decides, a brain phrases, the transcript records.

Every candidate answer is written and fsynced before anything else happens with it, so
a crash, a kill or a failing brain never loses what the candidate said.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from . import workbench
from .bounded_read import size_text
from .brains.base import Brain, Conversation
from .brains.offline import OfflineBrain
from .engine import EngineState, Move, RoundEngine
from .errors import AnswerError, SessionStateError, UnknownRoundError
from .llm.base import take_findings
from .llm.model import ModelUnavailable, Restart
from .rubric.loader import LoadedRubric, RubricLibrary
from .rubric.schema import Problem
from .session_checks import CheckRun, GateChecks, failing_checks

__all__ = ["CheckRun", "Reply", "Session", "pick_problem"]
from .session_restore import saved_engine_state
from .settings import Settings
from .terminal_text import printable
from .transcript import (
    FORMAT_VERSION,
    Transcript,
    TranscriptWriter,
    load_transcript,
    redact,
    scrub,
)

COMMANDS = ("hint", "next", "done", "quit")
LLM_RETRY_AFTER_S, LLM_RETRY_MAX_S = 60.0, 600.0
MAX_CODE_BYTES = 256 * 1024
OnChunk = Callable[[str], None]
OnNotice = Callable[[str], None]


@dataclass(frozen=True)
class Reply:
    text: str
    move: Move
    finished: bool


def pick_problem(loaded: LoadedRubric, problem_id: str | None, rng: random.Random | None = None) -> Problem:
    rubric = loaded.rubric
    if problem_id is None:
        return (rng or random.Random()).choice(rubric.problems)
    try:
        return rubric.problem(problem_id)
    except KeyError:
        known = ", ".join(p.id for p in rubric.problems)
        raise UnknownRoundError(f"round {rubric.id!r} has no problem {problem_id!r}; choose one of: {known}") from None


def conversation_for(session: "Session", engine: RoundEngine, interviewer_turns: int, last_answer: str | None,
                     history: tuple[tuple[str, str], ...], now: float) -> Conversation:
    """What the brain sees for the engine's next move (also for a reply worked out ahead, on a fork)."""
    phase = engine.phase
    uncovered = tuple(s for s in phase.expects if s not in engine.state.phase_signals)
    covered = tuple(engine.knowledge.title(topic) for topic in engine.state.topics)
    return Conversation(
        session.rubric, session.problem, session.level, interviewer_turns, last_answer,
        history=history, uncovered=uncovered, covered=covered,
        phase_left_min=(phase.budget_min * 60 - (now - engine.state.phase_started_at)) / 60,
        round_left_min=(session.rubric.duration_min * 60 - now) / 60,
    )


class Session(GateChecks):
    def __init__(
        self,
        loaded: LoadedRubric,
        problem: Problem,
        level: str,
        brain: Brain,
        writer: TranscriptWriter,
        settings: Settings,
        engine_state: EngineState | None = None,
        elapsed: float = 0.0,
        turns: int = 0,
        interviewer_turns: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.loaded = loaded
        self.rubric = loaded.rubric
        self.problem = problem
        self.level = level
        self.brain = brain
        self.writer = writer
        self.settings = settings
        self._clock = clock
        self._t0 = clock()
        self._elapsed0 = elapsed
        self.turns = turns
        self.interviewer_turns = interviewer_turns
        self.last_answer: str | None = None
        self._replayed_events: list[dict[str, Any]] = []
        self.history: list[tuple[str, str]] = []
        self.fallback: Brain = OfflineBrain()
        self.degraded: str | None = None  # why the session fell back to the offline interviewer
        # After a fall back, the LLM is tried again at a turn boundary once `llm_retry_at` (session
        # seconds) has passed, waiting twice as long after each failed try.
        self.llm_brain: Brain | None = brain if getattr(brain, "model", None) is not None else None
        self.llm_retry_at: float | None = None
        self._llm_backoff_s = LLM_RETRY_AFTER_S
        self.usage = {"prompt_tokens": 0, "completion_tokens": 0}
        self.on_chunk: OnChunk | None = None
        self._code_digest = ""
        self.llm_config: Any = None  # the endpoint's config when an LLM brain is in use, for cost estimates
        self.on_notice: OnNotice | None = None
        self.checked = settings.gate_checks and self.rubric.gated and workbench.has_checks(self.rubric.id, problem.id)
        self.engine = RoundEngine(self.rubric, problem, clock=self.elapsed, state=engine_state, checked=self.checked)

    @property
    def path(self) -> Path:
        return self.writer.path

    def elapsed(self) -> float:
        return self._elapsed0 + (self._clock() - self._t0)

    # ---------------------------------------------------------------- creation
    @classmethod
    def create(
        cls,
        library: RubricLibrary,
        round_id: str,
        problem_id: str | None,
        settings: Settings,
        brain: Brain,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        brain_settings: dict[str, Any] | None = None,
    ) -> "Session":
        loaded = library.load(round_id)
        problem = pick_problem(loaded, problem_id, rng)
        created = datetime.now(timezone.utc)
        session_id = uuid.uuid4().hex[:8]
        name = f"{created:%Y%m%d-%H%M%S}-{round_id}-{problem.id}-{session_id}.jsonl"
        writer = TranscriptWriter(Path(settings.transcripts_dir) / name)
        writer.append({
            "type": "session",
            "v": FORMAT_VERSION,
            "session_id": session_id,
            "created": created.isoformat(timespec="seconds"),
            "round": round_id,
            "problem": problem.id,
            "level": settings.level,
            "rubric": {"id": loaded.rubric.id, "sha256": loaded.sha256},
            "brain": brain.name,
            "settings": redact({**settings.public(), **({"llm": brain_settings} if brain_settings else {})}),
        })
        return cls(loaded, problem, settings.level, brain, writer, settings, clock=clock)

    @classmethod
    def resume(cls, path: str | Path, library: RubricLibrary, settings: Settings, brain: Brain,
               clock: Callable[[], float] = time.monotonic) -> tuple["Session", Transcript]:
        transcript = load_transcript(path)
        if transcript.format != "jsonl":
            raise SessionStateError(f"{path}: plain-text transcripts can be scored but not resumed; start a new session")
        if transcript.completed:
            raise SessionStateError(f"{path}: this session is complete; score it with `interviewer score {path}`")
        loaded = library.load(transcript.round)
        problem = pick_problem(loaded, transcript.problem)
        # A session keeps the gate rule it started with (older sessions had no checks).
        settings = dataclasses.replace(settings, gate_checks=bool(transcript.settings.get("gate_checks", False)))
        last_interviewer = next((t for t in reversed(transcript.turns) if t.role == "interviewer"), None)
        if last_interviewer is not None and not last_interviewer.engine:
            raise SessionStateError(f"{path}: turn {last_interviewer.n} has no readable engine state, so the "
                                    f"interview cannot go on from it; score it with `interviewer score {path}`")
        try:
            state = saved_engine_state(last_interviewer.engine) if last_interviewer else None
            session = cls(
                loaded, problem, transcript.level or settings.level, brain, TranscriptWriter(path), settings,
                engine_state=state, elapsed=transcript.elapsed, turns=len(transcript.turns),
                interviewer_turns=sum(1 for t in transcript.turns if t.role == "interviewer"), clock=clock,
            )
            session.engine.phase  # noqa: B018 - a saved phase index past the rubric's phases fails here
        except (TypeError, ValueError, IndexError, KeyError) as exc:
            turn = last_interviewer.n if last_interviewer else 0
            raise SessionStateError(f"{path}: the engine state saved with turn {turn} is damaged "
                                    f"({exc}); score it with `interviewer score {path}`, or start a new session") \
                from None
        session.history = [(t.role, t.text) for t in transcript.turns]
        after = last_interviewer.n if last_interviewer else 0
        for event in transcript.events:
            # Runs that brought no reply live only in events; the engine state saved with the
            # last interviewer turn predates them.
            if event.get("kind") == "checks_run" and event.get("after_turn", 0) >= after:
                if session.engine.count_run(event.get("gate"), event.get("status") == "passed"):
                    session.engine.state.failing_checks = failing_checks(event)
        if last_interviewer is not None:
            session._replayed_events = [
                {k: v for k, v in e.items() if k not in ("type", "after_turn")}
                for e in transcript.events
                if e.get("after_turn", 0) >= last_interviewer.n and e.get("kind") != "command"
            ]
        session.writer.append({
            "type": "resumed",
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "turns": len(transcript.turns),
            "sha256_matches": transcript.rubric_sha256 in (None, loaded.sha256),
        })
        return session, transcript

    # ------------------------------------------------------------------ flow
    def open(self) -> Reply:
        """The opening move of a new session."""
        if self.turns:
            raise SessionStateError("this session has already started; use pending_answer() after a resume")
        return self._reply(self.engine.start())

    def pending_answer(self, transcript: Transcript) -> Reply | None:
        """After a crash between saving an answer and replying to it: reply now. After a crash
        before the opening was saved: open the interview now."""
        if not any(t.role == "interviewer" for t in transcript.turns):
            # The opening's own events may have been saved before the crash; keep them single.
            self._replayed_events = [{k: v for k, v in e.items() if k not in ("type", "after_turn")}
                                     for e in transcript.events if e.get("kind") not in ("command", "resumed")]
            return self._reply(self.engine.start())
        if transcript.turns and transcript.turns[-1].role == "candidate":
            last = transcript.turns[-1]
            self.last_answer = last.text
            return self._reply(self.engine.answer(last.text, last.n))
        return None

    def submit(self, text: str, delivery: dict[str, Any] | None = None, audio: Any = None) -> Reply:
        """Save the answer, then reply to it. A spoken answer brings its `delivery` figures
        (saved as an event beside the turn) and, when the user keeps audio, the recording."""
        self._require_open()
        answer = self.validate_answer(text)
        self.turns += 1
        self.writer.append({"type": "turn", "n": self.turns, "role": "candidate", "text": answer,
                            "t": round(self.elapsed(), 2), "phase": self.engine.phase.id,
                            **({"gate": self.engine.state.gate} if self.engine.phase.ask_from == "gates" else {}),
                            **({"via": "voice"} if delivery is not None else {})})
        if delivery is not None:
            saved = {}
            if audio is not None and self.settings.voice.keep_audio:
                from .spoken import save_answer_audio

                wav = save_answer_audio(self.path, self.turns, audio.audio, audio.samplerate)
                saved = {"audio": str(wav.relative_to(self.path.parent))}
            self._event({"kind": "delivery", "turn": self.turns, **delivery, **saved})
        self.last_answer = answer
        self.history.append(("candidate", answer))
        return self._reply(self.engine.answer(answer, self.turns))

    def record_speech(self, started_ago_s: float, spoken_s: float, ended_ago_s: float, how: str,
                      first_audio_s: float | None = None) -> None:
        """The interviewer said its last reply aloud: when it started and stopped (on the session
        clock, from how long ago each happened), and `how` it stopped: `ended`, or cut short by
        `barge-in` or `muted`. Saved beside the reply, for the delivery section."""
        if self.writer.closed:
            return
        now = self.elapsed()
        self._event({"kind": "interviewer_speech", "started_t": round(max(0.0, now - started_ago_s), 2),
                     "ended_t": round(max(0.0, now - ended_ago_s), 2), "spoken_s": round(spoken_s, 2), "how": how,
                     **({"first_audio_s": round(first_audio_s, 3)} if first_audio_s is not None else {})})

    def record_barge_in(self, ago_s: float, how: str) -> None:
        """The candidate cut the interviewer off, `ago_s` ago (when the speech began): `voice`, heard
        talking over it (hands-free), or `key`, F8 pressed while it spoke."""
        if self.writer.closed:
            return
        self._event({"kind": "barge_in", "t": round(max(0.0, self.elapsed() - ago_s), 2), "how": how})

    def command(self, name: str) -> Reply | None:
        if name not in COMMANDS:
            raise AnswerError(f"unknown command /{name}; use one of: {', '.join('/' + c for c in COMMANDS)}")
        self._require_open()
        if name == "quit":
            self.close("quit")
            return None
        self._event({"kind": "command", "name": name})
        if name == "done":
            reply = self._reply(self.engine.finish())
        else:
            reply = self._reply(self.engine.command(name))
        return reply

    def validate_code(self, code: str) -> str:
        """The code as it would be saved, or AnswerError when it is too big for one turn (a
        70 MB file passed to /run would otherwise be saved whole)."""
        code = scrub(code)
        size = len(code.encode("utf-8", "surrogatepass"))
        if size > MAX_CODE_BYTES:
            raise AnswerError(f"the code is {size_text(size)}, over the {size_text(MAX_CODE_BYTES)} limit for one "
                              "solution; run the checks on the solution alone")
        return code

    def snapshot_code(self, code: str) -> None:
        """Record the editor's code with the answer it goes with (coding rounds), when it changed."""
        code = self.validate_code(code)
        digest = hashlib.sha256(code.encode("utf-8")).hexdigest()
        if not code.strip() or digest == self._code_digest:
            return
        self._code_digest = digest
        self._event({"kind": "code_snapshot", "sha256": digest, "lines": code.count("\n") + 1, "code": code})

    def validate_answer(self, text: str) -> str:
        # Control characters (NUL, escape sequences) carry nothing an interviewer can read, and
        # replayed later they would act on the terminal: an answer of only those is empty.
        answer = scrub(printable(text).strip())
        if not answer:
            raise AnswerError("empty answer: type what you would say, or a command (/hint, /next, /done, /quit)")
        if len(answer) > self.settings.max_answer_chars:
            raise AnswerError(
                f"answer is {len(answer):,} characters, over the {self.settings.max_answer_chars:,} limit "
                "(setting max_answer_chars); shorten it or split it across turns"
            )
        return answer

    def close(self, reason: str) -> None:
        """Write the end record, once: a signal and a quit key can both ask."""
        if self.writer.closed:
            return
        record: dict[str, Any] = {"type": "end", "reason": reason, "t": round(self.elapsed(), 2), "turns": self.turns}
        if self.usage["prompt_tokens"] or self.usage["completion_tokens"]:
            record["usage"] = dict(self.usage)
        if self.degraded:
            record["degraded"] = self.degraded
        self.writer.append(record)
        self.writer.close()

    # -------------------------------------------------------------- internals
    def _reply(self, move: Move) -> Reply:
        for event in self.engine.drain_events():
            if event["kind"] == "gate_revealed" and self.checked:
                event = {**event, "checks": [c.description for c in self.gate_checks(event["gate"])]}
            if event in self._replayed_events:
                # Already saved before an earlier crash; keep the file free of duplicates.
                self._replayed_events.remove(event)
                continue
            self._event(event)
        self.interviewer_turns += 1
        text, stats = self._phrase(move)
        self.turns += 1
        self.history.append(("interviewer", text))
        record: dict[str, Any] = {"type": "turn", "n": self.turns, "role": "interviewer", "text": text,
                                  "t": round(self.elapsed(), 2), "phase": move.phase, "move": move.to_record(),
                                  "engine": self.engine.state.to_record(), "brain": self.brain.name}
        if move.gate is not None:
            record["gate"] = move.gate
        if stats:
            record["llm"] = stats
        self.writer.append(record)
        if move.final:
            self.close("completed")
        return Reply(text=text, move=move, finished=move.final)

    def _phrase(self, move: Move) -> tuple[str, dict[str, Any]]:
        """Stream the brain's words for `move`; if the brain fails for good, say so, record
        it, and let the offline interviewer carry on so the session never stalls."""
        conversation = self._conversation()
        parts: list[str] = []
        retrying = self._llm_due()
        if retrying:
            self.brain = self.llm_brain
        try:
            for chunk in self.brain.respond(move, conversation):
                if isinstance(chunk, Restart):
                    parts = []
                    self._notice("connection dropped mid-reply; retrying")
                elif chunk:
                    parts.append(chunk)
                if self.on_chunk is not None:
                    self.on_chunk(chunk)
            stats = dict(getattr(self.brain, "stats", {}) or {})
            if retrying:
                self.llm_retry_at, self._llm_backoff_s = None, LLM_RETRY_AFTER_S
                self._event({"kind": "brain_restored", "brain": self.brain.name})
                self._notice(f"{self.brain.name} answers again; the LLM interviewer is back")
        except Exception as exc:  # noqa: BLE001 - whatever the brain hit, the interview goes on
            if self.brain is self.fallback:
                raise
            if isinstance(exc, ModelUnavailable):
                reason, partials = exc.message, exc.partials
            else:
                reason = f"{self.brain.name} failed unexpectedly ({type(exc).__name__})"
                partials = ["".join(parts)] if parts else []
            self.degraded = reason
            self._event({"kind": "brain_degraded", "brain": self.brain.name, "reason": reason,
                         "partial_chars": sum(len(p) for p in partials)})
            if retrying:
                self._llm_backoff_s = min(self._llm_backoff_s * 2, LLM_RETRY_MAX_S)
            self.llm_retry_at = self.elapsed() + self._llm_backoff_s
            self._notice(f"{reason}; continuing with the offline interviewer (trying the LLM again in "
                         f"{self._llm_backoff_s:.0f} s)")
            self.brain = self.fallback
            stats = {"degraded": reason, **({"partials": partials} if partials else {})}
            if self.on_chunk is not None and parts:
                self.on_chunk(Restart("".join(parts)))
            parts = list(self.fallback.respond(move, conversation))
            if self.on_chunk is not None:
                for chunk in parts:
                    self.on_chunk(chunk)
        for finding in take_findings(self.llm_brain):  # e.g. a chat template that drops system messages
            self._event({"kind": "llm_adapted", "finding": finding})
            self._notice(finding)
        for key in ("prompt_tokens", "completion_tokens"):
            self.usage[key] += int(stats.get(key) or 0)
        return "".join(parts).strip(), stats

    def _conversation(self) -> Conversation:
        return conversation_for(self, self.engine, self.interviewer_turns, self.last_answer, tuple(self.history),
                                self.elapsed())

    def replies_offline(self) -> bool:
        """The next reply will be phrased by the offline interviewer (chosen, or fallen back to and
        not yet due to try the LLM again): no tokens, and the same words for the same move."""
        return isinstance(self.brain, OfflineBrain) and not self._llm_due()

    def _llm_due(self) -> bool:
        """The session fell back to the offline interviewer and its wait before trying the LLM again is over."""
        return (self.brain is self.fallback and self.llm_brain is not None and self.llm_retry_at is not None
                and self.elapsed() >= self.llm_retry_at)

    @property
    def judged_by_llm(self) -> bool:
        return self.llm_brain is not None

    def scorecard(self):
        """Score what was saved and keep the scorecard with the session: the LLM judge for an LLM
        session (it falls back to the offline scorecard by itself), the offline scorer otherwise.
        Returns (scorecard, transcript)."""
        from .scoring import score
        from .sessions import save_scorecard

        transcript = load_transcript(self.path)
        if self.judged_by_llm:
            from .scoring.llm_judge import judge, skipped

            if self.brain is self.fallback and not self._llm_due():
                # The endpoint failed moments ago: say so rather than make the candidate wait it out again.
                card = skipped(score(transcript, self.rubric), f"the LLM was not used, it failed during the session "
                               f"({self.degraded})")
            else:
                card = judge(transcript, self.rubric, self.llm_brain.model)
        else:
            card = score(transcript, self.rubric)
        save_scorecard(self.path, card, reason="end of session" if self.engine.finished else "session stopped")
        return card, transcript

    def _require_open(self) -> None:
        if self.engine.finished or self.writer.closed:
            raise SessionStateError(f"this session has ended; score it with `interviewer score {self.path}`")

    def _notice(self, message: str) -> None:
        if self.on_notice is not None:
            self.on_notice(message)

    def _event(self, event: dict[str, Any]) -> None:
        self.writer.append({"type": "event", "after_turn": self.turns, **event})
