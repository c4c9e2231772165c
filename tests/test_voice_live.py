"""Live transcription through the real capture path: a fake input stream plays synthesised
answers into a `Recorder`, whose consumer feeds the `LiveTranscriber`, as a microphone would."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from interviewer.voice import stt
from interviewer.voice.capture import Recorder
from interviewer.voice.fake_stream import FakeInputStream
from interviewer.voice.accuracy import word_error_rate
from interviewer.voice.live import LiveTranscriber
from interviewer.voice.refine_ahead import REFINE_WINDOW_S
from interviewer.voice.segmenter import SegmenterOptions, Segmenter, SpeechDetector

SPEECH = Path(__file__).resolve().parent / "fixtures" / "speech"
RATE = 16_000


@pytest.fixture(scope="module")
def model(whisper_model):
    return whisper_model  # loaded once per run (conftest)


@pytest.fixture(scope="module")
def clips():
    return {name: stt.read_audio(SPEECH / f"{name}.flac") for name in ("webhook_retries", "lru_pause", "fillers")}


def test_long_answer_is_transcribed_while_spoken_and_leaves_only_a_tail(model, clips):
    # Three answers back to back (about 72 s), then the key is released mid-sentence ("Every
    # event goes onto Kafka" cut at 2.3 s), so a tail is left to transcribe.
    last = clips["lru_pause"]
    cut_short = clips["webhook_retries"][:int(2.3 * RATE)]
    audio = np.concatenate([clips["webhook_retries"], clips["fillers"], last, cut_short])
    second_starts = len(clips["webhook_retries"]) / RATE
    third_starts = second_starts + len(clips["fillers"]) / RATE
    captions: list[str] = []
    factory = FakeInputStream.factory(audio, speed=None)
    live = LiveTranscriber(model, on_caption=captions.append)
    live.start(Recorder(stream_factory=factory))
    assert factory.stream.played.wait(30)
    assert live.wait_caught_up(300)
    captions_before_release = list(captions)
    result = live.finish()

    assert live.recording.interrupted is None
    assert live.recording.duration == pytest.approx(len(audio) / RATE, abs=0.05)
    assert result.duration == pytest.approx(len(audio) / RATE, abs=0.05)
    # Most of the answer was transcribed during capture; release had only the last words left.
    assert live.pieces_live >= 8
    assert 0 < live.tail_s <= SegmenterOptions().max_piece_s
    # Captions arrive piece by piece, again whenever earlier pieces are revised. Counted after release: a
    # revision still queued when capture caught up may run (and caption) before the key is released.
    assert len(captions) == live.pieces_live + live.revisions
    assert "jitter" in captions_before_release[-1].lower() and "doubly" in captions_before_release[-1].lower()
    text = result.text.lower()
    for word in ("jitter", "dashboard", "you know", "sort of", "doubly", "capacity"):
        assert word in text, f"{word!r} missing from {result.text!r}"
    # Word times are on the recording's clock, not each piece's.
    words = result.words
    assert all(a.start <= b.start for a, b in zip(words, words[1:]))
    assert 8 < next(w for w in words if "jitter" in w.text.lower()).start < second_starts
    assert second_starts < next(w for w in words if w.text.lower().startswith("traffic")).start < third_starts
    assert next(w for w in words if "capacity" in w.text.lower()).start > third_starts + 10
    assert words[-1].end <= result.duration + 0.1
    assert words[-1].start > third_starts + len(last) / RATE  # the tail's words

    # The refinement hears only the last window again: what came before it is the live text.
    refined = live.refine()
    window_start = len(audio) / RATE - REFINE_WINDOW_S
    assert window_start - 0.5 <= live.refined_from_s <= window_start + SegmenterOptions().max_piece_s
    before = [w for w in words if w.end < window_start - 1]
    assert before and refined.words[:len(before)] == before
    assert all(a.start <= b.start for a, b in zip(refined.words, refined.words[1:]))
    assert "capacity" in refined.text.lower() and "jitter" in refined.text.lower()
    assert refined.duration == result.duration and live.refine_s > 0


def test_refining_an_answer_that_fits_one_window_gives_the_whole_recording_text(model, clips):
    audio = clips["lru_pause"]  # 20 s
    live = LiveTranscriber(model, hotwords="LRU, hashmap")
    for i in range(0, len(audio), 1600):
        live.feed(audio[i:i + 1600])
    live.finish()
    refined = live.refine()
    whole = model.transcribe(audio, hotwords="LRU, hashmap")
    assert live.refined_from_s == 0.0  # heard again from the first word to the last, in one pass
    # The same text to within a word or two: int8 on a busy CPU can tip the beam from run to run.
    assert word_error_rate(whole.text, refined.text) <= 0.06, (refined.text, whole.text)
    assert refined.words[0].start < 1.0 and refined.words[-1].end > len(audio) / RATE - 1.5


def test_refine_before_finish_is_a_mistake(model):
    with pytest.raises(RuntimeError, match="finish"):
        LiveTranscriber(model).refine()


def test_microphone_failing_mid_answer_keeps_the_words_before_it(model, clips):
    factory = FakeInputStream.factory(clips["webhook_retries"], speed=None, fail_at_s=13.0)
    live = LiveTranscriber(model)
    live.start(Recorder(stream_factory=factory))
    assert factory.stream.ended.wait(30)
    result = live.finish()
    assert live.recording.interrupted is not None
    assert "stopped after 13.0 s" in live.recording.interrupted.message
    assert live.recording.duration == pytest.approx(13.0, abs=0.03)
    assert "callback" in result.text.lower() and "replay" not in result.text.lower()


def test_cancel_returns_at_once_and_keeps_nothing(model, clips):
    factory = FakeInputStream.factory(clips["fillers"], speed=None)
    live = LiveTranscriber(model)
    live.start(Recorder(stream_factory=factory))
    live.cancel()
    assert live.recorder.stream_failed is False


def test_detector_scores_match_one_pass_over_the_whole_recording(clips):
    from faster_whisper.vad import get_vad_model

    audio = clips["lru_pause"]
    whole = get_vad_model()(np.pad(audio, (0, 512 - len(audio) % 512))).reshape(-1)
    detector = SpeechDetector()
    streamed = np.concatenate([detector.feed(audio[i:i + 480]) for i in range(0, len(audio), 480)])
    assert np.allclose(streamed, whole[:len(streamed)], atol=1e-5)


def test_segmenter_cuts_in_pauses_and_bounds_long_speech():
    options = SegmenterOptions()
    windows_per_s = RATE / 512
    speech, pause = [0.9] * int(3 * windows_per_s), [0.05] * int(0.6 * windows_per_s)
    segmenter = Segmenter(options)
    pieces = segmenter.push([0.0] * int(2 * windows_per_s) + speech + pause + speech + pause)
    assert len(pieces) == 2
    first, second = pieces
    assert first.start == pytest.approx((2 - options.lead_s) * RATE, abs=512)  # leading silence trimmed
    # The cut falls inside the pause; only silence lies between the pieces.
    assert (2 + 3) * RATE < first.end <= second.start < (2 + 3 + 0.6) * RATE
    assert first.speech_s == pytest.approx(3.0, abs=0.05)
    assert segmenter.finish(segmenter.open_start + RATE) is None  # only silence after the last pause
    # Twenty seconds without a pause are cut at the quietest moment, never later than max_piece_s.
    bounded = Segmenter(options)
    long_speech = [0.9 if i % 40 else 0.6 for i in range(int(20 * windows_per_s))]
    cuts = bounded.push(long_speech)
    assert cuts and all((p.end - p.start) / RATE <= options.max_piece_s + 0.05 for p in cuts)
    assert all(long_speech[p.end // 512] == 0.6 for p in cuts)
    assert bounded.finish(len(long_speech) * 512).speech_s > 0
