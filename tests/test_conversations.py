"""Conversation scenarios: does the interviewer listen? (format: tests/conversations/README.md)

Each scenario is played through a real session with the offline interviewer. Run this file directly
(`python tests/test_conversations.py [tuning|blind2]`) for a per-round report instead of a test run;
a blind set prints totals only unless `--details` is given.
"""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE / "conversations"
REFERENCES = HERE / "references"

APPROVAL = re.compile(
    r"\b(?:makes sense|got it|great|good|nice|perfect|excellent|exactly|fair questions?|that tradeoff is clear"
    r"|those numbers help|love (?:it|that)|well done|good point|spot on|awesome|sounds right|that works)\b",
    re.I,
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "the a an and or to of in on for is it we i that this with be would will as at by so you your what which how "
    "does do did why there their they them from into about can could should these those me my our us are was "
    "were have has had not just like let's lets let me tell walk now here".split()
)


class ScenarioError(Exception):
    """A scenario file that is not in the documented format."""


@dataclass
class Outcome:
    path: Path
    round: str
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


# Sets kept out of tuning: only their totals are read (see `report`).
BLIND_SETS = ("blind2", "blind3", "blind4")


def scenario_files(subset: str | None = None) -> list[Path]:
    files = sorted(p for p in SCENARIOS.rglob("*.yaml"))
    if subset in BLIND_SETS:
        return [p for p in files if p.relative_to(SCENARIOS).parts[0] == subset]
    if subset == "tuning":
        return [p for p in files if p.relative_to(SCENARIOS).parts[0] not in BLIND_SETS]
    return files


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def questions(text: str) -> list[str]:
    return [s for s in sentences(text) if s.endswith("?")]


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP)


def _groups(value: Any) -> list[list[str]]:
    if isinstance(value, str):
        return [[value]]
    return [[g] if isinstance(g, str) else list(g) for g in value]


def check_reply(reply: str, expect: dict[str, Any], earlier_questions: list[str], events: list[str]) -> list[str]:
    """What the reply got wrong against one `expect` block (empty when it passes)."""
    failures: list[str] = []
    low = reply.lower()
    for group in _groups(expect.get("mentions", [])):
        if not any(alt.lower() in low for alt in group):
            failures.append(f"mentions none of {group}")
    for phrase in expect.get("not_mentions", []):
        if phrase.lower() in low:
            failures.append(f"mentions {phrase!r}")
    asked = questions(reply)
    if "asks" in expect and bool(asked) != bool(expect["asks"]):
        failures.append("puts no question to the candidate" if expect["asks"] else f"asks {asked[0]!r}")
    for phrase in expect.get("not_asking", []):
        hit = next((q for q in asked if phrase.lower() in q.lower()), None)
        if hit:
            failures.append(f"asks about {phrase!r}: {hit!r}")
    if expect.get("no_approval"):
        # The candidate's own words, quoted back ("You said \"the result was great\""), are not approval.
        opening = _QUOTED.sub('""', " ".join(sentences(reply)[:2]))
        match = APPROVAL.search(opening)
        if match:
            failures.append(f"approves ({match.group(0)!r}): {opening!r}")
    if expect.get("not_repeating"):
        for question in asked:
            words = content_words(question)
            for earlier in earlier_questions:
                before = content_words(earlier)
                shared = words & before
                if len(shared) >= 2 and len(shared) / min(len(words), len(before)) >= 0.5:
                    failures.append(f"asks again {question!r} (earlier: {earlier!r})")
                    break
    if expect.get("says_once"):
        said = [" ".join(s.lower().split()) for s in sentences(reply)]
        twice = sorted({s for s in said if said.count(s) > 1})
        if twice:
            failures.append(f"says twice: {twice[0]!r}")
    for kind in expect.get("recorded", []):
        if kind not in events:
            failures.append(f"no {kind} event recorded (saw {sorted(set(events))})")
    for kind in expect.get("not_recorded", []):
        if kind in events:
            failures.append(f"recorded {kind}")
    return failures


def play(path: Path, workdir: Path, trace=None) -> Outcome:
    """Play one scenario; `trace` (a print function) shows the whole conversation with its events."""
    from interviewer.services import build_services
    from interviewer.session import Session
    from interviewer.transcript import load_transcript

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not {"round", "problem", "turns"} <= set(data):
        raise ScenarioError(f"{path}: needs round, problem and turns")
    outcome = Outcome(path, data["round"])
    services = build_services(transcripts_dir=workdir, brain="offline")
    clock = _Clock()
    session = Session.create(services.library, data["round"], data["problem"], services.settings, services.brain,
                             clock=clock)
    opening = session.open()
    if trace:
        trace(f"INTERVIEWER: {opening.text}\n")
    interviewer_questions = questions(opening.text)
    seen_events = len(load_transcript(session.path).events)
    for index, step in enumerate(data["turns"], start=1):
        if not isinstance(step, dict):
            raise ScenarioError(f"{path}: turn {index} is not a mapping")
        reply_text: str | None = None
        earlier = list(interviewer_questions)
        if "wait_min" in step:
            clock.now += float(step["wait_min"]) * 60
            continue
        if "say" in step:
            text = str(step["say"])
            if session.engine.finished:
                outcome.failures.append(f"turn {index}: the round had already ended")
                break
            if text.strip().startswith("/"):
                reply = session.command(text.strip()[1:].lower())
            else:
                reply = session.submit(text)
            reply_text = reply.text if reply is not None else None
        elif "run" in step:
            run = step["run"]
            code = run.get("code")
            if code is None:
                code = (REFERENCES / data["round"] / data["problem"] / f"gate{run['reference']}.py").read_text()
            result = session.run_checks(code)
            reply_text = result.reply.text if result.reply is not None else None
        else:
            raise ScenarioError(f"{path}: turn {index} needs say, run or wait_min")
        events = [e.get("kind") for e in load_transcript(session.path).events]
        new_events, seen_events = events[seen_events:], len(events)
        if trace:
            trace(f"[{index}] CANDIDATE: {step.get('say', step.get('run', step.get('wait_min')))}\n"
                  f"    INTERVIEWER: {reply_text}\n    events: {new_events}\n")
        if reply_text is not None:
            interviewer_questions += questions(reply_text)
        expect = step.get("expect")
        if not expect:
            continue
        if reply_text is None:
            outcome.failures.append(f"turn {index}: expected a reply, got none")
            continue
        failures = check_reply(reply_text, expect, earlier, new_events)
        if failures:
            said = step.get("say", step.get("run"))
            outcome.failures.append(f"turn {index}: {'; '.join(failures)}\n      candidate: {said!r}"
                                    f"\n      reply: {reply_text!r}")
    if not session.engine.finished and not session.writer.closed:
        session.close("quit")
    return outcome


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


FILES = scenario_files()


def known_failures() -> set[str]:
    """Scenarios listed in known-failures.txt: expected to fail, strictly (a pass fails the suite)."""
    lines = (SCENARIOS / "known-failures.txt").read_text(encoding="utf-8").splitlines()
    return {line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()}


KNOWN = known_failures()


def _param(path: Path):
    name = str(path.relative_to(SCENARIOS))
    marks = [pytest.mark.xfail(strict=True, reason="listed in known-failures.txt")] if name in KNOWN else []
    return pytest.param(path, id=name, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in FILES])
def test_scenario(path, tmp_path):
    outcome = play(path, tmp_path / "transcripts")
    assert outcome.passed, "\n".join(outcome.failures)


def test_known_failures_name_real_scenarios():
    names = {str(p.relative_to(SCENARIOS)) for p in FILES}
    assert KNOWN <= names, f"known-failures.txt names missing scenarios: {sorted(KNOWN - names)}"


def test_every_round_has_scenarios():
    from interviewer.rubric import RubricLibrary

    rounds = {yaml.safe_load(p.read_text())["round"] for p in FILES}
    assert set(RubricLibrary().round_ids()) <= rounds


def report(subset: str | None, details: bool = True) -> int:
    """Per-round totals; with `details`, each failing scenario with what its reply missed. A blind set is
    reported without details unless asked (`--details`), so reading its results cannot tune to it."""
    by_round: dict[str, list[Outcome]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for number, path in enumerate(scenario_files(subset)):
            outcome = play(path, Path(tmp) / str(number))
            by_round.setdefault(outcome.round, []).append(outcome)
    total = passed = 0
    for round_id, outcomes in sorted(by_round.items()):
        ok = sum(o.passed for o in outcomes)
        total, passed = total + len(outcomes), passed + ok
        print(f"{round_id:20} {ok:3d}/{len(outcomes):<3d} passed")
        for outcome in outcomes if details else ():
            if not outcome.passed:
                print(f"  FAIL {outcome.path.relative_to(SCENARIOS)}")
                for failure in outcome.failures:
                    print(f"    {failure}")
    print(f"{'all':20} {passed:3d}/{total:<3d} passed")
    return 0 if passed == total else 1


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    if len(sys.argv) > 2 and sys.argv[1] == "--trace":  # the whole conversation of one or more files
        with tempfile.TemporaryDirectory() as folder:
            for name in sys.argv[2:]:
                print(f"== {name}")
                outcome = play(Path(name), Path(folder), trace=print)
                print("\n".join(outcome.failures) or "passed")
        sys.exit(0)
    args = [a for a in sys.argv[1:] if a != "--details"]
    subset = args[0] if args else None
    sys.exit(report(subset, details="--details" in sys.argv or subset not in BLIND_SETS))
