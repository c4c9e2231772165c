"""Read a transcript: the JSONL this tool writes, or a plain-text interview recorded
elsewhere (`Round: <round>`, then turns starting `Interviewer:` / `Candidate:`)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import TranscriptError
from .model import Transcript, Turn

MAX_BYTES = 64 * 1024 * 1024
_FIX = ("pass a .jsonl transcript saved by interviewer, or a text file whose first line is "
        "'Round: <round>' followed by 'Interviewer:' / 'Candidate:' turns")
_TURN = re.compile(r"^(interviewer|candidate)\s*:\s?(.*)$", re.I)
_HEADER = re.compile(r"^(round|problem|level)\s*:\s*(.*?)\s*$", re.I)


def load_transcript(path: str | Path) -> Transcript:
    path = Path(path)
    try:
        if path.is_dir():
            raise TranscriptError(f"{path}: is a folder; {_FIX}")
        if path.stat().st_size > MAX_BYTES:
            raise TranscriptError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB; {_FIX}")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TranscriptError(f"{path}: no such file; check the path (saved sessions are listed by `interviewer review`)") from None
    except PermissionError:
        raise TranscriptError(f"{path}: permission denied; make the file readable (chmod u+r)") from None
    except OSError as exc:
        raise TranscriptError(f"{path}: cannot read ({exc.strerror}); {_FIX}") from None
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
        except ValueError:
            last = number == len(lines) or (number == len(lines) - 1 and not lines[-1])
            kind = "torn last line" if last and (not ends_clean or number == len(lines)) else "unreadable line"
            warnings.append(f"{path}: line {number}: {kind} skipped ({len(line)} bytes); the turns before it are intact")
            continue
        records.append((number, record))
    if not records or records[0][1].get("type") != "session":
        raise TranscriptError(f"{path}: line 1 is not a session header; {_FIX}")
    header = records[0][1]
    transcript = Transcript(
        path=path,
        format="jsonl",
        round=str(header.get("round", "")),
        problem=header.get("problem"),
        level=header.get("level"),
        session_id=header.get("session_id"),
        created=header.get("created"),
        rubric_sha256=(header.get("rubric") or {}).get("sha256"),
        settings=header.get("settings") or {},
        warnings=warnings,
    )
    if not transcript.round:
        raise TranscriptError(f"{path}: session header has no `round` field; {_FIX}")
    for number, record in records[1:]:
        kind = record.get("type")
        if kind == "turn":
            try:
                transcript.turns.append(_turn(record, len(transcript.turns) + 1))
            except (KeyError, TypeError, ValueError):
                warnings.append(f"{path}: line {number}: turn record is missing `role` or `text`; skipped")
        elif kind == "event":
            transcript.events.append(record)
        elif kind == "end":
            transcript.ended = record
        elif kind == "resumed":
            transcript.ended = None
            transcript.events.append({"kind": "resumed", **record})
    return transcript


def _turn(record: dict[str, Any], n: int) -> Turn:
    role = record["role"]
    if role not in ("interviewer", "candidate"):
        raise ValueError(role)
    return Turn(
        n=n,
        role=role,
        text=str(record["text"]),
        t=float(record.get("t", 0.0)),
        phase=record.get("phase"),
        gate=record.get("gate"),
        move=record.get("move"),
        engine=record.get("engine"),
        llm=record.get("llm"),
    )


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
        body = "\n".join(chunks).strip()
        if body:
            transcript.turns.append(Turn(n=len(transcript.turns) + 1, role=role, text=body))  # type: ignore[arg-type]
    return transcript
