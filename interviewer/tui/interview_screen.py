"""The live interview: the conversation streams in, answers go out, the clock runs.

All session work happens in thread workers; they report back with messages, and only
handlers on the UI thread touch widgets.
"""

from __future__ import annotations

import threading
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static, TextArea

from ..llm.model import Restart
from ..session import Reply, Session
from .checks_panel import ChecksPanel
from .interview_text import rubric_text, status_line
from .voice_panel import VoicePanel


class InterviewScreen(Screen):
    BINDINGS = [
        # Not a priority binding: it must queue behind the keystrokes typed before it, or a fast
        # typist (or a paste) would send half an answer.
        Binding("ctrl+s", "send", "Send answer"),
        Binding("f2", "hint", "Hint"),
        Binding("f3", "next", "Done with this part"),
        Binding("f4", "toggle_rubric", "Rubric"),
        Binding("f5", "run_checks", "Run checks"),
        Binding("f8", "talk", "Talk / stop"),
        Binding("f9", "end", "End interview"),
        Binding("ctrl+c", "leave", "Save and quit", priority=True),
    ]

    class SessionOpened(Message):
        def __init__(self, session: Session) -> None:
            super().__init__()
            self.session = session

    class ReplyChunked(Message):
        """New reply text is waiting in the screen's buffer (one message, however many chunks)."""

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
                 voice: bool = False) -> None:
        super().__init__()
        self.voice = voice
        self._spoken: tuple[dict, object] | None = None  # delivery and audio of the answer in the box
        self._spoken_box = ""  # the box's text when the spoken answer landed, to tell if it was edited
        self.round_id = round_id
        self.problem_id = problem_id
        self.level = level
        self.resume = resume
        self.session: Session | None = None
        self.busy = True
        self._stream = None
        self._reply_widget: Markdown | None = None
        self._reply_text = ""
        # Chunks arrive from the worker far faster than a frame; they are buffered and the UI
        # takes them in one go, so a fast stream never starves keystrokes.
        self._chunks: list[str] = []
        self._chunks_lock = threading.Lock()
        self._chunks_posted = False

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static("Starting…", id="status")
        with Horizontal(id="workspace"):
            with Vertical(id="talk"):
                yield VerticalScroll(id="conversation")
                if self.voice:
                    yield self.app.make_voice_panel(id="voice")
                yield TextArea(id="answer", soft_wrap=True, placeholder="Type your answer; Ctrl+S sends it.")
            with Vertical(id="coding"):
                yield TextArea.code_editor("", language="python", id="code")
                yield ChecksPanel(id="checks")
            yield Markdown("", id="rubric")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#coding").display = False
        self.query_one("#rubric").display = False
        self.query_one("#answer").focus()
        self.set_interval(1.0, self._tick)
        self._open()

    # ------------------------------------------------------------------ workers
    @work(thread=True, exclusive=True, exit_on_error=False, group="session", name="open-session")
    def _open(self) -> None:
        services = self.app.services
        try:
            if self.resume is not None:
                session, transcript = Session.resume(self.resume, services.library, services.settings, services.brain,
                                                     clock=self.app.clock)
            else:
                session = Session.create(services.library, self.round_id, self.problem_id, services.settings,
                                         services.brain, clock=self.app.clock,
                                         brain_settings=services.llm.public() if services.uses_llm else None)
                transcript = None
            session.llm_config = services.llm if services.uses_llm else None
            session.on_chunk = self._buffer_chunk
            session.on_notice = lambda text: self.post_message(self.Noticed(text))
            self.post_message(self.SessionOpened(session))
            if transcript is None:
                reply = session.open()
            else:
                reply = session.pending_answer(transcript)
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
        from ..sessions import save_scorecard

        session = self.session
        try:
            card, transcript = session.scorecard()
            save_scorecard(session.path, card)
            self.post_message(self.Scored(card, transcript))
        except Exception as error:  # noqa: BLE001
            self.post_message(self.Failed(error))

    # ------------------------------------------------------------ message handlers
    def on_interview_screen_session_opened(self, message: SessionOpened) -> None:
        self.session = session = message.session
        if session.rubric.family == "coding":
            self.query_one("#coding").display = True
            editor = self.query_one("#code", TextArea)
            if session.problem.code:
                editor.text = session.problem.code
            self.query_one("#checks").display = session.checked
            if session.checked and session.engine.state.gate:
                self._show_gate_checks(session.engine.state.gate)
            self.refresh_bindings()
        self.query_one("#rubric", Markdown).update(rubric_text(session.rubric))
        if self.voice:
            from ..voice.vocabulary import priming_for

            priming = priming_for(session.settings.voice, session.rubric, session.problem)
            panel = self.query_one("#voice", VoicePanel)
            panel.prompt, panel.hotwords = priming.prompt, priming.hotwords
        if self.resume is not None:
            for role, text in session.history:
                self._show(role, text)
        self._tick()

    def _buffer_chunk(self, text: str) -> None:
        """Called on the worker thread for every streamed chunk."""
        with self._chunks_lock:
            self._chunks.append(text)
            if self._chunks_posted:
                return
            self._chunks_posted = True
        self.post_message(self.ReplyChunked())

    async def on_interview_screen_reply_chunked(self, message: ReplyChunked) -> None:
        await self._drain_chunks()

    async def _drain_chunks(self) -> None:
        with self._chunks_lock:
            chunks, self._chunks, self._chunks_posted = self._chunks, [], False
        if not chunks:
            return
        if self._reply_widget is None:
            self._reply_widget = Markdown(classes="interviewer")
            await self.query_one("#conversation").mount(self._reply_widget)
            self._stream = Markdown.get_stream(self._reply_widget)
            self._reply_text = ""
        text = ""
        for chunk in chunks:
            if isinstance(chunk, Restart):
                await self._stream.stop()
                self._reply_text, text = "", ""
                await self._reply_widget.update("*(connection dropped; asking again)*\n\n")
                self._stream = Markdown.get_stream(self._reply_widget)
            else:
                text += chunk
        if text:
            self._reply_text += text
            await self._stream.write(text)
        self._follow()

    async def on_interview_screen_reply_finished(self, message: ReplyFinished) -> None:
        await self._drain_chunks()
        reply = message.reply
        if self._stream is not None:
            await self._stream.stop()
        if reply is not None and self._reply_widget is not None:
            await self._reply_widget.update(reply.text)  # the saved text, exactly
        elif reply is not None:
            self._show("interviewer", reply.text)
        self._stream, self._reply_widget = None, None
        if reply is not None and reply.move.kind == "gate_reveal" and self.session.checked:
            self._show_gate_checks(reply.move.gate)
        if reply is not None and self.voice:
            self.query_one("#voice", VoicePanel).question_shown()
        self.busy = False
        self._tick()
        self._follow()
        if reply is not None and reply.finished:
            self.busy = True
            self.notify("Interview complete; scoring…", timeout=3)
            self._score()

    def on_interview_screen_checks_ran(self, message: ChecksRan) -> None:
        self.query_one("#checks", ChecksPanel).show_run(message.summary)

    def on_voice_panel_transcript_ready(self, message: VoicePanel.TranscriptReady) -> None:
        """A spoken answer lands in the box for a quick edit, or goes at once with auto-send."""
        if not message.text.strip():
            self.notify("No speech was recognised; try again, closer to the microphone, or type.", severity="warning")
            return
        box = self.query_one("#answer", TextArea)
        box.text = f"{box.text.rstrip()} {message.text}".strip() if box.text.strip() else message.text
        self._spoken = (message.delivery, message.recording)
        self._spoken_box = box.text
        if self.session is not None and self.session.settings.voice.auto_send:
            self.action_send()
        else:
            box.focus()
            box.move_cursor(box.document.end)

    def on_voice_panel_transcript_refined(self, message: VoicePanel.TranscriptRefined) -> None:
        """The refined text replaces the quick one only while the box holds exactly what landed:
        an edit, or an answer already sent, wins."""
        box = self.query_one("#answer", TextArea)
        if self._spoken is None or box.text != self._spoken_box or not box.text.endswith(message.quick_text):
            return
        box.text = box.text[:len(box.text) - len(message.quick_text)] + message.text
        self._spoken = (message.delivery, self._spoken[1])
        self._spoken_box = box.text
        box.move_cursor(box.document.end)

    def on_voice_panel_failed(self, message: VoicePanel.Failed) -> None:
        self.app.show_error(message.error, severity=message.severity)

    def on_interview_screen_noticed(self, message: Noticed) -> None:
        self.notify(message.text, title="Interviewer", severity="warning", timeout=8)

    def on_interview_screen_failed(self, message: Failed) -> None:
        self.busy = False
        self.app.show_error(message.error)

    def on_interview_screen_scored(self, message: Scored) -> None:
        from .scorecard_screen import ScorecardScreen

        self.app.switch_screen(ScorecardScreen(message.card, message.transcript))

    # ------------------------------------------------------------------ actions
    def action_send(self) -> None:
        box = self.query_one("#answer", TextArea)
        if not self._ready():
            return
        text = box.text.strip()
        if not text:
            self.notify("Type an answer first, or use F2 for a hint.", severity="warning")
            return
        try:
            self.session.validate_answer(text)
        except Exception as error:  # noqa: BLE001 - shown, and the text stays in the box
            self.app.show_error(error)
            return
        box.text = ""
        self._show("candidate", text)
        spoken, self._spoken = self._spoken, None
        if spoken is not None:
            from ..spoken import answer_note

            self.query_one("#conversation").mount(Static(answer_note(spoken[0]), classes="delivery-note", markup=False))
        self._go(text, None, spoken)

    def action_hint(self) -> None:
        if self._ready():
            self._go(None, "hint")

    def action_next(self) -> None:
        if self._ready():
            self._go(None, "next")

    def action_end(self) -> None:
        if self._ready():
            self._go(None, "done")

    def action_talk(self) -> None:
        if self.voice:
            self.query_one("#voice", VoicePanel).toggle()

    def action_run_checks(self) -> None:
        if not self._ready():
            return
        self.busy = True
        self.query_one("#checks", ChecksPanel).show_running(self.session.engine.state.gate)
        self._run_checks(self.query_one("#code", TextArea).text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F5 is offered only where there are checks to run, F8 only in a voice interview."""
        if action == "run_checks":
            return self.session is not None and self.session.checked
        if action == "talk":
            return self.voice
        return True

    def action_toggle_rubric(self) -> None:
        panel = self.query_one("#rubric")
        panel.display = not panel.display

    def action_leave(self) -> None:
        """Ctrl+C: the transcript is already saved turn by turn; mark where it stopped."""
        if self.session is not None and not self.session.writer.closed:
            self.session.close("quit")
            self.app.exit(f"Saved {self.session.path}; continue with `interviewer resume {self.session.path}`")
        else:
            self.app.exit()

    # ------------------------------------------------------------------ helpers
    def _ready(self) -> bool:
        if self.session is None or self.busy:
            self.notify("The interviewer is still talking; your text stays in the box.", timeout=3)
            return False
        return True

    def _go(self, answer: str | None, command: str | None, spoken: tuple[dict, object] | None = None) -> None:
        self.busy = True
        code = None
        if self.query_one("#coding").display:
            code = self.query_one("#code", TextArea).text
        self._submit(answer, command, code, spoken)

    def _show_gate_checks(self, gate: int) -> None:
        descriptions = [c.description for c in self.session.gate_checks(gate)]
        self.query_one("#checks", ChecksPanel).show_checks(gate, descriptions)

    def _show(self, role: str, text: str) -> None:
        conversation = self.query_one("#conversation")
        if role == "candidate":
            conversation.mount(Static(text, classes="candidate", markup=False))
        else:
            conversation.mount(Markdown(text, classes="interviewer"))
        self._follow()

    def _follow(self) -> None:
        """Keep the newest words in view, once the Markdown has laid itself out."""
        conversation = self.query_one("#conversation")
        self.call_after_refresh(conversation.scroll_end, animate=False)

    def _tick(self) -> None:
        if self.session is not None:
            self.query_one("#status", Static).update(status_line(self.session))
