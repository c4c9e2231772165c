"""Spoken answers: push-to-talk capture, local Whisper transcription (live, while the candidate
speaks), vocabulary priming from the round's rubric, and delivery metrics.

No UI here, and nothing heavy at import: numpy, faster-whisper and sounddevice load when first
used. A front end does, roughly:

    from interviewer import voice

    model = voice.load_from_settings(settings.voice, progress=show_stage)   # in a worker thread
    primed = voice.priming_for(settings.voice, rubric, problem)
    live = voice.LiveTranscriber(model, prompt=primed.prompt, hotwords=primed.hotwords,
                                 on_caption=show_caption)               # called on a worker thread
    live.start(voice.Recorder())                                        # key down; meter: live.recorder.level()
    result = live.finish()                                              # key up: result.text, result.words
    if live.recording.interrupted: warn(live.recording.interrupted.message)
    metrics = voice.delivery_metrics(result.words, question_offset_s=shown_for, duration_s=result.duration)

Errors a user can fix are `VoiceError` subclasses (an `InterviewerError`), raised by `load`,
`Recorder.start` and `read_audio`.
"""

from importlib import import_module

_WHERE = {
    "load": "stt", "load_from_settings": "stt", "SpeechModel": "stt", "resolve_model": "stt",
    "choose_device": "stt", "read_audio": "stt", "STAGES": "stt",
    "Transcription": "transcription", "Segment": "transcription", "Word": "transcription",
    "Recorder": "capture", "Recording": "capture", "Level": "capture",
    "FakeInputStream": "fake_stream",
    "LiveTranscriber": "live",
    "Priming": "vocabulary", "priming": "vocabulary", "priming_for": "vocabulary", "round_terms": "vocabulary",
    "DeliveryMetrics": "metrics", "DeliverySummary": "metrics", "delivery_metrics": "metrics",
    "summarize": "metrics",
    "word_error_rate": "accuracy", "term_recall": "accuracy",
    "VoiceError": "errors", "SpeechModelError": "errors", "AudioFileError": "errors",
    "PortAudioMissingError": "errors", "NoInputDeviceError": "errors", "DeviceBusyError": "errors",
    "RecordingInterrupted": "errors",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
