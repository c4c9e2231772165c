"""Scorecards as text: Markdown for humans, JSON for tools."""

from __future__ import annotations

import json

from .scorecard import Scorecard

_LABEL = {"below_bar": "below bar", "good": "good", "great": "great"}


def to_json_text(card: Scorecard) -> str:
    return json.dumps(card.to_json(), ensure_ascii=False, indent=2)


def to_markdown(card: Scorecard) -> str:
    lines = [
        f"# Scorecard: {card.round}" + (f" / {card.problem}" if card.problem else ""),
        "",
        f"**Overall: {_LABEL[card.overall_level]} ({card.overall_score:.0f}/100)** · level signal: "
        f"**{card.level_signal}** · scorer: `{card.scorer}`",
        "",
        card.level_reason,
        "",
    ]
    if card.gates:
        lines += ["## Gates", ""]
        for gate in card.gates:
            mark = "passed" if gate["passed"] else "not passed"
            title = f" {gate['title']}" if gate.get("title") else ""
            extra = []
            if gate.get("tradeoff_explained") is not None:
                extra.append("tradeoff explained" if gate["tradeoff_explained"] else "tradeoff not explained")
            if gate.get("elapsed_s") is not None:
                extra.append(f"{gate['elapsed_s'] / 60:.1f} min")
            lines.append(f"- Gate {gate['gate']}{title}: {mark}" + (f" ({', '.join(extra)})" if extra else ""))
        lines.append("")
    for dim in card.dimensions:
        lines += [f"## {dim.title}: {_LABEL[dim.level]} ({dim.score:.0f})", "", f"_{dim.descriptor.strip()}_", ""]
        lines.append(f"Why: {dim.rationale}.")
        lines.append("")
        if dim.evidence:
            lines.append("Evidence:")
            for quote in dim.evidence:
                tag = "" if quote.proactive is None else (" (unprompted)" if quote.proactive else " (when asked)")
                lines.append(f"- turn {quote.turn}{tag}: \"{quote.quote}\"")
        else:
            lines.append("Evidence: nothing in the transcript showed this.")
        lines.append("")
        if dim.level != "great":
            lines += ["What great sounds like:", "", "> " + dim.great_example.strip().replace("\n", "\n> "), ""]
    lines += ["---", ""] + [f"- {note}" for note in card.notes]
    return "\n".join(lines).rstrip() + "\n"
