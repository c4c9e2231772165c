"""`interviewer sessions`, `interviewer paths` and `interviewer import`: the saved sessions and
where things live, without the app."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InterviewerError

if TYPE_CHECKING:  # annotations only: `interviewer` alone never builds a parser
    import argparse


def _settings(args: argparse.Namespace):
    from .settings import load_settings

    return load_settings(transcripts_dir=getattr(args, "transcripts_dir", None))


def sessions(args: argparse.Namespace) -> int:
    """One line per session, newest first (or one JSON object per line with --json)."""
    from .sessions import list_sessions

    folder = _settings(args).transcripts_dir
    found = list_sessions(folder, args.round)
    say_legacy_once(folder)
    out = sys.stdout
    if args.json:
        for summary in found:
            out.write(json.dumps(summary.to_json(), ensure_ascii=False) + "\n")
        return 0
    if not found:
        print(f"interviewer: no saved sessions in {folder}", file=sys.stderr)
        return 0
    rows = [(s.created.strftime("%Y-%m-%d %H:%M") if s.created else "?", s.round, s.problem or "?",
             f"{s.answers} answers", s.status,
             f"{s.overall_level} ({s.overall_score:.0f})" if s.overall_level else "not scored", s.name) for s in found]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1] + "\n")
    print(f"interviewer: {len(found)} sessions in {folder}; `interviewer resume NAME` continues one, "
          "`interviewer review NAME` prints it", file=sys.stderr)
    return 0


def paths(args: argparse.Namespace) -> int:
    """Where settings, sessions, logs, the app's own state and the cache live."""
    from .cache import cache_dir
    from .paths import LEGACY_SESSIONS, config_file, log_file, state_file

    settings = _settings(args)
    where = {"config": str(config_file()), "sessions": str(settings.transcripts_dir), "log": str(log_file()),
             "state": str(state_file()), "cache": str(cache_dir())}
    legacy = (Path.cwd() / LEGACY_SESSIONS).absolute()
    if args.json:
        sys.stdout.write(json.dumps(where) + "\n")
        return 0
    notes = {"config": "" if Path(where["config"]).exists() else "  (not created; defaults apply)",
             "sessions": "" if settings.transcripts_dir.is_dir() else "  (created by the first session)"}
    for label, value in where.items():
        print(f"{label + ':':<10}{value}{notes.get(label, '')}")
    from .legacy_import import waiting_sessions

    waiting = waiting_sessions(legacy, settings.transcripts_dir)
    if waiting:
        print(f"{'old:':<10}{legacy}  ({len(waiting)} sessions from an older version; `interviewer import` copies "
              "them)")
    return 0


def import_sessions(args: argparse.Namespace) -> int:
    from .legacy_import import describe, import_sessions as copy_sessions

    source = Path(args.folder).expanduser()
    if not source.is_dir():
        raise InterviewerError(f"{source}: no such folder; name the folder an older version saved sessions in "
                               "(it was ./transcripts under the folder you started it from)")
    target = _settings(args).transcripts_dir
    report = copy_sessions(source, target)
    print(f"interviewer: {describe(report, source, target)}", file=sys.stderr)
    return 2 if report.failed else 0


def say_legacy_once(target: Path) -> None:
    """One line on stderr, the first time sessions from an older version are found here."""
    from .legacy_import import mark_offered, notice, pending_offer

    try:
        offer = pending_offer(target)
    except OSError:
        return
    if offer is not None:
        print(f"interviewer: {notice(offer, target)}", file=sys.stderr)
        mark_offered(offer.folder)
