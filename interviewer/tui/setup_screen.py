"""Choose a round, problem, level and mode; see what the session will use."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from ..sessions import SessionSummary, interrupted

ROLES = {
    "swe": ("Software engineer", ["recruiter-screen", "coding", "coding-refactor", "system-design", "presentation",
                                  "behavioral", "work-trial"]),
    "backend": ("Backend engineer", ["coding", "system-design", "coding-refactor", "work-trial", "behavioral",
                                     "recruiter-screen", "presentation"]),
    "mle": ("Machine learning engineer", ["ml-coding", "ml-system-design", "presentation", "behavioral",
                                          "recruiter-screen", "coding", "system-design"]),
}
RANDOM = "random-problem"
VOICE_NOTE = ("Voice: not available in this version (push-to-talk and local transcription come with speech "
              "support); text mode is used.")


class SetupScreen(Screen):
    """Keyboard flow: pick a round (Enter), pick a problem (Enter starts)."""

    BINDINGS = [("ctrl+s", "start", "Start"), ("r", "review", "Past sessions")]
    AUTO_FOCUS = "#round"  # focused as the screen mounts: one restyle, not two

    class RoundDescribed(Message):
        def __init__(self, rubric) -> None:
            super().__init__()
            self.rubric = rubric

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
                with RadioSet(id="role", compact=True):
                    for key, (label, _) in ROLES.items():
                        yield RadioButton(label, value=key == "swe", id=f"role-{key}")
                yield Label("Target level")
                with RadioSet(id="level", compact=True):
                    for level in ("L4", "L5", "L6"):
                        yield RadioButton(level, value=level == services.settings.level, id=f"level-{level}")
                yield Label("Round")
                yield OptionList(*self._round_options("swe"), id="round", compact=True)
                yield Label("Problem")
                yield OptionList(Option("Random problem", id=RANDOM), id="problem", compact=True)
                yield Label("Mode")
                with RadioSet(id="mode", compact=True):
                    yield RadioButton("Text", value=True)
                    yield RadioButton("Voice (unavailable)", disabled=True)
            with VerticalScroll(id="setup-info"):
                with Horizontal(id="setup-buttons"):
                    yield Button("Start interview", variant="primary", id="start")
                    yield Button("Past sessions", id="review")
                yield Static(f"Interviewer: {services.note}.", id="brain-note", classes="note")
                yield Static(VOICE_NOTE, classes="note")
                yield Static("", id="round-summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#round", OptionList).highlighted = 0
        waiting = interrupted(self.app.services.settings.transcripts_dir)
        if waiting:
            self.app.push_screen(ResumeModal(waiting[0]), self._resume_chosen)

    # ----------------------------------------------------------------- choices
    @property
    def round_id(self) -> str | None:
        option = self.query_one("#round", OptionList).highlighted_option
        return option.id if option else None

    @property
    def problem_id(self) -> str | None:
        option = self.query_one("#problem", OptionList).highlighted_option
        return None if option is None or option.id == RANDOM else option.id

    @property
    def level(self) -> str:
        pressed = self.query_one("#level", RadioSet).pressed_button
        return pressed.id.removeprefix("level-") if pressed and pressed.id else self.app.services.settings.level

    def choose(self, round_id: str, problem_id: str | None = None) -> None:
        """Highlight a round (and, once its problems are listed, a problem)."""
        rounds = self.query_one("#round", OptionList)
        rounds.highlighted = rounds.get_option_index(round_id)
        self._wanted_problem = problem_id

    def _round_options(self, role: str) -> list[Option]:
        """Every round, the ones this role's loop has first."""
        if self._rounds is None:
            self._rounds = {r.id: r for r in self.app.services.library.index()}
        known = self._rounds
        order = [r for r in ROLES[role][1] if r in known] + sorted(set(known) - set(ROLES[role][1]))
        return [Option(f"{known[r].title} ({known[r].duration_min} min)", id=r) for r in order]

    @on(RadioSet.Changed, "#role")
    def _role_changed(self, event: RadioSet.Changed) -> None:
        role = (event.pressed.id or "role-swe").removeprefix("role-")
        if role != self._role:
            self._role = role
            rounds = self.query_one("#round", OptionList)
            rounds.clear_options()
            rounds.add_options(self._round_options(role))
            rounds.highlighted = 0

    @on(OptionList.OptionHighlighted, "#round")
    def _round_changed(self, event: OptionList.OptionHighlighted) -> None:
        # After the next paint: loading the schema must not hold up the first frame.
        self.call_after_refresh(self._describe, str(event.option.id))

    @on(OptionList.OptionSelected, "#round")
    def _round_chosen(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#problem", OptionList).focus()

    @on(OptionList.OptionSelected, "#problem")
    def _problem_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_start()

    @work(thread=True, exclusive=True, exit_on_error=False, group="rubric", name="describe-round")
    def _describe(self, round_id: str) -> None:
        """Validating a rubric loads the schema; do it off the UI thread."""
        try:
            self.post_message(self.RoundDescribed(self.app.services.library.load(round_id).rubric))
        except Exception as error:  # noqa: BLE001 - a broken rubric is reported, not fatal
            self.app.call_from_thread(self.app.show_error, error)

    def on_setup_screen_round_described(self, message: RoundDescribed) -> None:
        rubric = message.rubric
        if self.round_id != rubric.id:
            return  # the user has moved on to another round
        self.query_one("#round-summary", Static).update(
            f"{rubric.title}\n\n{rubric.duration_min} minutes. {rubric.summary.strip()}\n\n"
            f"Pass bar: {rubric.pass_bar.strip()}")
        problems = self.query_one("#problem", OptionList)
        problems.clear_options()
        problems.add_options([Option("Random problem", id=RANDOM)] + [Option(p.title, id=p.id) for p in rubric.problems])
        wanted = getattr(self, "_wanted_problem", None)
        problems.highlighted = problems.get_option_index(wanted) if wanted else 0

    # ----------------------------------------------------------------- actions
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        from .interview_screen import InterviewScreen

        if self.round_id is None:
            self.notify("Pick a round first.", severity="warning")
            return
        self.app.push_screen(InterviewScreen(self.round_id, self.problem_id, self.level))

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
