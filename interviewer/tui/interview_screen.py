"""The live interview: the conversation streams in, answers go out, the clock runs.

All session work happens in thread workers; they report back with messages, and only
handlers on the UI thread touch widgets. Keys follow Textual's conventions: Ctrl+Q quits
(saving the session and the draft), Ctrl+C copies in the answer box and the editor, F1 lists
every key; F9 asks before it ends the round.

The screen draws in two frames, as an empty app does: the status line and the footer's bar first,
then the workspace (the conversation, the answer box, the editor) with the footer's keys. The
widgets' modules (the text area's above all) load for the second, so the first comes as soon as an
empty app's; the keys are offered once the widgets they act on are there.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from ..drafts import Draft, last_code, load_draft, save_draft
from .footer import AfterFooter, Footer, after_first_frame
from .interview_keys import InterviewKeys
from .interview_text import rubric_text, status_line
from .spoken_answers import SpokenAnswers
from .spoken_replies import SpokenReplies
from .voice_panel import VoicePanel

if TYPE_CHECKING:
    # The session (the engine, the rubric's schema, the reading of answers) is imported by the worker that
    # opens it, after the screen's first frames: importing it takes several times an empty app's first frame.
    # The LLM client's wrapper likewise: the session has loaded it by the time a wait is watched or stopped.
    from textual.widgets import TextArea

    from ..llm.model import Waiting
    from ..session import Reply, Session
    from .checks_panel import ChecksPanel
    from .conversation import Conversation

DRAFT_EVERY_S = 5.0


class InterviewScreen(InterviewKeys, SpokenAnswers, SpokenReplies, Screen):
    BINDINGS = [
        # Not a priority binding: it must queue behind the keystrokes typed before it, or a fast
        # typist (or a paste) would send half an answer.
        Binding("ctrl+s", "send", "Send", tooltip="Send the answer in the box"),
        Binding("f2", "hint", "Hint", tooltip="Ask for a nudge"),
        Binding("f3", "next", "Next part", tooltip="Say you are done with this part"),
        Binding("f4", "toggle_rubric", "Rubric", tooltip="Show or hide what the round looks for"),
        Binding("f5", "run_checks", "Run", tooltip="Run the part's checks on the editor's code"),
        # Priority: the answer box takes F6/F7 for selecting; in a round where the interviewer speaks
        # they are the voice's keys (elsewhere check_action turns these off and the box keeps them).
        Binding("f6", "mute", "Mute", tooltip="Mute or unmute the interviewer's voice", priority=True),
        Binding("f7", "replay", "Replay", tooltip="Hear the interviewer's last reply again", priority=True),
        Binding("f8", "talk", "Talk", tooltip="Start or stop recording a spoken answer"),
        Binding("f9", "end", "End", tooltip="End the interview now and score it (asks first)"),
        Binding("f10", "keep_talking", "Keep talking",
                tooltip="Hands-free: hold the countdown that sends your answer until you speak again"),
    ]

    class SessionOpened(Message):
        def __init__(self, session: Session, draft: Draft | None, code: str | None) -> None:
            super().__init__()
            self.session, self.draft, self.code = session, draft, code

    class ReplyFinished(Message):
        def __init__(self, reply: Reply | None) -> None:
            super().__init__()
            self.reply = reply

    class ChecksRan(Message):
        def __init__(self, summary: dict) -> None:
            super().__init__()
            self.summary = summary

    class Noticed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class ModelWaited(Message):
        def __init__(self, waiting: Waiting) -> None:
            super().__init__()
            self.waiting = waiting

    class Failed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    class Scored(Message):
        def __init__(self, card, transcript) -> None:
            super().__init__()
            self.card = card
            self.transcript = transcript

    def __init__(self, round_id: str | None, problem_id: str | None, level: str, resume: Path | None = None,
                 voice: bool = False, loop: str | Path | None = None) -> None:
        super().__init__()
        self.loop = loop  # a loop id (its current run, or a new one) or a saved run: the loop picks the round
        self.voice = voice
        self.round_id = round_id
        self.problem_id = problem_id
        self.level = level
        self.resume = resume
        self.session: Session | None = None
        self.busy = True
        self.left = False  # Ctrl+Q or a stop signal: late messages from the workers are dropped
        self._saved_draft = Draft()
        self._rubric_shown = False
        self._workspace_shown = False  # mounted after the first frame; no key acts before it is

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static("Starting…", id="status", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    async def _show_workspace(self) -> None:
        """The second frame: the workspace, the answer box focused, and the footer's keys."""
        from textual.widgets import TextArea

        from .conversation import Conversation

        workspace, talk, coding = Horizontal(id="workspace"), Vertical(id="talk"), Vertical(id="coding")
        coding.display = False  # the editor and its checks mount there when the round is a coding one
        answer = TextArea(id="answer", soft_wrap=True, placeholder="Type your answer; Ctrl+S sends it.")
        in_talk = [Conversation(id="conversation"), answer]
        if self.voice:
            in_talk.insert(1, self.app.make_voice_panel(id="voice"))
        with self.app.batch_update():
            # One level at a time: children passed to a container join the DOM only once it has mounted.
            await self.mount(workspace, after="#status")
            await workspace.mount(talk, coding)
            # The rubric panel (F4) mounts with the session, hidden: what it shows comes from the rubric.
            await talk.mount_all(in_talk)
            answer.focus()
            self._workspace_shown = True
            self.refresh_bindings()
            await self.query_one(Footer).show_keys()
        # The session opens into the workspace, once the frame with the keys is drawn: the worker's imports
        # would hold that frame up.
        opening = AfterFooter(self)
        opening(self._open)
        opening.start()

    @property
    def conversation(self) -> Conversation:
        return cast("Conversation", self.query_one("#conversation"))

    def _box(self, which: str = "#answer") -> TextArea:
        """The answer box, or the code editor (`#code`)."""
        return cast("TextArea", self.query_one(which))

    def on_mount(self) -> None:
        after_first_frame(self.query_one("#status"), self._show_workspace)
        self.set_interval(1.0, self._tick)
        self.set_interval(DRAFT_EVERY_S, self._autosave)
        self.start_speaking()

    def on_resize(self) -> None:
        self._tick()

    # ------------------------------------------------------------------ workers
    @work(thread=True, exclusive=True, exit_on_error=False, group="session", name="open-session")
    def _open(self) -> None:
        from textual.widgets import Markdown  # noqa: F401 - imported here, not on the UI thread with the first reply
        from ..session import Session

        services = self.app.services
        try:
            draft = code = None
            if self.loop is not None:
                from ..loops.sittings import open_loop

                said, session, transcript = open_loop(self.loop, self.level, services, clock=self.app.clock)
                self.app.call_from_thread(self.app.notify, said, title="Loop", timeout=8, markup=False)
                if transcript is not None:
                    draft, code = load_draft(session.path), last_code(transcript)
            elif self.resume is not None:
                session, transcript = Session.resume(self.resume, services.library, services.settings, services.brain,
                                                     clock=self.app.clock)
                draft, code = load_draft(session.path), last_code(transcript)
            else:
                session = Session.create(services.library, self.round_id, self.problem_id, services.settings,
                                         services.brain, clock=self.app.clock,
                                         brain_settings=services.llm.public() if services.uses_llm else None)
                transcript = None
            session.llm_config = services.llm if services.uses_llm else None
            session.on_chunk = self.reply_chunk
            session.on_notice = lambda text: self.post_message(self.Noticed(text))
            from ..llm.model import watch_waits

            watch_waits(session.brain, lambda waiting: self.post_message(self.ModelWaited(waiting)))
            self.post_message(self.SessionOpened(session, draft, code))
            reply = session.open() if transcript is None else session.pending_answer(transcript)
            self.post_message(self.ReplyFinished(reply))
        except Exception as error:  # noqa: BLE001 - reported to the user, never a crash
            self.post_message(self.Failed(error))

    @work(thread=True, exclusive=True, exit_on_error=False, group="brain", name="answer")
    def _submit(self, answer: str | None, command: str | None, code: str | None,
                spoken: tuple[dict, object] | None = None) -> None:
        session = self.session
        try:
            if code is not None:
                session.snapshot_code(code)
            if command:
                reply = session.command(command)
            else:
                delivery, recording = spoken if spoken else (None, None)
                reply = session.submit(answer, delivery=delivery, audio=recording)
            self.post_message(self.ReplyFinished(reply))
        except Exception as error:  # noqa: BLE001
            self.post_message(self.Failed(error))

    @work(thread=True, exclusive=True, exit_on_error=False, group="brain", name="run-checks")
    def _run_checks(self, code: str) -> None:
        """Runs the candidate's code in a separate process; a passing run may bring a reply."""
        try:
            run = self.session.run_checks(code, on_result=lambda summary: self.post_message(self.ChecksRan(summary)))
            self.post_message(self.ReplyFinished(run.reply))
        except Exception as error:  # noqa: BLE001
            self.post_message(self.Failed(error))

    @work(thread=True, exclusive=True, exit_on_error=False, group="score", name="score")
    def _score(self) -> None:
        session = self.session
        try:
            card, transcript = session.scorecard()  # saved with the session
            self.post_message(self.Scored(card, transcript))
        except Exception as error:  # noqa: BLE001
            self.post_message(self.Failed(error))

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft", name="save-draft")
    def _save_draft(self, path: Path, draft: Draft) -> None:
        try:
            save_draft(path, draft)
        except Exception as error:  # noqa: BLE001 - a draft that cannot be kept is said, not fatal
            self.post_message(self.Failed(error))

    # ------------------------------------------------------------ message handlers
    async def on_interview_screen_session_opened(self, message: SessionOpened) -> None:
        if self.left:  # quit or stopped before the session had opened: end it as asked
            message.session.close(self._left_as)
            _stop_waiting(message.session.brain)
            return
        self.session = session = message.session
        if session.rubric.family == "coding":
            from textual.widgets import TextArea

            from .checks_panel import ChecksPanel

            saved = message.draft.code if message.draft and message.draft.code is not None else message.code
            editor = TextArea.code_editor(saved if saved is not None else (session.problem.code or ""),
                                          language="python", id="code")
            checks = ChecksPanel(id="checks")
            checks.display = session.checked
            coding = self.query_one("#coding")
            await coding.mount(editor, checks)
            coding.display = True
            if session.checked and session.engine.state.gate:
                self._show_gate_checks(session.engine.state.gate)
            self.refresh_bindings()
        from textual.widgets import Markdown

        rubric = Markdown(rubric_text(session.rubric), id="rubric")
        rubric.display = self._rubric_shown
        self.query_one("#workspace").mount(rubric)
        if self.voice:
            from ..voice.vocabulary import priming_for

            priming = priming_for(session.settings.voice, session.rubric, session.problem)
            panel = self.query_one("#voice", VoicePanel)
            panel.prompt, panel.hotwords = priming.prompt, priming.hotwords
        if self.resume is not None:
            for role, text in session.history:
                self.conversation.show(role, text)
            if message.draft and message.draft.answer:
                box = self._box()
                box.text = message.draft.answer
                box.move_cursor(box.document.end)
        self._saved_draft = self._draft()
        self._tick()

    async def on_conversation_chunks_waiting(self, message: Conversation.ChunksWaiting) -> None:
        if not self.left:
            await self.conversation.drain()

    async def on_interview_screen_reply_finished(self, message: ReplyFinished) -> None:
        if self.left:
            return  # quit or stopped while the reply was on its way: the app is closing
        reply = message.reply
        await self.conversation.finish_reply(reply.text if reply is not None else None)
        if reply is not None:
            self.reply_shown(reply.text)
        if reply is not None and reply.move.kind == "gate_reveal" and self.session.checked:
            self._show_gate_checks(reply.move.gate)
        if reply is not None and self.voice:
            self.query_one("#voice", VoicePanel).question_shown()
        self.busy = False
        if reply is not None and not reply.finished:
            self.listen_after_reply()
        self._tick()
        if reply is not None and reply.finished:
            self.busy = True
            self.notify("Interview complete; scoring…", timeout=3)
            self._score()

    def on_interview_screen_model_waited(self, message: ModelWaited) -> None:
        if self.busy and not self.left:  # a report that lands after the reply finished is stale
            self.conversation.waiting(message.waiting.text())

    def on_interview_screen_checks_ran(self, message: ChecksRan) -> None:
        if not self.left:
            cast("ChecksPanel", self.query_one("#checks")).show_run(message.summary)

    def on_interview_screen_noticed(self, message: Noticed) -> None:
        self.notify(message.text, title="Interviewer", severity="warning", timeout=8)

    def on_interview_screen_failed(self, message: Failed) -> None:
        if self.left:
            return  # the closed session refusing a late reply is expected
        self.busy = False
        self.conversation.waiting(None)
        self.app.show_error(message.error)

    def on_interview_screen_scored(self, message: Scored) -> None:
        from .scorecard_screen import ScorecardScreen

        card = ScorecardScreen(message.card, message.transcript)
        if self.app.screen_stack[0] is self:
            # Started as `interviewer practice ROUND`: this is the base screen, which cannot be
            # switched away; the scorecard goes on top (and leaving it quits).
            self.app.push_screen(card)
        else:
            self.app.switch_screen(card)

    # ------------------------------------------------------------------ actions
    def action_toggle_rubric(self) -> None:
        self._rubric_shown = not self._rubric_shown
        for panel in self.query("#rubric"):  # none until the session has opened: shown then if asked for
            panel.display = self._rubric_shown

    def leave(self, reason: str = "quit") -> str | None:
        """Ctrl+Q, or a stop signal: keep the draft, write the end record, say how to continue.
        The turns are already saved one by one."""
        self.left, self._left_as = True, reason
        self.stop_speaking()
        session = self.session
        if session is None or session.writer.closed:
            return None
        try:
            save_draft(session.path, self._draft())
        except Exception as error:  # noqa: BLE001 - the session itself is saved; say what was not
            self.app.show_error(error)
        session.close(reason)
        _stop_waiting(session.brain)  # a reply still being waited on would hold up the exit
        return f"Saved {session.path}; continue with `interviewer resume {session.path.stem}`"

    # ------------------------------------------------------------------ helpers
    def _draft(self) -> Draft:
        code = self._box("#code").text if self.query_one("#coding").display else None
        return Draft(self._box().text, code)

    def _autosave(self) -> None:
        """Every few seconds, if the answer or the code changed, keep it beside the transcript."""
        if self.session is None or self.session.writer.closed:
            return
        draft = self._draft()
        if draft != self._saved_draft:
            self._saved_draft = draft
            self._save_draft(self.session.path, draft)

    def _show_gate_checks(self, gate: int) -> None:
        descriptions = [c.description for c in self.session.gate_checks(gate)]
        cast("ChecksPanel", self.query_one("#checks")).show_checks(gate, descriptions)

    def _tick(self) -> None:
        if self.session is not None:
            status = self.query_one("#status", Static)
            status.update(status_line(self.session, status.size.width - 2 if status.size.width else None))


def _stop_waiting(brain) -> None:
    from ..llm.model import stop_waiting

    stop_waiting(brain)
