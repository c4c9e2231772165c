"""The interview screen's status line and rubric panel, as text built from the session."""

from __future__ import annotations

from ..rubric.schema import Rubric
from ..session import Session
from ..transcript import mmss


def status_line(session: Session) -> str:
    """Round, problem, phase or coding part, the clock against the phase budget and the round."""
    engine = session.engine
    phase = engine.phase
    now = session.elapsed()
    gate = ""
    if phase.ask_from == "gates" and engine.state.gate:
        gate = f" · part {engine.state.gate}/4: {session.problem.gates[engine.state.gate - 1].title}"
    in_phase = now - engine.state.phase_started_at
    over = " (over budget)" if in_phase > phase.budget_min * 60 else ""
    return (f"{session.rubric.title} · {session.problem.title} · {phase.title}{gate} · "
            f"{mmss(in_phase)} / {mmss(phase.budget_min * 60)}{over} · round {mmss(now)} / "
            f"{mmss(session.rubric.duration_min * 60)} · {session.brain.name}")


def rubric_text(rubric: Rubric) -> str:
    """What the round looks for, for the F4 panel."""
    lines = [f"## What {rubric.title} looks for", "", rubric.summary.strip(), ""]
    for d in rubric.dimensions:
        lines += [f"**{d.title}**: great = {d.great.strip()}", ""]
    lines += [f"*Pass bar:* {rubric.pass_bar.strip()}"]
    return "\n".join(lines)
