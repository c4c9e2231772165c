"""The application: built from the same services as the CLI, it routes between screens."""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Any, Callable

from textual.app import App, SystemCommand
from textual.binding import Binding

from ..errors import InterviewerError
from ..services import Services


class InterviewerApp(App):
    """`start` picks the first screen: "setup", "review", or "practice" (with `round_id`)."""

    TITLE = "interviewer"
    CSS_PATH = Path(__file__).with_name("styles.tcss")  # absolute, so subclasses elsewhere find it
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, services: Services, start: str = "setup", round_id: str | None = None,
                 problem_id: str | None = None, resume: Path | None = None,
                 clock: Callable[[], float] = time.monotonic, voice: bool = False,
                 voice_stream: Callable[..., Any] | None = None, speech_model: Any = None) -> None:
        super().__init__()
        self.voice = voice  # `practice --voice`: spoken answers from the start
        # Where audio comes from (None: the microphone; tests pass a stream that plays a file)
        # and the loaded speech model, kept across interviews so it loads once per run.
        self.voice_stream = voice_stream
        self.speech_model = speech_model
        self.clock = clock  # tests pin it so the status bar's timers are reproducible
        self.services = services
        self.start = start
        self.round_id = round_id
        self.problem_id = problem_id
        self.resume = resume

    def run(self, *args, **kwargs):
        """Run in this terminal until the user quits."""
        # Everything imported so far (Textual, the rubric index, the settings) lives as long as
        # the process. Frozen, it is left out of every later collection: without this, a full
        # collection over those objects lands in the middle of drawing the first frame.
        gc.freeze()
        return super().run(*args, **kwargs)

    def get_default_screen(self):
        """The first screen is the app's base screen, so the first frame is already the real
        one. Each screen's module is imported only when it is shown."""
        if self.start == "review":
            from .review_screen import ReviewScreen

            return ReviewScreen()
        if (self.start == "practice" and self.round_id) or self.resume is not None:
            from .interview_screen import InterviewScreen

            return InterviewScreen(self.round_id, self.problem_id, self.services.settings.level, resume=self.resume,
                                   voice=self.voice)
        from .setup_screen import SetupScreen

        return SetupScreen()

    def make_voice_panel(self, **kwargs: Any):
        """Push-to-talk for an interview screen, over this app's audio source and model."""
        from .voice_panel import VoicePanel

        return VoicePanel(self.services.settings.voice, stream_factory=self.voice_stream, model=self.speech_model,
                          **kwargs)

    def get_system_commands(self, screen):
        """The command palette (Ctrl+P): Textual's own commands, themes included, plus ours."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("New interview", "Choose a round, a problem and a level", self.action_new_interview)
        yield SystemCommand("Past sessions", "Browse saved interviews, re-score them, see trends", self.action_review)

    def action_new_interview(self) -> None:
        from .setup_screen import SetupScreen

        self.push_screen(SetupScreen())

    def action_review(self) -> None:
        from .review_screen import ReviewScreen

        self.push_screen(ReviewScreen())

    def show_error(self, error: Exception, severity: str = "error") -> None:
        """Every error a user can act on appears as a notification with its fix. `warning` is for
        what went wrong but lost nothing (a microphone that stopped, with its audio kept)."""
        if isinstance(error, InterviewerError):
            self.notify(error.message, title=error.title, severity=severity, timeout=10)
        else:
            self.notify(f"{type(error).__name__}: {error}", title="Unexpected error", severity=severity, timeout=10)
