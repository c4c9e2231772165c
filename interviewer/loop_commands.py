"""`interviewer loop`: list the loops, start one, sit its next round, see where it stands, read the debrief."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: `interviewer` alone never builds a parser
    import argparse


def loop(args: argparse.Namespace) -> int:
    action = args.loop_action or "list"
    return {"list": _list, "start": _start, "next": _next, "status": _status, "debrief": _debrief}[action](args)


def _services(args: argparse.Namespace, **options):
    from .commands import build_services

    return build_services(transcripts_dir=getattr(args, "transcripts_dir", None),
                          model=getattr(args, "model", None), base_url=getattr(args, "base_url", None), **options)


def _list(args: argparse.Namespace) -> int:
    """Every loop, stage by stage: the real stage's length, the round that practises it, or why it cannot yet."""
    from .loops.catalog import LOOPS, availability
    from .loops.sittings import round_problems

    library = _services(args, brain="offline").library
    for number, one in enumerate(LOOPS.values()):
        why = availability(one, round_problems(library, one))
        print(("\n" if number else "") + f"{one.id}: {one.title} (target {one.target}). {one.about}")
        for index, stage in enumerate(one.stages, start=1):
            where = why[stage.id] or f"`{stage.round}`" + (f" ({', '.join(stage.problems)})" if stage.problems else "")
            print(f"  {index}. {stage.title}, {stage.real_length}: {where}")
    return 0


def _start(args: argparse.Namespace) -> int:
    from .loops.catalog import get_loop
    from .loops.progress import start

    get_loop(args.loop)  # an unknown name fails before anything is written
    services = _services(args, level=args.level)
    run = start(args.loop, args.level, services.settings.transcripts_dir)
    print(f"interviewer: started the {run.loop.title} loop (target {run.target}), saved as {run.path}", file=sys.stderr)
    return _sit(args, run, services)


def _next(args: argparse.Namespace) -> int:
    from .loops.progress import find_run

    services = _services(args)
    return _sit(args, find_run(args.run, services.settings.transcripts_dir), services)


def _sit(args: argparse.Namespace, run, services) -> int:
    """One sitting: the next round of the loop, in the app on a terminal, else in plain text."""
    from . import plain
    from .commands import app, on_terminal
    from .loops.sittings import debrief, open_stage, position, statuses

    if not args.plain and on_terminal():
        return app(args, "loop", loop_run=run.path)
    opened = open_stage(run, services)
    if opened is None:
        sys.stdout.write(_render(debrief(run, services.library), "md"))
        return 0
    stage, session, transcript = opened
    print(f"interviewer: {position(run, statuses(run, services.library))}.", file=sys.stderr)
    print(f"interviewer: this sitting: {stage.title}: {session.rubric.title} / {session.problem.title}; "
          f"{services.note}. Saving to {session.path}", file=sys.stderr)
    first = session.open if transcript is None else (lambda: session.pending_answer(transcript))
    if transcript is not None:
        plain.show_where_we_left_off(transcript, sys.stdout)
    code = plain.run(session, sys.stdin.buffer, sys.stdout, sys.stderr, sys.stdin.isatty(), first)
    found = statuses(run, services.library)
    print(f"\ninterviewer: {position(run, found)}.", file=sys.stderr)
    if session.engine.finished and all(s.state in ("complete", "unavailable") for s in found):
        sys.stdout.write("\n" + _render(debrief(run, services.library), "md"))
    elif session.engine.finished:
        print("interviewer: sit the next round with `interviewer loop next`.", file=sys.stderr)
    return code


def _status(args: argparse.Namespace) -> int:
    import json

    from .loops.progress import find_run, load, saved_runs
    from .loops.sittings import position, statuses

    services = _services(args, brain="offline")
    folder = services.settings.transcripts_dir
    runs = [load(p) for p in saved_runs(folder)] if args.all else [find_run(args.run, folder)]
    for run in runs:
        found = statuses(run, services.library)
        if args.json:
            print(json.dumps({"run": run.name, "loop": run.loop.id, "target": run.target, "stages": [
                {"stage": s.stage_id, "state": s.state, "session": s.session.name if s.session else None,
                 "level_signal": (s.card or {}).get("level_signal"), "unavailable": s.why_unavailable or None}
                for s in found]}))
            continue
        print(f"{run.name}: {position(run, found)}")
        for index, s in enumerate(found, start=1):
            signal = (s.card or {}).get("level_signal")
            print(f"  {index}. {run.loop.stage(s.stage_id).title}: {s.why_unavailable or s.state}"
                  + (f", level signal {signal}" if signal else ""))
    if args.all and not runs:
        print("no loop started yet; start one with `interviewer loop start mle` (or swe, senior-swe)")
    return 0


def _debrief(args: argparse.Namespace) -> int:
    from .loops.progress import find_run
    from .loops.sittings import debrief
    from .reports import export_debrief

    services = _services(args, brain="offline")
    run = find_run(args.run, services.settings.transcripts_dir)
    result = debrief(run, services.library)
    if args.export is not None:
        for path in export_debrief(result, args.export):
            print(f"interviewer: wrote {path}", file=sys.stderr)
        return 0
    sys.stdout.write(_render(result, "json" if args.json else "html" if args.html else "md"))
    return 0


def _render(result, fmt: str) -> str:
    from .reports import render_debrief

    return render_debrief(result, fmt)


def add_parser(sub, common: argparse.ArgumentParser, llm_flags) -> None:
    """The `loop` command and its actions, for cli.py."""
    from .loops.catalog import LOOPS  # only the catalog: every command parses its arguments first

    parser = sub.add_parser("loop", parents=[common], help="run a whole interview loop across sittings, then read "
                                                          "its debrief (`interviewer loop list` shows the loops)")
    actions = parser.add_subparsers(dest="loop_action", metavar="ACTION")
    actions.add_parser("list", parents=[common], help="the loops, stage by stage (the default)")
    start = actions.add_parser("start", parents=[common], help="start a loop and sit its first round")
    start.add_argument("loop", help=f"which loop: {', '.join(LOOPS)}")
    start.add_argument("--level", choices=["L4", "L5", "L6"], help="target level (default: the loop's own)")
    sit = actions.add_parser("next", parents=[common], help="sit the next round (an interrupted one resumes)")
    for one in (start, sit):
        one.add_argument("--plain", action="store_true", help="plain text on stdin/stdout (works in a pipe)")
        llm_flags(one)
    status = actions.add_parser("status", parents=[common], help="where the loop stands, round by round")
    status.add_argument("--all", action="store_true", help="every loop started, newest first")
    status.add_argument("--json", action="store_true", help="one JSON object per loop")
    debrief = actions.add_parser("debrief", parents=[common],
                                 help="the hiring-committee debrief (Markdown; --json or --html for the others)")
    fmt = debrief.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print one JSON object")
    fmt.add_argument("--html", action="store_true", help="print a standalone HTML page")
    fmt.add_argument("--markdown", action="store_true", help="print Markdown (the default)")
    fmt.add_argument("--export", metavar="DIR", help="write <loop>.debrief.md, .html and .json into DIR")
    for one in (sit, status, debrief):
        one.add_argument("--run", metavar="NAME", help="which loop run (default: the newest; see `loop status --all`)")

