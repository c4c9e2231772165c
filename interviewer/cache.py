"""A small on-disk cache for work derived from the rubrics (the relevance index, the rubric index): computed once, reused by
every later command until a rubric file changes. Purely an optimisation: anything unreadable or unwritable is
recomputed, never an error.

The folder is the per-user cache directory, or `INTERVIEWER_CACHE_DIR` when set.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger("interviewer.cache")


def cache_dir() -> Path:
    override = os.environ.get("INTERVIEWER_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_cache_path("interviewer")


def key_for(files: list[Path], version: str) -> str:
    """A key that changes when any of `files` changes (name, size, modification time) or the format does."""
    digest = hashlib.sha256(version.encode())
    for path in sorted(files):
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:24]


def load(name: str) -> Any | None:
    try:
        return json.loads((cache_dir() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save(name: str, value: Any) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(value), encoding="utf-8")
        os.replace(tmp, folder / name)
    except OSError as exc:
        log.debug("cache %s not written: %s", name, exc)
