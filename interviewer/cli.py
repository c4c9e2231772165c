"""The `interviewer` command. Errors a user can fix print one line and exit with 2."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from . import __version__
from .errors import EXIT_USAGE, InterviewerError

if TYPE_CHECKING:
    import argparse

COMMAND_FUNCTIONS = {"import": "import_sessions"}  # `import` is a Python keyword
# What the parser gives for the argument lists that open the app on its first screen (`interviewer`, the
# setup screen; `interviewer review`, the session browser), without building it: building the parser
# (every command's options) takes a good share of the time to the app's first frame.
OPENING_THE_APP = {(): {"command": None, "transcripts_dir": None},
                   ("review",): {"command": "review", "transcripts_dir": None, "file": None}}


# The commands, each with the options only it takes. A command line naming one is parsed by a parser holding
# that command alone: the same options, messages and help for it, in a fifth of the time of every command's.
COMMANDS = ("practice", "resume", "score", "review", "sessions", "paths", "import", "transcribe", "say", "rubrics",
            "loop")


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command's, or with `only`, that command's alone."""
    import argparse

    def wanted(name: str) -> bool:
        return only is None or name == only

    parser = argparse.ArgumentParser(
        prog="interviewer",
        description="Practise engineering interview rounds and get a good-vs-great scorecard.",
    )
    parser.add_argument("--version", action="version", version=f"interviewer {__version__}")
    parser.add_argument("--transcripts-dir", type=Path, metavar="DIR",
                        help="where sessions are saved (default: the user data folder; see `interviewer paths`)")
    # Every command takes --transcripts-dir too; SUPPRESS keeps the one given before the command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--transcripts-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                        help="where sessions are saved (env INTERVIEWER_TRANSCRIPTS_DIR)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    if wanted("practice"):
        practice = sub.add_parser("practice", parents=[common], help="run an interview round")
        practice.add_argument("round", help="round id (see `interviewer rubrics`)")
        practice.add_argument("--problem", help="problem id within the round (default: a random one)")
        practice.add_argument("--level", choices=["L4", "L5", "L6"], help="target level (default: L5)")
        practice.add_argument("--plain", action="store_true", help="plain text on stdin/stdout (works in a pipe)")
        practice.add_argument("--voice", action="store_true",
                              help="answer by speaking: push-to-talk with F8, transcribed on this machine")
        _llm_flags(practice)
        _stt_flag(practice)

    if wanted("resume"):
        resume = sub.add_parser("resume", parents=[common], help="continue an interrupted session")
        resume.add_argument("file", type=Path, help="a transcript, or a session's name in the sessions folder")
        resume.add_argument("--plain", action="store_true", help="plain text on stdin/stdout (works in a pipe)")
        _llm_flags(resume)
        _stt_flag(resume)

    if wanted("score"):
        score = sub.add_parser("score", parents=[common],
                               help="score a transcript (JSONL from this tool or plain text)")
        score.add_argument("file", type=Path, help="a transcript, or a session's name in the sessions folder")
        fmt = score.add_mutually_exclusive_group()
        fmt.add_argument("--json", action="store_true", help="print one JSON object")
        fmt.add_argument("--markdown", action="store_true", help="print Markdown (the default)")
        score.add_argument("--llm", action="store_true", help="score with the LLM judge (falls back to offline)")
        score.add_argument("--no-save", action="store_true",
                           help="don't keep this scorecard with the session (a session's scorecards are kept, oldest "
                                "first, so re-scoring never loses an earlier one)")
        _llm_flags(score)

    if wanted("review"):
        review = sub.add_parser("review", parents=[common],
                                help="browse saved sessions, or print one transcript with its scorecard")
        review.add_argument("file", type=Path, nargs="?", help="print this transcript (without it: open the browser)")

    if wanted("sessions"):
        sessions = sub.add_parser("sessions", parents=[common], help="list saved sessions without the app")
        sessions.add_argument("--json", action="store_true", help="one JSON object per line")
        sessions.add_argument("--round", help="only sessions of this round")

    if wanted("paths"):
        paths = sub.add_parser("paths", parents=[common], help="print where settings, sessions and logs live")
        paths.add_argument("--json", action="store_true", help="print one JSON object")

    if wanted("import"):
        imports = sub.add_parser(
            "import", parents=[common],
            help="copy sessions saved by an older version (./transcripts) into the sessions folder")
        imports.add_argument("folder", type=Path, nargs="?", default=Path("transcripts"),
                             help="the folder holding them (default: ./transcripts)")

    if wanted("transcribe"):
        transcribe = sub.add_parser("transcribe", parents=[common],
                                    help="transcribe a recorded answer (wav, flac, mp3) on this machine")
        transcribe.add_argument("file", type=Path, metavar="AUDIO_FILE")
        _stt_flag(transcribe)
        transcribe.add_argument("--device", choices=["auto", "cpu", "cuda"],
                                help="where the speech model runs (default: auto, a GPU when one is visible)")
        transcribe.add_argument("--round", help="prime recognition with this round's vocabulary")
        transcribe.add_argument("--json", action="store_true", help="print one JSON object with word timings")

    if wanted("say"):
        say = sub.add_parser("say", parents=[common],
                             help="say a line in the interviewer's voice, or write it as WAV")
        say.add_argument("text", metavar="TEXT", help="what to say (Markdown is read as the interviewer reads it; "
                                                     "- reads standard input)")
        say.add_argument("--out", type=Path, metavar="FILE", help="write a WAV file instead of playing it")
        say.add_argument("--tts-model", help="a Piper .onnx voice (default: the bundled en_US-joe-medium; env "
                                             "INTERVIEWER_TTS_MODEL)")
        say.add_argument("--rate", help="speaking rate, 0.5 to 2.0 (env INTERVIEWER_VOICE_RATE)")
        say.add_argument("--volume", help="loudness, 0.0 to 1.0 (env INTERVIEWER_VOICE_VOLUME)")

    if wanted("rubrics"):
        rubrics = sub.add_parser("rubrics", parents=[common], help="list rounds, or validate rubric files")
        checks = rubrics.add_mutually_exclusive_group()
        checks.add_argument("--validate", type=Path, metavar="PATH", help="a rubric .yaml file or a folder of them")
        checks.add_argument("--check", action="store_true", help="validate every rubric this copy runs from")

    if wanted("loop"):
        from .loop_commands import add_parser as add_loop

        add_loop(sub, common, _llm_flags)
    return parser


def _llm_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help="LLM model name (env INTERVIEWER_MODEL)")
    parser.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (env OPENAI_BASE_URL)")


def _stt_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stt-model", help="speech model for spoken answers: a model folder or a name already "
                                            "downloaded (default: the bundled tiny.en; env INTERVIEWER_STT_MODEL)")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if tuple(argv) in OPENING_THE_APP:
        gc.disable()  # these open the app: collections stay off until its first frame (see commands.app)
    try:
        return _main(argv)
    finally:
        gc.enable()


def _main(argv: list[str]) -> int:
    from . import logs
    from .terminal_text import SafeStream

    # Everything printed is scrubbed of secrets and terminal control sequences.
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)
    try:
        logs.setup(to_stderr=True)
        args = _arguments(argv)
        try:
            return _dispatch(args)
        except InterviewerError as exc:
            print(f"interviewer: error: {exc.message}", file=sys.stderr)
            return EXIT_USAGE
        except BrokenPipeError:
            return 0
    finally:
        for safe in (sys.stdout, sys.stderr):
            if isinstance(safe, SafeStream):
                try:
                    safe.release()
                except (BrokenPipeError, ValueError):
                    pass
        sys.stdout, sys.stderr = out, err


def _arguments(argv: list[str]) -> argparse.Namespace | SimpleNamespace:
    """The parsed arguments; those that open the app on its first screen without the parser (see
    OPENING_THE_APP)."""
    opening = OPENING_THE_APP.get(tuple(argv))
    if opening is not None:
        return SimpleNamespace(**opening)
    only = argv[0] if argv and argv[0] in COMMANDS else None
    return _parser(only).parse_args(argv)


def _dispatch(args: argparse.Namespace | SimpleNamespace) -> int:
    from . import commands

    if args.command is None:
        if commands.on_terminal():
            return commands.app(args)
        _parser().print_help()
        return 0
    handler = getattr(commands, COMMAND_FUNCTIONS.get(args.command, args.command))
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
