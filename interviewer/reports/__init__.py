"""Scorecard and loop debrief exports: Markdown, a standalone HTML page and JSON, from one set of templates.

UI-free: the CLI, the review screen and anything else render scorecards through here.
"""

from .debrief import export_debrief, render_debrief
from .export import FORMATS, environment, export, render_html, render_json, render_markdown

__all__ = ["FORMATS", "export_debrief", "render_debrief", "environment", "export", "render_html", "render_json", "render_markdown"]
