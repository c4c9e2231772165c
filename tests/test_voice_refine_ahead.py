"""Refining a hands-free answer during the silence countdown: the speculative pass, its
generations, and what the end of the turn uses. The live transcriber runs its real threads; the
speech detector and the recogniser are stand-ins that read the synthetic audio (a word is a run
of one non-zero value), and passes are held and released with events, never timed."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from interviewer.voice.listening import AHEAD_AFTER_S, TurnWatch
from interviewer.voice.live import LiveTranscriber
from interviewer.voice.refine_ahead import Heard, RefineAhead, Window, plan
from interviewer.voice.segmenter import SAMPLE_RATE, WINDOW
from interviewer.voice.transcription import Segment, Transcription, Word
from interviewer.voice.turns import WINDOW_S

BLOCK = WINDOW * 3  # about 0.1 s, as a recorder delivers it


class WordDetector:
    """Speech wherever the audio is not silent: 0.9 for a window with sound, 0.02 without."""

    def __init__(self) -> None:
        self._pending = np.zeros(0, dtype=np.float32)

    def feed(self, samples: np.ndarray) -> np.ndarray:
        data = np.concatenate([self._pending, samples])
        whole = len(data) // WINDOW * WINDOW
        self._pending = data[whole:]
        windows = data[:whole].reshape(-1, WINDOW)
        return np.where(np.abs(windows).max(axis=1) > 0, 0.9, 0.02).astype(np.float32)


class Recogniser:
    """Hears word k where the audio holds the value k/1000, tagging each word with the number of
    the call that heard it. `hold()` makes the next calls wait for `release()`."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, float]] = []  # (seconds heard, peak value) per call
        self.beams: list[int] = []  # the beam each call decoded with
        self.started = threading.Semaphore(0)
        self.failures = 0  # calls still to fail, as a decoder fault would
        self.pace = 0.0  # seconds of recognition it reports per second of audio
        self._gate = threading.Event()
        self._gate.set()

    def hold(self) -> None:
        self._gate.clear()

    def release(self) -> None:
        self._gate.set()

    def transcribe(self, audio, prompt=None, hotwords=None, beam_size=5, **_) -> Transcription:
        call = len(self.calls) + 1
        self.calls.append((len(audio) / SAMPLE_RATE, float(np.abs(audio).max(initial=0.0))))
        self.beams.append(beam_size)
        self.started.release()
        self._gate.wait()
        if self.failures:
            self.failures -= 1
            raise RuntimeError("decoder fault")
        codes = np.rint(np.asarray(audio) * 1000).astype(int)
        edges = np.flatnonzero(np.diff(np.concatenate([[0], codes, [0]])))
        segments = []
        for start, end in zip(edges[:-1], edges[1:]):
            if codes[start]:
                word = Word(f"w{codes[start]}.{call}", start / SAMPLE_RATE, end / SAMPLE_RATE, 1.0)
                segments.append(Segment(word.text, word.start, word.end, (word,)))
        return Transcription(" ".join(s.text for s in segments), segments, duration=len(audio) / SAMPLE_RATE,
                             processing_s=self.pace * len(audio) / SAMPLE_RATE)


def word(k: int, seconds: float) -> np.ndarray:
    return np.full(round(seconds * SAMPLE_RATE), k / 1000, dtype=np.float32)


def quiet(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)


def feed(live: LiveTranscriber, audio: np.ndarray) -> None:
    for start in range(0, len(audio), BLOCK):
        live.feed(audio[start:start + BLOCK])


@pytest.fixture
def answer():
    """A live transcriber driven by a turn watch, as in a hands-free turn."""
    recogniser = Recogniser()
    ended = threading.Event()
    watch = TurnWatch(on_end=lambda decision: ended.set())
    live = LiveTranscriber(recogniser, detector=WordDetector(), on_scores=watch.scores,
                           on_caption=lambda text: watch.caption(text, live.captioned_s))
    watch.on_pause, watch.on_resume = live.refine_ahead, live.drop_ahead
    yield live, watch, recogniser, ended
    live.cancel()


def tags(transcription: Transcription) -> set[str]:
    return {w.text.split(".")[1] for w in transcription.words}


# A piece closes after 0.5 s of silence, or 0.25 s once it is longer than 4 s: either way after
# the pause has asked for the pass ahead, so the piece takes that pass's words.
@pytest.mark.parametrize("said_s", [0.8, 2.5])
def test_the_pause_is_refined_ahead_and_the_end_of_the_turn_uses_it(answer, said_s):
    live, watch, recogniser, ended = answer
    feed(live, np.concatenate([word(1, said_s), quiet(0.1), word(2, said_s), quiet(0.15)]))
    assert watch.pauses == 0 and live.ahead.requests == 0  # 0.15 s is not yet a pause
    feed(live, quiet(1.6))
    assert live.wait_caught_up(10) and ended.wait(10)
    assert watch.pauses == 1 and live.ahead.delivered == 1
    # One pass heard the whole answer; the piece that closed inside it took its words.
    assert len(recogniser.calls) == 1 and recogniser.calls[0][0] >= 2 * said_s + 0.1 + AHEAD_AFTER_S
    quick = live.finish()
    refined = live.refine()
    assert live.refined_ahead and len(recogniser.calls) == 1
    assert refined.text == quick.text == "w1.1 w2.1"


def test_speaking_again_drops_the_pass_under_way_and_the_next_pause_starts_another(answer):
    live, watch, recogniser, ended = answer
    recogniser.hold()
    feed(live, np.concatenate([word(1, 0.8), quiet(0.45)]))
    assert recogniser.started.acquire(timeout=10)  # the pass ahead is running, held
    feed(live, np.concatenate([quiet(0.2), word(2, 0.8), quiet(0.1)]))  # the candidate goes on
    recogniser.release()
    feed(live, quiet(1.8))
    assert live.wait_caught_up(10) and ended.wait(10)
    assert watch.pauses == 2 and live.ahead.requests == 2
    assert live.ahead.discarded == 1 and live.ahead.delivered == 1
    live.finish()
    refined = live.refine()
    assert live.refined_ahead
    # The dropped pass (call 1) is not the answer's text: "w2" comes from the last pass ahead. "w1", whose piece
    # closed inside both passes' audio, took the words of whichever it met first (the dropped pass, or the last
    # pass ahead when the worker ran that first), and needed no pass of its own.
    first, second = refined.text.split()
    assert first in ("w1.1", "w1.2") and second == "w2.2" and len(recogniser.calls) == 2


def test_the_text_heard_ahead_is_reported_as_refine_will_give_it_and_voided_by_new_speech(answer):
    """What a reply can be worked out from during the countdown (see `reply_ahead`)."""
    live, watch, recogniser, ended = answer
    reported: list = []
    live.on_ahead = reported.append
    recogniser.hold()
    feed(live, np.concatenate([word(1, 0.8), quiet(0.45)]))
    assert recogniser.started.acquire(timeout=10)
    feed(live, np.concatenate([quiet(0.2), word(2, 0.8), quiet(0.1)]))  # spoken over: the pass is dropped
    recogniser.release()
    feed(live, quiet(1.8))
    assert live.wait_caught_up(10) and ended.wait(10)
    live.finish()
    refined = live.refine()
    assert live.refined_ahead and reported == [None, refined.text]  # the dropped pass reported nothing


def test_speech_after_the_audio_heard_ahead_means_refining_afresh(answer):
    live, watch, recogniser, _ = answer
    watch.on_resume = None  # only the transcriber's own check is left to catch the new speech
    feed(live, np.concatenate([word(1, 0.8), quiet(0.6)]))
    assert live.wait_caught_up(10) and live.ahead.delivered == 1
    feed(live, np.concatenate([word(2, 0.8), quiet(0.2)]))
    live.finish()
    calls = len(recogniser.calls)
    refined = live.refine()
    assert not live.refined_ahead and len(recogniser.calls) == calls + 1
    assert refined.text == f"w1.{calls + 1} w2.{calls + 1}"


def test_a_pass_ahead_that_fails_is_only_a_lost_head_start(answer):
    live, _, recogniser, _ = answer
    recogniser.failures = 1
    feed(live, np.concatenate([word(1, 0.8), quiet(0.6)]))
    assert live.wait_caught_up(10)
    assert live.ahead.requests == 1 and live.ahead.delivered == 0
    live.finish()  # the pieces' own pass went on as usual
    refined = live.refine()
    assert not live.refined_ahead and refined.text == f"w1.{len(recogniser.calls)}"


@pytest.mark.parametrize("pace, refined_ahead", [(0.1, True), (2.0, False)])
def test_a_pass_that_cannot_end_within_the_countdown_is_not_started(answer, pace, refined_ahead):
    live, watch, recogniser, ended = answer
    recogniser.pace = pace  # 2.0: the answer's own passes took twice as long as the audio
    feed(live, np.concatenate([word(1, 0.8), quiet(0.6)]))  # a first pause: the pace is not known yet
    assert live.wait_caught_up(10) and live.ahead.requests == 1 and live.pace == pytest.approx(pace)
    feed(live, np.concatenate([word(2, 0.8), quiet(1.6)]))
    assert live.wait_caught_up(10) and ended.wait(10) and watch.pauses == 2
    # The second pass would hear about 2.5 s: 5 s at a pace of 2, more than the countdown left.
    assert live.ahead.requests == (2 if refined_ahead else 1) and live.ahead.skipped == (0 if refined_ahead else 1)
    live.finish()
    refined = live.refine()
    last = len(recogniser.calls)
    assert live.refined_ahead == refined_ahead
    # Heard ahead, the second pause's pass heard only "w2" (w1 keeps the words of the first pause's pass, which
    # its piece took); refined after the turn, the whole answer is heard again in one pass.
    assert refined.text == (f"w1.1 w2.{last}" if refined_ahead else f"w1.{last} w2.{last}")


def test_a_long_answer_is_heard_ahead_from_the_speech_no_pass_has_heard(answer):
    live, watch, recogniser, ended = answer
    recogniser.pace = 0.15  # seconds of recognition per second of audio
    for k in (1, 2, 3):  # three sentences, each closing its own piece; pauses refine ahead as they come
        feed(live, np.concatenate([word(k, 3.0), quiet(0.6)]))
        assert live.wait_caught_up(10)
    feed(live, np.concatenate([word(4, 3.0), quiet(1.6)]))
    assert live.wait_caught_up(10) and ended.wait(10)
    # The whole answer (12 s and more) would take about 2 s at this pace, beyond the 1.15 s of countdown left
    # at the last pause: the pass heard the last sentence, still being said, and a little audio before it.
    heard_s, peak = recogniser.calls[-1]
    assert heard_s < 6.0 and peak == pytest.approx(0.004)
    live.finish()
    refined = live.refine()
    assert live.refined_ahead and live.ahead.skipped == 0
    # Earlier sentences keep the text of their own passes; the last one has the pass ahead's.
    assert [w.text.split(".")[0] for w in refined.words] == ["w1", "w2", "w3", "w4"]
    assert refined.words[-1].text == f"w4.{len(recogniser.calls)}"


def test_the_window_starts_no_later_than_the_first_piece_without_text():
    starts = [0, 3 * SAMPLE_RATE, 6 * SAMPLE_RATE, 9 * SAMPLE_RATE]
    assert plan(starts, 12 * SAMPLE_RATE, 13 * SAMPLE_RATE, window_s=4.0).first == 3
    assert plan(starts, 12 * SAMPLE_RATE, 13 * SAMPLE_RATE, window_s=4.0, known=1).first == 1
    assert plan(starts, 12 * SAMPLE_RATE, 13 * SAMPLE_RATE).first == 0  # the whole answer fits in 28 s


def test_ending_the_turn_before_the_pause_refines_after_it_as_before(answer):
    live, watch, recogniser, _ = answer
    feed(live, np.concatenate([word(1, 0.8), quiet(0.15)]))
    live.finish()
    calls = len(recogniser.calls)
    refined = live.refine()
    assert watch.pauses == 0 and live.ahead.requests == 0
    assert not live.refined_ahead and len(recogniser.calls) == calls + 1
    assert tags(refined) == {str(calls + 1)}


def test_no_pass_ahead_is_started_once_the_answer_is_released(answer):
    live, _, recogniser, _ = answer
    feed(live, word(1, 0.8))
    live.finish()
    live.refine_ahead()
    assert live.ahead.requests == 0


def scores(seconds: float, score: float) -> list[float]:
    return [score] * round(seconds / WINDOW_S)


def test_the_turn_watch_reports_each_pause_once_and_each_resumption():
    calls = []
    watch = TurnWatch(ahead_after_s=0.4)
    watch.on_pause, watch.on_resume = lambda left: calls.append(("pause", left)), lambda: calls.append("resume")
    watch.scores(scores(0.1, 0.9))  # a click: not an answer, so no pause
    watch.scores(scores(0.6, 0.02))
    assert calls == []
    watch.scores(scores(1.0, 0.9))
    watch.scores(scores(0.3, 0.02))
    assert calls == []
    watch.scores(scores(0.15, 0.02))
    # No caption yet, so the longer wait (2.5 s) applies; the pass is sized to the plain countdown (1.4 s) less
    # the pause so far, since its text is what lets the caption catch up and the turn end on time.
    [(_, left)] = calls
    assert left == pytest.approx(1.4 - 14 * WINDOW_S)
    watch.keep_talking()
    watch.scores(scores(2.0, 0.02))  # held: still the same pause
    assert len(calls) == 1
    watch.scores(scores(0.5, 0.9))
    watch.scores(scores(0.5, 0.02))
    assert [c if isinstance(c, str) else c[0] for c in calls] == ["pause", "resume", "pause"]


def heard(generation: int, end: int, begin: int = 0) -> Heard:
    return Heard(Window(0, begin, end), Transcription("w"), 0.1, generation)


def test_a_pass_delivered_after_a_cancel_or_a_newer_request_is_dropped():
    ahead = RefineAhead()
    first = ahead.request(Window(0, 0, 16_000))
    assert ahead.claim() == (first, Window(0, 0, 16_000)) and ahead.claim() is None
    ahead.cancel()
    assert not ahead.deliver(heard(first, 16_000)) and ahead.take(0) is None
    second = ahead.request(Window(0, 0, 32_000))
    third = ahead.request(Window(1, 8_000, 40_000, 16_000))  # supersedes the one not yet run
    assert ahead.claim() == (third, Window(1, 8_000, 40_000, 16_000))
    assert not ahead.deliver(heard(second, 32_000))
    assert ahead.deliver(heard(third, 40_000))
    assert ahead.take(last_speech=39_000) is not None
    assert ahead.take(last_speech=40_001) is None  # speech it did not hear
    assert ahead.take(last_speech=0, start=0) is not None
    assert (ahead.delivered, ahead.discarded) == (1, 2)


def test_the_window_is_the_whole_answer_or_the_last_pieces_that_fit():
    assert plan([], 0, 5_000) == Window(0, 0, 5_000)
    assert plan([0, 10 * SAMPLE_RATE], 20 * SAMPLE_RATE, 21 * SAMPLE_RATE) == Window(0, 0, 21 * SAMPLE_RATE)
    starts = [0, 10 * SAMPLE_RATE, 20 * SAMPLE_RATE, 30 * SAMPLE_RATE]
    window = plan(starts, 40 * SAMPLE_RATE, 41 * SAMPLE_RATE)
    assert window.first == 2 and window.begin == 18 * SAMPLE_RATE


def test_a_dropped_pass_still_serves_the_pieces_said_inside_its_audio():
    ahead = RefineAhead()
    first = ahead.request(Window(0, 8_000, 40_000))
    ahead.cancel()  # the candidate went on talking
    assert not ahead.deliver(heard(first, 40_000, begin=8_000))
    assert ahead.take(0) is None  # not the answer's text ...
    assert ahead.covering(8_000, 39_000) is not None  # ... but a piece inside it can take its words
    assert ahead.covering(4_000, 39_000) is None and ahead.covering(8_000, 41_000) is None


@pytest.mark.parametrize(("said_s", "beam"), [(3.0, 5), (9.0, 1)])
def test_a_long_stretch_heard_in_a_pause_is_decoded_greedily_as_at_release(answer, said_s, beam):
    live, watch, recogniser, ended = answer
    feed(live, np.concatenate([word(1, said_s), quiet(1.6)]))
    assert live.wait_caught_up(10) and ended.wait(10)
    assert live.ahead.delivered == 1 and recogniser.beams == [beam]
