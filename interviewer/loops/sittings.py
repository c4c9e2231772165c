"""A loop over the services: which stages the rubrics can run, the next sitting's session, and the debrief.

Shared by the `loop` command, the plain mode and the app, so each sitting is started, linked and read the same
way wherever it runs.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .catalog import Loop, Stage, availability, stage_problems
from .debrief import Debrief, build
from .progress import LoopRun, StageStatus, next_stage

if TYPE_CHECKING:
    from ..rubric.loader import RubricLibrary
    from ..services import Services
    from ..session import Session
    from ..transcript import Transcript
    from ..transcript import Transcript


def round_problems(library: RubricLibrary, loop: Loop) -> dict[str, list[str]]:
    """Each round this loop uses that the library has, with its problem ids."""
    known = {r.id for r in library.index()}
    return {rid: [p.id for p in library.load(rid).rubric.problems] for rid in loop.rounds() if rid in known}


def statuses(run: LoopRun, library: RubricLibrary) -> list[StageStatus]:
    """Every stage as it stands. A finished round whose scorecard was never saved (the app closed on the
    scorecard's way to disk) is scored now and the scorecard kept, so the debrief never skips a sat round."""
    found = run.statuses(availability(run.loop, round_problems(library, run.loop)))
    for status in found:
        if status.state == "complete" and status.card is None and status.session is not None:
            status.card = _score(status, run.loop.stage(status.stage_id), library)
    return found


def debrief(run: LoopRun, library: RubricLibrary) -> Debrief:
    return build(run, statuses(run, library))


def open_stage(run: LoopRun, services: Services, rng: random.Random | None = None, clock: Callable[[], float] | None = None
               ) -> tuple[Stage, Session, Transcript | None] | None:
    """The next stage's session: the interrupted one resumed (with its transcript), or a new one linked to the
    loop before it asks anything (transcript None). None when every available stage is complete."""
    from ..session import Session

    timing = {"clock": clock} if clock is not None else {}
    status = next_stage(statuses(run, services.library))
    if status is None:
        return None
    stage = run.loop.stage(status.stage_id)
    if status.session is not None:
        session, transcript = Session.resume(status.session, services.library, services.settings, services.brain,
                                             **timing)
        session.llm_config = services.llm if services.uses_llm else None
        return stage, session, transcript
    problems = stage_problems(stage, [p.id for p in services.library.load(stage.round).rubric.problems])
    problem = (rng or random.Random()).choice(problems) if problems else None
    settings = dataclasses.replace(services.settings, level=run.target)
    session = Session.create(services.library, stage.round, problem, settings, services.brain, rng=rng,
                             brain_settings=services.llm.public() if services.uses_llm else None, **timing)
    session.llm_config = services.llm if services.uses_llm else None
    run.attach(stage.id, session.path)
    return stage, session, None


def current_run(loop_id: str, target: str, services: Services) -> LoopRun:
    """The newest run of this loop while it has a stage left to sit; otherwise a new run at `target`."""
    from .progress import LoopFileError, find_run, start

    folder = services.settings.transcripts_dir
    try:
        run = find_run(None, folder, loop_id)
    except LoopFileError:
        return start(loop_id, target, folder)
    return run if next_stage(statuses(run, services.library)) is not None else start(loop_id, target, folder)


def open_loop(loop: str | Path, target: str, services: Services, clock: Callable[[], float] | None = None
              ) -> tuple[str, Session, Transcript | None]:
    """For the app: the next round of a saved run (a path) or of a loop's current run (an id), with a line
    saying where the candidate is. Raises when every available round is complete."""
    from ..errors import InterviewerError
    from .progress import load

    run = load(loop) if isinstance(loop, Path) else current_run(loop, target, services)
    opened = open_stage(run, services, clock=clock)
    if opened is None:
        raise InterviewerError("every available round of this loop is complete; press D on the setup screen "
                               "(or run `interviewer loop debrief`) for the debrief")
    stage, session, transcript = opened
    return f"{position(run, statuses(run, services.library))}. This sitting: {stage.title}.", session, transcript


def position(run: LoopRun, found: list[StageStatus]) -> str:
    """Where the candidate is, in one line: `2 of 6 available rounds complete; next: ML coding`."""
    available = [s for s in found if s.state != "unavailable"]
    done = sum(1 for s in available if s.state == "complete")
    upcoming = next_stage(found)
    after = (f"; next: {run.loop.stage(upcoming.stage_id).title}" + (" (in progress)" if upcoming.state ==
             "in progress" else "")) if upcoming else "; the debrief is ready"
    return f"{run.loop.title} loop, target {run.target}: {done} of {len(available)} available rounds complete{after}"


def _score(status: StageStatus, stage: Stage, library: RubricLibrary) -> dict[str, Any] | None:
    from ..scoring import score
    from ..sessions import save_scorecard
    from ..transcript import load_transcript

    card = score(load_transcript(status.session), library.load(stage.round).rubric)
    save_scorecard(status.session, card, reason="scored for the loop debrief")
    return card.to_json()
