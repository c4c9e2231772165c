"""Push-to-talk capture: 16 kHz mono float32 from the microphone, with a live level and clock.

PortAudio calls `_callback` on its own audio thread; that callback only copies the block into a
queue, because anything slower there drops audio. A consumer thread (the caller's, or a live
transcriber's) takes blocks out with `read()` or `pump()`, which is where the recording is
assembled and the meter updated.

    recorder = Recorder()                 # or Recorder(stream_factory=FakeInputStream.factory(path))
    recorder.start()                      # key down
    threading.Thread(target=recorder.pump).start()   # meter: recorder.level(), recorder.elapsed_s
    recording = recorder.stop()           # key up: recording.audio, recording.interrupted
"""

from __future__ import annotations

import logging
import math
import queue
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from .errors import DeviceBusyError, NoInputDeviceError, PortAudioMissingError, RecordingInterrupted, VoiceError

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
BLOCK_S = 0.03
FLOOR_DBFS = -100.0
_BUSY = ("-9985", "device unavailable", "busy")
_NO_DEVICE = ("-9996", "-9998", "-9997", "invalid device", "querying device", "no input device", "no device",
              "invalid number of channels", "invalid sample rate")


@dataclass(frozen=True)
class Level:
    """Loudness of the latest block, in dB relative to full scale (0 is clipping)."""

    rms_dbfs: float = FLOOR_DBFS
    peak_dbfs: float = FLOOR_DBFS


@dataclass
class Recording:
    audio: "np.ndarray"  # float32 mono at `samplerate`
    samplerate: int = SAMPLE_RATE
    interrupted: RecordingInterrupted | None = None  # the input stopped early; `audio` is what came before
    overflows: int = 0  # blocks PortAudio flagged (input overflow: some audio was dropped)

    @property
    def duration(self) -> float:
        return len(self.audio) / self.samplerate


def import_sounddevice():
    """sounddevice, or an error saying how to install PortAudio (it raises OSError at import
    when the PortAudio library is missing)."""
    try:
        import sounddevice
    except OSError:
        raise PortAudioMissingError(
            "voice input needs the PortAudio library, which is not installed: on Debian/Ubuntu run "
            "`sudo apt-get install libportaudio2`, on macOS `brew install portaudio`; or type your answer") from None
    except ImportError:
        raise PortAudioMissingError("voice input needs the sounddevice package: pip install sounddevice") from None
    return sounddevice


def device_error(exc: BaseException, device: Any = None) -> VoiceError:
    """A PortAudio error opening the input, as something the user can act on."""
    text = str(exc).lower()
    which = f"input device {device!r}" if device not in (None, "") else "the default input device"
    if any(key in text for key in _BUSY):
        return DeviceBusyError(f"{which} is busy (another program is using the microphone); close that program "
                               "or choose another input device")
    if any(key in text for key in _NO_DEVICE):
        return NoInputDeviceError(f"no microphone found ({which}: {str(exc).splitlines()[0]}); plug one in or "
                                  "choose an input device (`python -m sounddevice` lists them); or type your answer")
    return VoiceError(f"cannot open {which} ({str(exc).splitlines()[0]}); check the microphone, or type your answer")


def _sounddevice_stream(**kwargs):
    sounddevice = import_sounddevice()
    return sounddevice.InputStream(**kwargs)


class Recorder:
    def __init__(self, device: Any = None, stream_factory: Callable[..., Any] | None = None,
                 samplerate: int = SAMPLE_RATE, block_s: float = BLOCK_S) -> None:
        self.device = device
        self.samplerate = samplerate
        self.blocksize = int(samplerate * block_s)
        self._factory = stream_factory or _sounddevice_stream
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._blocks: list = []
        self._samples = 0
        self._level = Level()
        self._overflows = 0
        self._stream = None
        self._closed = threading.Event()  # set once the stream will deliver nothing more
        self._closing = False  # we asked it to stop (key released), as opposed to it failing
        self._failed = False
        self._lock = threading.Lock()
        # close() puts None on the queue, so a consumer waiting for a block learns at once that none
        # will come (waiting out its poll kept a hands-free answer 50 ms longer after the turn ended).
        self._wakes = 0  # markers on the queue, which queue_empty() does not count as blocks
        self._wake_lock = threading.Lock()

    # --- the audio thread -------------------------------------------------------------------------
    def _callback(self, indata, frames, time_info, status) -> None:
        self._queue.put((indata.copy(), bool(status)))

    def _finished(self) -> None:
        self._closed.set()

    # --- the caller's side ------------------------------------------------------------------------
    def start(self) -> None:
        try:
            self._stream = self._factory(samplerate=self.samplerate, channels=1, dtype="float32",
                                         blocksize=self.blocksize, device=self.device, callback=self._callback,
                                         finished_callback=self._finished)
            self._stream.start()
        except VoiceError:
            raise
        except Exception as exc:  # sounddevice.PortAudioError, or ValueError for a device it cannot match
            self._stream = None
            log.debug("cannot open input %r: %r", self.device, exc)
            raise device_error(exc, self.device) from None
        log.info("recording from %s at %d Hz", self.device or "the default input", self.samplerate)

    @property
    def elapsed_s(self) -> float:
        return self._samples / self.samplerate

    @property
    def samples(self) -> int:
        """Samples read so far."""
        return self._samples

    def level(self) -> Level:
        return self._level

    @property
    def running(self) -> bool:
        return self._stream is not None and not self._closed.is_set()

    def read(self, timeout: float | None = 0.1) -> "np.ndarray | None":
        """The next block (1-D float32), or None when none came within `timeout` seconds. Reads
        are serialised, so a consumer thread and `stop()` never assemble blocks out of order."""
        import numpy as np

        with self._lock:
            try:
                item = self._queue.get(timeout=timeout) if timeout else self._queue.get_nowait()
            except queue.Empty:
                return None
            if item is None:
                with self._wake_lock:
                    self._wakes -= 1
                return None
            block, flagged = item
            samples = block.reshape(-1) if block.ndim == 1 or block.shape[1] == 1 else block.mean(axis=1)
            samples = samples.astype(np.float32, copy=False)
            self._blocks.append(samples)
            self._samples += len(samples)
            self._overflows += flagged
        if samples.size:
            peak = float(np.max(np.abs(samples)))
            rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
            self._level = Level(_dbfs(rms), _dbfs(peak))
        return samples

    def keep_last(self, samples: int) -> "np.ndarray":
        """Forget all but the last `samples` read, and return those: a recording that ran while
        the interviewer talked becomes the answer from just before the candidate spoke. Call it
        while no consumer is reading."""
        import numpy as np

        with self._lock:
            audio = np.concatenate(self._blocks) if self._blocks else np.zeros(0, dtype=np.float32)
            kept = audio[max(0, len(audio) - samples):].copy() if samples > 0 else audio[:0].copy()
            self._blocks = [kept] if len(kept) else []
            self._samples = len(kept)
        return kept

    def queue_empty(self) -> bool:
        """No delivered block is waiting to be read."""
        return self._queue.qsize() <= self._wakes

    def pump(self, on_block: Callable[["np.ndarray"], None] | None = None) -> None:
        """Consumer loop for a thread: read blocks (passing each to `on_block`) until the stream has
        closed, by `close()`/`stop()` or by failing, and every block it delivered has been read."""
        while True:
            block = self.read(timeout=0.05)
            if block is not None:
                if on_block is not None:
                    on_block(block)
            elif self._ended() and self.queue_empty():
                return

    def close(self) -> None:
        """Stop the stream (key released). Blocks already queued can still be read."""
        if not self._closing:
            self._failed = self.stream_failed  # decided before our own stop() ends the stream too
        stream, self._closing = self._stream, True
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except Exception as exc:  # a device that vanished can fail to stop; what we have is kept
                log.warning("input stream did not stop cleanly: %r", exc)
        self._closed.set()
        # After the stream's last block, so everything before it is read first; counted after it is
        # put, so that meanwhile the queue looks fuller than it is, never emptier.
        self._queue.put(None)
        with self._wake_lock:
            self._wakes += 1

    def stop(self) -> Recording:
        """Close the stream, read what is left, and return the recording."""
        import numpy as np

        self.close()
        while self.read(timeout=None) is not None:
            pass
        with self._lock:
            audio = np.concatenate(self._blocks) if self._blocks else np.zeros(0, dtype=np.float32)
        interrupted = None
        if self._failed:
            interrupted = RecordingInterrupted(
                f"the microphone stopped after {len(audio) / self.samplerate:.1f} s (unplugged, or taken by another "
                "program?); kept what was recorded up to then; check the input device before the next answer")
            log.warning("%s", interrupted.message)
        if self._overflows:
            log.warning("%d audio blocks overflowed: the machine fell behind and some audio was dropped",
                        self._overflows)
        return Recording(audio, self.samplerate, interrupted, self._overflows)

    @property
    def stream_failed(self) -> bool:
        """The stream ended on its own (device unplugged, driver error) before it was asked to."""
        return self._stream is not None and self._ended() and not self._closing

    def _ended(self) -> bool:
        stream = self._stream
        return stream is None or self._closed.is_set() or not getattr(stream, "active", True)


def _dbfs(value: float) -> float:
    return max(FLOOR_DBFS, 20 * math.log10(value)) if value > 0 else FLOOR_DBFS
