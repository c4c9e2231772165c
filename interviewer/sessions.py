"""The saved-session index: what is in a transcripts folder, for the review screen and history.

Listing reads as little as it can. Each transcript's header (its first line) is parsed; turn
records are counted from their first bytes without parsing the turn; only the few `end` and
`resumed` records are parsed in full. A scorecard saved beside a transcript
(`<stem>.score.json`, written by `save_scorecard`) supplies the scores, so listing never
re-scores. A file that cannot be read is skipped with a warning on the
`interviewer.sessions` logger; listing never raises for a bad transcript. Summaries are kept in
the session index (session_index.py), which a session updates when it is scored, and read again only
for files written since.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bounded_read import read_bounded
from .errors import InterviewerError
from .redaction import scrub
from .transcript.reader import MAX_BYTES

if TYPE_CHECKING:
    from .scoring.scorecard import Scorecard

log = logging.getLogger("interviewer.sessions")

SCORE_SUFFIX = ".score.json"
HISTORY_SUFFIX = ".scorecards.ndjson"  # not .jsonl: only sessions end in .jsonl
# No end record (a crash, a closed terminal), the candidate quit, or the process was told to stop.
RESUMABLE_REASONS = (None, "quit", "terminated")
_TURN = b'{"type":"turn",'
_EVENT = b'{"type":"event",'
_CANDIDATE = b'"role":"candidate"'
_INTERVIEWER = b'"role":"interviewer"'
_ROLE_WITHIN = 64  # the writer puts `role` right after `type` and `n`


class SaveError(InterviewerError):
    title = "Cannot save"


@dataclass
class SessionSummary:
    path: Path
    session_id: str | None
    created: datetime | None  # from the header; timezone-aware (UTC assumed when the header has none)
    round: str
    problem: str | None
    level: str | None
    brain: str | None
    turns: int  # every turn, interviewer and candidate
    answers: int  # candidate turns
    ended_reason: str | None  # reason of the last `end` record; None when interrupted (or resumed since)
    completed: bool
    scorer: str | None  # None when no scorecard is saved beside the transcript
    overall_level: str | None
    overall_score: float | None
    dimension_scores: dict[str, float] = field(default_factory=dict)
    score_stale: bool = False  # the transcript changed (e.g. was resumed) after its scorecard was saved

    @property
    def name(self) -> str:
        """The session's name: its file name without `.jsonl` (`interviewer resume NAME` finds it)."""
        return self.path.name.removesuffix(".jsonl")

    @property
    def status(self) -> str:
        if self.completed:
            return "complete"
        return "interrupted" if self.ended_reason is None else self.ended_reason

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "path": str(self.path), "created": self.created.isoformat() if self.created else None,
                "round": self.round, "problem": self.problem, "level": self.level, "brain": self.brain,
                "turns": self.turns, "answers": self.answers, "status": self.status,
                "resumable": not self.completed and self.ended_reason in RESUMABLE_REASONS,
                "scorer": self.scorer, "overall": None if self.overall_level is None else
                {"level": self.overall_level, "score": self.overall_score}, "score_stale": self.score_stale}


# ------------------------------------------------------------------ scorecards on disk
def scorecard_path(transcript_path: str | os.PathLike[str]) -> Path:
    """Where the scorecard of a transcript is cached: `<same folder>/<stem>.score.json`."""
    path = Path(transcript_path)
    return path.with_name(path.stem + SCORE_SUFFIX)


def history_path(transcript_path: str | os.PathLike[str]) -> Path:
    """Every scorecard a session was given, oldest first, one JSON line each: `<stem>.scorecards.ndjson`."""
    path = Path(transcript_path)
    return path.with_name(path.stem + HISTORY_SUFFIX)


def save_scorecard(transcript_path: str | os.PathLike[str], card: Scorecard, reason: str = "scored") -> Path:
    """Keep `card` with the session: appended to its history (so re-scoring never loses an earlier
    scorecard) and written, atomically, as the latest (`<stem>.score.json`, which listing reads)."""
    record = {**card.to_json(), "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "reason": reason}
    history = history_path(transcript_path)
    earlier = scorecard_path(transcript_path)
    try:
        if not history.exists() and earlier.exists():
            # A scorecard saved before histories were kept is the first entry of this one.
            _append_line(history, json.loads(earlier.read_text(encoding="utf-8")))
        _append_line(history, record)
    except (OSError, ValueError) as exc:
        raise SaveError(f"{history}: cannot keep the scorecard history ({type(exc).__name__}); free disk space "
                        "or choose another folder") from None
    write_atomic(earlier, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    index_written(transcript_path)
    return earlier


def scorecard_history(transcript_path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The scorecards a session has been given, oldest first (an unreadable line is skipped)."""
    history = history_path(transcript_path)
    cards: list[dict[str, Any]] = []
    if history.exists():
        for line in history.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and "dimensions" in record:
                cards.append(record)
    elif scorecard_path(transcript_path).exists():
        try:
            cards.append(json.loads(scorecard_path(transcript_path).read_text(encoding="utf-8")))
        except ValueError:
            pass
    return cards


def what_changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """How one scorecard differs from the one before it: overall, level signal, each dimension's level."""
    changes = []
    if before["overall"]["level"] != after["overall"]["level"]:
        changes.append(f"overall {_level(before['overall']['level'])} -> {_level(after['overall']['level'])}")
    if before.get("level_signal") != after.get("level_signal"):
        changes.append(f"level signal {before.get('level_signal')} -> {after.get('level_signal')}")
    old = {d["id"]: d for d in before.get("dimensions", [])}
    for d in after.get("dimensions", []):
        prior = old.get(d["id"])
        if prior is not None and prior["level"] != d["level"]:
            changes.append(f"{d.get('title') or d['id']} {_level(prior['level'])} -> {_level(d['level'])}")
    if before.get("scorer") != after.get("scorer"):
        changes.append(f"scorer {before.get('scorer')} -> {after.get('scorer')}")
    return changes


def _level(level: str) -> str:
    return str(level).replace("_", " ")


def _append_line(path: Path, record: dict[str, Any]) -> None:
    with open(path, "a", encoding="utf-8", newline="\n") as out:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write text to a temporary file in the same folder, fsync it and `os.replace` it over
    `path`: a reader sees the old file or the new one, never half of either."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "x", encoding="utf-8", newline="\n") as out:  # "x": honours the umask, never clobbers
            out.write(scrub(text))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        why = exc.strerror or exc
        raise SaveError(f"{path}: cannot write ({why}); free disk space or choose another folder") from None


# ------------------------------------------------------------------ listing
class _Unreadable(Exception):
    """A transcript the index skips; the message says why."""


def list_sessions(folder: str | os.PathLike[str], round: str | None = None) -> list[SessionSummary]:
    """Every `*.jsonl` session directly in `folder` (not recursive), newest first, optionally
    only those of one round. A missing folder lists nothing."""
    return [summary for _, summary in indexed(folder, round)]


def indexed(folder: str | os.PathLike[str], round: str | None = None
            ) -> list[tuple[tuple[datetime, str], SessionSummary]]:
    """(sort key, summary) of every session, newest first; the key is (time, file name)."""
    return sorted(_index(Path(folder), round), key=lambda item: item[0], reverse=True)


def interrupted(folder: str | os.PathLike[str], round: str | None = None) -> list[SessionSummary]:
    """Sessions that can be resumed: no `end` record (a crash, a closed terminal) or ended with
    /quit, and not completed. Newest first."""
    return [s for s in list_sessions(folder, round) if not s.completed and s.ended_reason in RESUMABLE_REASONS]


def dimension_history(folder: str | os.PathLike[str], round: str) -> dict[str, list[tuple[datetime, float]]]:
    """Per dimension id, the scores of the scored sessions of `round`, oldest first. A session
    counts when a scorecard is saved beside it; its time is the header's `created` (the file's
    modification time when the header has none)."""
    return trends(sorted(_index(Path(folder), round), key=lambda item: item[0]))


def trends(oldest_first) -> dict[str, list[tuple[datetime, float]]]:
    """Per dimension id, (time, score) of each (sort key, summary) given, in the order given."""
    history: dict[str, list[tuple[datetime, float]]] = {}
    for (when, _), summary in oldest_first:
        for dim, value in summary.dimension_scores.items():
            history.setdefault(dim, []).append((when, value))
    return history


def index_written(transcript_path: str | os.PathLike[str]) -> None:
    """Bring the session index up to date for one session just written: scored at its end, re-scored, or scored
    for a loop debrief, so the next listing finds its summary without reading it. Best effort: the index is only
    a shortcut, and a listing re-reads any session whose files changed since its entry was made."""
    from . import session_index

    path = Path(transcript_path)
    try:
        stat, card = path.stat(), scorecard_path(path)
        names = {card.name} if card.exists() else set()
        stamp = _stamp(path, stat, names)
        entries = session_index.load(path.parent)
        entries[path.name] = session_index.to_entry(stamp, *_summarize(path, stat, names))
        session_index.save(path.parent, entries)
    except Exception as exc:  # noqa: BLE001 - the session is saved; only the shortcut to it was not
        log.debug("%s: session index not updated (%s: %s)", path, type(exc).__name__, exc)


def _index(folder: Path, round: str | None) -> list[tuple[tuple[datetime, str], SessionSummary]]:
    """(sort key, summary) for each readable session; the key is (time, file name). Summaries come from
    the session index where the transcript and its scorecard are unchanged since they were read."""
    from . import session_index

    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    except OSError as exc:
        log.warning("%s: cannot list sessions (%s)", folder, exc.strerror or exc)
        return []
    names = {entry.name for entry in entries}
    known = session_index.load(folder)
    current: dict[str, Any] = {}
    found = []
    for entry in entries:
        if not entry.name.endswith(".jsonl"):
            continue
        path = Path(entry.path)
        try:
            if not entry.is_file():
                continue
            stat = entry.stat()
            stamp = _stamp(path, stat, names)
            item = session_index.from_entry(path, known.get(entry.name), stamp)
            if item is not None:
                current[entry.name] = known[entry.name]
            else:
                item = _summarize(path, stat, names)
                current[entry.name] = session_index.to_entry(stamp, *item)
        except _Unreadable as exc:
            log.warning("%s: skipped: %s", path, exc)
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must never break the listing
            log.warning("%s: skipped: cannot read (%s: %s)", path, type(exc).__name__, exc)
            continue
        if round is None or item[1].round == round:
            found.append(item)
    if current.keys() != known.keys() or any(current[k] is not known[k] for k in current):
        session_index.save(folder, current)
    return found


def _stamp(path: Path, stat: os.stat_result, names: set[str]) -> list[int]:
    """What the index entry of `path` stands on (`names`: the files beside it, its scorecard's among them)."""
    from . import session_index

    score_file = path.stem + SCORE_SUFFIX
    score_time = os.stat(path.with_name(score_file)).st_mtime_ns if score_file in names else 0
    return session_index.stamp(stat.st_size, stat.st_mtime_ns, score_time)


def _summarize(path: Path, stat: os.stat_result, names: set[str]) -> tuple[tuple[datetime, str], SessionSummary]:
    try:
        data = read_bounded(path, MAX_BYTES)
    except InterviewerError as exc:
        raise _Unreadable(exc.message.removeprefix(f"{path}: ")) from None
    if b"\x00" in data[:8192]:
        raise _Unreadable("binary data, not a transcript")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    data = data.lstrip()
    end_of_header = data.find(b"\n")
    header = _record(data if end_of_header < 0 else data[:end_of_header])
    if header is None or header.get("type") != "session":
        raise _Unreadable("line 1 is not a session header")
    session_round = header.get("round")
    if not isinstance(session_round, str) or not session_round:
        raise _Unreadable("session header has no `round` field")

    turns = answers = 0
    ended: dict[str, Any] | None = None
    body = data[end_of_header + 1:] if end_of_header >= 0 else b""
    for line in body.split(b"\n"):
        if line.startswith(_TURN) and line.endswith(b"}"):
            head = line[:_ROLE_WITHIN]
            if _CANDIDATE in head:
                turns, answers = turns + 1, answers + 1
                continue
            if _INTERVIEWER in head:
                turns += 1
                continue
        elif line.startswith(_EVENT) or not line.strip():
            continue
        record = _record(line)  # anything not in the writer's own shape is parsed in full
        if record is None:
            continue  # a torn or unreadable line: the reader skips it too
        kind = record.get("type")
        if kind == "turn":
            if record.get("role") in ("interviewer", "candidate") and "text" in record:
                turns += 1
                answers += record["role"] == "candidate"
        elif kind == "end":
            ended = record
        elif kind == "resumed":
            ended = None

    created = _datetime(header.get("created"))
    reason = _text(ended.get("reason")) if ended is not None else None
    summary = SessionSummary(
        path=path,
        session_id=_text(header.get("session_id")),
        created=created,
        round=session_round,
        problem=_text(header.get("problem")),
        level=_text(header.get("level")),
        brain=_text(header.get("brain")),
        turns=turns,
        answers=answers,
        ended_reason=reason,
        completed=reason == "completed",
        scorer=None,
        overall_level=None,
        overall_score=None,
    )
    score_file = path.stem + SCORE_SUFFIX
    if score_file in names:
        _read_scorecard(summary, path.with_name(score_file), stat)
    when = created or datetime.fromtimestamp(stat.st_mtime, timezone.utc)
    return (when, path.name), summary


def _read_scorecard(summary: SessionSummary, path: Path, transcript_stat: os.stat_result) -> None:
    try:
        score_stat = path.stat()
        card = json.loads(read_bounded(path, 1 << 20))
        overall = card["overall"]
        # A dimension that was not assessed has no score, and no place in a trend.
        dimensions = {str(d["id"]): float(d["score"]) for d in card["dimensions"] if d.get("score") is not None}
        scorer = str(card["scorer"])
        level = str(overall["level"])
        value = float(overall["score"])
    except (OSError, ValueError, KeyError, TypeError, RecursionError, InterviewerError) as exc:
        log.warning("%s: saved scorecard ignored: cannot read (%s: %s)", path, type(exc).__name__, exc)
        return
    summary.scorer, summary.overall_level, summary.overall_score = scorer, level, value
    summary.dimension_scores = dimensions
    summary.score_stale = score_stat.st_mtime_ns < transcript_stat.st_mtime_ns


def _record(line: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):  # ValueError includes UnicodeDecodeError
        return None
    return record if isinstance(record, dict) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)
