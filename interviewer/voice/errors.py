"""Errors from voice input, each a one-line message that says what to do about it."""

from __future__ import annotations

from ..errors import InterviewerError


class VoiceError(InterviewerError):
    title = "Voice input"


class SpeechModelError(VoiceError):
    """The speech model cannot be found or loaded."""

    title = "Speech model"


class AudioFileError(VoiceError):
    """An audio file is missing or cannot be decoded."""

    title = "Audio file"


class PortAudioMissingError(VoiceError):
    title = "Microphone unavailable"


class NoInputDeviceError(VoiceError):
    title = "No microphone"


class DeviceBusyError(VoiceError):
    title = "Microphone busy"


class RecordingInterrupted(VoiceError):
    """The input stopped mid-recording. Not raised: attached to the recording, whose audio up to
    that point is kept."""

    title = "Recording interrupted"


class SpeechOutputError(VoiceError):
    """The interviewer's voice cannot be loaded or played."""

    title = "Interviewer's voice"
