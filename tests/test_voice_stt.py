"""Local transcription with the bundled tiny.en on real (synthesised) speech: the model, the
device choice, where models come from, and delivery metrics on a recording with a known pause."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from interviewer.voice import stt
from interviewer.voice.errors import AudioFileError, SpeechModelError
from interviewer.voice.metrics import delivery_metrics

SPEECH = Path(__file__).resolve().parent / "fixtures" / "speech"


@pytest.fixture(scope="module")
def loaded():
    """The model, loaded once, in a worker thread as the app does, with its progress reports."""
    stages: list[tuple[str, str]] = []
    box: dict = {}

    def work():
        box["model"] = stt.load(progress=lambda stage, detail: stages.append((stage, detail)))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(120)
    return box["model"], stages


@pytest.fixture(scope="module")
def model(loaded):
    return loaded[0]


def test_loading_reports_each_stage_from_a_worker_thread(loaded):
    model, stages = loaded
    assert [stage for stage, _ in stages] == list(stt.STAGES)
    assert stages[0][1] == "tiny.en" and "cpu (int8)" in stages[1][1]
    assert (model.name, model.device, model.compute_type) == ("tiny.en", "cpu", "int8")
    assert model.load_s > 0


def test_transcribes_a_jargon_heavy_answer(model):
    audio = stt.read_audio(SPEECH / "webhook_retries.flac")
    result = model.transcribe(audio)
    text = result.text.lower()
    for word in ("kafka", "jitter", "signature", "dashboard", "replay", "callback"):
        assert word in text, f"{word!r} missing from {result.text!r}"
    assert result.duration == pytest.approx(len(audio) / 16_000)
    assert result.language == "en" and result.processing_s > 0
    words = result.words
    assert len(words) > 60
    assert all(0 <= w.start <= w.end <= result.duration + 0.1 and 0 <= w.probability <= 1 for w in words)
    assert all(a.start <= b.start for a, b in zip(words, words[1:]))
    assert result.to_dict()["segments"][0]["words"][0]["text"] == words[0].text


def test_silence_is_not_heard_as_words(model):
    import numpy as np

    assert model.transcribe(np.zeros(16_000 * 3, dtype=np.float32)).text == ""


def test_metrics_from_a_recording_with_a_known_pause(model):
    # lru_pause: 1.2 s of silence before the first word, and a 2.6 s pause after the first sentence.
    result = model.transcribe(stt.read_audio(SPEECH / "lru_pause.flac"))
    metrics = delivery_metrics(result.words, question_offset_s=3.0, duration_s=result.duration)
    assert metrics.long_pauses == 1
    assert 2.2 <= metrics.longest_pause_s <= 3.4
    assert metrics.time_to_first_word_s == pytest.approx(3.0 + 1.2, abs=0.4)
    assert 120 <= metrics.words_per_minute <= 220  # espeak-ng speaks at 165 words a minute


def test_fillers_survive_transcription(model):
    result = model.transcribe(stt.read_audio(SPEECH / "fillers.flac"))
    counts = delivery_metrics(result.words).fillers
    assert counts.get("um", 0) + counts.get("uh", 0) >= 2, result.text
    assert counts.get("you know") == 1 and counts.get("sort of") == 1, result.text


@pytest.mark.parametrize("count, device, compute, expected", [
    (0, "auto", "auto", ("cpu", "int8")),
    (1, "auto", "auto", ("cuda", "float16")),
    (1, "cpu", "auto", ("cpu", "int8")),
    (0, "cuda", "auto", ("cuda", "float16")),
    (1, "auto", "int8_float16", ("cuda", "int8_float16")),
    (0, "auto", "float32", ("cpu", "float32")),
])
def test_device_choice(count, device, compute, expected):
    calls = []

    def gpus() -> int:
        calls.append(1)
        return count

    assert stt.choose_device(device, compute, cuda_device_count=gpus) == expected
    assert len(calls) == (1 if device == "auto" else 0)  # an explicit device never probes CUDA


def test_unknown_device_is_refused():
    with pytest.raises(SpeechModelError, match="use auto, cpu or cuda"):
        stt.choose_device("tpu")


def test_model_sources(tmp_path, monkeypatch):
    bundled = stt.resolve_model(None)
    assert bundled.name == "tiny.en" and Path(bundled.path, "model.bin").is_file() and isinstance(bundled.path, str)
    assert stt.resolve_model("tiny.en") == bundled == stt.resolve_model("")
    folder = tmp_path / "my-model"
    folder.mkdir()
    with pytest.raises(SpeechModelError, match="no model.bin"):
        stt.resolve_model(str(folder))
    (folder / "model.bin").write_bytes(b"")
    assert stt.resolve_model(str(folder)).path == str(folder)
    with pytest.raises(SpeechModelError, match="not a model folder"):
        stt.resolve_model(str(tmp_path / "missing"))
    # A hub name must already be in the local cache: nothing is ever downloaded.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty-cache"))
    with pytest.raises(SpeechModelError) as caught:
        stt.resolve_model("base.en")
    assert "not in the local model cache" in caught.value.message and "\n" not in caught.value.message


def test_unreadable_audio_files(tmp_path):
    with pytest.raises(AudioFileError, match="no such audio file"):
        stt.read_audio(tmp_path / "nope.wav")
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"RIFF not really a wave file" * 10)
    with pytest.raises(AudioFileError, match="not a readable audio file"):
        stt.read_audio(garbage)


def test_a_stock_sign_off_at_the_end_is_dropped_and_nothing_else():
    from interviewer.voice.stt import without_sign_off
    from interviewer.voice.transcription import Segment

    answer = Segment("We stream tokens back over server-sent events.", 0.0, 3.0)
    assert without_sign_off([answer, Segment("Thank you.", 3.2, 3.8)]) == [answer]
    assert without_sign_off([answer, Segment("Thanks for watching!", 3.2, 3.8)]) == [answer]
    assert without_sign_off([Segment("Thank you for the question: the cache sits in front.", 0.0, 3.0)])[0].text.startswith("Thank")
    assert without_sign_off([answer]) == [answer]


def test_a_decoder_loop_is_cut_where_it_starts_and_nothing_after_it_is_kept():
    from interviewer.voice.stt import without_loops
    from interviewer.voice.transcription import Segment, Word

    answer = Segment("Eviction removes the tail when we reach capacity.", 0.0, 3.0)
    looped = Segment("Then longest John C C C C C C C two C", 3.0, 6.0,
                     tuple(Word(w, 3.0 + i * 0.2, 3.2 + i * 0.2, 0.5) for i, w in
                           enumerate("Then longest John C C C C C C C two C".split())))
    after = Segment("A C C C C.", 6.0, 8.0)
    assert without_loops([answer, looped, after]) == [answer, Segment("Then longest John", 3.0, 3.6, looped.words[:3])]
    assert without_loops([answer]) == [answer]
    very = Segment("That was very, very slow, so we moved it.", 0.0, 2.0)
    assert without_loops([very]) == [very]
