"""Choose a role, level, round, problem and mode; see what the session will use.

This is the first screen a user sees, so it is built for a fast first frame: every choice is the
same widget (an option list: up/down picks, Enter moves on), the title is one line of text, and
anything not needed to draw (the round's details, the offer to resume) arrives after it.

The screen is drawn in three frames, each as soon as the one before it: the title and the footer's bar
(what an empty app draws first); then the round list (focused: the choice a user makes first) in the
place it keeps, with the footer's keys; then the other lists and the notes. Each widget costs its
styling, layout and drawing before the frame that shows it: from composing to the first frame, six lists
with their labels and the notes took several times an empty app's time, and the round list with the
keys still took twice its time. Anything that reads a list mounts what is missing first, so a key pressed
before then acts on the whole screen.
"""

from __future__ import annotations

from asyncio import gather
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..loops.catalog import LOOPS, role_rounds
from ..loops.catalog import ROLES as LOOP_ROLES
from ..settings import LEVELS
from .footer import AfterFooter, Footer, after_first_frame

if TYPE_CHECKING:
    from pathlib import Path

    from textual.widget import AwaitMount

    from ..legacy_import import LegacyOffer
    from ..sessions import SessionSummary

# Each role runs its loop; its rounds are the loop's, in stage order (so the MLE role reaches the work trial).
ROLES = {role: (title, LOOPS[loop_id].rounds()) for role, (title, loop_id) in LOOP_ROLES.items()}
TITLE = "interviewer: new interview"
ROUND_LABEL = "Round"  # the round list's label, drawn in the second frame
LAST_LABEL = "Mode"  # the label of the last list, drawn in the third frame
RANDOM = "random-problem"
# Links rather than buttons: the same clickable targets at a fraction of a button's styling cost.
START_HINT = ("[b][@click=screen.start]Start interview[/][/b]: Enter on a problem, or Ctrl+S\n"
              "[@click=screen.review]Past sessions[/]: R\n"
              "[@click=screen.debrief]Loop debrief[/]: D (the role's latest loop)")
VOICE_CHECKING = "Voice: checking for a microphone and the speech model…"
# Enter on a list moves on to the next one; Enter on the problem starts the interview.
NEXT_LIST = {"role": "#plan", "plan": "#level", "level": "#round", "round": "#problem"}
PLANS = (("round", "One round"), ("loop", "The whole loop, a round a sitting (resumes where you are)"))
# The width of the form's lists: the form's 50 columns (styles.tcss) less the gutter its scrollbar keeps.
LIST_WIDTH = 48


def rows_above_round() -> int:
    """The rows the role, plan and level lists take above the round list: each a label (a line below a
    blank one) and a compact list, each option wrapped as the list wraps it."""
    from textual.content import Content

    lists = ([label for label, _ in ROLES.values()], [label for _, label in PLANS], list(LEVELS))
    return sum(2 + sum(len(Content(option).wrap(LIST_WIDTH)) for option in options) for options in lists)


def choices(*options: Option, id: str, highlighted: int = 0) -> OptionList:
    """A compact option list on its `highlighted` option. `compact=True` would add its class in the
    constructor, which restyles the list before it is mounted (and mounting styles it again); set
    before mounting, it costs nothing. So does the highlight, which no handler needs to hear of then."""
    option_list = OptionList(*options, id=id)
    option_list.set_reactive(OptionList.compact, True)
    option_list.set_reactive(OptionList.highlighted, highlighted)
    option_list.add_class("-textual-compact", update=False)
    return option_list


class SetupScreen(Screen):
    """Keyboard flow: up/down picks within a list and Enter moves to the next one (the round
    list has focus first); Enter on a problem, or Ctrl+S anywhere, starts the interview."""

    BINDINGS = [("ctrl+s", "start", "Start"), ("r", "review", "Past sessions"), ("d", "debrief", "Loop debrief")]
    AUTO_FOCUS = "#round"  # focused when the screen is shown again; the first time, as the list mounts

    class RoundDescribed(Message):
        def __init__(self, rubric) -> None:
            super().__init__()
            self.rubric = rubric

    def __init__(self) -> None:
        super().__init__()
        self._rounds = None  # the round index, read once
        self._role = "swe"
        self._wanted_problem: str | None = None
        self._after_footer = AfterFooter(self)
        self._rounds_mounted = False
        self._rest_mounted = False

    def compose(self) -> ComposeResult:
        yield Static(TITLE, id="setup-title", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        after_first_frame(self.query_one("#setup-title"), self._show_rounds)  # see the module's docstring
        self._after_footer(self._find_interrupted)
        self._after_footer(self._check_voice)

    async def _show_rounds(self) -> None:
        """The second frame: the round list, focused, and the footer's keys; then the rest of the screen."""
        with self.app.batch_update():
            await gather(*self._mount_rounds())
            await self.query_one(Footer).show_keys()
        after_first_frame(self.query_one("#round"), self._complete)

    def _mount_rounds(self) -> list[AwaitMount]:
        """The form with the round list alone, focused on its first round. Once only."""
        if self._rounds_mounted:
            return []
        self._rounds_mounted = True
        setup, form = Horizontal(id="setup"), VerticalScroll(id="setup-form")
        # The lists above the round list mount a frame later; their rows are kept free so that the round
        # list is drawn where it stays.
        form.styles.padding = (rows_above_round(), 0, 0, 0)
        rounds = choices(*self._round_options("swe"), id="round")
        # Mounted one level at a time rather than as children passed to a container, which join the DOM
        # only once it has mounted: a key pressed before then finds each of them at once.
        mounted = [self.mount(setup, after="#setup-title"), setup.mount(form),
                   form.mount(Label(ROUND_LABEL, id="round-label"), rounds)]
        self.set_focus(rounds)
        rounds.highlighted = 0  # heard (the round's problems are listed once the footer's keys are drawn)
        return mounted

    async def _complete(self) -> None:
        """Mount the rest of the screen, then open the gate for the work held back: after the frames that
        draw the whole screen and its footer keys (a worker started before would hold them up), and
        with the lists and notes that work reports to there."""
        # One frame with all of it, as the first frame has all it composes: frames drawn while the widgets
        # mount would show the form without them, each a full layout that puts the complete frame off.
        with self.app.batch_update():
            await gather(*self._mount_rest())
        self.call_after_refresh(self._show_focused_rounds)
        self._after_footer.start()

    def _show_focused_rounds(self) -> None:
        """What focusing the round list does, again now that the form is as tall as it stays: a short
        terminal (80x24) scrolls the list into view, which the first form, not yet as tall, could not."""
        rounds = self.query_one("#round", OptionList)
        if self.focused is rounds and not self.can_view_entire(rounds):
            self.scroll_to_center(rounds, origin_visible=True)

    def _mount_rest(self) -> list[AwaitMount]:
        """The lists and notes the first frame leaves out, each list on its first choice (the level on
        the one the settings hold). Once only: a later call mounts nothing."""
        if self._rest_mounted:
            return []
        self._rest_mounted = True
        self._mount_rounds()
        chosen_level = LEVELS.index(self.app.services.settings.level)  # settings hold one of these
        form = self.query_one("#setup-form", VerticalScroll)
        form.styles.clear_rule("padding")
        above = (Label("Role"), choices(*(Option(label, id=key) for key, (label, _) in ROLES.items()), id="role"),
                 Label("Plan"), choices(*(Option(label, id=key) for key, label in PLANS), id="plan"),
                 Label("Target level"),
                 choices(*(Option(level, id=level) for level in LEVELS), id="level", highlighted=chosen_level))
        modes = (Option("Text", id="text"), Option("Voice", id="voice", disabled=True))
        below = (Label("Problem"), choices(Option("Random problem", id=RANDOM), id="problem"),
                 Label(LAST_LABEL), choices(*modes, id="mode"))
        info = VerticalScroll(
            Static(START_HINT, id="setup-keys"),
            # The voice note first: it is short and may ask for action, and at 80x24 the longer
            # interviewer note would push it out of view.
            Static(VOICE_CHECKING, id="voice-note", classes="note", markup=False),
            Static(f"Interviewer: {self.app.services.note}.", id="brain-note", classes="note"),
            Static("", id="round-summary", markup=False),
            id="setup-info")
        return [form.mount(*above, before="#round-label"), form.mount(*below),
                self.query_one("#setup", Horizontal).mount(info)]

    def _chosen(self, list_id: str) -> Option | None:
        self._mount_rest()  # a key pressed before the frame that mounts it still finds the list
        return self.query_one(list_id, OptionList).highlighted_option

    # ----------------------------------------------------------------- choices
    def _round_list(self) -> OptionList:
        self._mount_rounds()  # a key pressed before the frame that mounts it still finds the list
        return self.query_one("#round", OptionList)

    @property
    def round_id(self) -> str | None:
        option = self._round_list().highlighted_option
        return option.id if option else None

    @property
    def problem_id(self) -> str | None:
        option = self._chosen("#problem")
        return None if option is None or option.id == RANDOM else option.id

    @property
    def whole_loop(self) -> bool:
        option = self._chosen("#plan")
        return option is not None and option.id == "loop"

    @property
    def voice(self) -> bool:
        option = self._chosen("#mode")
        return option is not None and option.id == "voice" and not option.disabled

    @property
    def level(self) -> str:
        option = self._chosen("#level")
        return option.id if option and option.id else self.app.services.settings.level

    def choose(self, round_id: str, problem_id: str | None = None) -> None:
        """Highlight a round (and, once its problems are listed, a problem)."""
        rounds = self._round_list()
        rounds.highlighted = rounds.get_option_index(round_id)
        self._wanted_problem = problem_id

    def _round_options(self, role: str) -> list[Option]:
        """Every round, the ones this role's loop has first."""
        if self._rounds is None:
            self._rounds = {r.id: r for r in self.app.services.library.index()}
        known = self._rounds
        order = role_rounds(role, known)
        return [Option(f"{known[r].title} ({known[r].duration_min} min)", id=r) for r in order]

    @on(OptionList.OptionHighlighted, "#role")
    def _role_changed(self, event: OptionList.OptionHighlighted) -> None:
        role = event.option.id or "swe"
        if role != self._role:
            self._role = role
            rounds = self.query_one("#round", OptionList)
            rounds.clear_options()
            rounds.add_options(self._round_options(role))
            rounds.highlighted = 0

    @on(OptionList.OptionHighlighted, "#round")
    def _round_changed(self, event: OptionList.OptionHighlighted) -> None:
        # After the next paint (and, at start-up, the footer's): loading the schema must not hold them up.
        self._after_footer(self._describe, str(event.option.id))

    @on(OptionList.OptionSelected, "#role, #plan, #level, #round")
    def _list_chosen(self, event: OptionList.OptionSelected) -> None:
        self._mount_rest()
        self.query_one(NEXT_LIST[str(event.option_list.id)], OptionList).focus()

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
        wanted = self._wanted_problem
        problems.highlighted = problems.get_option_index(wanted) if wanted else 0

    @work(thread=True, exclusive=True, exit_on_error=False, group="voice-check", name="check-voice")
    def _check_voice(self) -> None:
        """Finding PortAudio, a microphone and the model imports the audio stack: off the UI thread."""
        from ..spoken import voice_status

        try:
            available, note = voice_status(self.app.services.settings.voice)
        except Exception as error:  # noqa: BLE001 - voice is optional; say why it is off
            available, note = False, f"Voice: unavailable ({type(error).__name__}: {error}); text mode works."
        self.app.call_from_thread(self._voice_checked, available, note)

    def _voice_checked(self, available: bool, note: str) -> None:
        self.query_one("#voice-note", Static).update(note)
        modes = self.query_one("#mode", OptionList)
        if available:
            modes.enable_option("voice")
        else:
            modes.replace_option_prompt("voice", "Voice (unavailable)")

    # ----------------------------------------------------------------- resume
    @work(thread=True, exclusive=True, exit_on_error=False, group="resume", name="find-interrupted")
    def _find_interrupted(self) -> None:
        """Reading the saved sessions' headers is file work: off the UI thread, after the first
        frame. Sessions an older version left in ./transcripts are offered for import first."""
        from ..legacy_import import pending_offer
        from ..sessions import interrupted

        folder = self.app.services.settings.transcripts_dir
        try:
            offer = pending_offer(folder)
            waiting = interrupted(folder)
        except Exception as error:  # noqa: BLE001 - the setup screen stays usable without the offer
            self.app.call_from_thread(self.app.show_error, error)
            return
        self.app.call_from_thread(self._offer, offer, waiting[0] if waiting else None)

    def _offer(self, legacy: LegacyOffer | None, summary: SessionSummary | None) -> None:
        if not self.is_current:
            return  # the user has already moved on to another screen
        if legacy is None:
            self._offer_resume(summary)
            return
        from ..legacy_import import mark_offered
        from .dialogs import Confirm

        folder = self.app.services.settings.transcripts_dir
        count = len(legacy.sessions)

        def chosen(copy: bool | None) -> None:
            if copy:
                self._import(legacy.folder, folder)
            else:
                self.run_worker(lambda: mark_offered(legacy.folder), thread=True, name="mark-offered",
                                group="import", exit_on_error=False)
            self._offer_resume(summary)

        self.app.push_screen(Confirm(f"{count} session{'s' if count != 1 else ''} saved by an older version "
                                     f"{'are' if count != 1 else 'is'} in {legacy.folder}. Copy "
                                     f"{'them' if count != 1 else 'it'} into {folder}, where sessions live now? "
                                     "(Asked once; `interviewer import` does it later.)",
                                     "Copy", "Not now"), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import", name="import-sessions")
    def _import(self, source: Path, target: Path) -> None:
        from ..legacy_import import describe, import_sessions

        try:
            report = import_sessions(source, target)
        except Exception as error:  # noqa: BLE001
            self.app.call_from_thread(self.app.show_error, error)
            return
        self.app.call_from_thread(self.app.notify, describe(report, source, target), title="Sessions imported",
                                  timeout=10, markup=False)

    def _offer_resume(self, summary: SessionSummary | None) -> None:
        if summary is None or not self.is_current:
            return

        def chosen(resume: bool | None) -> None:
            if resume:
                from .interview_screen import InterviewScreen

                self.app.push_screen(InterviewScreen(None, None, self.app.services.settings.level,
                                                     resume=summary.path))

        self.app.push_screen(ResumeModal(summary), chosen)

    # ----------------------------------------------------------------- actions
    def action_start(self) -> None:
        from .interview_screen import InterviewScreen

        if self.whole_loop:
            # The loop picks the round and problem; the target level starts a new loop, an unfinished one goes on.
            self.app.push_screen(InterviewScreen(None, None, self.level, voice=self.voice,
                                                 loop=LOOP_ROLES[self._role][1]))
            return
        if self.round_id is None:
            self.notify("Pick a round first.", severity="warning")
            return
        self.app.push_screen(InterviewScreen(self.round_id, self.problem_id, self.level, voice=self.voice))

    def action_debrief(self) -> None:
        from .debrief_screen import DebriefScreen

        self.app.push_screen(DebriefScreen(LOOP_ROLES[self._role][1]))

    def action_review(self) -> None:
        from .review_screen import ReviewScreen

        self.app.push_screen(ReviewScreen())


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
