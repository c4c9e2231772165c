"""The interview screen's status line and rubric panel, as text built from the session."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the session and the rubric's schema load on the screen's worker, not before its first frame
    from ..rubric.schema import Rubric
    from ..session import Session

SEPARATOR = " · "


def brain_label(session: Session) -> str:
    """Who is phrasing the interviewer: `offline`, or `LLM <model>` (and why it fell back)."""
    if session.degraded:
        return "offline (LLM unavailable)"
    name = session.brain.name
    return f"LLM {name.removeprefix('llm:')}" if name.startswith("llm:") else name


def status_line(session: Session, width: int | None = None) -> str:
    """Round, problem, phase or coding part, the clock against the phase budget and the round,
    and the interviewer in use. On a narrow terminal the least useful parts go first (titles,
    then the part's name), shortest forms next; the clocks and the interviewer always stay."""
    from ..transcript.model import mmss  # loaded with the session, after the screen's first frame

    engine = session.engine
    phase = engine.phase
    now = session.elapsed()
    in_phase = now - engine.state.phase_started_at
    over = " (over)" if in_phase > phase.budget_min * 60 else ""
    phase_clock = f"{mmss(in_phase)}/{mmss(phase.budget_min * 60)}{over}"
    round_clock = f"round {mmss(now)}/{mmss(session.rubric.duration_min * 60)}"
    part = part_short = ""
    if phase.ask_from == "gates" and engine.state.gate:
        gate = engine.state.gate
        part_short = f"part {gate}/{len(session.problem.gates)}"
        part = f"{part_short}: {session.problem.gates[gate - 1].title}"
    # Each candidate is a fuller line than the next; the first that fits is shown.
    candidates = [
        [session.rubric.title, session.problem.title, phase.title, part, phase_clock, round_clock],
        [session.problem.title, phase.title, part, phase_clock, round_clock],
        [phase.title, part, phase_clock, round_clock],
        [phase.title, part_short, phase_clock, round_clock],
        [part_short or phase.title, phase_clock, round_clock.removeprefix("round ")],
        [phase_clock, round_clock.removeprefix("round ")],
    ]
    label = brain_label(session)
    for parts in candidates:
        line = SEPARATOR.join(p for p in parts + [label] if p)
        if width is None or len(line) <= width:
            return line
    return line


def rubric_text(rubric: Rubric) -> str:
    """What the round looks for, for the F4 panel."""
    lines = [f"## What {rubric.title} looks for", "", rubric.summary.strip(), ""]
    for d in rubric.dimensions:
        lines += [f"**{d.title}**: great = {d.great.strip()}", ""]
    lines += [f"*Pass bar:* {rubric.pass_bar.strip()}"]
    return "\n".join(lines)
