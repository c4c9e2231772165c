"""Plain mode: interviewer text on stdout, answers from stdin, one answer a line.

Lines starting with `/` are commands: /hint, /next (this part is done), /done (end the
interview and score it), /quit (stop now; the session stays resumable), and in coding
rounds /run FILE (run the part's checks on the code in FILE; a bare /run runs the last
file again, so you can keep editing it in your own editor). End of input counts as /quit.
Works in a pipe as well as at a terminal.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Callable, TextIO

from .bounded_read import read_bounded, size_text
from .errors import AnswerError
from .llm.model import Restart, Waiting, watch_waits
from .run_report import check_lines, headline, intro
from .scoring import to_markdown
from .session import COMMANDS, MAX_CODE_BYTES, Reply, Session
from .stdin_lines import LineReader
from .stop_signals import Terminated, raising_on_stop_signals
from .transcript import Transcript

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


def show_where_we_left_off(transcript: Transcript, stdout: TextIO) -> None:
    """On resuming a session whose last turn was the interviewer's, say that turn again: the question is still
    waiting for its answer, and a fresh terminal would otherwise start at an empty prompt."""
    if transcript.turns and transcript.turns[-1].role == "interviewer":
        stdout.write(f"\nInterviewer (where we left off): {transcript.turns[-1].text}\n")


def run(session: Session, stdin: BinaryIO, stdout: TextIO, stderr: TextIO, interactive: bool,
        first: Callable[[], Reply | None]) -> int:
    printer = _Printer(stdout)
    session.on_chunk = printer.chunk
    session.on_notice = lambda message: stderr.write(f"\ninterviewer: notice: {message}\n")
    watch_waits(session.brain, _WaitNotices(stderr))
    with raising_on_stop_signals():
        try:
            return _converse(session, stdin, stdout, stderr, interactive, first, printer)
        except KeyboardInterrupt:
            session.close("quit")
            _saved(session, stderr)
            return EXIT_INTERRUPTED
        except Terminated as stop:
            session.close("terminated")
            stderr.write(f"\ninterviewer: stopped by {stop}.\n")
            _saved(session, stderr)
            return stop.exit_code


def _converse(session: Session, stdin: BinaryIO, stdout: TextIO, stderr: TextIO, interactive: bool,
              first: Callable[[], Reply | None], printer: _Printer) -> int:
    opening = first()
    printer.end()
    if opening is not None and opening.finished:
        return _finish(session, stdout, stderr)
    _show_checks(session, opening, stdout)
    runner = _CheckRunner(session, stdout)
    lines = LineReader(stdin, session.settings.max_answer_chars)
    line_number = 0
    while True:
        if interactive:
            stdout.write("\nYou: ")
            stdout.flush()
        line_number += 1
        try:
            line = lines.readline()
            if line is None:
                session.close("quit")
                break
            reply = _step(session, runner, line)
        except AnswerError as exc:
            where = "" if interactive else f"stdin line {line_number}: "
            stderr.write(f"interviewer: error: {where}{exc.message}\n")
            if interactive:
                continue
            session.close("quit")
            _saved(session, stderr)
            return EXIT_BAD_INPUT
        if reply is _QUIT:
            break
        printer.end()
        _show_checks(session, reply, stdout)
        if reply is not None and reply.finished:
            break
    return _finish(session, stdout, stderr)


class _WaitNotices:
    """Says on stderr that the model is being waited on: once a call has gone quiet for a couple
    of seconds, then every ten, and before each retry."""

    EVERY_S = 10.0

    def __init__(self, stderr: TextIO) -> None:
        self.stderr = stderr
        self._said_at: float | None = None

    def __call__(self, waiting: Waiting) -> None:
        if waiting.retry_in_s is None:
            if self._said_at is not None and self._said_at <= waiting.waited_s < self._said_at + self.EVERY_S:
                return
            self._said_at = waiting.waited_s
        self.stderr.write(f"\ninterviewer: {waiting.text()}\n")
        self.stderr.flush()


_QUIT = object()


def _step(session: Session, runner: "_CheckRunner", text: str) -> Reply | None | object:
    """One line of input: an answer or a command. Bad input raises AnswerError."""
    if not text.strip().startswith("/"):
        return session.submit(text)
    name, _, argument = text.strip()[1:].partition(" ")
    name = name.lower()
    if name == "run":
        return runner.run(argument.strip())
    if name not in COMMANDS:
        raise AnswerError(f"unknown command {text.strip()!r}; use /hint, /next, /run FILE, /done or /quit")
    reply = session.command(name)
    return _QUIT if reply is None else reply


class _CheckRunner:
    """/run FILE: the candidate keeps their code in a file of their own and runs the checks on it."""

    def __init__(self, session: Session, out: TextIO) -> None:
        self.session = session
        self.out = out
        self.last: Path | None = None

    def run(self, argument: str) -> Reply | None:
        path = Path(argument).expanduser() if argument else self.last
        if path is None:
            raise AnswerError("/run needs the file with your code, e.g. /run solution.py (later a bare /run reruns it)")
        try:
            raw = read_bounded(path, MAX_CODE_BYTES, AnswerError, "pass the file holding your solution, "
                               f"at most {size_text(MAX_CODE_BYTES)}")
        except AnswerError as exc:
            raise AnswerError(f"/run {exc.message}") from None
        try:
            code = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AnswerError(f"/run {path}: not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8") from None
        self.last = path
        return self.session.run_checks(code, on_result=self._show).reply

    def _show(self, summary: dict) -> None:
        self.out.write("\n" + headline(summary) + "\n")
        for line in check_lines(summary):
            self.out.write(f"  {line}\n")
        self.out.flush()


def _show_checks(session: Session, reply: Reply | None, out: TextIO) -> None:
    """When a part opens, list its checks (names only) under the interviewer's words."""
    if reply is None or reply.move.kind != "gate_reveal" or not session.checked:
        return
    text = intro(reply.move.gate, [c.description for c in session.gate_checks(reply.move.gate)])
    if text:
        out.write("\n" + text + "\n")
        out.flush()


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
