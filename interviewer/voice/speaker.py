"""Saying replies: sentences in, audio out, one sentence synthesized while the one before plays.

Two threads per speaker: one turns queued sentences into audio with the voice, the other writes
that audio to the output in short blocks, so `stop()` (the mute key, or the candidate starting to
talk) silences it within a block rather than at the end of a sentence. The caller hears about it
through `on_event(SpeechEvent)`, called on the playback thread: a front end turns that into a
message for its own thread.

    speaker = Speaker(voice, on_event=report)
    speaker.feed(chunk) ...                # a reply's text as it streams (Markdown is fine)
    speaker.finish_reply(full_text)        # says what is left (or all of it, if nothing streamed)
    speaker.stop("muted")                  # silence now

A reply's first clause can be synthesized before the reply exists (`prepare`, with the text it is
expected to be): if the reply then turns out to be exactly that text, its first sound needs no
synthesis. Anything else is synthesized as usual and the prepared audio is dropped.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from .errors import SpeechOutputError
from .speakable import SentenceStream, opening, speakable_sentences

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

BLOCK_S = 0.05  # how much audio is handed to the output at once: the longest `stop()` waits
LEVELS_KEPT = 100  # loudness of the last blocks written (five seconds), for telling echo from the candidate


@dataclass(frozen=True)
class Opening:
    """The first clause of a reply on the synthesis queue, with the reply's text as it stood when
    the clause was cut: what a prepared clause must match to be played instead."""

    sentence: str
    reply_text: str


@dataclass(frozen=True)
class Prepared:
    reply_text: str
    sentence: str
    audio: "np.ndarray"


def first_clause(text: str) -> str:
    """The clause a reply of `text` would start with, cut as `feed` and `finish_reply` cut it."""
    stream = SentenceStream()
    first = stream.feed(text) or stream.flush()
    return opening(first[0])[0] if first else ""


@dataclass(frozen=True)
class SpeechEvent:
    """`started`: the first sample of a reply went out; `ended`: its last one played;
    `stopped`: cut short (`reason`: muted, barge-in, closed). Times are the speaker's clock."""

    kind: str
    at: float
    reply: int
    spoken_s: float = 0.0  # audio played for this reply so far
    reason: str = ""
    first_audio_s: float | None = None  # on `started`: from the reply's first sentence of text


def _sounddevice_output(**kwargs: Any):
    from .capture import import_sounddevice

    return import_sounddevice().OutputStream(**kwargs)


class Speaker:
    def __init__(self, voice: Any, output_factory: Callable[..., Any] | None = None, device: Any = None,
                 on_event: Callable[[SpeechEvent], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.voice = voice
        self.device = device
        self.on_event = on_event or (lambda event: None)
        self.clock = clock
        self._factory = output_factory or _sounddevice_output
        self._sentences: queue.SimpleQueue = queue.SimpleQueue()
        self._audio: queue.SimpleQueue = queue.SimpleQueue()
        self._generation = 0  # bumped by stop(): anything queued under an older one is dropped
        self._stop_reason = ""
        self._lock = threading.Lock()
        self._stream_text = SentenceStream()
        self._fed_text = ""  # the reply's text fed so far (an opening clause is matched against it)
        # One synthesis at a time: `prepare` runs on its caller's thread, sentences on this speaker's.
        self._synth_lock = threading.Lock()
        self._prepared: Prepared | None = None
        self.prepared_used = 0  # replies whose first clause was played from prepared audio
        self.prepared_unused = 0  # prepared clauses a reply did not match, or dropped
        self._reply = 0
        self._first_text_at: float | None = None
        self.last_reply = ""  # the last reply's full text, for replay
        self.speaking = threading.Event()  # audio is going out now
        self._levels: deque = deque(maxlen=LEVELS_KEPT)  # (clock, RMS) of each block written
        self.idle = threading.Event()  # nothing queued or playing
        self.idle.set()
        self._closed = False
        self._threads = [threading.Thread(target=self._synthesize_loop, name="voice-synthesis", daemon=True),
                         threading.Thread(target=self._play_loop, name="voice-playback", daemon=True)]
        for thread in self._threads:
            thread.start()

    # ------------------------------------------------------------------ the caller's side
    def feed(self, chunk: str) -> None:
        """Streamed reply text: each sentence is queued as soon as it is complete."""
        with self._lock:
            if not self._stream_text.fed:
                self._begin_reply()
            self._fed_text += chunk
            sentences = self._stream_text.feed(chunk)
        self._queue(sentences)

    def restart_reply(self) -> None:
        """The reply is being streamed again from its start: drop what was said of it."""
        self.stop("restarted")
        with self._lock:
            self._stream_text.reset()

    def finish_reply(self, text: str) -> None:
        """The whole reply is in. Says what has not been said; all of it if nothing streamed."""
        with self._lock:
            if self._stream_text.fed:
                sentences = self._stream_text.flush()
            else:
                self._begin_reply()
                self._fed_text = text
                sentences = speakable_sentences(text)
            self._stream_text.reset()
            self.last_reply = text
        self._queue(sentences)
        self._sentences.put((self._generation, self._reply, None))  # the reply's end marker

    def prepare(self, text: str, wanted: Callable[[], bool] = lambda: True) -> bool:
        """Synthesize the first clause of a reply expected to be `text`, on the caller's thread,
        for the next reply to play at once if it is exactly `text`. `wanted()` is asked before and
        after synthesis: a preparation overtaken by events (the candidate spoke again) is not kept.
        Replaces any earlier preparation; True if this one was kept."""
        sentence = first_clause(text)
        if not sentence:
            return False
        with self._synth_lock:
            if not wanted():
                return False
            audio = self.voice.synthesize(sentence)
            with self._lock:  # asked under the lock `drop_prepared` takes, so a drop is never undone
                if not wanted():
                    return False
                self.prepared_unused += self._prepared is not None
                self._prepared = Prepared(text.strip(), sentence, audio)
        return True

    def drop_prepared(self) -> None:
        with self._lock:
            self.prepared_unused += self._prepared is not None
            self._prepared = None

    def say(self, text: str) -> None:
        """One whole text, as a reply of its own (the replay key, `interviewer say`)."""
        self.stop("replaced")
        self.finish_reply(text)

    def stop(self, reason: str = "muted") -> None:
        """Silence now: what is playing stops within a block, what is queued is dropped."""
        with self._lock:
            self._generation += 1
            self._stop_reason = reason
            self._stream_text.reset()
            generation = self._generation
        self._sentences.put((generation, self._reply, "\0wake"))
        # Straight to the playback thread too: it may be waiting for a sentence still being
        # synthesized, and the stop must not wait for that.
        self._audio.put((generation, self._reply, None, "stale"))

    def played_rms(self, within_s: float = 2.0, now: float | None = None) -> float:
        """The loudest block written in the last `within_s` seconds (RMS, 0-1): what may be reaching
        a microphone now. Blocks are timed when written, and PulseAudio can hold a second or more
        before playing them, hence the long window."""
        since = (self.clock() if now is None else now) - within_s
        return max((rms for at, rms in list(self._levels) if at >= since), default=0.0)

    def wait_idle(self, timeout: float | None = None) -> bool:
        return self.idle.wait(timeout)

    def close(self, wait: bool = True) -> None:
        """Silence and end both threads; a UI thread passes `wait=False` rather than wait for a
        sentence being synthesized to finish."""
        if self._closed:
            return
        self._closed = True
        self.stop("closed")
        self._sentences.put(None)
        if wait:
            for thread in self._threads:
                thread.join(5)

    # ------------------------------------------------------------------ threads
    def _begin_reply(self) -> None:
        self._reply += 1
        self._fed_text = ""
        self._first_text_at = None
        self.idle.clear()

    def _queue(self, sentences: list[str]) -> None:
        if not sentences:
            return
        if self._first_text_at is None:
            self._first_text_at = self.clock()
            sentences = opening(sentences[0]) + sentences[1:]  # the first sound sooner (see `opening`)
            sentences[0] = Opening(sentences[0], self._fed_text.strip())
        self.idle.clear()
        for sentence in sentences:
            self._sentences.put((self._generation, self._reply, sentence))

    def _synthesize_loop(self) -> None:
        while True:
            item = self._sentences.get()
            if item is None:
                self._audio.put(None)
                return
            generation, reply, sentence = item
            if sentence == "\0wake" or generation != self._generation:
                self._audio.put((generation, reply, None, "stale"))
                continue
            if sentence is None:
                self._audio.put((generation, reply, None, "end"))
                continue
            try:
                with self._synth_lock:  # a preparation under way finishes first: it may be this very clause
                    audio = self._take_prepared(sentence) if isinstance(sentence, Opening) else None
                    if audio is None:
                        text = sentence.sentence if isinstance(sentence, Opening) else sentence
                        audio = self.voice.synthesize(text)
            except Exception as exc:  # noqa: BLE001 - a sentence Piper cannot say is skipped, not fatal
                log.warning("could not synthesize %r: %r", str(sentence)[:60], exc)
                continue
            self._audio.put((generation, reply, audio, "audio"))

    def _take_prepared(self, first: Opening) -> "np.ndarray | None":
        """The prepared audio if it is this reply's (same text, same clause); it is used up either way."""
        with self._lock:
            prepared, self._prepared = self._prepared, None
            if prepared is None:
                return None
            if prepared.reply_text == first.reply_text and prepared.sentence == first.sentence:
                self.prepared_used += 1
                return prepared.audio
            self.prepared_unused += 1
            return None

    def _play_loop(self) -> None:
        stream = None
        spoken = 0
        current = None  # (generation, reply) of what is playing
        while True:
            item = self._audio.get()
            if item is None:
                self._close_stream(stream)
                return
            generation, reply, audio, kind = item
            stale = kind == "stale" or generation != self._generation
            if current is not None and (stale or (generation, reply) != current):
                # A stop() came, or a new reply began without the old one's end marker.
                stream = self._end(stream, current[1], spoken, interrupted=True)
                current, spoken = None, 0
            if stale:
                if self._sentences.empty() and self._audio.empty():
                    self.idle.set()
                continue
            if kind == "end":
                if current is not None:
                    stream = self._end(stream, reply, spoken, interrupted=False)
                    current, spoken = None, 0
                if self._sentences.empty() and self._audio.empty():
                    self.idle.set()
                continue
            if kind != "audio" or audio is None or not len(audio):
                continue
            try:
                if stream is None:
                    stream = self._open()
                if current is None:
                    current = (generation, reply)
                    self.speaking.set()
                    now = self.clock()
                    first = now - self._first_text_at if self._first_text_at is not None else None
                    self.on_event(SpeechEvent("started", now, reply, first_audio_s=first))
                spoken += self._write(stream, audio, generation)
            except SpeechOutputError as error:
                log.debug("%s", error.message)  # reported through the event; the caller says it once
                self.on_event(SpeechEvent("stopped", self.clock(), reply, spoken / self.voice.sample_rate,
                                          reason=f"failed: {error.message}"))
                stream, current, spoken = None, None, 0
                self.speaking.clear()

    def _write(self, stream: Any, audio: "np.ndarray", generation: int) -> int:
        """Write `audio` in blocks until it is done or a stop() makes it stale; samples written."""
        block = max(1, int(self.voice.sample_rate * BLOCK_S))
        written = 0
        for start in range(0, len(audio), block):
            if generation != self._generation:
                break
            piece = audio[start:start + block]
            self._levels.append((self.clock(), math.sqrt(float((piece.astype("float64") ** 2).mean()))))
            try:
                stream.write(piece.reshape(-1, 1))
            except Exception as exc:  # noqa: BLE001 - a device that vanished mid-reply
                raise SpeechOutputError(f"the audio output stopped ({str(exc).splitlines()[0] if str(exc) else exc}); "
                                        "check the speakers, or mute the interviewer") from None
            written += len(piece)
        return written

    def _end(self, stream: Any, reply: int, samples: int, interrupted: bool) -> Any:
        """Let the last audio play out (or cut it, when interrupted), and say so."""
        spoken_s = samples / self.voice.sample_rate
        if interrupted:
            self._close_stream(stream, abort=True)
            self.speaking.clear()
            self.on_event(SpeechEvent("stopped", self.clock(), reply, spoken_s, reason=self._stop_reason or "interrupted"))
            return None
        try:
            stream.stop()  # returns once the buffered audio has been heard
        except Exception as exc:  # noqa: BLE001
            log.debug("output stream did not stop cleanly: %r", exc)
        self._close_stream(stream)
        self.speaking.clear()
        self.on_event(SpeechEvent("ended", self.clock(), reply, spoken_s))
        return None

    def _open(self) -> Any:
        try:
            stream = self._factory(samplerate=self.voice.sample_rate, channels=1, dtype="float32",
                                   device=self.device, blocksize=0)
            stream.start()
            return stream
        except SpeechOutputError:
            raise
        except Exception as exc:  # noqa: BLE001 - PortAudio's errors, or no output device at all
            which = f"output device {self.device!r}" if self.device not in (None, "") else "the default output device"
            raise SpeechOutputError(f"cannot play the interviewer's voice on {which} "
                                    f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}); check the "
                                    "speakers or headphones, or set voice.speak = false") from None

    @staticmethod
    def _close_stream(stream: Any, abort: bool = False) -> None:
        if stream is None:
            return
        try:
            if abort:
                stream.abort()
            stream.close()
        except Exception as exc:  # noqa: BLE001
            log.debug("output stream did not close cleanly: %r", exc)
