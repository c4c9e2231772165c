"""The interviewer speaking in a voice round, as a candidate meets it: the opening question is
heard (Whisper transcribes what reached the output), F6 mutes, F7 replays, talking cuts the
interviewer off, and the transcript keeps when it spoke. Real Piper, real Whisper; the output is a
stream that keeps the audio instead of playing it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from test_tui import SIZE, saved, settle

from interviewer.services import build_services
from interviewer.transcript import load_transcript
from interviewer.tui.app import InterviewerApp
from interviewer.voice import stt, tts
from interviewer.voice.accuracy import word_error_rate
from interviewer.voice.fake_stream import FakeInputStream, FakeOutputStream
from interviewer.voice.speakable import speakable

pytestmark = pytest.mark.asyncio
SPEECH = Path(__file__).resolve().parent / "fixtures" / "speech"


@pytest.fixture(scope="module")
def model(whisper_model):
    return whisper_model  # loaded once per run (conftest)


@pytest.fixture(scope="module")
def voice(piper_voice):
    return piper_voice  # loaded once per run (conftest)


def speaking_app(tmp_path, model, voice, kept, speed=None, voice_mode=True, **settings):
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    settings.setdefault("refine", False)
    for name, value in settings.items():
        setattr(services.settings.voice, name, value)
    stream = FakeInputStream.factory(SPEECH / "lru_pause.flac", speed=None)
    return InterviewerApp(services, start="practice", round_id="system-design", problem_id="webhook-delivery",
                          voice=voice_mode, voice_stream=stream, speech_model=model,
                          voice_output=FakeOutputStream.factory(kept, speed=speed), interviewer_voice=voice), stream


async def said(pilot) -> None:
    """Wait until the interviewer has said everything queued, and the reports are handled."""
    speaker = pilot.app.screen._speaker
    assert await asyncio.to_thread(speaker.wait_idle, 120)
    await settle(pilot)


def speech_events(path):
    return [e for e in load_transcript(path).events if e["kind"] == "interviewer_speech"]


async def test_the_opening_question_is_spoken_and_heard_back(tmp_path, model, voice):
    kept: list = []
    app, _ = speaking_app(tmp_path, model, voice, kept)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await said(pilot)
        screen = app.screen
        assert screen.check_action("mute", ()) and screen.check_action("replay", ())
        assert "F6 mute" in str(screen.query_one("#voice").render())
        opening = screen.session.history[-1][1]
    [stream] = kept
    heard = model.transcribe(stt.read_audio(tts.write_wav(tmp_path / "o.wav", stream.audio, voice.sample_rate))).text
    assert word_error_rate(speakable(opening), heard) <= 0.2, (opening, heard)
    [event] = speech_events(saved(tmp_path)[0])
    assert event["how"] == "ended" and event["ended_t"] >= event["started_t"]
    assert event["spoken_s"] == pytest.approx(len(stream.audio) / voice.sample_rate, abs=0.01)
    assert event["first_audio_s"] < 10


async def test_mute_stops_the_voice_and_replay_says_the_reply_again(tmp_path, model, voice):
    kept: list = []
    app, _ = speaking_app(tmp_path, model, voice, kept, speed=1.0)  # paced: still talking when muted
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert await asyncio.to_thread(lambda: screen._speaker is not None and screen._speaker.speaking.wait(60))
        await pilot.press("f6")
        await said(pilot)
        assert kept[0].aborted, (kept, [(s.samples, s.aborted, s.closed) for s in kept], app._notifications)
        await pilot.press("f7")  # replay unmutes and says the whole reply
        await settle(pilot)
        assert await asyncio.to_thread(screen._speaker.speaking.wait, 60)
        await pilot.press("f6")
        await said(pilot)
    assert len(kept) == 2
    assert [e["how"] for e in speech_events(saved(tmp_path)[0])] == ["muted", "muted"]


async def test_talking_cuts_the_interviewer_off_and_the_answer_is_timed_from_there(tmp_path, model, voice):
    kept: list = []
    app, stream = speaking_app(tmp_path, model, voice, kept, speed=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert await asyncio.to_thread(lambda: screen._speaker is not None and screen._speaker.speaking.wait(60))
        await pilot.press("f8")  # the candidate starts answering while the interviewer talks
        await settle(pilot)
        assert not screen._speaker.speaking.is_set() and kept[0].aborted
        assert screen.query_one("#voice").state == "recording"
        assert await asyncio.to_thread(lambda: stream.stream.played.wait(60))
        await pilot.press("f8")
        await settle(pilot, 6)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await said(pilot)  # the interviewer's next reply is said in full
    path = saved(tmp_path)[0]
    events = speech_events(path)
    assert [e["how"] for e in events] == ["barge-in", "ended"]
    [delivery] = [e for e in load_transcript(path).events if e["kind"] == "delivery"]
    assert delivery["after_speech"] is False  # counted from the text: the interviewer never finished


async def test_a_text_interview_never_speaks(tmp_path, model, voice):
    kept: list = []
    app, _ = speaking_app(tmp_path, model, voice, kept, voice_mode=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen._speaker is None and not app.screen.check_action("mute", ())
        box = app.screen.query_one("#answer")
        box.text = "one line"
        await pilot.press("f7")  # the answer box keeps its own F7: select all
        assert box.selected_text == "one line"
    assert kept == [] and speech_events(saved(tmp_path)[0]) == []
