"""Hands-free turns and barge-in on real parts: a private PulseAudio server whose null sink is the
candidate's microphone, Piper saying both the candidate's answers and the interviewer's replies,
Silero (faster-whisper's VAD) and Whisper listening. Nothing is mocked; waits poll the audio
process with a deadline, since it runs in real time."""

from __future__ import annotations

import subprocess
import threading
import time

import numpy as np
import pytest

from interviewer.voice import tts
from interviewer.voice.accuracy import word_error_rate
from interviewer.voice.capture import Recorder
from interviewer.voice.listening import BargeInWatch, TurnWatch
from interviewer.voice.live import LiveTranscriber
from interviewer.voice.speaker import Speaker
from interviewer.voice.turns import END_SILENCE_S

REPLY = ("Let's talk about failure modes. Suppose a receiver is down for an hour. Where do the retries wait, "
         "how long does the sender keep trying, and what does the customer see on their dashboard while it "
         "is down? Take your time and walk me through it.")


def spoken(voice, tmp_path, *parts, name="answer.wav"):
    """Piper says each text part; a number between parts is a pause of that many seconds."""
    pieces = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(voice.synthesize(part))
        else:
            pieces.append(np.zeros(int(part * voice.sample_rate), dtype=np.float32))
    return tts.write_wav(tmp_path / name, np.concatenate(pieces), voice.sample_rate)


def play(sink: str, path) -> subprocess.Popen:
    return subprocess.Popen(["paplay", f"--device={sink}", str(path)])


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_a_hands_free_turn_ends_on_silence_after_the_last_word(piper_voice, whisper_model, null_sink, tmp_path):
    # A pause of 1.8 s after "because": longer than the 1.4 s that ends a finished sentence,
    # shorter than the 2.5 s an unfinished one gets. The answer must run on through it.
    answer = spoken(piper_voice, tmp_path, "Every event goes onto a durable queue first, because", 1.8,
                    "a receiver can be down for hours, and we retry for up to a day.")
    said = "Every event goes onto a durable queue first, because a receiver can be down for hours, and we retry for up to a day."
    ended = threading.Event()
    decisions = []
    watch = TurnWatch(on_end=lambda decision: (decisions.append(decision), ended.set()))
    live = LiveTranscriber(whisper_model, on_scores=watch.scores,
                           on_caption=lambda text: watch.caption(text, live.captioned_s))
    live.start(Recorder(device="pulse"))
    try:
        player = play(null_sink, answer)
        assert player.wait(30) == 0
        assert ended.wait(15), watch.decision()
    finally:
        result = live.finish()
    [decision] = decisions
    assert decision.reason == "silence", (decision, live.text)
    assert word_error_rate(said, result.text) <= 0.25, result.text  # tiny.en: "cue" for "queue" and the like
    assert "retry" in result.text.lower() and "day" in result.text.lower()  # it went on past the pause
    # On the recording's clock: from Whisper's last word to the end of the turn (Whisper's word
    # ends can run a few hundred milliseconds past the speech the detector heard).
    last_word = result.words[-1].end
    assert 1.0 <= decision.at_s - last_word <= 2.0, (decision, last_word)
    assert decision.silence_s == pytest.approx(END_SILENCE_S, abs=0.05)
    assert decision.at_s < live.captured_s  # it ended while the microphone was still open


def test_speech_over_the_interviewer_stops_playback(piper_voice, headphones, tmp_path):
    interruption = spoken(piper_voice, tmp_path, "Sorry, can I stop you there?", name="interruption.wav")
    events: list = []
    speaker = Speaker(piper_voice, device="pulse", on_event=events.append)
    fired = threading.Event()

    def barged(watch):
        speaker.stop("barge-in")
        fired.set()

    watch = BargeInWatch(Recorder(device="pulse"), speaker.played_rms, on_barge_in=barged)
    watch.start()
    try:
        speaker.finish_reply(REPLY)
        assert speaker.speaking.wait(30)
        assert wait_for(lambda: speaker.played_rms() > 0 and len(events) >= 1, 10)
        # Two seconds into the reply (real time: the interviewer is talking), the candidate speaks.
        assert wait_for(lambda: time.monotonic() - events[0].at >= 2.0, 10)
        assert not fired.is_set(), "fired before the candidate spoke"
        onset = time.monotonic()
        player = play(headphones, interruption)
        assert fired.wait(10), (watch.detector, events)
        assert speaker.wait_idle(10)
        player.wait(30)
    finally:
        speaker.close()
        recorder, preroll = watch.hand_over()
        recorder.close()
    stopped = [e for e in events if e.kind == "stopped"]
    assert [e.reason for e in stopped] == ["barge-in"], events
    assert stopped[0].spoken_s < 8  # cut off, not played to the end
    assert watch.onset_at - onset < 0.6, watch.onset_at - onset  # heard as speech once it reached the microphone
    assert stopped[0].at - onset < 1.0, (watch.fired_at - onset, stopped[0].at - onset)  # onset to playback stopped
    assert len(preroll) > 0.5 * 16_000  # the words that fired it are kept for the answer
