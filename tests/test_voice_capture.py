"""Push-to-talk capture: the recorder assembles what the stream delivers, meters it, and turns
PortAudio failures into errors that say what to do. No model is needed here."""

from __future__ import annotations

import builtins
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from interviewer.voice.capture import Recorder, device_error, import_sounddevice
from interviewer.voice.errors import (DeviceBusyError, NoInputDeviceError, PortAudioMissingError,
                                      RecordingInterrupted, VoiceError)
from interviewer.voice.fake_stream import FakeInputStream

RATE = 16_000


def tone(seconds: float, amplitude: float = 0.5, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def record(source: np.ndarray, **fake_options) -> tuple[Recorder, FakeInputStream, list]:
    """Start a recorder on a fake stream with a consumer thread, as a front end would."""
    factory = FakeInputStream.factory(source, **fake_options)
    recorder = Recorder(stream_factory=factory)
    recorder.start()
    seen: list = []
    consumer = threading.Thread(target=recorder.pump, args=(seen.append,))
    consumer.start()
    recorder.consumer = consumer
    return recorder, factory.stream, seen


def test_recorder_keeps_every_sample_in_order_and_meters_them():
    source = tone(1.0) * np.linspace(0, 1, RATE, dtype=np.float32)
    recorder, stream, seen = record(source, speed=None)
    assert stream.played.wait(10)
    recording = recorder.stop()
    recorder.consumer.join(5)
    assert np.array_equal(recording.audio[:len(source)], source)
    assert recording.interrupted is None and recording.samplerate == RATE
    assert recording.duration == pytest.approx(1.0, abs=0.05)
    assert recorder.elapsed_s == pytest.approx(recording.duration)
    assert all(len(block) == 480 for block in seen[:-1])  # 30 ms blocks, as the callback got them
    # The last block read was the loudest part of the ramp: a 0.5 sine peaks at -6 dBFS, RMS -9.
    level = recorder.level()
    assert level.peak_dbfs == pytest.approx(-6.0, abs=0.3)
    assert level.rms_dbfs == pytest.approx(-9.0, abs=0.3)


def test_stream_callback_only_queues_a_copy():
    recorder = Recorder(stream_factory=FakeInputStream.factory(tone(0.1), speed=None))
    block = np.ones((480, 1), dtype=np.float32)
    recorder._callback(block, 480, None, None)
    block[:] = 0  # PortAudio reuses its buffer; the queued block must not change with it
    assert recorder.elapsed_s == 0  # nothing assembled on the audio thread
    assert np.all(recorder.read(timeout=None) == 1)
    assert recorder.elapsed_s == pytest.approx(480 / RATE)


def test_paced_playback_keeps_real_time_proportions():
    recorder, stream, _ = record(tone(0.6), speed=6.0)  # 0.6 s of audio in about 0.1 s
    assert stream.played.wait(10)
    recording = recorder.stop()
    recorder.consumer.join(5)
    assert recording.duration >= 0.6
    assert recording.interrupted is None


def test_closing_wakes_a_reader_at_once_after_the_blocks_already_delivered():
    """The answer is over when the recorder closes: a consumer waiting for the next block hears so
    at once instead of waiting out its poll, and only after every block delivered before."""
    recorder = Recorder(stream_factory=FakeInputStream.factory(tone(0.1), speed=None))
    recorder._callback(np.ones((480, 1), dtype=np.float32), 480, None, None)
    reads: list = []
    reader = threading.Thread(target=lambda: reads.extend([recorder.read(timeout=30), recorder.read(timeout=30)]))
    reader.start()
    recorder.close()
    reader.join(5)
    assert not reader.is_alive()  # a 30 s wait cut short
    assert np.all(reads[0] == 1) and reads[1] is None
    assert recorder.queue_empty() and recorder.stop().duration == pytest.approx(480 / RATE)


def test_device_unplugged_mid_recording_keeps_what_was_captured():
    recorder, stream, _ = record(tone(3.0), speed=None, fail_at_s=1.2)
    recorder.consumer.join(10)  # the consumer ends on its own when the stream dies
    assert stream.failed and recorder.stream_failed
    recording = recorder.stop()
    assert recording.duration == pytest.approx(1.2, abs=0.03)
    assert isinstance(recording.interrupted, RecordingInterrupted)
    message = recording.interrupted.message
    assert "stopped after 1.2 s" in message and "kept what was recorded" in message and "\n" not in message


def test_portaudio_missing_names_the_package_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_portaudio(name, *args, **kwargs):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_portaudio)
    with pytest.raises(PortAudioMissingError) as caught:
        Recorder().start()
    message = caught.value.message
    assert "libportaudio2" in message and "brew install portaudio" in message and "\n" not in message


def test_no_input_device_on_this_machine_is_a_clear_error(sounddevice):
    try:
        sounddevice.query_devices(kind="input")
    except Exception:
        pass
    else:
        pytest.skip("this machine has an input device, so opening the default one succeeds")
    with pytest.raises(NoInputDeviceError) as caught:
        Recorder().start()
    assert "no microphone found" in caught.value.message


@pytest.mark.parametrize("text, kind", [
    ("Error opening InputStream: Device unavailable [PaErrorCode -9985]", DeviceBusyError),
    ("Error opening InputStream: Invalid device [PaErrorCode -9996]", NoInputDeviceError),
    ("Error querying device -1", NoInputDeviceError),
    ("No input device matching 'USB mic'", NoInputDeviceError),
    ("Error starting stream: Unanticipated host error [PaErrorCode -9999]", VoiceError),
])
def test_portaudio_errors_map_to_fixes(sounddevice, text, kind):
    def failing_stream(**kwargs):
        raise sounddevice.PortAudioError(text) if "Pa" in text or "querying" in text else ValueError(text)

    with pytest.raises(kind) as caught:
        Recorder(device="USB mic", stream_factory=failing_stream).start()
    assert type(caught.value) is kind
    assert "USB mic" in caught.value.message and "\n" not in caught.value.message
    assert device_error(ValueError(text), None).message.count("default input device") == 1


def test_real_capture_through_portaudio_from_a_null_sink_monitor(null_sink, tmp_path):
    import subprocess

    from interviewer.voice.segmenter import SpeechDetector
    from interviewer.voice.stt import read_audio

    speech = read_audio(Path(__file__).resolve().parent / "fixtures" / "speech" / "webhook_retries.flac")[:4 * RATE]
    clip = tmp_path / "clip.wav"
    import wave

    with wave.open(str(clip), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(RATE)
        out.writeframes((speech * 32767).astype("<i2").tobytes())
    recorder = Recorder(device="pulse")
    recorder.start()
    consumer = threading.Thread(target=recorder.pump)
    consumer.start()
    subprocess.run(["paplay", f"--device={null_sink}", str(clip)], check=True, timeout=30)
    recording = recorder.stop()
    consumer.join(5)
    assert recording.interrupted is None
    assert recording.duration >= 3.9
    assert float(np.abs(recording.audio).max()) > 0.1
    speech_share = (SpeechDetector().feed(recording.audio) > 0.5).mean()
    assert speech_share > 0.5  # the played answer came back as speech, not silence
