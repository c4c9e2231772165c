"""What the candidate was typing when the app stopped: the answer box and the code editor.

Not part of the record (the transcript holds what was said), so it lives beside it as
`<session>.draft.json`, replaced atomically, scrubbed of secrets like everything written, and
read back when the session resumes. A sent answer clears the answer part.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .bounded_read import read_bounded
from .errors import InterviewerError

if TYPE_CHECKING:
    from .transcript import Transcript

DRAFT_SUFFIX = ".draft.json"
DRAFT_MAX_BYTES = 4 << 20


@dataclass(frozen=True)
class Draft:
    answer: str = ""
    code: str | None = None  # None: the editor was not in use

    @property
    def empty(self) -> bool:
        return not self.answer.strip() and not (self.code or "").strip()


def draft_path(transcript: Path) -> Path:
    return transcript.with_name(transcript.name.removesuffix(".jsonl") + DRAFT_SUFFIX)


def save_draft(transcript: Path, draft: Draft) -> None:
    """Replace the draft file (or remove it when there is nothing to keep). Raises SaveError."""
    from .sessions import write_atomic

    path = draft_path(transcript)
    if draft.empty:
        path.unlink(missing_ok=True)
        return
    text = json.dumps({"answer": draft.answer, "code": draft.code,
                       "saved": datetime.now(timezone.utc).isoformat(timespec="seconds")}, ensure_ascii=False)
    if len(text.encode("utf-8", "backslashreplace")) > DRAFT_MAX_BYTES:
        raise InterviewerError(f"{path}: the draft is over {DRAFT_MAX_BYTES >> 20} MB; shorten the answer or code")
    write_atomic(path, text + "\n")


def load_draft(transcript: Path) -> Draft | None:
    """The saved draft, or None when there is none or it cannot be read (a draft is never worth
    refusing to resume over)."""
    path = draft_path(transcript)
    if not path.exists():
        return None
    try:
        data = json.loads(read_bounded(path, DRAFT_MAX_BYTES))
    except (InterviewerError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    answer, code = data.get("answer"), data.get("code")
    return Draft(answer if isinstance(answer, str) else "", code if isinstance(code, str) else None)


def last_code(transcript: Transcript) -> str | None:
    """The editor's code as last saved with an answer or a check run."""
    for event in reversed(transcript.events):
        if event.get("kind") == "code_snapshot" and isinstance(event.get("code"), str):
            return event["code"]
    return None
