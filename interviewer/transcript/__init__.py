"""Transcripts: saved as they happen, read back for resume, review and scoring."""

from .model import FORMAT_VERSION, Transcript, Turn, mmss
from .reader import load_transcript, parse_text
from .store import TranscriptWriter, redact, scrub

__all__ = ["FORMAT_VERSION", "Transcript", "TranscriptWriter", "Turn", "load_transcript", "mmss", "parse_text", "redact", "scrub"]
