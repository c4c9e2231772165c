"""`interviewer transcribe AUDIO_FILE`: a recorded answer as text, with how long it took."""

from __future__ import annotations

import argparse
import json
import sys

from ..settings import load_settings


def transcribe_file(args: argparse.Namespace, out=None, err=None) -> int:
    from . import stt
    from .metrics import delivery_metrics
    from .vocabulary import priming

    out, err = out or sys.stdout, err or sys.stderr
    settings = load_settings(stt_model=args.stt_model).voice
    audio = stt.read_audio(args.file)  # a missing or garbled file fails before the model loads
    primed = None
    if args.round and settings.priming:
        from ..services import build_services

        primed = priming(build_services(brain="offline").library.load(args.round).rubric)
    model = stt.load(settings.stt_model or None, device=args.device or settings.device,
                     compute_type=settings.compute_type)
    result = model.transcribe(audio, prompt=primed.prompt if primed else None,
                              hotwords=primed.hotwords if primed else None)
    rtf = result.processing_s / result.duration if result.duration else 0.0
    if args.json:
        data = {"file": str(args.file), "text": result.text, "model": model.name, "device": model.device,
                "compute_type": model.compute_type, "load_s": round(model.load_s, 3),
                "audio_s": round(result.duration, 3), "transcribe_s": round(result.processing_s, 3),
                "real_time_factor": round(rtf, 4), "language": result.language,
                "segments": result.to_dict()["segments"],
                "delivery": delivery_metrics(result.words, duration_s=result.duration).to_dict()}
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
        return 0
    out.write(result.text + "\n")
    err.write(f"interviewer: {result.duration:.1f} s of audio; {model.name} on {model.device}/{model.compute_type} "
              f"loaded in {model.load_s:.2f} s; transcribed in {result.processing_s:.2f} s "
              f"(real-time factor {rtf:.3f})\n")
    return 0
