"""Cut a recording that is still growing into pieces that each end in a pause, so they can be
transcribed while the candidate is still talking.

`SpeechDetector` runs faster-whisper's Silero VAD model over the audio as it arrives, 32 ms at a
time, carrying the model's state between calls: every window is scored once and the scores match
a single pass over the whole recording. `Segmenter` turns those scores into cuts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .native import native_call

if TYPE_CHECKING:
    import numpy as np

SAMPLE_RATE = 16_000
WINDOW = 512  # samples the VAD model scores at a time (32 ms)
_CONTEXT = 64  # samples of the previous window the model sees with each one


class SpeechDetector:
    """Speech probability for each 32 ms window of a stream, fed in blocks of any size."""

    def __init__(self) -> None:
        import numpy as np
        from faster_whisper.vad import get_vad_model

        with native_call():
            self._session = get_vad_model().session
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)

    def feed(self, samples: "np.ndarray") -> "np.ndarray":
        """Probabilities for the whole windows completed by `samples` (leftovers wait for more)."""
        import numpy as np

        data = np.concatenate([self._pending, np.asarray(samples, dtype=np.float32).reshape(-1)])
        whole = len(data) // WINDOW * WINDOW
        self._pending = data[whole:]
        if not whole:
            return np.zeros(0, dtype=np.float32)
        windows = data[:whole].reshape(-1, WINDOW)
        contexts = np.concatenate([self._context[None], windows[:-1, -_CONTEXT:]], axis=0)
        self._context = windows[-1, -_CONTEXT:].copy()
        batch = np.ascontiguousarray(np.concatenate([contexts, windows], axis=1))
        with native_call():
            out, self._h, self._c = self._session.run(None, {"input": batch, "h": self._h, "c": self._c})
        return np.asarray(out, dtype=np.float32).reshape(-1)


@dataclass(frozen=True)
class SegmenterOptions:
    threshold: float = 0.5  # a window at or above this is speech
    neg_threshold: float = 0.35  # below this is silence; in between keeps the current state
    min_silence_s: float = 0.5  # a pause this long after speech closes a piece ...
    short_silence_s: float = 0.25  # ... or this long, once the piece is longer than:
    shorten_after_s: float = 4.0
    max_piece_s: float = 10.0  # never longer: cut at the quietest window of the second half
    min_speech_s: float = 0.2  # less speech than this in a piece is a click or a breath: drop it
    lead_s: float = 0.3  # silence kept before the first speech of a piece


@dataclass(frozen=True)
class Piece:
    start: int  # samples from the start of the recording
    end: int
    speech_s: float


class Segmenter:
    """Feeds on VAD scores, one per window, and reports pieces as their closing pause is heard."""

    def __init__(self, options: SegmenterOptions | None = None) -> None:
        self.options = options or SegmenterOptions()
        self._window = 0  # index of the next window to score
        self._start = 0  # sample where the open piece begins
        self._speech_windows = 0
        self._in_speech = False
        self._silence_from: int | None = None  # window where the current pause began
        self._scores: list[float] = []  # scores of the open piece's windows, for a max-length cut

    @property
    def open_start(self) -> int:
        return self._start

    @property
    def open_speech(self) -> bool:
        """Whether the piece not yet closed has speech in it."""
        return self._speech_windows > 0

    @property
    def windows_seen(self) -> int:
        return self._window

    def push(self, scores) -> list[Piece]:
        closed: list[Piece] = []
        o = self.options
        for score in scores:
            i = self._window
            self._window += 1
            self._scores.append(float(score))
            if score >= o.threshold:
                self._in_speech = True
                self._speech_windows += 1
                self._silence_from = None
            elif score < o.neg_threshold and self._in_speech and self._silence_from is None:
                self._silence_from = i
            if not self._speech_windows:
                # Nothing said yet: keep only a little of the silence before the first word.
                self._start = max(self._start, (i + 1) * WINDOW - int(o.lead_s * SAMPLE_RATE))
                self._scores = self._scores[-(int(o.lead_s * SAMPLE_RATE) // WINDOW + 1):]
                continue
            end = (i + 1) * WINDOW
            if self._silence_from is not None:
                paused = (i + 1 - self._silence_from) * WINDOW / SAMPLE_RATE
                spoken = (self._silence_from * WINDOW - self._start) / SAMPLE_RATE
                needed = o.short_silence_s if spoken >= o.shorten_after_s else o.min_silence_s
                if paused >= needed:
                    closed += self._close((self._silence_from * WINDOW + end) // 2)
                    continue
            if (end - self._start) / SAMPLE_RATE >= o.max_piece_s:
                closed += self._close(self._quietest_cut())
        return [p for p in closed if p.speech_s >= o.min_speech_s]

    def finish(self, total_samples: int) -> Piece | None:
        """The open piece at the end of the recording, if anything was said in it."""
        if not self._speech_windows or total_samples <= self._start:
            return None
        piece = Piece(self._start, total_samples, self._speech_windows * WINDOW / SAMPLE_RATE)
        return piece if piece.speech_s >= self.options.min_speech_s else None

    def _quietest_cut(self) -> int:
        """Middle of the least speech-like window in the second half of the open piece."""
        first_window = self._window - len(self._scores)
        half = len(self._scores) // 2
        offset = min(range(half, len(self._scores)), key=lambda k: self._scores[k])
        return (first_window + offset) * WINDOW + WINDOW // 2

    def _close(self, cut: int) -> list[Piece]:
        threshold = self.options.threshold
        split = max(0, cut // WINDOW - (self._window - len(self._scores)))
        spoken, kept = self._scores[:split], self._scores[split:]
        piece = Piece(self._start, cut, sum(s >= threshold for s in spoken) * WINDOW / SAMPLE_RATE)
        self._start = cut
        self._scores = kept
        self._speech_windows = sum(s >= threshold for s in kept)
        self._in_speech = self._speech_windows > 0 and kept[-1] >= self.options.neg_threshold
        self._silence_from = None
        return [piece]
