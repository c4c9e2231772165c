"""Plain mode: interviewer text on stdout, answers from stdin, one answer a line.

Lines starting with `/` are commands: /hint, /next (this part is done), /done (end the
interview and score it), /quit (stop now; the session stays resumable). End of input
counts as /quit. Works in a pipe as well as at a terminal.
"""

from __future__ import annotations

from typing import TextIO

from .errors import AnswerError
from .scoring import score, to_markdown
from .session import COMMANDS, Reply, Session
from .transcript import load_transcript

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


def _say(out: TextIO, reply: Reply) -> None:
    out.write(f"\nInterviewer: {reply.text}\n")
    out.flush()


def run(session: Session, stdin: TextIO, stdout: TextIO, stderr: TextIO, interactive: bool,
        first: Reply | None) -> int:
    if first is not None:
        _say(stdout, first)
        if first.finished:
            return _finish(session, stdout, stderr)
    line_number = 0
    try:
        while True:
            if interactive:
                stdout.write("\nYou: ")
                stdout.flush()
            line = stdin.readline()
            if not line:
                session.close("quit")
                break
            line_number += 1
            text = line.rstrip("\n")
            if text.strip().startswith("/"):
                name = text.strip()[1:].split()[0].lower() if text.strip()[1:] else ""
                if name not in COMMANDS:
                    stderr.write(f"interviewer: unknown command {text.strip()!r}; use /hint, /next, /done or /quit\n")
                    if interactive:
                        continue
                    session.close("quit")
                    _saved(session, stderr)
                    return EXIT_BAD_INPUT
                reply = session.command(name)
                if reply is None:  # /quit
                    break
            else:
                try:
                    reply = session.submit(text)
                except AnswerError as exc:
                    where = "" if interactive else f"stdin line {line_number}: "
                    stderr.write(f"interviewer: error: {where}{exc.message}\n")
                    if interactive:
                        continue
                    session.close("quit")
                    _saved(session, stderr)
                    return EXIT_BAD_INPUT
            _say(stdout, reply)
            if reply.finished:
                break
    except KeyboardInterrupt:
        session.close("quit")
        _saved(session, stderr)
        return EXIT_INTERRUPTED
    return _finish(session, stdout, stderr)


def _saved(session: Session, stderr: TextIO) -> None:
    stderr.write(f"interviewer: transcript saved to {session.path} (continue with `interviewer resume {session.path}`)\n")


def _finish(session: Session, stdout: TextIO, stderr: TextIO) -> int:
    transcript = load_transcript(session.path)
    if not transcript.completed:
        _saved(session, stderr)
    else:
        stderr.write(f"interviewer: transcript saved to {session.path}\n")
    card = score(transcript, session.rubric)
    stdout.write("\n" + to_markdown(card))
    stdout.flush()
    return EXIT_OK
