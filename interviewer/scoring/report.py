"""Scorecards as text: Markdown for humans, JSON for tools.

Both delegate to `interviewer.reports`, the one source of the scorecard's formats (the
Markdown comes from its `scorecard.md.j2` template).
"""

from __future__ import annotations

from ..reports.export import render_json, render_markdown
from .scorecard import Scorecard


def to_json_text(card: Scorecard) -> str:
    return render_json(card)


def to_markdown(card: Scorecard) -> str:
    return render_markdown(card)
