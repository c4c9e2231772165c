"""Spoken answers in a saved session: where their audio goes when the user keeps it.

The delivery figures themselves are measured in `interviewer.voice.metrics`; the session
saves them as a `delivery` event beside the answer they belong to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def audio_dir(transcript: Path) -> Path:
    """`20261122-...-kv-store-ab12cd34.jsonl` keeps its audio in `...-ab12cd34.audio/`."""
    return transcript.with_name(transcript.stem + ".audio")


def save_answer_audio(transcript: Path, turn: int, audio: Any, samplerate: int) -> Path:
    """Write one answer's audio (float32 mono) as 16-bit PCM WAV beside the transcript."""
    from .voice.tts import write_wav

    folder = audio_dir(transcript)
    folder.mkdir(parents=True, exist_ok=True)
    return write_wav(folder / f"turn-{turn:03d}.wav", audio, samplerate)


def voice_status(voice: Any, cuda_device_count: Any = None) -> tuple[bool, str]:
    """Whether spoken answers can work on this machine, and one line saying what they will
    use or what to install. Imports the audio and speech libraries: call it off the UI thread."""
    from .errors import InterviewerError
    from .voice import stt
    from .voice.capture import import_sounddevice

    try:
        sounddevice = import_sounddevice()
        try:
            sounddevice.query_devices(kind="input")
        except Exception:  # noqa: BLE001 - PortAudio reports a missing input in several ways
            return False, ("Voice: no microphone found; plug one in or pick an input device in the system's sound "
                           "settings (`python -m sounddevice` lists them). Text mode works.")
        source = stt.resolve_model(voice.stt_model or None)
        device, compute_type = stt.choose_device(voice.device, voice.compute_type, cuda_device_count)
    except InterviewerError as error:
        return False, f"Voice: {error.message}"
    return True, (f"Voice: Whisper {source.name} on {device} ({compute_type}), push-to-talk with F8; "
                  "audio is transcribed on this machine and never leaves it.")


def answer_note(delivery: dict[str, Any]) -> str:
    """One line under a spoken answer: pace, fillers, pauses, and how soon it started."""
    if not delivery.get("words"):
        return "spoken: no words recognised"
    parts = [f"{delivery['words_per_minute']:.0f} words/min", f"{delivery['filler_count']} fillers"]
    if delivery.get("long_pauses"):
        parts.append(f"{delivery['long_pauses']} pauses over 2 s (longest {delivery['longest_pause_s']:.1f} s)")
    if delivery.get("time_to_first_word_s") is not None:
        parts.append(f"first word after {delivery['time_to_first_word_s']:.1f} s")
    return "spoken: " + " · ".join(parts)
