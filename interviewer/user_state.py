"""What the app remembers between runs that is not a setting: the chosen theme, and which old
session folders it has already offered to import. One small JSON file in the user state folder
(`interviewer paths` prints where), written atomically; a damaged file reads as empty."""

from __future__ import annotations

import json
import threading
from typing import Any

from .bounded_read import read_bounded
from .errors import InterviewerError
from .paths import state_file

STATE_MAX_BYTES = 256 * 1024
_lock = threading.Lock()


def load_state() -> dict[str, Any]:
    path = state_file()
    if not path.exists():
        return {}
    try:
        data = json.loads(read_bounded(path, STATE_MAX_BYTES))
    except (InterviewerError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def update_state(**changes: Any) -> None:
    """Merge `changes` into the state file. Failing to remember is never fatal."""
    from .sessions import SaveError, write_atomic

    with _lock:
        data = {**load_state(), **changes}
        path = state_file()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        except (OSError, SaveError):
            pass
