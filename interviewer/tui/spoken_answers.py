"""Spoken answers arriving in the interview screen's answer box (mixed into InterviewScreen,
which supplies the box, the session and `action_send`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from .voice_panel import VoicePanel

if TYPE_CHECKING:
    from textual.widgets import TextArea  # loaded with the screen's workspace, after its first frame


class SpokenAnswers:
    # Delivery and audio of the spoken answer in the box, and the box's text when it landed (to
    # tell whether the candidate has edited it since).
    _spoken: tuple[dict, object] | None = None
    _spoken_box = ""

    def on_voice_panel_transcript_ready(self, message: VoicePanel.TranscriptReady) -> None:
        """A spoken answer lands in the box for a quick edit, or goes at once with auto-send."""
        panel = self.query_one("#voice", VoicePanel)
        if not message.text.strip():
            self.notify("No speech was recognised; try again, closer to the microphone, or type.", severity="warning")
            panel.listen()  # hands-free: still the candidate's turn
            return
        box = cast("TextArea", self.query_one("#answer"))
        box.text = self.with_spoken(message.text)
        self._spoken = (message.delivery, message.recording)
        self._spoken_box = box.text
        if self.session is not None and panel.sends_at_once:
            self.action_send()
        else:
            box.focus()
            box.move_cursor(box.document.end)

    def with_spoken(self, text: str) -> str:
        """The answer box with a spoken answer added: after what is typed there, if anything."""
        box = cast("TextArea", self.query_one("#answer")).text
        return f"{box.rstrip()} {text}".strip() if box.strip() else text

    def on_voice_panel_transcript_refined(self, message: VoicePanel.TranscriptRefined) -> None:
        """The refined text replaces the quick one only while the box holds exactly what landed:
        an edit, or an answer already sent, wins."""
        box = cast("TextArea", self.query_one("#answer"))
        if self._spoken is None or box.text != self._spoken_box or not box.text.endswith(message.quick_text):
            return
        box.text = box.text[:len(box.text) - len(message.quick_text)] + message.text
        self._spoken = (message.delivery, self._spoken[1])
        self._spoken_box = box.text
        box.move_cursor(box.document.end)

    def on_voice_panel_failed(self, message: VoicePanel.Failed) -> None:
        self.app.show_error(message.error, severity=message.severity)

