"""Load and validate rubric files, turning every problem into one actionable line."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..errors import RubricError, UnknownRoundError
from ..resources import rubrics_dir
from .index import RoundInfo, cached_data, digest, keep_data, rounds, yaml_load

if TYPE_CHECKING:
    from pydantic import ValidationError

    from .schema import Rubric

__all__ = ["LoadedRubric", "RoundInfo", "RubricLibrary", "load_rubric_file", "validate_path"]
RUBRIC_SUFFIXES = (".yaml", ".yml")


class LoadedRubric(NamedTuple):  # a tuple: listing rounds need not import dataclasses
    """A validated rubric with where it came from and a hash of its exact bytes, so a
    transcript can tell later whether the rubric it was run against has changed."""

    rubric: Rubric
    path: Path
    sha256: str


def load_rubric_file(path: str | Path, cached: bool = False) -> LoadedRubric:
    """Parse and validate one rubric file. `cached`: take the parsed YAML from the rubric index when these
    exact bytes were parsed before (validation still runs, against today's schema)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RubricError(f"{path}: cannot read rubric ({exc.strerror}); check the path") from None
    sha = digest(raw)
    data = cached_data(sha) if cached else None
    if data is None:
        data = _parse(path, raw)
        if cached:
            keep_data(sha, data)
    if not isinstance(data, dict):
        raise RubricError(f"{path}: expected a mapping of rubric fields at the top level (id, title, phases, ...)")
    from pydantic import ValidationError

    from .schema import Rubric

    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        raise RubricError(f"{path}: {_describe(exc, data)}") from None
    if path.stem != rubric.id:
        raise RubricError(f"{path}: field id is {rubric.id!r} but the file is named {path.name}; make them match")
    return LoadedRubric(rubric=rubric, path=path, sha256=sha)


def _parse(path: Path, raw: bytes):
    import yaml

    try:
        return yaml_load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise RubricError(f"{path}: not UTF-8 text; save the rubric as UTF-8 YAML") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise RubricError(f"{path}:{where}: {problem}; fix the YAML syntax there") from None


def _describe(exc: "ValidationError", data: dict) -> str:
    """The first validation error as `field a.b.c: problem; fix`, with list indexes
    replaced by the item's id where it has one, so the field is easy to find."""
    error = exc.errors()[0]
    parts: list[str] = []
    node: object = data
    for key in error["loc"]:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            node = node[key]
            ident = node.get("id") if isinstance(node, dict) else None
            parts.append(str(ident) if ident else f"[{key}]")
        else:
            node = node.get(key) if isinstance(node, dict) else None
            parts.append(str(key))
    field = ".".join(parts) or "rubric"
    kind = error["type"]
    message = error["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        fix = "remove it or check its spelling against rubrics/README.md"
        return f"field {field}: unknown field; {fix}"
    if kind == "missing":
        return f"field {field}: required but missing; add it (see rubrics/README.md)"
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    where = f"field {field}: " if parts else ""
    return f"{where}{message}{more}; fix it and run `interviewer rubrics --validate`"


class RubricLibrary:
    """Every rubric in a folder, loaded on first use."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else rubrics_dir()

    def paths(self) -> list[Path]:
        return sorted(p for p in self.folder.iterdir() if p.suffix in RUBRIC_SUFFIXES)

    def round_ids(self) -> list[str]:
        return [p.stem for p in self.paths()]

    def load(self, round_id: str) -> LoadedRubric:
        for path in self.paths():
            if path.stem == round_id:
                return _cached_load(path, path.stat().st_mtime_ns)
        known = ", ".join(self.round_ids())
        raise UnknownRoundError(f"unknown round {round_id!r}; choose one of: {known}")

    def all(self) -> list[LoadedRubric]:
        return [_cached_load(p, p.stat().st_mtime_ns) for p in self.paths()]

    def index(self) -> list[RoundInfo]:
        """Id, title, length and problem count of every round, from the rubric index: enough to list
        them, without parsing or validating a rubric whose bytes were seen before."""
        return rounds(self.paths())


@lru_cache(maxsize=64)
def _cached_load(path: Path, _mtime: int) -> LoadedRubric:
    return load_rubric_file(path, cached=True)


def validate_path(path: str | Path) -> list[LoadedRubric]:
    """Validate one rubric file or every rubric in a folder; raises on the first bad one."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in RUBRIC_SUFFIXES)
        if not files:
            raise RubricError(f"{path}: no .yaml rubric files in this folder")
        return [load_rubric_file(p) for p in files]
    if not path.exists():
        raise RubricError(f"{path}: no such file; pass a rubric .yaml file or a folder of them")
    return [load_rubric_file(path)]
