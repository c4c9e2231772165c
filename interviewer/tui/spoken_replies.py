"""The interviewer speaking in a voice interview (mixed into InterviewScreen, which supplies the
session, the voice panel and `self.voice`).

The voice loads in a worker; the speaker's own threads synthesize and play, and report back with
`Spoke` messages, so widgets and the session's speech records are touched on the UI thread only.
Streamed reply text reaches the speaker straight from the session's worker (`speak_chunk`), which
is what lets the first sentence play while the rest of the reply is still arriving.

Hands-free with the offline interviewer, the reply to an answer heard ahead in the countdown is
worked out on a fork of the engine and its first clause synthesized before the turn ends (see
`reply_ahead`); the real reply plays that audio only if it is the same text.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from textual import work
from textual.message import Message

from ..llm.base import Restart
from .voice_panel import VoicePanel

log = logging.getLogger(__name__)


class SpokenReplies:
    _speaker: Any = None
    _muted = False
    _unspoken = ""  # a reply that finished before the voice had loaded
    _speech_started: Any = None  # the `started` event of the reply being said
    _joined_midway = False  # the voice loaded while a reply streamed: say it whole once it is in
    _voice_failed = False  # replies show as text only: a hands-free answer need not wait for them
    _reply_ahead: Any = None  # the ReplyAhead of the answer being given (hands-free, offline interviewer)

    class VoiceLoaded(Message):
        def __init__(self, voice: Any) -> None:
            super().__init__()
            self.voice = voice

    class VoiceFailed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    class Spoke(Message):
        """The speaker started, finished or was cut short (a `SpeechEvent`)."""

        def __init__(self, event: Any) -> None:
            super().__init__()
            self.event = event

    # ------------------------------------------------------------------ setup
    @property
    def speaks(self) -> bool:
        return bool(self.voice) and self.app.services.settings.voice.speak

    def start_speaking(self) -> None:
        if not self.speaks:
            return
        if self.app.interviewer_voice is not None:
            self._use_voice(self.app.interviewer_voice)
        else:
            self._load_voice()

    @work(thread=True, exclusive=True, exit_on_error=False, group="interviewer-voice", name="load-voice")
    def _load_voice(self) -> None:
        from ..voice import tts

        try:
            self.post_message(self.VoiceLoaded(tts.load_from_settings(self.app.services.settings.voice)))
        except Exception as error:  # noqa: BLE001 - shown with its fix; the replies still show as text
            self.post_message(self.VoiceFailed(error))

    def on_spoken_replies_voice_loaded(self, message: VoiceLoaded) -> None:
        self.app.interviewer_voice = message.voice  # the next interview in this run speaks at once
        if not getattr(self, "left", False):
            self._use_voice(message.voice)

    def on_spoken_replies_voice_failed(self, message: VoiceFailed) -> None:
        self.app.show_error(message.error, severity="warning")
        self._voice_failed = True
        if not self.busy:
            self.listen_after_reply()

    def _use_voice(self, voice: Any) -> None:
        from ..voice.speaker import Speaker

        self._joined_midway = self.session is not None and self.busy
        self._speaker = Speaker(voice, output_factory=self.app.voice_output,
                                on_event=lambda event: self.post_message(self.Spoke(event)))
        if self._unspoken and not self._muted:
            self._speaker.finish_reply(self._unspoken)
        self._unspoken = ""

    # ------------------------------------------------------------------ replies
    def reply_chunk(self, chunk: Any) -> None:
        """The session's `on_chunk` (its worker thread): to the screen and to the voice."""
        self.conversation.buffer_chunk(chunk)
        self.speak_chunk(chunk)

    def speak_chunk(self, chunk: Any) -> None:
        """Called on the session's worker thread for every streamed chunk."""
        speaker = self._speaker
        if speaker is None or self._muted or self._joined_midway:
            return
        if isinstance(chunk, Restart):
            speaker.restart_reply()
        else:
            speaker.feed(chunk)

    def reply_shown(self, text: str) -> None:
        """The reply is complete on screen: say what has not been said of it."""
        if not self.speaks:
            return
        self._joined_midway = False
        if self._speaker is None:
            self._unspoken = text
        elif self._muted:
            self._speaker.last_reply = text
        else:
            self._speaker.finish_reply(text)

    def candidate_talks(self) -> None:
        """The candidate started an answer: the interviewer stops mid-sentence."""
        if self._speaker is not None and self._speaker.speaking.is_set():
            self._speaker.stop("barge-in")
            if self.session is not None:
                self.session.record_barge_in(0.0, "key")

    def on_hands_free_listening_barged_in(self, message: VoicePanel.BargedIn) -> None:
        """Heard over the interviewer (the panel has silenced it and is taking the answer)."""
        watch = message.watch
        if self.session is not None and watch.onset_at is not None:
            self.session.record_barge_in(max(0.0, time.monotonic() - watch.onset_at), "voice")

    def on_hands_free_listening_heard_ahead(self, message: VoicePanel.HeardAhead) -> None:
        """The answer heard in the countdown: work out the reply to it now, if the offline
        interviewer gives it and it will be said; the candidate speaking again voids it."""
        from ..reply_ahead import ReplyAhead, Snapshot

        if self._reply_ahead is None:
            self._reply_ahead = ReplyAhead()
        if message.text is None:
            self._reply_ahead.cancel()
            return
        speaker = self._speaker
        if speaker is None or self._muted or self._joined_midway or self.busy or self.session is None:
            return
        # Here, on the thread that starts every step of the session and while none is under way
        # (not busy), the engine's state can be copied safely; the rest runs on a worker.
        snapshot = Snapshot.take(self.session, message.remaining_s)
        if snapshot is not None:  # None: an LLM brain, never worked out ahead
            self._work_out_reply(snapshot, self.with_spoken(message.text), speaker, self._reply_ahead.start())

    @work(thread=True, exclusive=True, exit_on_error=False, group="reply-ahead", name="reply-ahead")
    def _work_out_reply(self, snapshot: Any, text: str, speaker: Any, generation: int) -> None:
        try:
            self._reply_ahead.prepare(snapshot, text, speaker, generation)
        except Exception:  # noqa: BLE001 - only a head start: the reply is worked out as usual
            log.warning("working out the reply ahead failed", exc_info=True)

    def listen_after_reply(self) -> None:
        """Hands-free: a reply is on screen. The answer starts now unless the interviewer is about
        to say it, in which case it starts when the interviewer stops (see `on_spoken_replies_spoke`)."""
        if self.voice and (not self.speaks or self._muted or self._voice_failed):
            self.query_one("#voice", VoicePanel).listen()

    def on_unmount(self) -> None:
        self.stop_speaking()

    def stop_speaking(self) -> None:
        if self._speaker is not None:
            self._speaker.close(wait=False)
            self._speaker = None

    # ------------------------------------------------------------------ keys
    def action_mute(self) -> None:
        self._muted = not self._muted
        if self._muted and self._speaker is not None:
            self._speaker.stop("muted")
        if self._muted and not self.busy:
            self.query_one("#voice", VoicePanel).listen()
        self.notify("Interviewer muted: replies show as text only (F6 to unmute)." if self._muted
                    else "Interviewer unmuted (F7 says the last reply again).", timeout=3)

    def action_keep_talking(self) -> None:
        if self.voice:
            self.query_one("#voice", VoicePanel).keep_talking()

    def action_replay(self) -> None:
        if self._speaker is None:
            self.notify("The interviewer's voice is still loading.", timeout=3)
            return
        if not self._speaker.last_reply:
            return
        self._muted = False
        self._speaker.say(self._speaker.last_reply)

    # ------------------------------------------------------------------ reports
    def on_spoken_replies_spoke(self, message: Spoke) -> None:
        event = message.event
        if event.kind == "started":
            self._speech_started = event
            if self._speaker is not None:
                self.query_one("#voice", VoicePanel).watch_for_barge_in(self._speaker)
            return
        started, self._speech_started = self._speech_started, None
        if event.reason.startswith("failed"):
            self.app.show_error(RuntimeError(event.reason.removeprefix("failed: ")), severity="warning")
            if not self.busy:
                self.query_one("#voice", VoicePanel).listen()
        if started is None or event.reason in ("replaced", "restarted", "closed"):
            return
        if event.kind == "ended":
            # Time to first word counts from when the interviewer stopped talking, not from when
            # the text appeared: the candidate was listening until then.
            self.query_one("#voice", VoicePanel).question_shown(at=event.at, spoken=True)
            if not self.busy:
                self.query_one("#voice", VoicePanel).listen()
        session = self.session
        if session is not None:
            now = time.monotonic()
            session.record_speech(now - started.at, event.spoken_s, now - event.at,
                                  "ended" if event.kind == "ended" else event.reason, started.first_audio_s)
