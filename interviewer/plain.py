"""Plain mode: interviewer text on stdout, answers from stdin, one answer a line.

Lines starting with `/` are commands: /hint, /next (this part is done), /done (end the
interview and score it), /quit (stop now; the session stays resumable). End of input
counts as /quit. Works in a pipe as well as at a terminal.
"""

from __future__ import annotations

from typing import Callable, TextIO

from .errors import AnswerError
from .llm.model import Restart
from .scoring import to_markdown
from .session import COMMANDS, Reply, Session

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


class _Printer:
    """Shows the interviewer's words as they stream in."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.open = False

    def chunk(self, text: str) -> None:
        if not self.open:
            self.out.write("\nInterviewer: ")
            self.open = True
        if isinstance(text, Restart):
            self.out.write(" [reply cut off; asking again]\nInterviewer: ")
        else:
            self.out.write(text)
        self.out.flush()

    def end(self) -> None:
        if self.open:
            self.out.write("\n")
            self.out.flush()
        self.open = False


def run(session: Session, stdin: TextIO, stdout: TextIO, stderr: TextIO, interactive: bool,
        first: Callable[[], Reply | None]) -> int:
    printer = _Printer(stdout)
    session.on_chunk = printer.chunk
    session.on_notice = lambda message: stderr.write(f"\ninterviewer: notice: {message}\n")
    opening = first()
    printer.end()
    if opening is not None and opening.finished:
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
            printer.end()
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
    if session.engine.finished:
        stderr.write(f"interviewer: transcript saved to {session.path}\n")
    else:
        _saved(session, stderr)
    if session.judged_by_llm:
        stderr.write("interviewer: scoring with the LLM judge...\n")
    card, _ = session.scorecard()
    stdout.write("\n" + to_markdown(card))
    usage = _usage_line(session)
    if usage:
        stdout.write(f"\n{usage}\n")
    stdout.flush()
    return EXIT_OK


def _usage_line(session: Session) -> str:
    prompt, completion = session.usage["prompt_tokens"], session.usage["completion_tokens"]
    if not (prompt or completion):
        return ""
    config = session.llm_config
    cost = config.estimate_cost(prompt, completion) if config else None
    price = (f"estimated cost ${cost:.4f}" if cost is not None else
             f"cost unknown: add prices for {config.model if config else 'this model'} to the [llm.prices] table")
    return f"LLM usage this session: {prompt:,} prompt + {completion:,} completion tokens; {price}."
