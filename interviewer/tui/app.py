"""The application: built from the same services as the CLI, it routes between screens.

Keys follow Textual's conventions: Ctrl+Q quits (an interview in progress is saved with what
was being typed, and resumes later), Ctrl+C copies where text is selected, F1 shows every key
of the screen and of the focused widget, Ctrl+P opens the command palette (themes included;
the theme chosen there is remembered). SIGTERM and SIGHUP save and quit the same way.
"""

from __future__ import annotations

import asyncio
import gc
import signal
import time
from pathlib import Path
from typing import Any, Callable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen

from ..errors import InterviewerError
from ..redaction import scrub
from ..services import Services
from ..stop_signals import STOP_SIGNALS

THEME_KEY = "theme"


class InterviewerApp(App):
    """`start` picks the first screen: "setup", "review", "practice" (with `round_id`) or "loop" (with
    `loop_run`)."""

    TITLE = "interviewer"
    CSS_PATH = Path(__file__).with_name("styles.tcss")  # absolute, so subclasses elsewhere find it
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", tooltip="Quit; an interview is saved and can be resumed", priority=True),
        Binding("f1", "toggle_help", "Help", tooltip="Show or hide every key of this screen"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, services: Services, start: str = "setup", round_id: str | None = None,
                 problem_id: str | None = None, resume: Path | None = None,
                 clock: Callable[[], float] = time.monotonic, voice: bool = False,
                 voice_stream: Callable[..., Any] | None = None, speech_model: Any = None,
                 voice_output: Callable[..., Any] | None = None, interviewer_voice: Any = None,
                 loop_run: Path | None = None) -> None:
        super().__init__()
        self.loop_run = loop_run  # `interviewer loop start|next`: the next round of this saved loop
        self.voice = voice  # `practice --voice`: spoken answers from the start
        # Where audio comes from (None: the microphone; tests pass a stream that plays a file)
        # and the loaded speech model, kept across interviews so it loads once per run.
        self.voice_stream = voice_stream
        self.speech_model = speech_model
        # Where the interviewer's voice goes (None: the speakers; tests keep it) and the loaded
        # Piper voice, also kept across interviews.
        self.voice_output = voice_output
        self.interviewer_voice = interviewer_voice
        self.clock = clock  # tests pin it so the status bar's timers are reproducible
        self.services = services
        self.start = start
        self.round_id = round_id
        self.problem_id = problem_id
        self.resume = resume
        self._restore_theme()

    def get_driver_class(self):
        """On Linux and macOS, a driver that draws through its own copy of descriptor 2 (unless
        TEXTUAL_DRIVER names one)."""
        from textual import constants
        from textual.drivers.linux_driver import LinuxDriver

        driver = super().get_driver_class()
        if driver is LinuxDriver and constants.DRIVER is None:
            from .terminal_driver import OwnDescriptorDriver

            return OwnDescriptorDriver
        return driver

    def run(self, *args, **kwargs):
        """Run in this terminal until the user quits."""
        # Everything imported so far (Textual, the rubric index, the settings) lives as long as
        # the process. Frozen, it is left out of every later collection: without this, a full
        # collection over those objects lands in the middle of drawing the first frame.
        gc.freeze()
        # Collections while the first screen is built free next to nothing (a couple of thousand
        # objects) and take a good share of the time to its first frame: off until it is drawn.
        gc.disable()
        return super().run(*args, **kwargs)

    def on_mount(self) -> None:
        self.screen.call_after_refresh(gc.enable)  # see `run`
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            try:
                loop.add_signal_handler(signum, self.stop_for_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # not the main thread (tests), or a platform without them
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def get_default_screen(self):
        """The first screen is the app's base screen, so the first frame is already the real
        one. Each screen's module is imported only when it is shown."""
        return self._with_breakpoint(self._first_screen())

    def push_screen(self, screen, *args, **kwargs):
        if isinstance(screen, Screen):
            self._with_breakpoint(screen)
        return super().push_screen(screen, *args, **kwargs)

    def _with_breakpoint(self, screen: Screen) -> Screen:
        """Give a screen about to be shown its width's breakpoint class. Textual sets it on the
        screen's first resize, after its first frame: a change then restyles every widget and lays
        the screen out again before the footer's keys can be drawn; set now, that resize changes nothing."""
        breakpoints = screen.HORIZONTAL_BREAKPOINTS
        breakpoints = self.HORIZONTAL_BREAKPOINTS if breakpoints is None else breakpoints
        width = self.size.width
        for min_width, name in sorted(breakpoints or (), reverse=True):
            if width >= min_width:
                screen.add_class(name, update=False)
                break
        return screen

    def _first_screen(self) -> Screen:
        if self.start == "review":
            from .review_screen import ReviewScreen

            return ReviewScreen()
        if self.start == "loop" and self.loop_run is not None:
            from .interview_screen import InterviewScreen

            return InterviewScreen(None, None, self.services.settings.level, voice=self.voice, loop=self.loop_run)
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

    # ------------------------------------------------------------------ leaving
    def _save_interviews(self, reason: str) -> str | None:
        """Every interview on the screen stack keeps its draft and gets its end record."""
        from .interview_screen import InterviewScreen

        said = None
        for screen in self.screen_stack:
            if isinstance(screen, InterviewScreen):
                said = screen.leave(reason) or said
        return said

    async def action_quit(self) -> None:
        """Ctrl+Q: save, then quit, with the command that continues the interview."""
        self.exit(self._save_interviews("quit"))

    def stop_for_signal(self, signum: int) -> None:
        said = self._save_interviews("terminated")
        self.exit(f"stopped by {signal.Signals(signum).name}. {said}" if said else None, return_code=128 + signum)

    def action_toggle_help(self) -> None:
        try:
            self.screen.query_one("HelpPanel")
        except NoMatches:
            self.action_show_help_panel()
        else:
            self.action_hide_help_panel()

    # ------------------------------------------------------------------ screens
    def action_new_interview(self) -> None:
        from .setup_screen import SetupScreen

        self.push_screen(SetupScreen())

    def action_review(self) -> None:
        from .review_screen import ReviewScreen

        self.push_screen(ReviewScreen())

    # ------------------------------------------------------------------ theme
    def _restore_theme(self) -> None:
        from ..user_state import load_state

        saved = load_state().get(THEME_KEY)
        self._saved_theme = saved if isinstance(saved, str) else None
        if self._saved_theme in self.available_themes:
            self.theme = self._saved_theme

    def _theme_changed(self, theme) -> None:
        if theme.name == self._saved_theme:
            return
        self._saved_theme = theme.name
        self.run_worker(lambda: self._save_theme(theme.name), thread=True, name="save-theme", group="theme",
                        exclusive=True, exit_on_error=False)

    @staticmethod
    def _save_theme(name: str) -> None:
        from ..user_state import update_state

        update_state(**{THEME_KEY: name})

    def show_error(self, error: Exception, severity: str = "error") -> None:
        """Every error a user can act on appears as a notification with its fix. `warning` is for
        what went wrong but lost nothing (a microphone that stopped, with its audio kept)."""
        if isinstance(error, InterviewerError):
            self.notify(scrub(error.message), title=error.title, severity=severity, timeout=10, markup=False)
        else:
            self.notify(scrub(f"{type(error).__name__}: {error}"), title="Unexpected error", severity=severity,
                        timeout=10, markup=False)
