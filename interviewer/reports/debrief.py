"""Render a loop debrief as Markdown, HTML or JSON, and write the exports, with the scorecards' templates and
filters: a debrief and a scorecard read alike in every format."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..sessions import write_atomic
from .export import FORMATS, environment

if TYPE_CHECKING:
    from ..loops.debrief import Debrief

_TEMPLATES = {"md": "debrief.md.j2", "html": "debrief.html.j2"}


def render_debrief(debrief: Debrief, fmt: str = "md") -> str:
    if fmt == "json":
        return json.dumps(debrief.to_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt not in _TEMPLATES:
        raise ValueError(f"unknown debrief format {fmt!r}; choose from {', '.join(FORMATS)}")
    return environment(fmt).get_template(_TEMPLATES[fmt]).render(debrief=debrief).rstrip() + "\n"


def export_debrief(debrief: Debrief, directory: str | os.PathLike[str], formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write `<loop run>.debrief.<ext>` for each format into `directory`; return the paths in order."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in dict.fromkeys(formats):
        text = render_debrief(debrief, fmt)
        path = folder / f"{debrief.run}.debrief.{fmt}"
        write_atomic(path, text)
        written.append(path)
    return written
