"""What each `interviewer` sub-command does, over the services the CLI builds."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from .errors import EXIT_JUDGE_SKIPPED, InterviewerError, UnknownRoundError

if TYPE_CHECKING:  # annotations only: `interviewer` alone never builds a parser
    import argparse

__all__ = ["app", "import_sessions", "loop", "on_terminal", "paths", "practice", "resume", "review", "rubrics", "score",
           "sessions", "transcribe"]

# Each command imports what it needs when it runs: `interviewer` with no arguments opens the
# app, and its first paint should not wait for the scorer, the session or the templates.
# The commands that live in other modules, dispatched by name: each module loads when its command runs.
_ELSEWHERE = {"loop": "loop_commands", "import_sessions": "session_commands", "paths": "session_commands",
              "sessions": "session_commands"}


def __getattr__(name: str):
    if name not in _ELSEWHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{_ELSEWHERE[name]}", __package__), name)


def build_services(**options):
    """The services module (settings, brains, the LLM configuration) loads only for a command that
    uses them: listing rounds does not."""
    from .services import build_services as build

    return build(**options)


def app(args: argparse.Namespace, start: str = "setup", **where) -> int:
    """The Textual app (imported only here, so the core and plain mode never load it)."""
    # Collections while Textual and the app load free next to nothing and take a good share of the
    # time to the first frame: off until the app has drawn it (it turns them back on), or has ended.
    gc.disable()
    try:
        return _run_app(args, start, **where)
    finally:
        gc.enable()


def _run_app(args: argparse.Namespace, start: str, **where) -> int:
    services = build_services(
        model=getattr(args, "model", None), base_url=getattr(args, "base_url", None),
        level=getattr(args, "level", None), transcripts_dir=getattr(args, "transcripts_dir", None),
        stt_model=getattr(args, "stt_model", None))
    from . import logs
    from .tui.app import InterviewerApp

    logs.quiet_stderr()  # the app owns the terminal now; log records go to the log file

    interviewer_app = InterviewerApp(services, start=start, **where)
    message = interviewer_app.run()
    if message:
        print(f"interviewer: {message}", file=sys.stderr)
    return interviewer_app.return_code or 0


def practice(args: argparse.Namespace) -> int:
    if not args.plain and on_terminal():
        return app(args, "practice", round_id=args.round, problem_id=args.problem, voice=args.voice)
    if args.voice:
        raise InterviewerError("--voice needs the app on a terminal (push-to-talk); drop --plain, or type answers")
    from . import plain
    from .session import Session
    from .session_commands import say_legacy_once

    services = build_services(level=args.level, transcripts_dir=_folder(args), model=args.model,
                              base_url=args.base_url)
    say_legacy_once(services.settings.transcripts_dir)
    session = Session.create(services.library, args.round, args.problem, services.settings, services.brain,
                             brain_settings=services.llm.public() if services.uses_llm else None)
    session.llm_config = services.llm if services.uses_llm else None
    print(f"interviewer: {session.rubric.title} / {session.problem.title}; {services.note}. "
          f"Saving to {session.path}", file=sys.stderr)
    return plain.run(session, sys.stdin.buffer, sys.stdout, sys.stderr, sys.stdin.isatty(), session.open)


def resume(args: argparse.Namespace) -> int:
    from .session_files import find_session

    services = build_services(model=args.model, base_url=args.base_url, transcripts_dir=_folder(args))
    args.file = find_session(args.file, services.settings.transcripts_dir)
    if not args.plain and on_terminal():
        return app(args, "resume", resume=args.file)
    from . import plain
    from .session import Session

    session, transcript = Session.resume(args.file, services.library, services.settings, services.brain)
    session.llm_config = services.llm if services.uses_llm else None
    for warning in transcript.warnings:
        print(f"interviewer: warning: {warning}", file=sys.stderr)
    answers = len(transcript.candidate_turns())
    if not any(t.role == "interviewer" for t in transcript.turns):
        print(f"interviewer: resuming {args.file}: it stopped before the interview began; starting it now.",
              file=sys.stderr)
    else:
        print(f"interviewer: resuming {args.file}: {len(transcript.turns)} turns saved ({answers} answers).",
              file=sys.stderr)
    plain.show_where_we_left_off(transcript, sys.stdout)
    return plain.run(session, sys.stdin.buffer, sys.stdout, sys.stderr, sys.stdin.isatty(),
                     lambda: session.pending_answer(transcript))


def score(args: argparse.Namespace) -> int:
    args.file = _find(args)
    if args.llm:
        return _score_llm(args)
    from .scoring import to_json_text, to_markdown

    card = _scorecard(args.file)
    _keep(args, card, "re-scored")
    sys.stdout.write(to_json_text(card) + "\n" if args.json else to_markdown(card))
    return 0


def _keep(args: argparse.Namespace, card, reason: str) -> None:
    """Keep a re-score with its session (JSONL sessions only; a text import stays untouched), unless it
    changes nothing or the user asked not to; say on stderr what changed."""
    from .sessions import save_scorecard, scorecard_history, what_changed

    if args.no_save or not str(args.file).endswith(".jsonl"):
        return
    history = scorecard_history(args.file)
    new = card.to_json()
    changes = what_changed(history[-1], new) if history else ["first scorecard"]
    if history and not changes:
        return
    save_scorecard(args.file, card, reason=reason)
    print(f"interviewer: scorecard {len(history) + 1} kept with the session ({'; '.join(changes)})", file=sys.stderr)


def review(args: argparse.Namespace) -> int:
    if args.file is None:
        if not on_terminal():
            raise InterviewerError("review opens the session browser, which needs a terminal on stdin and stdout; "
                                   "list sessions with `interviewer sessions`, or print one with "
                                   "`interviewer review FILE`")
        return app(args, "review")
    from .scoring import to_markdown
    from .transcript import load_transcript, mmss

    args.file = _find(args)
    transcript = load_transcript(args.file)
    card = _scorecard(args.file, transcript)
    out = sys.stdout
    out.write(f"Round: {transcript.round}" + (f" / {transcript.problem}" if transcript.problem else "") + "\n")
    if transcript.created:
        out.write(f"Started: {transcript.created}\n")
    for turn in transcript.turns:
        who = "Interviewer" if turn.role == "interviewer" else "Candidate"
        clock = f"[{mmss(turn.t)}] " if transcript.format == "jsonl" else ""
        out.write(f"\n{turn.n:>3} {clock}{who}: {turn.text}\n")
    out.write("\n" + to_markdown(card))
    _print_history(out, args.file)
    return 0


def _print_history(out, path) -> None:
    """A session's scorecards, oldest first, each with what changed since the one before."""
    from .sessions import scorecard_history, what_changed

    history = scorecard_history(path)
    if not history:
        return
    out.write("\n## Scorecards kept with this session\n\n")
    previous = None
    for number, record in enumerate(history, start=1):
        overall = record["overall"]
        score = "" if overall.get("score") is None or overall["level"] == "not_assessed" else f" ({overall['score']:.0f})"
        out.write(f"{number}. {record.get('saved_at', 'earlier')} · {record.get('reason', 'scored')} · "
                  f"{record.get('scorer')}: {str(overall['level']).replace('_', ' ')}{score}, "
                  f"level signal {record.get('level_signal')}")
        changes = what_changed(previous, record) if previous else []
        out.write((" · " + "; ".join(changes)) if changes else "")
        out.write("\n")
        previous = record


def rubrics(args: argparse.Namespace) -> int:
    """List rounds from the rubric index; validate only when asked (--validate PATH, or --check for the
    rubrics this copy runs from)."""
    from .rubric import RubricLibrary

    if args.validate is not None or args.check:
        from .rubric import validate_path

        for loaded in validate_path(args.validate if args.validate is not None else RubricLibrary().folder):
            rubric = loaded.rubric
            print(f"ok  {loaded.path}  ({rubric.id}: {len(rubric.problems)} problems, {len(rubric.dimensions)} dimensions)")
        return 0
    library = build_services(brain="offline").library  # a broken settings file is reported even here
    rows = [(r.id, r.title, f"{r.duration_min} min", f"{r.problems} problems") for r in library.index()]
    width = max(len(row[0]) for row in rows)
    for rid, title, minutes, problems in rows:
        print(f"{rid:<{width}}  {minutes:>7}  {problems:>11}  {title}")
    return 0


def _score_llm(args: argparse.Namespace) -> int:
    from .scoring import to_json_text, to_markdown
    from .scoring.llm_judge import judge
    from .transcript import load_transcript

    services = build_services(model=args.model, base_url=args.base_url, transcripts_dir=_folder(args))
    if not services.llm.enabled:
        raise InterviewerError("score --llm needs an endpoint: export OPENAI_API_KEY or pass --base-url URL --model NAME")
    transcript = load_transcript(args.file)
    loaded = _rubric_for(args.file, transcript, services)
    card = judge(transcript, loaded.rubric, services.chat_model())
    _keep(args, card, "re-scored with the LLM judge" if not card.judge_skipped else "re-scored (LLM judge skipped)")
    sys.stdout.write(to_json_text(card) + "\n" if args.json else to_markdown(card))
    if card.judge_skipped:
        print(f"interviewer: the LLM judge did not run ({card.judge_skipped['reason']}); the offline scorecard is "
              f"shown (exit {EXIT_JUDGE_SKIPPED})", file=sys.stderr)
        return EXIT_JUDGE_SKIPPED
    return 0


def _rubric_for(path, transcript, services):
    try:
        return services.library.load(transcript.round)
    except UnknownRoundError as exc:
        raise UnknownRoundError(f"{path}: field Round: {exc.message}") from None


def _scorecard(path, transcript=None):
    from .scoring import score as score_transcript
    from .transcript import load_transcript

    transcript = transcript or load_transcript(path)
    services = build_services(brain="offline")
    loaded = _rubric_for(path, transcript, services)
    for warning in transcript.warnings:
        print(f"interviewer: warning: {warning}", file=sys.stderr)
    return score_transcript(transcript, loaded.rubric)


def transcribe(args: argparse.Namespace) -> int:
    from .voice.command import transcribe_file

    return transcribe_file(args)


def say(args: argparse.Namespace) -> int:
    from .voice.say import say as say_line

    return say_line(args)


def _find(args: argparse.Namespace):
    """The FILE argument: a path, or the name of a session in the sessions folder."""
    from .session_files import find_session
    from .settings import load_settings

    return find_session(args.file, load_settings(transcripts_dir=_folder(args)).transcripts_dir)


def _folder(args: argparse.Namespace):
    """--transcripts-dir, given before or after the command name."""
    return getattr(args, "transcripts_dir", None)


def on_terminal() -> bool:
    """Both ends are a terminal, so the app can run; otherwise plain text (pipes, scripts)."""
    return sys.stdin.isatty() and sys.stdout.isatty()
