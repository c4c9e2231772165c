"""One error hierarchy. Every error the user can cause carries a one-line message that
names the file or field and says how to fix it; front ends print it and exit with 2."""

from __future__ import annotations

EXIT_USAGE = 2  # an error the user can fix: a bad setting, file, round or answer
EXIT_JUDGE_SKIPPED = 3  # `score --llm` printed the offline scorecard: the LLM judge did not run


class InterviewerError(Exception):
    """An error the user can act on. `title` is a short heading for dialogs."""

    title = "Error"

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class RubricError(InterviewerError):
    title = "Rubric error"


class UnknownRoundError(InterviewerError):
    title = "Unknown round"


class TranscriptError(InterviewerError):
    title = "Transcript error"


class AnswerError(InterviewerError):
    title = "Answer not accepted"


class SessionStateError(InterviewerError):
    title = "Session error"
