"""Sessions saved by versions before 0.2, which wrote them to `./transcripts` under whatever
folder the program was started in. Each such folder is offered for import once; importing
copies the sessions (and the files kept beside them) into the sessions folder and leaves the
old folder as it was."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .paths import LEGACY_SESSIONS
from .session_files import companions
from .sessions import list_sessions
from .user_state import load_state, update_state

OFFERED = "imports_offered"


@dataclass
class LegacyOffer:
    folder: Path  # absolute
    sessions: list[Path]  # transcripts there that the sessions folder does not hold yet


@dataclass
class ImportReport:
    copied: list[Path] = field(default_factory=list)
    already_there: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one line each: file and why


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def waiting_sessions(source: Path, target: Path) -> list[Path]:
    """Readable sessions directly in `source` whose file name is not in `target` yet."""
    if _same_folder(source, target) or not source.is_dir():
        return []
    return [s.path for s in list_sessions(source) if not (target / s.path.name).exists()]


def pending_offer(target: Path, cwd: Path | None = None) -> LegacyOffer | None:
    """The old `./transcripts` here, if it holds sessions to import and was never offered."""
    folder = ((cwd or Path.cwd()) / LEGACY_SESSIONS).absolute()
    if str(folder) in load_state().get(OFFERED, []):
        return None
    waiting = waiting_sessions(folder, Path(target))
    return LegacyOffer(folder, waiting) if waiting else None


def mark_offered(folder: Path) -> None:
    offered = [f for f in load_state().get(OFFERED, []) if isinstance(f, str)]
    if str(folder) not in offered:
        update_state(**{OFFERED: offered + [str(folder)]})


def notice(offer: LegacyOffer, target: Path) -> str:
    count = len(offer.sessions)
    return (f"{count} session{'s' if count != 1 else ''} saved by an older version {'are' if count != 1 else 'is'} "
            f"in {offer.folder}; copy them into {target} with `interviewer import {offer.folder}` "
            "(said once)")


def import_sessions(source: Path, target: Path) -> ImportReport:
    """Copy every readable session in `source`, with its companions, into `target`."""
    report = ImportReport()
    target.mkdir(parents=True, exist_ok=True)
    for summary in list_sessions(source):
        if (target / summary.path.name).exists():
            report.already_there.append(summary.path)
            continue
        try:
            for path in companions(summary.path):
                destination = target / path.name
                if path.is_dir():
                    shutil.copytree(path, destination, dirs_exist_ok=True)
                else:
                    shutil.copy2(path, destination)
        except OSError as exc:
            report.failed.append(f"{summary.path}: {exc.strerror or exc}")
            continue
        report.copied.append(summary.path)
    mark_offered(source.absolute())
    return report


def describe(report: ImportReport, source: Path, target: Path) -> str:
    parts = [f"copied {len(report.copied)} session{'s' if len(report.copied) != 1 else ''} from {source} "
             f"to {target}"]
    if report.already_there:
        parts.append(f"{len(report.already_there)} already there")
    if report.failed:
        parts.append(f"{len(report.failed)} failed ({report.failed[0]})")
    return "; ".join(parts) + (f". The originals are still in {source}; delete it when you are happy."
                               if report.copied else ".")

