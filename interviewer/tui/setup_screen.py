"""Choose a round, problem, level and mode; see what the session will use."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, Label, Markdown, RadioButton, RadioSet, Select, Static

from ..sessions import SessionSummary, interrupted

ROLES = {
    "swe": ("Software engineer", ["recruiter-screen", "coding", "coding-refactor", "system-design", "presentation",
                                  "behavioral", "work-trial"]),
    "backend": ("Backend engineer", ["coding", "system-design", "coding-refactor", "work-trial", "behavioral",
                                     "recruiter-screen", "presentation"]),
    "mle": ("Machine learning engineer", ["ml-coding", "ml-system-design", "presentation", "behavioral",
                                          "recruiter-screen", "coding", "system-design"]),
}
RANDOM = "__random__"
VOICE_NOTE = ("Voice: not available in this version (push-to-talk and local transcription come with speech "
              "support); text mode is used.")


class SetupScreen(Screen):
    BINDINGS = [("enter", "start", "Start"), ("r", "review", "Past sessions")]

    def __init__(self) -> None:
        super().__init__()
        self._rounds = None  # the round index, read once
        self._role = "swe"

    def compose(self) -> ComposeResult:
        services = self.app.services
        yield Header()
        with Horizontal(id="setup"):
            with VerticalScroll(id="setup-form"):
                yield Label("Role")
                yield Select([(label, key) for key, (label, _) in ROLES.items()], value="swe", allow_blank=False,
                             id="role", compact=True)
                yield Label("Target level")
                yield Select([(lv, lv) for lv in ("L4", "L5", "L6")], value=services.settings.level,
                             allow_blank=False, id="level", compact=True)
                yield Label("Round")
                rounds = self._round_options("swe")
                yield Select(rounds, value=rounds[0][1], id="round", allow_blank=False, compact=True)
                yield Label("Problem")
                yield Select([("Random problem", RANDOM)], value=RANDOM, allow_blank=False, id="problem", compact=True)
                yield Label("Mode")
                with RadioSet(id="mode", compact=True):
                    yield RadioButton("Text", value=True)
                    yield RadioButton("Voice (unavailable)", disabled=True)
                with Horizontal(id="setup-buttons"):
                    yield Button("Start interview", variant="primary", id="start")
                    yield Button("Past sessions", id="review")
            with VerticalScroll(id="setup-info"):
                yield Static(f"Interviewer: {services.note}.", id="brain-note", classes="note")
                yield Static(VOICE_NOTE, classes="note")
                yield Markdown("", id="round-summary")
        yield Footer()

    def on_mount(self) -> None:
        waiting = interrupted(self.app.services.settings.transcripts_dir)
        if waiting:
            self.app.push_screen(ResumeModal(waiting[0]), self._resume_chosen)

    def _round_options(self, role: str) -> list[tuple[str, str]]:
        """Every round, the ones this role's loop has first."""
        if self._rounds is None:
            self._rounds = {r.id: r for r in self.app.services.library.index()}
        known = self._rounds
        order = [r for r in ROLES[role][1] if r in known] + sorted(set(known) - set(ROLES[role][1]))
        return [(f"{known[r].title} ({known[r].duration_min} min)", r) for r in order]

    def _fill_rounds(self, role: str) -> None:
        options = self._round_options(role)
        select = self.query_one("#round", Select)
        select.set_options(options)
        select.value = options[0][1]

    @on(Select.Changed, "#role")
    def _role_changed(self, event: Select.Changed) -> None:
        if str(event.value) != self._role:
            self._role = str(event.value)
            self._fill_rounds(self._role)

    @on(Select.Changed, "#round")
    def _round_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.BLANK:
            # After the next paint: loading the schema must not hold up the first frame.
            self.call_after_refresh(self._describe, str(event.value))

    @work(thread=True, exclusive=True, exit_on_error=False, group="rubric", name="describe-round")
    def _describe(self, round_id: str) -> None:
        """Validating a rubric loads the schema; do it off the UI thread, after first paint."""
        try:
            self.post_message(self.RoundDescribed(self.app.services.library.load(round_id).rubric))
        except Exception as error:  # noqa: BLE001 - a broken rubric is reported, not fatal
            self.app.call_from_thread(self.app.show_error, error)

    class RoundDescribed(Message):
        def __init__(self, rubric) -> None:
            super().__init__()
            self.rubric = rubric

    def on_setup_screen_round_described(self, message: RoundDescribed) -> None:
        rubric = message.rubric
        if str(self.query_one("#round", Select).value) != rubric.id:
            return  # the user has moved on to another round
        self.query_one("#round-summary", Markdown).update(
            f"## {rubric.title}\n\n{rubric.duration_min} minutes. {rubric.summary.strip()}\n\n"
            f"Pass bar: {rubric.pass_bar.strip()}")
        problem = self.query_one("#problem", Select)
        problem.set_options([("Random problem", RANDOM)] + [(p.title, p.id) for p in rubric.problems])
        problem.value = RANDOM

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        from .interview_screen import InterviewScreen

        round_id = str(self.query_one("#round", Select).value)
        problem = self.query_one("#problem", Select).value
        level = str(self.query_one("#level", Select).value)
        self.app.push_screen(InterviewScreen(round_id, None if problem == RANDOM else str(problem), level))

    @on(Button.Pressed, "#review")
    def action_review(self) -> None:
        from .review_screen import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def _resume_chosen(self, resume: bool | None) -> None:
        if resume:
            from .interview_screen import InterviewScreen

            waiting = interrupted(self.app.services.settings.transcripts_dir)
            if waiting:
                self.app.push_screen(InterviewScreen(None, None, self.app.services.settings.level,
                                                     resume=waiting[0].path))


class ResumeModal(ModalScreen[bool]):
    """Offered at start-up when a session was interrupted."""

    BINDINGS = [("escape", "dismiss(False)", "New session")]

    def __init__(self, summary: SessionSummary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        s = self.summary
        when = s.created.strftime("%Y-%m-%d %H:%M") if s.created else "an earlier session"
        with Vertical(id="resume-dialog"):
            yield Static(f"An interview was interrupted: {s.round} / {s.problem or '?'} from {when}, "
                         f"{s.answers} answers saved. Resume it?")
            with Horizontal():
                yield Button("Resume", variant="primary", id="yes")
                yield Button("Start something new", id="no")

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
