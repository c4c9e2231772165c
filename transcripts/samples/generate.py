"""Regenerate the sample sessions in this folder: scripted answers driven through the real
engine and offline interviewer, with a clock that advances as a person would type.

    python transcripts/samples/generate.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from interviewer.services import build_services
from interviewer.session import Session

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent  # "/run PATH" in a script runs the part's checks on that file


class TypingClock:
    """Seconds advance with each answer's length, about 3 words a second plus thinking time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def think(self, answer: str) -> None:
        self.now += 20 + len(answer.split()) / 3


def _pick(reply: str, script: list[tuple[str, str]]) -> str:
    """The scripted answer written for the interviewer's question (the most specific phrase
    found in its last paragraph), else the next general answer, so a sample stays coherent
    when follow-ups change. "/done" is used once nothing else is left."""
    question = reply.strip().split("\n\n")[-1].lower()
    matches = [(len(cue), i) for i, (cue, _) in enumerate(script) if cue and cue.lower() in question]
    if matches:
        return script.pop(max(matches)[1])[1]
    for i, (cue, answer) in enumerate(script):
        if not cue and answer != "/done":
            return script.pop(i)[1]
    rest = [i for i, (_, answer) in enumerate(script) if answer != "/done"]
    return script.pop(rest[0])[1] if rest else "/done"


def generate(name: str, round_id: str, problem: str, script: list[tuple[str, str]]) -> Path:
    services = build_services(transcripts_dir=HERE / ".tmp")
    clock = TypingClock()
    session = Session.create(services.library, round_id, problem, services.settings, services.brain, clock=clock)
    reply = session.open()
    script = list(script)
    while True:
        answer = _pick(reply.text, script)
        clock.think(answer)
        if answer.startswith("/run "):
            # The coding sample's code: a first try with a bug in it, then the gate references.
            run = session.run_checks((ROOT / answer.split()[1]).read_text(encoding="utf-8"))
            if run.reply is None:
                continue
            reply = run.reply
        else:
            reply = session.command(answer[1:]) if answer.startswith("/") else session.submit(answer)
        if reply is None or reply.finished:
            break
    target = HERE / f"{name}.jsonl"
    # Stable header values so regenerating produces a reviewable diff.
    lines = session.path.read_text().splitlines()
    header = json.loads(lines[0])
    header.update(session_id="sample", created="2026-11-01T10:00:00+00:00")
    header["settings"]["transcripts_dir"] = "transcripts"
    target.write_text("\n".join([json.dumps(header, ensure_ascii=False, separators=(",", ":"))] + lines[1:]) + "\n")
    session.path.unlink()
    return target


def main() -> int:
    from answers import SAMPLES  # noqa: PLC0415 - sibling module with the scripted answers

    for name, (round_id, problem, answers) in SAMPLES.items():
        print(generate(name, round_id, problem, answers))
    (HERE / ".tmp").rmdir()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())
