"""An input stream that plays audio instead of listening, for tests, benchmarks and demos.

It calls the same callback a `sounddevice.InputStream` would, with the same arguments, from its
own thread, in blocks of `blocksize` samples, paced like a microphone (`speed=1.0`), faster
(`speed=20`), or as fast as the consumer can take it (`speed=None`). After the audio it keeps
sending silence at the same pace, as a microphone does while the key is still held; `played` is
set once the audio itself is through. `fail_at_s` makes it stop on its own partway, the way a
stream does when its device is unplugged. With `silent_until` (an Event) it sends silence until
that is set, then the audio: a candidate who waits for the interviewer to finish.

    Recorder(stream_factory=FakeInputStream.factory("answer.flac", speed=20))
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import numpy as np

SAMPLE_RATE = 16_000


class _NoStatus:
    """What `status` is in a callback with nothing to report."""

    input_overflow = False

    def __bool__(self) -> bool:
        return False


class FakeInputStream:
    def __init__(self, audio: "np.ndarray", *, samplerate: int = SAMPLE_RATE, blocksize: int = 480,
                 callback: Callable[..., None], finished_callback: Callable[[], None] | None = None,
                 speed: float | None = 1.0, fail_at_s: float | None = None, channels: int = 1,
                 dtype: str = "float32", device: Any = None, clock: Callable[[], float] = time.monotonic,
                 silent_until: threading.Event | None = None) -> None:
        import numpy as np

        self.audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        self.samplerate = samplerate
        self.blocksize = blocksize or 480
        self.channels = channels
        self.speed = speed
        self.fail_at_s = fail_at_s
        self.silent_until = silent_until
        self._callback = callback
        self._finished_callback = finished_callback
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.played = threading.Event()  # the whole recording has been delivered
        self.ended = threading.Event()  # stopped, or failed on its own
        self.active = False
        self.sent_samples = 0
        self.failed = False

    @classmethod
    def factory(cls, source: "str | Path | np.ndarray", **options: Any) -> Callable[..., "FakeInputStream"]:
        """A stream factory for `Recorder`: plays `source` (a file, or float32 16 kHz samples).
        The last stream made is kept as `factory.stream`, so a test can wait on `played`."""
        if isinstance(source, (str, Path)):
            from .stt import read_audio

            source = read_audio(source)

        def make(**kwargs: Any) -> "FakeInputStream":
            kwargs = {k: v for k, v in kwargs.items() if k in ("samplerate", "blocksize", "callback",
                                                                "finished_callback", "channels", "dtype", "device")}
            make.stream = cls(source, **{**kwargs, **options})
            return make.stream

        make.stream = None
        return make

    def start(self) -> None:
        self.active = True
        self._thread = threading.Thread(target=self._play, name="fake-input-stream", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        if self.active:
            self.active = False
            self._finish()

    abort = stop

    def close(self) -> None:
        self.stop()

    def __enter__(self) -> "FakeInputStream":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _play(self) -> None:
        import numpy as np

        started = self._clock()
        position = 0  # of the audio
        sent = 0  # samples delivered, silence included
        silence = np.zeros(self.blocksize, dtype=np.float32)
        while not self._stop.is_set():
            if self.fail_at_s is not None and position >= self.fail_at_s * self.samplerate:
                self.failed = True
                self.active = False
                self._finish()
                return
            block = self.audio[position:position + self.blocksize]
            waiting = self.silent_until is not None and not self.silent_until.is_set()
            if waiting and self.speed is None:  # unpaced: nothing to send until then
                self.silent_until.wait(0.05)
                continue
            if waiting:
                block = silence
            elif block.size == 0:
                self.played.set()
                if self.speed is None:  # unpaced: nothing more to hurry; wait for stop
                    self._stop.wait()
                    return
                block = silence
            if self.speed is not None:
                due = started + (sent + block.size) / self.samplerate / self.speed
                wait = due - self._clock()
                if wait > 0 and self._stop.wait(wait):
                    return
            frames = block.size
            indata = np.repeat(block[:, None], self.channels, axis=1) if self.channels > 1 else block[:, None]
            self._callback(indata, frames, None, _NoStatus())
            sent += frames
            if waiting:
                continue
            position += frames
            self.sent_samples = position
            if position >= self.audio.size:
                self.played.set()

    def _finish(self) -> None:
        self.ended.set()
        if self._finished_callback is not None:
            self._finished_callback()


class FakeOutputStream:
    """An output stream that keeps what it is given instead of playing it, paced like a sound card
    (`speed=1.0`) or as fast as it is written (`speed=None`). Same calls as `sounddevice.OutputStream`
    with blocking writes: start, write, stop (plays out), abort (drops), close.

        Speaker(voice, output_factory=FakeOutputStream.factory(kept))   # kept: a list of streams
    """

    def __init__(self, *, samplerate: int, channels: int = 1, dtype: str = "float32", device: Any = None,
                 blocksize: int = 0, speed: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.samplerate = samplerate
        self.speed = speed
        self.blocks: list = []
        self.active = False
        self.aborted = False
        self.closed = False
        self._clock = clock
        self._started_at = 0.0
        self.samples = 0

    @classmethod
    def factory(cls, kept: list | None = None, **options: Any) -> Callable[..., "FakeOutputStream"]:
        def make(**kwargs: Any) -> "FakeOutputStream":
            stream = cls(**{**kwargs, **options})
            if kept is not None:
                kept.append(stream)
            return stream
        return make

    def start(self) -> None:
        self.active = True
        self._started_at = self._clock()

    def write(self, data: "np.ndarray") -> None:
        import numpy as np

        self.blocks.append(np.asarray(data, dtype=np.float32).reshape(-1).copy())
        self.samples += len(self.blocks[-1])
        if self.speed:  # a sound card takes a block when there is room for it, in real time
            due = self._started_at + self.samples / self.samplerate / self.speed
            wait = due - self._clock() - 0.1  # keeps 0.1 s buffered, as a device does
            if wait > 0:
                threading.Event().wait(wait)

    def stop(self) -> None:
        self.active = False

    def abort(self) -> None:
        self.aborted = True
        self.active = False

    def close(self) -> None:
        self.closed = True
        self.active = False

    @property
    def audio(self) -> "np.ndarray":
        import numpy as np

        return np.concatenate(self.blocks) if self.blocks else np.zeros(0, dtype=np.float32)
