"""Hands-free turns in the voice panel (mixed into VoicePanel, which supplies the recording
workers, the state and the meter).

While the interviewer talks, a worker opens the microphone and a `BargeInWatch` listens for the
candidate talking over it; when it fires, its thread silences the speaker at once (no trip
through the UI loop) and posts `BargedIn`. When the interviewer finishes, or is cut off, the
same open recorder is handed to the live transcriber and the answer is recorded as with F8,
with a `TurnWatch` deciding when it is over; it posts `TurnEnded`, and the panel stops the
recording as if F8 had been pressed. Decisions are made in the voice core; this only wires them.

When the refinement heard ahead in the countdown is kept, `HeardAhead` carries its text up to the
screen, which may work out the reply to it before the turn ends (see `reply_ahead`); the same
message with no text says the candidate spoke again and anything worked out is void.
"""

from __future__ import annotations

import logging
from typing import Any

from rich.text import Text
from textual import work
from textual.message import Message

log = logging.getLogger(__name__)


class HandsFreeListening:
    _barge: Any = None  # the BargeInWatch while the interviewer talks
    _turn: Any = None  # the TurnWatch of the answer being recorded
    _listen_pending = False  # the interviewer finished before the speech model had loaded

    class TurnEnded(Message):
        """The silence after the answer ran out (or a key ended it)."""

        bubble = False

        def __init__(self, decision: Any) -> None:
            super().__init__()
            self.decision = decision

    class HeardAhead(Message):
        """The answer as it would be sent if the countdown ran out now (`text`; None: the candidate
        spoke again), with the countdown left (`remaining_s`)."""

        def __init__(self, text: str | None, remaining_s: float) -> None:
            super().__init__()
            self.text = text
            self.remaining_s = remaining_s

    class BargedIn(Message):
        """The candidate talked over the interviewer, which has been silenced: `watch` holds the
        open recorder and the words that fired it."""

        def __init__(self, watch: Any) -> None:
            super().__init__()
            self.watch = watch

    @property
    def hands_free(self) -> bool:
        return self.voice.turns == "hands-free"

    # ------------------------------------------------------------- the screen's calls
    def watch_for_barge_in(self, speaker: Any) -> None:
        """The interviewer started talking: listen for the candidate cutting in."""
        if self.hands_free and self.state == "ready" and self._barge is None and self._model_ready.is_set():
            self._start_barge_watch(speaker)

    def listen(self) -> None:
        """The interviewer stopped talking: the answer starts now."""
        if not self.hands_free or self.state not in ("ready", "loading"):
            return
        if not self._model_ready.is_set():
            self._listen_pending = True
            return
        self._start()

    def keep_talking(self) -> None:
        if self._turn is not None and self.state == "recording":
            self._turn.keep_talking()
            self._draw_meter()

    def stop_listening(self) -> None:
        """Leaving the screen: close the microphone and drop the answer under way."""
        with self._handover_lock:
            barge, self._barge = self._barge, None
        if barge is not None:
            barge.close()
        live = self._live
        if live is not None:
            live.cancel()

    # ------------------------------------------------------------- workers
    @work(thread=True, exclusive=True, exit_on_error=False, group="barge-in", name="watch-for-barge-in")
    def _start_barge_watch(self, speaker: Any) -> None:
        from ..voice.capture import Recorder
        from ..voice.listening import BargeInWatch

        def barged(watch: Any) -> None:
            speaker.stop("barge-in")  # from this thread: the voice stops within a block
            self.post_message(self.BargedIn(watch))

        watch = BargeInWatch(Recorder(stream_factory=self.stream_factory), speaker.played_rms, on_barge_in=barged)
        try:
            watch.start()
        except Exception as error:  # noqa: BLE001 - no barge-in this time; the turn still follows
            log.warning("cannot listen for barge-in: %r", error)
            self.post_message(self.Failed(error, severity="warning"))
            return
        with self._handover_lock:
            if self._barge is None and self.state == "ready":
                self._barge, watch = watch, None
        if watch is not None:  # the answer began meanwhile, on its own recorder
            watch.close()

    def _take_barge_watch(self) -> Any:
        """The recorder (and preroll) of the barge-in watch, if one is open: the answer goes on it."""
        with self._handover_lock:
            barge, self._barge = self._barge, None
        return barge.hand_over() if barge is not None else None

    def _make_turn_watch(self) -> Any:
        from ..voice.listening import TurnWatch
        from ..voice.turns import TurnOptions

        self._turn = TurnWatch(TurnOptions(silence_s=self.voice.end_silence_s),
                               on_end=lambda decision: self.post_message(self.TurnEnded(decision)), clock=self.clock)
        return self._turn

    def _refine_in_countdown(self, turn: Any, live: Any) -> None:
        """Refine during the countdown (on the core's threads), and report what it heard."""
        turn.on_pause, turn.on_resume = live.refine_ahead, live.drop_ahead

        def heard_ahead(text: str | None) -> None:
            if text is not None:
                # The pass heard everything said so far: the end of the turn can judge the sentence by it rather
                # than wait, with the longer silence, for live captions that lag behind on a busy machine.
                turn.caption(text, live.captured_s)
            self.post_message(self.HeardAhead(text, turn.decision().remaining_s))

        live.on_ahead = heard_ahead

    # ------------------------------------------------------------- handlers
    def on_hands_free_listening_turn_ended(self, message: TurnEnded) -> None:
        if self.state == "recording":
            self._stop()

    def on_hands_free_listening_barged_in(self, message: BargedIn) -> None:
        with self._handover_lock:
            if self._barge is message.watch:
                return self._start()
        message.watch.close()  # the panel moved on (F8, or leaving): nothing to take over

    def _model_loaded_hands_free(self) -> None:
        if self._listen_pending:
            self._listen_pending = False
            self.listen()

    # ------------------------------------------------------------- drawing
    def countdown(self) -> Text:
        """The hands-free line under the meter: what ends the answer, and the keys."""
        turn = self._turn
        text = Text()
        if turn is None:
            return text
        decision = turn.decision()
        if decision.state == "counting":
            text.append(f"Sending in {decision.remaining_s:3.1f} s", style="bold yellow")
            text.append("  F8 send now · F10 keep talking")
        elif decision.state == "held":
            text.append("Holding: take your time", style="bold")
            text.append("  F8 sends")
        elif decision.state == "waiting":
            text.append("Listening… answer when you are ready  F8 sends")
        else:
            text.append("Listening  F8 sends · F10 keep talking")
        return text
