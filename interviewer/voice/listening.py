"""The threads behind hands-free turns: they feed `turns.EndOfTurn` and `turns.BargeIn` and call
back once when a decision is made. Callbacks run on audio-consumer threads; a front end turns
them into messages for its own thread.

    watch = TurnWatch(on_end=report)            # report(decision), once
    live = LiveTranscriber(model, on_scores=watch.scores,
                           on_caption=lambda text: watch.caption(text, live.captioned_s))
    watch.on_pause, watch.on_resume = live.refine_ahead, live.drop_ahead   # refine during the countdown
    live.on_ahead = heard                       # heard(text refine() will give, or None): see `reply_ahead`
    watch.decision()                            # any thread: the countdown to show
    watch.end_now(); watch.keep_talking()       # the keys

    barge = BargeInWatch(Recorder(), speaker.played_rms, on_barge_in=report)
    barge.start()                               # while the interviewer talks
    recorder, preroll = barge.hand_over()       # it fired, or the interviewer finished: listen on
    live.start(recorder, preroll=preroll)
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import TYPE_CHECKING, Any, Callable

from .turns import BargeIn, BargeInOptions, EndOfTurn, TurnDecision, TurnOptions

if TYPE_CHECKING:
    import numpy as np

    from .capture import Recorder

log = logging.getLogger(__name__)

PREROLL_S = 0.8  # audio kept from before a barge-in fired: the run that fired it, and a breath before
# A pause this long starts the refinement ahead of the end of the turn. It is when the segmenter
# closes a piece longer than 4 s (SegmenterOptions.short_silence_s): asked for by then, the pass
# runs before that piece's first pass, which takes its words instead of a pass of its own (at
# 0.4 s both ran, one after the other, and the second was often still running when the turn
# ended). The pass hears 0.25 s after the last speech, more than a live piece does.
AHEAD_AFTER_S = 0.25


class TurnWatch:
    """An `EndOfTurn` shared by the capture thread (scores), the transcriber (captions) and the
    keys, behind a lock. `on_end(decision)` is called once, on whichever thread ended the turn.

    `on_pause(remaining_s)` is called on the capture thread once a pause has lasted
    `ahead_after_s` (the countdown is running, or held), with the countdown left as things stand,
    and `on_resume()` if the candidate then speaks again: the transcriber refines ahead in between
    (`LiveTranscriber.refine_ahead`, `drop_ahead`)."""

    def __init__(self, options: TurnOptions | None = None,
                 on_end: Callable[[TurnDecision], None] | None = None,
                 clock: Callable[[], float] = time.monotonic, ahead_after_s: float = AHEAD_AFTER_S) -> None:
        self._turn = EndOfTurn(options)
        self._lock = threading.Lock()
        self._on_end = on_end
        self._clock = clock
        self.on_pause: Callable[[float], None] | None = None
        self.on_resume: Callable[[], None] | None = None
        self.ahead_after_s = ahead_after_s
        self.pauses = 0  # pauses that started a refinement ahead
        self._paused = False
        self.ended_at: float | None = None  # the clock when the turn ended
        self.last_speech_at: float | None = None  # the clock when the last speech was heard

    def scores(self, scores: "np.ndarray") -> None:
        with self._lock:
            before = self._turn.decision().last_speech_s
            decision = self._turn.push(scores)
            if decision.last_speech_s != before:
                # Wall time of the last speech: behind the clock by the silence heard since.
                self.last_speech_at = self._clock() - (decision.at_s - decision.last_speech_s)
            change = self._pause_change(decision)
        if change is not None:
            change()
        self._report(decision)

    def _pause_change(self, decision: TurnDecision) -> Callable[[], None] | None:
        """Under the lock: the call a pause starting or ending asks for, if any."""
        pausing = decision.state in ("counting", "held") and decision.silence_s + 1e-9 >= self.ahead_after_s
        if pausing and not self._paused:
            self._paused = True
            self.pauses += 1
            on_pause = self.on_pause
            # The pass is sized to the plain countdown even while the caption lags and the longer wait
            # applies: its text is what lets the caption catch up and the turn end on time.
            within = min(decision.remaining_s, max(0.0, self._turn.options.silence_s - decision.silence_s))
            return None if on_pause is None else lambda: on_pause(within)
        if decision.state == "speaking" and self._paused:
            self._paused = False
            return self.on_resume
        return None

    def caption(self, text: str, until_s: float) -> None:
        with self._lock:
            decision = self._turn.caption(text, until_s)
        self._report(decision)

    def end_now(self) -> None:
        with self._lock:
            decision = self._turn.end_now()
        self._report(decision)

    def keep_talking(self) -> None:
        with self._lock:
            self._turn.keep_talking()

    def decision(self) -> TurnDecision:
        with self._lock:
            return self._turn.decision()

    def _report(self, decision: TurnDecision) -> None:
        if not decision.ended:
            return
        with self._lock:
            if self.ended_at is not None:
                return
            self.ended_at = self._clock()
        log.info("turn ended (%s) after %.2f s of silence", decision.reason, decision.silence_s)
        if self._on_end is not None:
            self._on_end(decision)


class BargeInWatch:
    """Listens to the microphone while the interviewer talks. `played_rms()` says how loud the
    interviewer has just been (`Speaker.played_rms`); `on_barge_in(watch)` is called on this
    watch's thread when the candidate talks over it. Its recorder stays open either way, so the
    answer can be taken over without reopening the device (`hand_over`)."""

    def __init__(self, recorder: "Recorder", played_rms: Callable[[], float],
                 on_barge_in: Callable[["BargeInWatch"], None] | None = None,
                 options: BargeInOptions | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.recorder = recorder
        self.played_rms = played_rms
        self.on_barge_in = on_barge_in
        self.detector = BargeIn(options or BargeInOptions())
        self.clock = clock
        self.fired_at: float | None = None  # the clock when it fired
        self.onset_at: float | None = None  # the clock when the speech that fired it began
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Open the microphone (raises the recorder's errors) and listen on a thread."""
        from .segmenter import SpeechDetector

        speech = SpeechDetector()
        self.recorder.start()
        self._thread = threading.Thread(target=self._listen, args=(speech,), name="barge-in", daemon=True)
        self._thread.start()

    @property
    def fired(self) -> bool:
        return self.fired_at is not None

    def _listen(self, speech: Any) -> None:
        import numpy as np

        while not self._stop.is_set():
            block = self.recorder.read(timeout=0.05)
            if block is None:
                if not self.recorder.running:
                    return
                continue
            scores = speech.feed(block)
            if not len(scores):
                continue
            rms = math.sqrt(float(np.mean(np.square(block, dtype=np.float64)))) if block.size else 0.0
            if self.detector.push(scores, rms, self.played_rms()):
                self.fired_at = self.clock()
                # The run began this long before the end of the block just read, which is about now.
                self.onset_at = self.fired_at - self.detector.run_s
                log.info("barge-in: %.2f s of speech over the interviewer (%d windows set aside as echo)",
                         self.detector.run_s, self.detector.guarded)
                if self.on_barge_in is not None:
                    self.on_barge_in(self)
                return

    def _join(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(5)

    def hand_over(self, preroll_s: float | None = None) -> tuple["Recorder", "np.ndarray"]:
        """Stop watching and give up the running recorder, with the audio to hear first: the last
        PREROLL_S after a barge-in (the words that fired it), none when the interviewer simply
        finished (that audio is the interviewer, or silence)."""
        self._join()
        if preroll_s is None:
            preroll_s = PREROLL_S if self.fired else 0.0
        return self.recorder, self.recorder.keep_last(int(preroll_s * self.recorder.samplerate))

    def close(self) -> None:
        self._join()
        self.recorder.close()
