"""The refinement pass of a live answer (see `live`), and hearing it ahead of time.

`refine` hears the end of the answer again as one window once the answer is over. In a
hands-free turn the answer is over only after a silence (voice.end_silence_s, 1.4 s), and the
refinement then took another second or more. Nothing new is said during that silence, so the
pass can start while the countdown runs: `RefineAhead` keeps the books of that speculative pass.
The turn watch asks for it once the pause is long enough (`request`, with the audio heard so
far), drops it when the candidate speaks again (`cancel`); the transcriber's worker runs it
(`claim`, `deliver`); at the end of the turn it is used only if no speech came after the audio
it heard (`take`). Every request gets a new generation, and a pass whose generation is no longer
current is thrown away on delivery, so a cancelled pass can never hand back a stale transcript.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from .segmenter import SAMPLE_RATE, Piece
from .transcription import Transcription

# One Whisper window (30 s): the refinement pass hears the last pieces that fit in it, plus a
# little audio before them whose words are dropped.
REFINE_WINDOW_S = 28.0
REFINE_CONTEXT_S = 2.0


@dataclass(frozen=True)
class Window:
    """What a refinement pass hears: samples begin..end; the words from pieces[first] on, which
    starts at sample `words_from`, are taken from it (first 0: the whole answer, heard from its
    start). `first` may be the piece still being said, not yet closed when the pass was asked for."""

    first: int
    begin: int
    end: int
    words_from: int = 0


def plan(piece_starts: list[int], spoken_end: int, end: int, window_s: float = REFINE_WINDOW_S,
         known: int | None = None, open_start: int | None = None) -> Window:
    """The window for an answer whose pieces start at `piece_starts` (and, with `open_start`, one
    more still being said from that sample), whose speech ends at `spoken_end` and whose audio ends
    at `end`: the last pieces whose speech fits in `window_s`, at least the last one. Silence after
    the last word does not count towards the window: the pass skips it (VAD), as a whole one would.
    Pieces from `known` on have no text yet, so the window starts no later than that piece: words
    before the window come from the pieces' texts."""
    window = int(window_s * SAMPLE_RATE)
    starts = list(piece_starts)
    if open_start is not None and (not starts or open_start > starts[-1]):
        starts.append(open_start)
    if not starts:
        return Window(0, 0, end)
    first = next((i for i, start in enumerate(starts) if spoken_end - start <= window), len(starts) - 1)
    if known is not None:
        first = min(first, known)
    begin = 0 if first == 0 else max(0, starts[first] - int(REFINE_CONTEXT_S * SAMPLE_RATE))
    return Window(first, begin, end, starts[first] if first else 0)


def joined(heard: Transcription, window: Window, pieces: list[Piece], texts: list[Transcription | None],
           duration: float, processing_s: float) -> Transcription:
    """The whole answer: the live text of the pieces before the window, the pass's words after."""
    kept = [t for t in texts[:window.first] if t is not None]
    tail = heard.between(window.words_from / SAMPLE_RATE) if window.first else heard
    return Transcription.join(kept + [tail], duration=duration, processing_s=processing_s + heard.processing_s)


@dataclass(frozen=True)
class Heard:
    """A finished speculative pass: its window, its words on the recording's clock, how long it took."""

    window: Window
    transcription: Transcription
    seconds: float
    generation: int


class RefineAhead:
    """The speculative pass's state, shared by the capture thread (`request`, `cancel`), the
    transcriber's worker (`claim`, `deliver`) and the end of the turn (`take`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.generation = 0
        self._pending: Window | None = None  # the window of a request no worker has claimed yet
        self._heard: Heard | None = None
        self._latest: Heard | None = None  # the last pass delivered, kept or not
        self.requests = 0
        self.delivered = 0
        self.discarded = 0  # passes that finished after their pause was over
        self.skipped = 0  # pauses too short for the pass, by the answer's pace (see LiveTranscriber.refine_ahead)

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def request(self, window: Window) -> int:
        """The candidate has paused: hear `window` (the answer up to `window.end`, as planned when the pause
        began). Supersedes any earlier pass."""
        with self._lock:
            self.generation += 1
            self._pending, self._heard = window, None
            self.requests += 1
            return self.generation

    def cancel(self) -> None:
        """The candidate spoke again: what was heard ahead no longer covers the answer."""
        with self._lock:
            self.generation += 1
            self._pending, self._heard = None, None

    def claim(self) -> tuple[int, Window] | None:
        """For the worker: (generation, window) of the request to run now, or None."""
        with self._lock:
            if self._pending is None:
                return None
            window, self._pending = self._pending, None
            return self.generation, window

    def deliver(self, heard: Heard) -> bool:
        """The worker's finished pass; kept only if no newer request or cancel came meanwhile. Either
        way it stays available to the pieces inside its audio (`covering`)."""
        with self._lock:
            self._latest = heard
            if heard.generation != self.generation:
                self.discarded += 1
                return False
            self._heard = heard
            self.delivered += 1
            return True

    def covering(self, start: int, end: int) -> Heard | None:
        """The latest finished pass, current or not, if it heard samples start..end: a pass the
        candidate talked on from no longer covers the answer, but its words for a piece said wholly
        inside its audio are as good as that piece's own first pass, which then need not run."""
        with self._lock:
            heard = self._latest
        if heard is None or start < heard.window.begin or end > heard.window.end:
            return None
        return heard

    def take(self, last_speech: int, start: int | None = None) -> Heard | None:
        """The current pass, if it heard every sample of speech so far (`last_speech`: where the
        latest speech ended) and, given `start`, the audio from there on (a piece's own audio);
        else None. The words before its window are the pieces' own."""
        with self._lock:
            heard = self._heard if self._heard is not None and self._heard.generation == self.generation else None
        if heard is None:
            return None
        if last_speech > heard.window.end or (start is not None and start < heard.window.begin):
            return None
        return heard
