"""Where a candidate is in a loop, kept on disk so a loop spans sittings and survives a crash.

A loop run is one JSON file in `loops/` inside the sessions folder (listing sessions reads only `*.jsonl`
directly in that folder, so the two never mix). It holds which loop, the target level, and, per stage, the
name of the session that practised it. The session is linked as soon as it is created, before its first
question, and the file is replaced atomically: after a crash the loop points at a session that can be resumed,
and nothing a candidate said lives only in the loop file. Everything else (finished or not, the scorecard)
is read from the sessions themselves, so the two can never disagree.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..bounded_read import read_bounded
from ..errors import InterviewerError
from ..sessions import RESUMABLE_REASONS, list_sessions, scorecard_path, write_atomic
from ..settings import LEVELS
from .catalog import RENAMED_STAGES, Loop, get_loop

FORMAT = 1
FOLDER = "loops"
MAX_BYTES = 1 << 20


class LoopFileError(InterviewerError):
    title = "Loop file"


@dataclass
class StageStatus:
    """One stage as the sessions folder shows it now."""

    stage_id: str
    session: Path | None  # None: not started (or its session was deleted)
    state: str  # "unavailable", "not started", "in progress", "complete"
    why_unavailable: str = ""
    card: dict[str, Any] | None = None  # the session's latest saved scorecard (JSON form)


@dataclass
class LoopRun:
    path: Path
    loop: Loop
    target: str
    created: str
    run_id: str
    sessions: dict[str, str] = field(default_factory=dict)  # stage id -> session file name

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def folder(self) -> Path:
        """The sessions folder the linked sessions live in."""
        return self.path.parent.parent

    # -------------------------------------------------------------- on disk
    def to_json(self) -> dict[str, Any]:
        return {"type": "loop", "v": FORMAT, "loop": self.loop.id, "id": self.run_id, "created": self.created,
                "target": self.target, "sessions": dict(self.sessions)}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n")

    def attach(self, stage_id: str, session_path: Path) -> None:
        """Link a stage to the session that practises it, on disk before the session asks anything."""
        self.loop.stage(stage_id)  # an unknown stage is a bug, not a state to save
        self.sessions[stage_id] = Path(session_path).name
        self.save()

    # -------------------------------------------------------------- reading
    def statuses(self, unavailable: dict[str, str]) -> list[StageStatus]:
        """Every stage, in order, with what its session says now. `unavailable` comes from
        catalog.availability."""
        summaries = {s.path.name: s for s in list_sessions(self.folder)}
        found = []
        for stage in self.loop.stages:
            if unavailable.get(stage.id):
                found.append(StageStatus(stage.id, None, "unavailable", unavailable[stage.id]))
                continue
            summary = summaries.get(self.sessions.get(stage.id, ""))
            if summary is None:
                found.append(StageStatus(stage.id, None, "not started"))
                continue
            if summary.completed:
                found.append(StageStatus(stage.id, summary.path, "complete", card=_card(summary.path)))
            elif summary.ended_reason in RESUMABLE_REASONS:
                found.append(StageStatus(stage.id, summary.path, "in progress"))
            else:  # ended some other way and cannot go on: practise the stage again
                found.append(StageStatus(stage.id, None, "not started"))
        return found


def next_stage(statuses: list[StageStatus]) -> StageStatus | None:
    """The stage to sit next: the first one in progress or not started, in loop order."""
    return next((s for s in statuses if s.state in ("in progress", "not started")), None)


def loops_folder(sessions_folder: str | os.PathLike[str]) -> Path:
    return Path(sessions_folder) / FOLDER


def start(loop_id: str, target: str | None, sessions_folder: str | os.PathLike[str]) -> LoopRun:
    loop = get_loop(loop_id)
    target = target or loop.target
    if target not in LEVELS:
        raise LoopFileError(f"target level {target!r} is not one of {', '.join(LEVELS)}; pass --level L4, L5 or L6")
    created = datetime.now(timezone.utc)
    run_id = uuid.uuid4().hex[:8]
    path = loops_folder(sessions_folder) / f"{created:%Y%m%d-%H%M%S}-{loop.id}-{run_id}.json"
    run = LoopRun(path, loop, target, created.isoformat(timespec="seconds"), run_id)
    run.save()
    return run


def load(path: str | os.PathLike[str]) -> LoopRun:
    """A saved loop run; anything wrong is one line naming the file, the field and the fix."""
    path = Path(path)
    fix = "fix it or delete the file, then start the loop again with `interviewer loop start`"
    try:
        data = json.loads(read_bounded(path, MAX_BYTES))
    except (ValueError, RecursionError):
        raise LoopFileError(f"{path}: not valid JSON; {fix}") from None
    if not isinstance(data, dict) or data.get("type") != "loop":
        raise LoopFileError(f"{path}: field type: not a loop file (expected \"loop\"); {fix}")
    if data.get("v") != FORMAT:
        raise LoopFileError(f"{path}: field v: version {data.get('v')!r} is not {FORMAT}; {fix}")
    loop_id = data.get("loop")
    try:
        loop = get_loop(loop_id if isinstance(loop_id, str) else "")
    except InterviewerError:
        raise LoopFileError(f"{path}: field loop: {loop_id!r} is not a known loop; {fix}") from None
    if data.get("target") not in LEVELS:
        raise LoopFileError(f"{path}: field target: {data.get('target')!r} is not one of {', '.join(LEVELS)}; {fix}")
    sessions = data.get("sessions", {})
    if isinstance(sessions, dict):
        sessions = {RENAMED_STAGES.get((loop.id, k), k): v for k, v in sessions.items()}
    known = {s.id for s in loop.stages}
    if not isinstance(sessions, dict) or any(k not in known or not isinstance(v, str) or "/" in v or "\\" in v
                                             for k, v in sessions.items()):
        raise LoopFileError(f"{path}: field sessions: expected stage id -> session file name, for stages "
                            f"{', '.join(sorted(known))}; {fix}")
    return LoopRun(path, loop, data["target"], str(data.get("created", "")), str(data.get("id", "")), sessions)


def saved_runs(sessions_folder: str | os.PathLike[str]) -> list[Path]:
    """Every saved loop run, newest first (names start with their UTC start time)."""
    folder = loops_folder(sessions_folder)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob("*.json") if p.is_file()), key=lambda p: p.name, reverse=True)


def find_run(name: str | None, sessions_folder: str | os.PathLike[str], loop_id: str | None = None) -> LoopRun:
    """A loop run by file path or name; without one, the newest (of `loop_id` when given)."""
    if name:
        path = Path(name)
        if not path.exists():
            path = loops_folder(sessions_folder) / (path.name if path.name.endswith(".json") else path.name + ".json")
        if not path.is_file():
            raise LoopFileError(f"{name}: no such loop; list them with `interviewer loop status --all`")
        return load(path)
    for path in saved_runs(sessions_folder):
        run = load(path)
        if loop_id is None or run.loop.id == loop_id:
            return run
    raise LoopFileError("no loop started yet; start one with `interviewer loop start mle` (or swe, senior-swe)")


def _card(session: Path) -> dict[str, Any] | None:
    path = scorecard_path(session)
    try:
        card = json.loads(read_bounded(path, MAX_BYTES))
    except (InterviewerError, ValueError, RecursionError):
        return None  # not scored yet, or unreadable: the debrief scores the transcript again
    return card if isinstance(card, dict) and "dimensions" in card else None
