"""The session index: each saved session's summary, kept in the per-user cache folder (one file per
sessions folder) with the size and modification time of the transcript and of its scorecard. Listing
stats the folder and reads again only what was written since (a new session, an answer appended, a
re-score), so 10,000 sessions list in the time it takes to stat them rather than to read them. Saving a
scorecard (the end of a session, a re-score) writes that session's entry at once, so the next listing reads
nothing for it; an answer appended is left to the listing, since rewriting the whole index on every answer
would cost more than the one file it saves reading.

Only a shortcut: an unreadable or stale index is rebuilt from the files, never trusted over them.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache

if TYPE_CHECKING:
    from .sessions import SessionSummary

FORMAT = 1
_FIELDS = ("session_id", "round", "problem", "level", "brain", "turns", "answers", "ended_reason", "completed",
           "scorer", "overall_level", "overall_score", "dimension_scores", "score_stale")



def _name(folder: Path) -> str:
    where = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:20]
    return f"sessions-{FORMAT}-{where}.json"


def load(folder: Path) -> dict[str, Any]:
    stored = cache.load(_name(folder))
    return stored["sessions"] if isinstance(stored, dict) and stored.get("format") == FORMAT else {}


def save(folder: Path, entries: dict[str, Any]) -> None:
    cache.save(_name(folder), {"format": FORMAT, "sessions": entries})


def stamp(stat_size: int, mtime_ns: int, score_mtime_ns: int) -> list[int]:
    """What must be unchanged for an entry to stand: the transcript's size and time, and its scorecard's."""
    return [stat_size, mtime_ns, score_mtime_ns]


def to_entry(stamp: list[int], key: tuple[datetime, str], summary: SessionSummary) -> dict[str, Any]:
    entry = {name: getattr(summary, name) for name in _FIELDS}
    entry.update(stamp=stamp, when=key[0].isoformat(),
                 created=summary.created.isoformat() if summary.created else None)
    return entry


def from_entry(path: Path, entry: Any, stamp: list[int]) -> tuple[tuple[datetime, str], SessionSummary] | None:
    """The summary kept for `path`, or None when there is none, it is stale or it cannot be read."""
    from .sessions import SessionSummary

    if not isinstance(entry, dict) or entry.get("stamp") != stamp:
        return None
    try:
        created = datetime.fromisoformat(entry["created"]) if entry["created"] else None
        summary = SessionSummary(path=path, created=created, **{name: entry[name] for name in _FIELDS})
        return (datetime.fromisoformat(entry["when"]), path.name), summary
    except (KeyError, TypeError, ValueError):
        return None
