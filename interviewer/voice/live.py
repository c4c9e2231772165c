"""Transcribe while the candidate speaks, so the text is ready moments after the key is released.

Blocks from the recorder go through the speech detector as they arrive. Each time a pause closes
a piece of speech (see `segmenter`), a worker thread transcribes it while recording goes on and
reports the text so far to `on_caption`. On release only the piece after the last pause (the
tail) is left to transcribe.

Context is what keeps a piece as accurate as the whole recording. A piece's first pass also hears
FIRST_CONTEXT_S of audio before it (those words are dropped), which gives captions within about a
second. Then, while the candidate goes on talking, a revision pass transcribes it again with the
REVISE pieces before it and REVISION_CONTEXT_S more, so all but the last pieces are heard with
audio on both sides; words go to the piece they fall in, by time. Revisions start only while the
candidate is talking and are dropped at release, which waits only for the pass under way.
Carrying the previous *text* as the prompt was measured too and is off (CONTEXT_WORDS = 0):
tiny.en then often repeated the prompt after a piece's last word (word error 0.33 against 0.27
without it on the speech fixtures; 0.24 with audio context, 0.21 with revisions, whole
recording 0.22).

    live = LiveTranscriber(model, prompt=primed.prompt, hotwords=primed.hotwords,
                           on_caption=show)        # show(text) runs on the worker thread
    live.start(Recorder())                         # key down; live.recorder.level() for a meter
    result = live.finish()                         # key up: a Transcription, times on the recording's clock
    live.recording.interrupted                     # set if the microphone failed mid-answer
    better = live.refine()                         # a second look at the end of the answer (see below)

The final piece is heard with only a little audio before it and none after, and on two CPU
cores there is no time for more before the 0.5 s target. So `refine` hears the end of the answer
again as one window of at most REFINE_WINDOW_S, the way transcribing the whole recording would:
an answer that short is simply transcribed whole, and a longer one keeps its revised pieces and
takes the rest from that window. It costs the same for any answer length (one window), and the
app shows the quick text first and swaps in the refined one if the candidate has not edited it.

A hands-free answer ends after a silence, so that pass can run during the countdown
(`refine_ahead`; see the `refine_ahead` module): the worker runs it first, pieces that close inside
its audio take its words, and `refine` returns it at once if no speech came after it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Callable

from .errors import VoiceError
from .refine_ahead import REFINE_CONTEXT_S, REFINE_WINDOW_S, Heard, RefineAhead, Window, joined, plan
from .segmenter import SAMPLE_RATE, WINDOW, Piece, Segmenter, SegmenterOptions, SpeechDetector
from .transcription import Transcription, join_text

if TYPE_CHECKING:
    import numpy as np

    from .capture import Recorder, Recording
    from .stt import SpeechModel

log = logging.getLogger(__name__)

FIRST_CONTEXT_S = 3.0  # audio before a new piece heard with it on its first pass (its words dropped)
REVISION_CONTEXT_S = 8.0  # the same, for a revision pass
REVISE = 2  # a revision pass transcribes a piece again with the two before it, now with audio after them
TAIL_CONTEXT_S = 3.0
# Revisions start only while the candidate is talking: a release (which waits for the pass under
# way) comes after they stop, so a long revision never sits between the key and the text.
SPEAKING_WINDOW_S = 0.3
CONTEXT_WORDS = 0  # words of previous text put in each pass's prompt (see above: off)
# Greedy decoding for a long final stretch keeps release latency down; short ones use the beam.
TAIL_BEAM_MAX_S = 6.0


class LiveTranscriber:
    def __init__(self, model: "SpeechModel", *, prompt: str | None = None, hotwords: str | None = None,
                 on_caption: Callable[[str], None] | None = None, options: SegmenterOptions | None = None,
                 beam_size: int = 5, on_scores: Callable[["np.ndarray"], None] | None = None,
                 detector: "SpeechDetector | None" = None) -> None:
        import numpy as np

        self.model = model
        self.prompt = prompt
        self.hotwords = hotwords
        self.on_caption = on_caption
        self.on_scores = on_scores  # each block's speech scores, on the capture thread (hands-free turns)
        self.captioned_s = 0.0  # the recording's clock up to which `text` has been heard
        self.beam_size = beam_size
        # The pass ahead hears only the speech no pass has heard yet (off: the whole answer, up to
        # REFINE_WINDOW_S; kept for measuring the difference, see bench/bench_turns.py).
        self.fit_ahead = True
        self.greedy_ahead = True  # a long pass in a pause decodes greedily (the bench compares it with the beam)
        self.segmenter = Segmenter(options)
        self.recording: Recording | None = None
        self.recorder: Recorder | None = None
        # Figures for the last answer: how long release took, and what was left for it.
        self.release_latency_s = 0.0
        self.tail_s = 0.0  # audio transcribed after release
        self.pieces_live = 0  # pieces closed during capture
        self.revisions = 0
        self.processing_s = 0.0
        self.refine_s = 0.0  # how long the refinement pass took
        self.refined_from_s = 0.0  # where the refined words begin (0: the whole answer was heard again)
        self.refined_ahead = False  # refine() returned the pass heard during the countdown
        self.ahead = RefineAhead()
        # Called on the worker with the text refine() would give, when a pass ahead is kept, and with
        # None when the candidate speaks again: a reply can be worked out ahead (see `reply_ahead`).
        self.on_ahead: Callable[[str | None], None] | None = None
        self.result: Transcription | None = None  # what finish() returned
        self._detector = detector or SpeechDetector()  # anything with feed(block) -> scores per window
        self._audio = np.zeros(SAMPLE_RATE * 30, dtype=np.float32)
        self._filled = 0
        self._last_speech = -1  # sample where the latest speech window ended
        self._passed_s, self._passing_s = 0.0, 0.0  # audio this answer's passes heard, time they took
        self._audio_lock = threading.Lock()
        self._pieces: list[Piece] = []  # transcribed at least once, in order
        self._texts: list[Transcription | None] = []  # the latest text of each piece
        self._new: deque[Piece] = deque()  # closed, not yet transcribed
        self._revisions: deque[int] = deque()  # last piece of each window to transcribe again
        self._busy = False
        self._releasing = False
        self._stopped = False
        self._error: BaseException | None = None
        self._cond = threading.Condition()
        self._consumer: threading.Thread | None = None
        self._worker = threading.Thread(target=self._work, name="live-transcriber", daemon=True)
        self._worker.start()

    # --- capture side -------------------------------------------------------------------------------
    def start(self, recorder: "Recorder", preroll: "np.ndarray | None" = None) -> None:
        """Start recording and transcribing as the audio comes in. A recorder that is already
        running (it was listening for the candidate to talk over the interviewer) is taken over
        as it is, with `preroll`, the audio it kept from before, heard first."""
        self.recorder = recorder
        if preroll is not None:
            self.feed(preroll)
        else:
            recorder.start()
        self._consumer = threading.Thread(target=recorder.pump, args=(self.feed,), name="live-capture",
                                          daemon=True)
        self._consumer.start()

    def feed(self, block: "np.ndarray") -> None:
        """Take one block of audio (the recorder's consumer calls this; a test may call it directly)."""
        import numpy as np

        block = np.asarray(block, dtype=np.float32).reshape(-1)
        with self._audio_lock:
            if self._filled + len(block) > len(self._audio):
                grown = np.zeros(max(len(self._audio) * 2, self._filled + len(block)), dtype=np.float32)
                grown[:self._filled] = self._audio[:self._filled]
                self._audio = grown
            self._audio[self._filled:self._filled + len(block)] = block
            self._filled += len(block)
        scores = self._detector.feed(block)
        first_window = self.segmenter.windows_seen
        spoken = np.flatnonzero(scores >= self.segmenter.options.threshold)
        closed = self.segmenter.push(scores)
        if self.on_scores is not None:
            self.on_scores(scores)
        with self._cond:
            if spoken.size:
                self._last_speech = (first_window + int(spoken[-1]) + 1) * WINDOW
            self._new.extend(closed)
            self.pieces_live += len(closed)
            self._cond.notify_all()

    def wait_caught_up(self, timeout: float | None = None) -> bool:
        """Wait until every block the recorder has delivered is fed in, every closed piece has
        been transcribed once and a refinement asked for ahead has run (a test or benchmark
        releasing the key when a live session would)."""
        def caught_up() -> bool:
            recorder = self.recorder
            unread = recorder is not None and (not recorder.queue_empty() or recorder.samples != self._filled)
            return not unread and not self._new and not self._busy and not self.ahead.pending

        with self._cond:
            return self._cond.wait_for(caught_up, timeout)

    @property
    def captured_s(self) -> float:
        return self._filled / SAMPLE_RATE

    @property
    def text(self) -> str:
        """The captions so far."""
        return join_text(t.text for t in list(self._texts) if t is not None)

    # --- release ------------------------------------------------------------------------------------
    def finish(self) -> Transcription:
        """Stop recording, transcribe what is left, and return the whole answer with word times on
        the recording's clock."""
        released = time.perf_counter()
        if self.recorder is not None:
            self.recorder.close()
            if self._consumer is not None:
                self._consumer.join()
            self.recording = self.recorder.stop()
        tail = self.segmenter.finish(self._filled)
        with self._cond:
            self._releasing = True
            self._revisions.clear()
            left = list(self._new) + ([tail] if tail is not None else [])
            self._new.clear()
            self._cond.wait_for(lambda: not self._busy)  # the pass under way is needed: let it end
            self._stopped = True
            self._cond.notify_all()
        self._worker.join()
        if left and self._error is None:
            self.tail_s = (left[-1].end - left[0].start) / SAMPLE_RATE
            self._run(self._first_pass, left)
        self.release_latency_s = time.perf_counter() - released
        if self._error is not None:
            raise VoiceError(f"transcription failed ({self._error}); type the answer, or try again") from None
        result = Transcription.join([t for t in self._texts if t is not None], duration=self.captured_s,
                                    processing_s=self.processing_s)
        self.result = result
        log.info("answer of %.1f s: %d pieces live (%d revised), %.1f s left at release, final text %.2f s "
                 "after release", self.captured_s, self.pieces_live, self.revisions, self.tail_s,
                 self.release_latency_s)
        return result

    def refine(self) -> Transcription:
        """After `finish`: the end of the answer heard again as one window, returned as the whole
        answer with those words in place of the live ones. An answer that fits in the window is
        transcribed whole, by the same call that transcribes a whole recording."""
        if self.result is None:
            raise RuntimeError("refine() needs finish() first")
        pieces = self._pieces
        if not pieces:
            return self.result
        started = time.perf_counter()
        heard = self.ahead.take(self._last_speech)
        self.refined_ahead = heard is not None and heard.window.first < len(pieces)
        if self.refined_ahead:
            window, again = heard.window, heard.transcription
        else:
            window = plan([p.start for p in pieces], pieces[-1].end, self._filled)
            again = self._hear(window)
        self.refined_from_s = window.words_from / SAMPLE_RATE
        self.refine_s = time.perf_counter() - started
        log.info("refined the last %.1f s (%d of %d pieces) in %.2f s%s", (window.end - window.begin) / SAMPLE_RATE,
                 len(pieces) - window.first, len(pieces), self.refine_s,
                 f" (heard ahead, in {heard.seconds:.2f} s)" if self.refined_ahead else "")
        return joined(again, window, pieces, self._texts, self.captured_s, self.processing_s)

    def refine_ahead(self, within_s: float | None = None) -> None:
        """The candidate has paused: hear the end of the answer on the worker (called on the capture
        thread), so the turn can end on time with its text. The pass hears the speech no pass has
        heard yet (the piece being said, or pieces still waiting for theirs), with a little audio
        before it; the pieces before keep their live text. A pass over the whole answer took longer
        than the countdown on a long answer, and each pause the candidate then talked on from left
        the worker busy with a pass that was thrown away. Not at all if this answer's pace says even
        that cannot end `within_s` (the countdown left)."""
        window_s = 0.0 if self.fit_ahead else REFINE_WINDOW_S
        window = plan([p.start for p in self._pieces], self._last_speech, self._filled, window_s, self._known(),
                      self._open_start())
        expected_s = (window.end - window.begin) / SAMPLE_RATE * (self.pace or 0.0)
        if within_s is not None and expected_s > within_s:
            self.ahead.skipped += 1
            log.debug("not refining ahead: %.1f s expected, %.1f s of countdown left", expected_s, within_s)
            return
        with self._cond:
            if not (self._releasing or self._stopped):
                # Planned now: by the time the worker starts it, the piece being said may have closed but not
                # yet be among the pieces, and the window would reach back to the one before.
                log.debug("refining ahead %.1f-%.2f s (generation %d)", window.begin / SAMPLE_RATE,
                          self._filled / SAMPLE_RATE, self.ahead.request(window))
                self._cond.notify_all()

    def _open_start(self) -> int | None:
        """Where the piece still being said begins, if it has speech yet."""
        return self.segmenter.open_start if self.segmenter.open_speech else None

    def _known(self) -> int:
        """Index of the first piece with no text yet (all have one: their count)."""
        return next((i for i, text in enumerate(self._texts) if text is None), len(self._texts))

    @property
    def pace(self) -> float | None:  # seconds of recognition per second of audio, once passes have run
        return self._passing_s / self._passed_s if self._passed_s else None

    def drop_ahead(self) -> None:
        """The candidate spoke again: what was heard ahead no longer covers the answer."""
        self.ahead.cancel()
        if self.on_ahead is not None:
            self.on_ahead(None)

    def _hear(self, window: Window, beam_size: int | None = None) -> Transcription:  # the refinement pass
        with self._audio_lock:
            audio = self._audio[window.begin:window.end].copy()
        return self.model.transcribe(audio, prompt=self.prompt, hotwords=self.hotwords,
                                     beam_size=beam_size or self.beam_size).shifted(window.begin / SAMPLE_RATE)

    def _hear_ahead(self, claim: tuple[int, Window]) -> None:
        generation, window = claim
        started = time.perf_counter()
        try:
            # As at release: a long stretch (more than TAIL_BEAM_MAX_S beside the context before it) is decoded
            # greedily, so the pass in a pause can end before the countdown does.
            long = (window.end - window.begin) / SAMPLE_RATE > TAIL_BEAM_MAX_S + REFINE_CONTEXT_S
            beam = 1 if long and self.greedy_ahead else None
            heard = Heard(window, self._hear(window, beam), time.perf_counter() - started, generation)
        except Exception:  # noqa: BLE001 - only a head start: the pass after the turn runs and reports
            log.warning("refining ahead failed", exc_info=True)
            return
        self._passed(window.end - window.begin, heard.transcription)
        kept = self.ahead.deliver(heard)
        log.debug("heard ahead up to %.2f s in %.2f s%s: %s", window.end / SAMPLE_RATE, heard.seconds,
                  "" if kept else " (the candidate spoke again: dropped)", heard.transcription.text)
        if kept and self.on_ahead is not None:
            try:  # only a head start: a listener's failure must not fail the answer
                self.on_ahead(joined(heard.transcription, window, self._pieces, self._texts, self.captured_s,
                                     self.processing_s).text)
            except Exception:  # noqa: BLE001
                log.warning("a listener of the text heard ahead failed", exc_info=True)

    def cancel(self) -> None:
        """Drop the answer: stop recording and transcribing without waiting for results."""
        if self.recorder is not None:
            self.recorder.close()
        self.ahead.cancel()
        with self._cond:
            self._stopped = True
            self._new.clear()
            self._revisions.clear()
            self._cond.notify_all()

    # --- worker -------------------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._stopped:
                        return
                    # Ahead of new pieces: those that close inside its audio then need no pass.
                    claim = None if self._releasing else self.ahead.claim()
                    if claim is not None:
                        job, arg = self._hear_ahead, claim
                        break
                    if self._new:
                        job, arg = self._first_pass, [self._new.popleft()]
                        break
                    if self._revisions and self._speaking() and not self._releasing:
                        job, arg = self._revise, self._revisions.popleft()
                        break
                    self._cond.wait()
                self._busy = True
            try:
                self._run(job, arg)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _run(self, job, arg) -> None:
        try:
            if self._error is None:
                job(arg)
        except Exception as exc:  # reported by finish(); the capture side must carry on
            log.exception("transcribing failed")
            self._error = exc

    def _speaking(self) -> bool:
        return self._last_speech >= 0 and self._filled - self._last_speech < SPEAKING_WINDOW_S * SAMPLE_RATE

    def _first_pass(self, pieces: list[Piece]) -> None:
        """New pieces (one during capture; what is left at release), with a little audio before."""
        first = len(self._pieces)
        self._pieces.extend(pieces)
        self._texts.extend([None] * len(pieces))
        last = len(self._pieces) - 1
        heard = self.ahead.take(self._last_speech, start=self._pieces[first].start) or self.ahead.covering(
            self._pieces[first].start, self._pieces[last].end)
        if heard is not None:
            self._assign(heard.transcription, first, last)
        else:
            self._transcribe(first, last, TAIL_CONTEXT_S if self._releasing else FIRST_CONTEXT_S)
        if not self._releasing:
            if last > 0:
                with self._cond:
                    self._revisions.append(last)
            self._caption()

    def _revise(self, last: int) -> None:
        self._transcribe(max(0, last - REVISE), last, REVISION_CONTEXT_S)
        self.revisions += 1
        self._caption()

    def _caption(self) -> None:
        self.captioned_s = self._pieces[-1].end / SAMPLE_RATE
        if self.on_caption is not None:
            try:
                self.on_caption(self.text)
            except Exception:  # a broken caption display must not lose the answer
                log.exception("caption callback failed")

    def _transcribe(self, first: int, last: int, context_s: float) -> None:
        """Transcribe pieces first..last in one pass, with audio from before them as context, and
        give each piece the words that fall inside it."""
        pieces = self._pieces
        begin = self._context_start(first, context_s)
        with self._audio_lock:
            audio = self._audio[begin:pieces[last].end].copy()
        seconds = (pieces[last].end - pieces[first].start) / SAMPLE_RATE
        beam = 1 if self._releasing and seconds > TAIL_BEAM_MAX_S else self.beam_size
        result = self.model.transcribe(audio, prompt=self._prompt(first), hotwords=self.hotwords, beam_size=beam)
        result = result.shifted(begin / SAMPLE_RATE)
        self._assign(result, first, last)
        self.processing_s += result.processing_s
        self._passed(len(audio), result)
        log.debug("pieces %d-%d, %.2f-%.2f s (%.1f s of context, beam %d): %.2f s: %s", first, last,
                  pieces[first].start / SAMPLE_RATE, pieces[last].end / SAMPLE_RATE,
                  (pieces[first].start - begin) / SAMPLE_RATE, beam, result.processing_s, result.text)

    def _passed(self, samples: int, result: Transcription) -> None:
        self._passed_s, self._passing_s = self._passed_s + samples / SAMPLE_RATE, self._passing_s + result.processing_s

    def _assign(self, result: Transcription, first: int, last: int) -> None:
        """Give pieces first..last the words of `result` that fall inside each."""
        pieces = self._pieces
        for i in range(first, last + 1):
            until = pieces[i + 1].start / SAMPLE_RATE if i < last else float("inf")
            self._texts[i] = result.between(pieces[i].start / SAMPLE_RATE, until)

    def _context_start(self, first: int, seconds: float) -> int:
        """Where the audio sent with piece `first` begins: the earliest earlier piece that started
        within `seconds` before it, else `seconds` before it (the first piece has none)."""
        start = self._pieces[first].start
        if first == 0 or seconds <= 0:
            return start
        limit = start - int(seconds * SAMPLE_RATE)
        within = [p.start for p in self._pieces[:first] if p.start >= limit]
        return min(within) if within else max(0, limit)

    def _prompt(self, first: int) -> str | None:
        before = join_text(t.text for t in self._texts[:first] if t is not None)
        recent = " ".join(before.split()[-CONTEXT_WORDS:]) if CONTEXT_WORDS else ""
        return join_text([self.prompt or "", recent]) or None
