"""Render a scorecard as Markdown, HTML or JSON, and write the exports beside each other.

The Markdown and HTML come from Jinja2 templates shipped inside this package
(`templates/`), rendered with StrictUndefined: a variable the template names but the
card lacks is an error, never a silent blank. The HTML environment autoescapes, so every
piece of candidate text (evidence quotes, transcript turns) reaches the page escaped.

This module imports no scorer at runtime (only the scorecard's shape matters here), so
`interviewer.scoring.report` can delegate to it without an import cycle.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Literal

import jinja2

from ..sessions import write_atomic
from ..transcript import Transcript, load_transcript, mmss

if TYPE_CHECKING:
    from ..scoring.scorecard import Scorecard

Format = Literal["md", "html", "json"]
FORMATS: tuple[str, ...] = ("md", "html", "json")
LEVEL_LABELS = {"below_bar": "below bar", "good": "good", "great": "great"}
_TEMPLATES = {"md": "scorecard.md.j2", "html": "scorecard.html.j2"}


# ------------------------------------------------------------------ filters
def _label(level: str) -> str:
    return LEVEL_LABELS.get(level, str(level).replace("_", " "))


def _points(score: float) -> str:
    return f"{score:.0f}"


def _provenance(proactive: bool | None) -> str:
    """Whether a quote was raised unprompted; blank when the scorer does not know."""
    if proactive is None:
        return ""
    return "unprompted" if proactive else "when asked"


def _sentence(text: str) -> str:
    text = str(text).strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _blockquote(text: str) -> str:
    return "> " + str(text).strip().replace("\n", "\n> ")


def _continue(text: str, indent: int) -> str:
    """Indent every line after the first, so multi-line text stays inside its list item."""
    return str(text).replace("\n", "\n" + " " * indent)


def _gate_details(gate: dict[str, Any]) -> list[str]:
    details = []
    if gate.get("passed") and gate.get("tradeoff_explained") is not None:  # no transition without a pass
        details.append("tradeoff explained" if gate["tradeoff_explained"] else "tradeoff not explained")
    if gate.get("elapsed_s") is not None:
        details.append(f"{gate['elapsed_s'] / 60:.1f} min")
    if gate.get("runs") is not None:
        details.append(f"{gate['runs']} check run{'' if gate['runs'] == 1 else 's'}")
    return details


def _cell(text: str) -> str:
    """Text that stays inside one Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _speaker(role: str) -> str:
    return "Interviewer" if role == "interviewer" else "Candidate"


def _build(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("interviewer.reports", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(label=_label, points=_points, provenance=_provenance, sentence=_sentence,
                       blockquote=_blockquote, continue_lines=_continue, mmss=mmss, gate_details=_gate_details,
                       speaker=_speaker, cell=_cell)
    return env


@lru_cache(maxsize=2)
def environment(kind: Literal["md", "html"] = "md") -> jinja2.Environment:
    """The strict Jinja2 environment for one output kind: `md` (no escaping) or `html` (autoescape)."""
    if kind not in _TEMPLATES:
        raise ValueError(f"unknown template kind {kind!r}; use md or html")
    return _build(autoescape=kind == "html")


# ------------------------------------------------------------------ renderers
def render_markdown(card: Scorecard, transcript: Transcript | None = None) -> str:
    text = environment("md").get_template(_TEMPLATES["md"]).render(card=card, transcript=transcript)
    return text.rstrip() + "\n"


def render_html(card: Scorecard, transcript: Transcript | None = None) -> str:
    text = environment("html").get_template(_TEMPLATES["html"]).render(card=card, transcript=transcript)
    return text.rstrip() + "\n"


def render_json(card: Scorecard) -> str:
    return json.dumps(card.to_json(), indent=2, ensure_ascii=False)


# ------------------------------------------------------------------ files
def export(
    card: Scorecard,
    transcript: Transcript | str | os.PathLike[str] | None,
    directory: str | os.PathLike[str],
    formats: Iterable[str] = FORMATS,
) -> list[Path]:
    """Write `<transcript stem>.scorecard.<ext>` for each format into `directory` (created
    with its parents) and return the paths in the order of `formats`. Markdown and HTML carry
    the transcript after the scorecard. `transcript` may be a loaded Transcript or its path."""
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown export format(s) {', '.join(map(repr, unknown))}; choose from {', '.join(FORMATS)}")
    if transcript is not None and not isinstance(transcript, Transcript):
        transcript = load_transcript(transcript)
    stem = _stem(card, transcript)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        if fmt == "md":
            text = render_markdown(card, transcript)
        elif fmt == "html":
            text = render_html(card, transcript)
        else:
            text = render_json(card) + "\n"
        path = folder / f"{stem}.scorecard.{fmt}"
        write_atomic(path, text)
        written.append(path)
    return written


def _stem(card: Scorecard, transcript: Transcript | None) -> str:
    if transcript is not None and transcript.path is not None:
        return transcript.path.stem
    if transcript is not None and transcript.session_id:
        return f"{card.round}-{transcript.session_id}"
    return card.round + (f"-{card.problem}" if card.problem else "")
