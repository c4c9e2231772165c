"""Voice in the app, as a new user meets it: start a voice round, hold the talk key while
speaking, see the words land in the answer box, send them, see the delivery figures.

The audio comes from a speech fixture played through the real capture, live transcription
and model code (a stream that plays a file in place of the microphone)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from test_tui import SIZE, saved, settle

from interviewer.services import build_services
from interviewer.transcript import load_transcript
from interviewer.tui.app import InterviewerApp
from interviewer.voice.accuracy import word_error_rate
from interviewer.voice.fake_stream import FakeInputStream

pytestmark = pytest.mark.asyncio
SPEECH = Path(__file__).resolve().parent / "fixtures" / "speech"


@pytest.fixture(scope="module")
def model(whisper_model):
    return whisper_model  # loaded once per run (conftest)


def voice_app(tmp_path, model, stream=None, **settings):
    """Push-to-talk with the interviewer silent (its voice is tested in test_tui_voice_replies)."""
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    settings.setdefault("speak", False)
    for name, value in settings.items():
        setattr(services.settings.voice, name, value)
    stream = stream or FakeInputStream.factory(SPEECH / "webhook_retries.flac", speed=None)
    app = InterviewerApp(services, start="practice", round_id="system-design", problem_id="webhook-delivery",
                         voice=True, voice_stream=stream, speech_model=model)
    return app, stream


async def speak(pilot, stream) -> None:
    """F8, the whole fixture is spoken, F8 again; then the transcript arrives."""
    await pilot.press("f8")
    await settle(pilot)
    assert pilot.app.screen.query_one("#voice").state == "recording"
    assert await asyncio.to_thread(lambda: stream.stream.played.wait(60))
    await pilot.press("f8")
    await settle(pilot, 6)


async def test_spoken_answer_lands_in_the_box_then_is_sent_with_delivery_figures(tmp_path, model):
    app, stream = voice_app(tmp_path, model, refine=False)  # the quick text; refining is tested below
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        panel = screen.query_one("#voice")
        assert "F8 to talk" in str(panel.render()) and "tiny.en" in str(panel.render())
        assert screen.check_action("talk", ()) is True
        await speak(pilot, stream)
        text = screen.query_one("#answer").text.lower()
        # Synthetic speech, heard by the quick pass alone: ordinary key words, not exact text. Rarer terms
        # ("idempotency") are the refining pass's job, with the round's vocabulary; that is tested below.
        for word in ("kafka", "jitter", "dashboard", "replay"):
            assert word in text, text
        assert panel.state == "ready"
        screen.query_one("#answer").text += " (edited)"  # a quick fix before sending
        await pilot.press("ctrl+s")
        await settle(pilot)
        note = str(screen.query(".delivery-note").last().render())
        assert "words/min" in note and "fillers" in note
    [path] = saved(tmp_path)
    transcript = load_transcript(path)
    [answer] = transcript.candidate_turns()
    assert answer.text.endswith("(edited)")
    [delivery] = [e for e in transcript.events if e["kind"] == "delivery"]
    assert delivery["turn"] == answer.n and 80 < delivery["words_per_minute"] < 260
    assert delivery["words"] >= 40 and "audio" not in delivery  # audio is kept only when asked


async def test_auto_send_and_kept_audio(tmp_path, model):
    app, stream = voice_app(tmp_path, model, auto_send=True, keep_audio=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await speak(pilot, stream)
        await settle(pilot)
        assert app.screen.query_one("#answer").text == ""  # sent without waiting for an edit
    [path] = saved(tmp_path)
    transcript = load_transcript(path)
    [answer] = transcript.candidate_turns()
    assert "kafka" in answer.text.lower()
    [delivery] = [e for e in transcript.events if e["kind"] == "delivery"]
    wav = path.parent / delivery["audio"]
    assert wav.exists() and wav.stat().st_size > 16_000 * 2 * 10  # over ten seconds of 16-bit audio


async def test_a_microphone_that_cannot_open_is_a_notification_and_typing_still_works(tmp_path, model):
    from interviewer.voice.capture import device_error

    def no_microphone(**kwargs):
        raise device_error(RuntimeError("Error querying device -1"))

    app, _ = voice_app(tmp_path, model, stream=no_microphone)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("no microphone found" in m for m in messages), messages
        assert app.screen.query_one("#voice").state == "ready"
        app.screen.query_one("#answer").text = "Typed instead: 10k requests a second at peak, fan out by endpoint."
        await pilot.press("ctrl+s")
        await settle(pilot)
    [path] = saved(tmp_path)
    assert len(load_transcript(path).candidate_turns()) == 1


async def test_the_refined_text_replaces_the_quick_one_unless_the_candidate_edited_it(tmp_path, model):
    clip = SPEECH / "lru_pause.flac"  # 20 s: the refinement hears it whole
    app, stream = voice_app(tmp_path, model, stream=FakeInputStream.factory(clip, speed=None))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one("#voice")
        await speak(pilot, stream)
        box = app.screen.query_one("#answer")
        recording = app.screen._spoken[1]  # the file as the microphone heard it, silence after included
        whole = model.transcribe(recording.audio, prompt=panel.prompt, hotwords=panel.hotwords)
        # What transcribing the whole recording gives (to a word or two: int8 on a busy CPU can
        # tip the beam differently from one run to the next).
        assert app.screen._spoken[0]["refined"] is True
        assert panel.state == "ready" and "F8 to talk" in str(panel.render())  # the refining notice is gone
        assert word_error_rate(whole.text, box.text) <= 0.06, (box.text, whole.text)

        # A refinement that arrives after an edit is dropped: the candidate's words win.
        box.text += " and I would evict in O(1)."
        edited = box.text
        panel.post_message(panel.TranscriptRefined(box.text, "something else entirely", {}))
        await settle(pilot)
        assert box.text == edited
        await pilot.press("ctrl+s")
        await settle(pilot)
    [path] = saved(tmp_path)
    transcript = load_transcript(path)
    [answer] = transcript.candidate_turns()
    assert answer.text == edited
    [delivery] = [e for e in transcript.events if e["kind"] == "delivery"]
    assert delivery["refined"] is True and delivery["speech_model"] == "tiny.en on cpu/int8"


async def test_auto_send_sends_the_quick_text_when_refining_fails(tmp_path, model, monkeypatch):
    from interviewer.voice.live import LiveTranscriber

    def broken(self):
        raise RuntimeError("refinement pass failed")

    monkeypatch.setattr(LiveTranscriber, "refine", broken)
    clip = SPEECH / "lru_pause.flac"
    app, stream = voice_app(tmp_path, model, auto_send=True, stream=FakeInputStream.factory(clip, speed=None))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await speak(pilot, stream)
        await settle(pilot)
        assert any("refinement pass failed" in str(n.message) for n in app._notifications)
    [path] = saved(tmp_path)
    transcript = load_transcript(path)
    [answer] = transcript.candidate_turns()
    assert "capacity" in answer.text.lower()  # the quick text went instead of nothing
    [delivery] = [e for e in transcript.events if e["kind"] == "delivery"]
    assert delivery["refined"] is False


async def test_a_failed_refinement_leaves_the_quick_text_in_the_box(tmp_path, model, monkeypatch):
    from interviewer.voice.live import LiveTranscriber

    def broken(self):
        raise RuntimeError("refinement pass failed")

    monkeypatch.setattr(LiveTranscriber, "refine", broken)
    clip = SPEECH / "lru_pause.flac"
    app, stream = voice_app(tmp_path, model, stream=FakeInputStream.factory(clip, speed=None))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await speak(pilot, stream)
        panel = app.screen.query_one("#voice")
        assert any("refinement pass failed" in str(n.message) for n in app._notifications)
        assert "capacity" in app.screen.query_one("#answer").text.lower()
        assert app.screen._spoken[0]["refined"] is False
        assert panel.state == "ready" and "F8 to talk" in str(panel.render())
