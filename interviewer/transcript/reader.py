"""Read a transcript: the JSONL this tool writes, or a plain-text interview recorded
elsewhere (`Round: <round>`, then turns starting `Interviewer:` / `Candidate:`)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from ..bounded_read import read_bounded
from ..errors import TranscriptError
from ..terminal_text import printable
from .model import Transcript, Turn

MAX_BYTES = 64 * 1024 * 1024
_FIX = ("pass a .jsonl transcript saved by interviewer, or a text file whose first line is "
        "'Round: <round>' followed by 'Interviewer:' / 'Candidate:' turns")
_TURN = re.compile(r"^(interviewer|candidate)\s*:\s?(.*)$", re.I)
_HEADER = re.compile(r"^(round|problem|level)\s*:\s*(.*?)\s*$", re.I)


def load_transcript(path: str | Path) -> Transcript:
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise TranscriptError(f"{path}: no such file; check the path (saved sessions are listed by "
                              "`interviewer sessions`)")
    raw = read_bounded(path, MAX_BYTES, TranscriptError, _FIX)
    if b"\x00" in raw[:8192]:
        raise TranscriptError(f"{path}: binary data, not a transcript; {_FIX}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TranscriptError(f"{path}: not UTF-8 text (bad byte at offset {exc.start}); {_FIX}") from None
    if not text.strip():
        raise TranscriptError(f"{path}: empty file; {_FIX}")
    if text.lstrip().startswith("{"):
        return _parse_jsonl(path, text)
    return parse_text(text, path)


def _parse_jsonl(path: Path, text: str) -> Transcript:
    lines = text.split("\n")
    ends_clean = text.endswith("\n")
    records: list[tuple[int, dict[str, Any]]] = []
    warnings: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not an object")
        except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
            last = number == len(lines) or (number == len(lines) - 1 and not lines[-1])
            kind = "torn last line" if last and (not ends_clean or number == len(lines)) else "unreadable line"
            warnings.append(f"{path}: line {number}: {kind} skipped ({len(line)} bytes); the turns before it are intact")
            continue
        records.append((number, record))
    if not records or records[0][1].get("type") != "session":
        raise TranscriptError(f"{path}: line 1 is not a session header; {_FIX}")
    header = records[0][1]
    if not isinstance(header.get("round"), str) or not header["round"].strip():
        raise TranscriptError(f"{path}: session header has no `round` field (a round id such as "
                              f"\"system-design\"); {_FIX}")
    for name, kind in (("settings", dict), ("rubric", dict)):
        if header.get(name) is not None and not isinstance(header[name], kind):
            warnings.append(f"{path}: line 1: field {name} is not an object; ignored")
    rubric = header.get("rubric") if isinstance(header.get("rubric"), dict) else {}
    transcript = Transcript(
        path=path,
        format="jsonl",
        round=header["round"],
        problem=_text(header, "problem", path, warnings),
        level=_text(header, "level", path, warnings),
        session_id=_text(header, "session_id", path, warnings),
        created=_text(header, "created", path, warnings),
        rubric_sha256=rubric.get("sha256") if isinstance(rubric.get("sha256"), str) else None,
        settings=header.get("settings") if isinstance(header.get("settings"), dict) else {},
        warnings=warnings,
    )
    for number, record in records[1:]:
        kind = record.get("type")
        if kind == "turn":
            try:
                transcript.turns.append(_turn(record, len(transcript.turns) + 1, warnings, f"{path}: line {number}"))
            except (KeyError, TypeError, ValueError) as exc:
                warnings.append(f"{path}: line {number}: turn record skipped ({_why(exc)})")
        elif kind == "event":
            after = record.get("after_turn", 0)
            if isinstance(record.get("kind"), str) and isinstance(after, int) and not isinstance(after, bool):
                transcript.events.append(record)
            else:
                warnings.append(f"{path}: line {number}: event without a `kind` or a whole-number `after_turn`; "
                                "skipped")
        elif kind == "end":
            transcript.ended = record
        elif kind == "resumed":
            transcript.ended = None
            transcript.events.append({"kind": "resumed", **record})
    return transcript


def _turn(record: dict[str, Any], n: int, warnings: list[str], where: str) -> Turn:
    role = record.get("role")
    if role not in ("interviewer", "candidate"):
        raise ValueError("`role` is not interviewer or candidate")
    if not isinstance(record.get("text"), str):
        raise ValueError("`text` is missing or not a string")
    t = record.get("t", 0.0)
    if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t):
        raise ValueError("`t` is not a number of seconds")
    details = {}
    for name in ("move", "engine", "llm"):
        details[name] = record.get(name)
        if details[name] is not None and not isinstance(details[name], dict):
            warnings.append(f"{where}: field {name} is not an object; ignored")
            details[name] = None
    gate = record.get("gate")
    if gate is not None and (isinstance(gate, bool) or not isinstance(gate, int)):
        raise ValueError("`gate` is not a whole number")
    phase = record.get("phase")
    return Turn(
        n=n,
        role=role,
        text=printable(record["text"]),  # escape sequences in a saved answer must not act on a terminal
        t=float(t),
        phase=phase if isinstance(phase, str) else None,
        gate=gate,
        **details,
    )


def _why(exc: Exception) -> str:
    return str(exc) if isinstance(exc, ValueError) and str(exc).startswith("`") else "missing `role` or `text`"


def _text(header: dict[str, Any], name: str, path: Path, warnings: list[str]) -> str | None:
    value = header.get(name)
    if value is None or isinstance(value, str):
        return value or None
    warnings.append(f"{path}: line 1: field {name} is not a string; ignored")
    return None


def parse_text(text: str, path: Path | None = None) -> Transcript:
    where = f"{path}" if path else "transcript"
    header: dict[str, str] = {}
    turns: list[tuple[str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        turn = _TURN.match(line.strip()) if not line[:1].isspace() else None
        if turn:
            turns.append((turn.group(1).lower(), [turn.group(2)]))
            continue
        if not turns:
            meta = _HEADER.match(line.strip())
            if meta:
                header[meta.group(1).lower()] = meta.group(2)
            elif line.strip():
                raise TranscriptError(f"{where}: line {number}: expected 'Round: <round>' or a turn before this text; {_FIX}")
            continue
        turns[-1][1].append(line)
    if "round" not in header or not header["round"]:
        raise TranscriptError(f"{where}: no 'Round: <round>' line at the top; add one naming the round, e.g. 'Round: system-design'")
    if not turns:
        raise TranscriptError(f"{where}: no turns found; start each turn with 'Interviewer:' or 'Candidate:'")
    transcript = Transcript(path=path, format="text", round=header["round"], problem=header.get("problem") or None,
                            level=header.get("level") or None)
    for role, chunks in turns:
        body = printable("\n".join(chunks)).strip()
        if body:
            transcript.turns.append(Turn(n=len(transcript.turns) + 1, role=role, text=body))  # type: ignore[arg-type]
    return transcript
