"""The rubric index, kept in the per-user cache folder and keyed by the SHA-256 of each rubric file's bytes:
what listing rounds needs (title, length, number of problems) and each rubric's parsed YAML. Listing rounds
and starting a session then hash the files (about a millisecond for the whole library) instead of parsing
every YAML file; a file whose bytes change gets a new key, so an edit is never hidden by the cache.

The cache is only a shortcut: anything unreadable there is rebuilt from the files, and `interviewer rubrics
--check` (like `--validate`) always validates from the YAML itself.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, NamedTuple

from .. import cache

FORMAT = 1
INDEX = f"rubric-index-{FORMAT}.json"


class RoundInfo(NamedTuple):  # a tuple, not a dataclass: listing rounds need not import dataclasses
    id: str
    title: str
    duration_min: int
    problems: int = 0


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def yaml_load(text: str) -> Any:
    """Parse YAML with libyaml's safe loader where it is built in (10x faster), else PyYAML's.
    Imported here: a warm index needs no YAML parser at all."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


def _data_name(sha: str) -> str:
    return f"rubric-{FORMAT}-{sha[:32]}.json"


def cached_data(sha: str) -> Any | None:
    """The parsed YAML of the rubric file whose bytes hash to `sha`, when it was parsed before."""
    stored = cache.load(_data_name(sha))
    return stored["data"] if isinstance(stored, dict) and stored.get("sha256") == sha else None


def keep_data(sha: str, data: Any) -> None:
    """Keep parsed YAML for next time, only when JSON gives it back unchanged (YAML also has dates and
    non-string keys, which JSON would silently turn into something else)."""
    try:
        text = json.dumps(data)
        if json.loads(text) != data:
            return
    except (TypeError, ValueError, RecursionError):
        return
    cache.save(_data_name(sha), {"sha256": sha, "data": data})


def rounds(paths: list[Path]) -> list[RoundInfo]:
    """Id, title, length and problem count of each rubric file, without validating it (a broken rubric is
    reported when its round is loaded, or by `interviewer rubrics --check`)."""
    stored = cache.load(INDEX)
    known = stored.get("rounds", {}) if isinstance(stored, dict) and stored.get("format") == FORMAT else {}
    current: dict[str, dict[str, Any]] = {}
    found = []
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError:
            found.append(RoundInfo(path.stem, path.stem, 0))
            continue
        key = f"{path.stem}:{digest(raw)}"
        entry = known.get(key)
        if not isinstance(entry, dict):
            entry = _summary(path, raw)
        if entry is None:
            found.append(RoundInfo(path.stem, path.stem, 0))
            continue
        current[key] = entry
        found.append(RoundInfo(path.stem, str(entry["title"]), int(entry["duration_min"]), int(entry["problems"])))
    if current != known:
        cache.save(INDEX, {"format": FORMAT, "rounds": current})  # only today's files: edits leave nothing behind
    return found


def _summary(path: Path, raw: bytes) -> dict[str, Any] | None:
    sha = digest(raw)
    data = cached_data(sha)
    if data is None:
        try:
            data = yaml_load(raw.decode("utf-8"))
        except Exception:  # noqa: BLE001 - unreadable here is reported, with its fix, when the round is loaded
            return None
        keep_data(sha, data)
    if not isinstance(data, dict):
        return None
    try:
        info = RoundInfo(path.stem, str(data["title"]), int(data["duration_min"]), len(data.get("problems") or []))
    except (KeyError, TypeError, ValueError):
        return None
    return {k: v for k, v in info._asdict().items() if k != "id"}
