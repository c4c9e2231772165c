"""`interviewer say TEXT [--out FILE]`: a line in the interviewer's voice, played or written as WAV."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..settings import load_settings
from .errors import SpeechOutputError

MAX_TEXT_CHARS = 20_000


def say(args: argparse.Namespace, out=None, err=None) -> int:
    from . import tts
    from .speakable import speakable_sentences

    out, err = out or sys.stdout, err or sys.stderr
    settings = load_settings(**{k: getattr(args, k) for k in ("tts_model", "rate", "volume")
                                if getattr(args, k, None) is not None}).voice
    text = args.text if args.text != "-" else sys.stdin.read(MAX_TEXT_CHARS + 1)
    if len(text) > MAX_TEXT_CHARS:
        raise SpeechOutputError(f"TEXT is {len(text):,} characters; say at most {MAX_TEXT_CHARS:,} at once")
    sentences = speakable_sentences(text)
    if not sentences:
        raise SpeechOutputError("TEXT has no words to say; give a sentence, e.g. interviewer say \"Hello.\"")
    target = _checked_target(args.out) if args.out else None  # a bad path fails before the voice loads
    voice = tts.load_from_settings(settings)
    if target is not None:
        import numpy as np

        started = time.perf_counter()
        audio = np.concatenate([voice.synthesize(s) for s in sentences])
        spent = time.perf_counter() - started
        tts.write_wav(target, audio, voice.sample_rate)
        seconds = len(audio) / voice.sample_rate
        err.write(f"interviewer: wrote {target} ({seconds:.1f} s at {voice.sample_rate} Hz); {voice.name} loaded in "
                  f"{voice.load_s:.2f} s, synthesized in {spent:.2f} s (real-time factor {spent / seconds:.3f})\n")
        return 0
    from .speaker import Speaker

    events = []
    speaker = Speaker(voice, on_event=events.append)
    try:
        speaker.finish_reply(text)
        speaker.wait_idle()
    finally:
        speaker.close()
    failed = [e.reason for e in events if e.reason.startswith("failed")]
    if failed:
        raise SpeechOutputError(failed[0].removeprefix("failed: "))
    err.write(f"interviewer: said {len(sentences)} sentence{'s' if len(sentences) != 1 else ''} with {voice.name} "
              f"(real-time factor {voice.real_time_factor:.3f})\n")
    return 0


def _checked_target(path: Path) -> Path:
    path = Path(path)
    if path.is_dir():
        raise SpeechOutputError(f"--out {path}: is a folder; give a file name ending in .wav")
    if path.suffix.lower() != ".wav":
        raise SpeechOutputError(f"--out {path}: only WAV is written; give a file name ending in .wav")
    if not path.parent.is_dir():
        raise SpeechOutputError(f"--out {path}: the folder {path.parent} does not exist; create it or pick another")
    return path
