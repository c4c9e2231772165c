"""The interview screen's keys: send, hint, next part, end, talk, run the checks (mixed into InterviewScreen,
which supplies the session, the workspace's widgets and the workers that do the work)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from .voice_panel import VoicePanel

if TYPE_CHECKING:
    from .checks_panel import ChecksPanel  # loaded with the screen's workspace, after its first frame

TYPED_COMMANDS = ("/hint", "/next", "/done", "/quit")  # typed alone in the answer box and sent


class InterviewKeys:
    def action_send(self) -> None:
        box = self._box()
        if not self._ready():
            return
        if not box.text.strip():
            self.notify("Type an answer first, or use F2 for a hint.", severity="warning")
            return
        typed = box.text.strip().lower()
        if typed in TYPED_COMMANDS:
            # The plain mode's commands work here too; anything else starting with "/" ("/v1/events returns ...")
            # is an answer. A typed /done is deliberate, so it ends without F9's question.
            box.text = ""
            if typed == "/quit":
                self.app.call_later(self.app.action_quit)
            else:
                self._go(None, typed[1:])
            return
        try:  # checked here, so a refused answer stays in the box
            text = self.session.validate_answer(box.text)
            if self.query_one("#coding").display:
                self.session.validate_code(self._box("#code").text)
        except Exception as error:  # noqa: BLE001 - shown, and the text stays in the box
            self.app.show_error(error)
            return
        box.text = ""
        self.conversation.show("candidate", text)  # as saved: secrets masked
        spoken, self._spoken = self._spoken, None
        if spoken is not None:
            from ..spoken import answer_note

            self.conversation.note(answer_note(spoken[0]))
        self.conversation.follow(again=True)  # back to the newest turn, even if the reader scrolled up
        self._go(text, None, spoken)

    def action_hint(self) -> None:
        if self._ready():
            self._go(None, "hint")

    def action_next(self) -> None:
        if self._ready():
            self._go(None, "next")

    def action_end(self) -> None:
        """F9 asks first: ending scores the interview, and it cannot be resumed afterwards."""
        if not self._ready():
            return
        from .dialogs import Confirm

        def chosen(end: bool | None) -> None:
            if end and self._ready():
                self._go(None, "done")

        self.app.push_screen(Confirm("End the interview now and see your scorecard? An ended interview cannot be "
                                     "resumed.", "End interview", "Keep going", danger=True), chosen)

    def action_talk(self) -> None:
        if self.voice:
            self.candidate_talks()
            self.query_one("#voice", VoicePanel).toggle()

    def action_run_checks(self) -> None:
        if not self._ready():
            return
        code = self._box("#code").text
        try:
            self.session.validate_code(code)
        except Exception as error:  # noqa: BLE001 - shown; nothing ran
            self.app.show_error(error)
            return
        self.busy = True
        cast("ChecksPanel", self.query_one("#checks")).show_running(self.session.engine.state.gate)
        self._run_checks(code)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F5 is offered only where there are checks to run, F8 only in a voice interview, F6 and F7
        only where the interviewer speaks."""
        if not self._workspace_shown and action != "toggle_rubric":  # F4 only keeps what was asked for
            return False  # hidden and inert until the widgets the keys act on are mounted
        if action == "run_checks":
            return self.session is not None and self.session.checked
        if action == "talk":
            return self.voice
        if action == "keep_talking":
            return self.voice and self.app.services.settings.voice.turns == "hands-free"
        if action in ("mute", "replay"):
            return self.speaks
        return True

    def _ready(self) -> bool:
        if self.session is None or self.busy:
            self.notify("The interviewer is still talking; your text stays in the box.", timeout=3)
            return False
        return True

    def _go(self, answer: str | None, command: str | None, spoken: tuple[dict, object] | None = None) -> None:
        self.busy = True
        code = None
        if self.query_one("#coding").display:
            code = self._box("#code").text
        self._submit(answer, command, code, spoken)
