"""A saved session on disk: its transcript and the files kept beside it, found, renamed, deleted
and searched as one.

Beside `<name>.jsonl` live `<name>.score.json` (the latest scorecard), `<name>.scorecards.ndjson`
(every scorecard it was given), `<name>.draft.json`
(the answer and code being typed when the app quit), the exports `<name>.scorecard.md|html|json`
and `<name>.audio/` (kept recordings).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from .bounded_read import read_bounded
from .errors import InterviewerError
from .transcript.reader import MAX_BYTES

SIDECARS = (".score.json", ".scorecards.ndjson", ".draft.json", ".scorecard.md", ".scorecard.html", ".scorecard.json",
            ".audio")
NAME_CHARS = 80
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]*$")


class SessionFileError(InterviewerError):
    title = "Session files"


def find_session(name: str | os.PathLike[str], folder: str | os.PathLike[str]) -> Path:
    """A path as given when it exists; else the session of that name (with or without `.jsonl`)
    in the sessions folder; else the path as given, for the reader to report as missing."""
    path = Path(name)
    if path.exists() or path.is_absolute() or len(path.parts) > 1:
        return path
    for candidate in (Path(folder) / path.name, Path(folder) / f"{path.name}.jsonl"):
        if candidate.is_file():
            return candidate
    return path


def companions(transcript: Path) -> list[Path]:
    """The transcript and every file kept beside it that exists."""
    stem = transcript.name.removesuffix(".jsonl")
    found = [transcript] if transcript.exists() else []
    return found + [p for p in (transcript.with_name(stem + s) for s in SIDECARS) if p.exists()]


def delete_session(transcript: Path) -> list[Path]:
    """Remove a session's transcript and everything kept beside it; return what was removed."""
    removed = []
    for path in companions(transcript):
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError as exc:
            raise SessionFileError(f"{path}: cannot delete ({exc.strerror or exc}); check the folder's "
                                   "permissions") from None
        removed.append(path)
    return removed


def check_name(name: str) -> str:
    name = name.strip().removesuffix(".jsonl").strip()
    if not name or len(name) > NAME_CHARS or not _NAME.match(name):
        raise SessionFileError(f"{name!r} cannot name a session; use up to {NAME_CHARS} letters, digits, spaces, "
                               "dots, dashes or underscores, starting with a letter or digit")
    return name


def rename_session(transcript: Path, name: str) -> Path:
    """Give a session (and its companions) a new name in the same folder; return its new path.
    Nothing is moved unless every new name is free; a failure part-way moves back what moved."""
    name = check_name(name)
    old_stem = transcript.name.removesuffix(".jsonl")
    moves = [(p, p.with_name(name + p.name[len(old_stem):])) for p in companions(transcript)]
    if not moves:
        raise SessionFileError(f"{transcript}: no such session; refresh the list")
    taken = [new for old, new in moves if new.exists() and new != old]
    if taken:
        raise SessionFileError(f"{taken[0]}: already exists; choose another name")
    done: list[tuple[Path, Path]] = []
    try:
        for old, new in moves:
            os.rename(old, new)
            done.append((old, new))
    except OSError as exc:
        for old, new in reversed(done):
            os.rename(new, old)
        raise SessionFileError(f"{transcript}: cannot rename ({exc.strerror or exc}); check the folder's "
                               "permissions") from None
    return transcript.with_name(name + ".jsonl")


def search_text(transcript: Path) -> str:
    """The transcript's text, lower-cased, for searching what was said (bounded like loading)."""
    try:
        return read_bounded(transcript, MAX_BYTES).decode("utf-8", "replace").lower()
    except InterviewerError:
        return ""


def matches(query: str, fields: list[str], transcript: Path | None = None) -> bool:
    """Every word of `query` appears in one of `fields` or, when given, in the transcript."""
    words = query.lower().split()
    if not words:
        return True
    haystack = " ".join(fields).lower()
    missing = [w for w in words if w not in haystack]
    if missing and transcript is not None:
        text = search_text(transcript)
        missing = [w for w in missing if w not in text]
    return not missing
