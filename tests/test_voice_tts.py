"""The interviewer's voice on real parts: the bundled Piper voice says replies, Whisper hears
them back, and what reaches the output is what was said, sentence by sentence."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from interviewer.cli import main
from interviewer.voice import stt, tts
from interviewer.voice.accuracy import word_error_rate
from interviewer.voice.errors import SpeechOutputError
from interviewer.voice.fake_stream import FakeOutputStream
from interviewer.voice.speaker import Speaker

SCRIPTS = Path(__file__).resolve().parent / "fixtures" / "speech" / "scripts"
REPLY = """## Failure modes

Good. Now **suppose** a receiver is down for an hour: what happens to its webhooks?

- Where do retries wait?
- How does the sender know when to give up?

```python
def deliver(event):
    return post(event.url, sign(event.body))
```

Walk me through `deliver` and what you'd change at 10k req/s."""
SAID = ("Failure modes. Good. Now suppose a receiver is down for an hour: what happens to its webhooks? "
        "Where do retries wait? How does the sender know when to give up? Here's the code on screen. "
        "Walk me through deliver and what you'd change at 10 thousand requests per second.")


@pytest.fixture(scope="module")
def voice(piper_voice):
    return piper_voice  # loaded once per run (conftest)


@pytest.fixture(scope="module")
def whisper(whisper_model):
    return whisper_model  # loaded once per run (conftest)


def script_text(name: str) -> str:
    lines = (SCRIPTS / f"{name}.txt").read_text().splitlines()
    return " ".join(line for line in lines if line.strip() and not line.startswith(("#", "[")))


def hear(whisper, audio: np.ndarray, rate: int, tmp_path: Path) -> str:
    """Whisper's transcript of `audio`, resampled to 16 kHz the way a recording file would be."""
    path = tts.write_wav(tmp_path / "heard.wav", audio, rate)
    return whisper.transcribe(stt.read_audio(path)).text


def test_the_bundled_voice_loads_without_any_download(voice):
    assert voice.name == "en_US-joe-medium" and voice.sample_rate == 22_050
    assert 0 < voice.load_s < 30
    source = tts.resolve_voice()
    assert source.model.is_file() and source.config.is_file()


@pytest.mark.parametrize("name", ["webhook_retries", "lru_pause", "streaming_chat"])
def test_whisper_hears_piper_speak_candidate_answers_with_a_low_word_error_rate(voice, whisper, library, tmp_path,
                                                                                name):
    """Jargon-heavy answers, primed with the round's vocabulary as the app primes them. The
    bundled tiny.en measured 0.05-0.15 word error on these (kafka heard as 'Katha' and the like)."""
    from interviewer.voice.vocabulary import priming

    header = dict(line[2:].split(":", 1) for line in (SCRIPTS / f"{name}.txt").read_text().splitlines()
                  if line.startswith("# ") and ":" in line)
    primed = priming(library.load(header["round"].strip()).rubric)
    text = script_text(name)
    # Without Piper's random variation the audio is the same every run.
    steady = tts.Voice(voice.piper, voice.name, variation=0.0)
    audio = np.concatenate([steady.synthesize(line) for line in text.split(". ")])
    path = tts.write_wav(tmp_path / "answer.wav", audio, voice.sample_rate)
    heard = whisper.transcribe(stt.read_audio(path), prompt=primed.prompt, hotwords=primed.hotwords).text
    # Even on the same audio, tiny.en's reading of lru_pause varied between runs of the suite: 0.17 alone, 0.21 in
    # two full runs, where it added words after the last one. The bound sits just above what was measured.
    assert word_error_rate(text, heard) <= 0.25, heard
    assert steady.real_time_factor < 1.0  # faster than real time on this CPU, or replies would stutter


def test_rate_and_volume(voice):
    line = "Let's talk about the write path first."
    normal = voice.synthesize(line)
    fast = tts.Voice(voice.piper, voice.name, rate=2.0, volume=0.5).synthesize(line)
    assert 0.4 < len(fast) / len(normal) < 0.75  # about half; Piper varies each phoneme's length a little
    assert float(np.abs(normal).max()) == pytest.approx(1.0, abs=0.01)  # Piper scales each sentence to full
    assert float(np.abs(fast).max()) == pytest.approx(0.5, abs=0.01)


def test_a_markdown_reply_is_spoken_as_words_and_heard_back(voice, whisper, tmp_path):
    kept: list = []
    events: list = []
    speaker = Speaker(voice, output_factory=FakeOutputStream.factory(kept), on_event=events.append)
    try:
        for start in range(0, len(REPLY), 7):  # as an LLM streams it
            speaker.feed(REPLY[start:start + 7])
        speaker.finish_reply(REPLY)
        assert speaker.wait_idle(60)
    finally:
        speaker.close()
    assert [e.kind for e in events] == ["started", "ended"]
    started, ended = events
    assert started.first_audio_s is not None and started.first_audio_s < 5
    [stream] = kept
    assert stream.closed and not stream.aborted
    assert ended.spoken_s == pytest.approx(len(stream.audio) / voice.sample_rate)
    heard = hear(whisper, stream.audio, voice.sample_rate, tmp_path)
    assert "def" not in heard.lower().split() and "asterisk" not in heard.lower()
    assert "code on screen" in heard.lower(), heard
    # Piper's timing varies from run to run and tiny.en with it (0.10 to 0.16 seen on this reply); read-out
    # markup would add the code and the symbols and land far above this.
    assert word_error_rate(SAID, heard) <= 0.25, heard


def test_the_first_sentence_plays_before_the_reply_has_finished_arriving(voice):
    kept: list = []
    started = threading.Event()
    speaker = Speaker(voice, output_factory=FakeOutputStream.factory(kept),
                      on_event=lambda e: started.set() if e.kind == "started" else None)
    try:
        speaker.feed("Tell me about the read path. ")
        assert started.wait(30)  # no more text has come, and the first sentence is already out
        speaker.feed("And the write path?")
        speaker.finish_reply("Tell me about the read path. And the write path?")
        assert speaker.wait_idle(30)
    finally:
        speaker.close()
    assert len(kept) == 1 and len(kept[0].audio) > voice.sample_rate  # both sentences, one stream


def test_a_long_opening_sentence_starts_with_its_first_clause_and_is_heard_as_well(voice, whisper, tmp_path):
    asked: list = []

    class Noted:
        """The real voice, noting what it is asked to say."""

        sample_rate = voice.sample_rate

        def synthesize(self, text):
            asked.append(text)
            return voice.synthesize(text)

    text = "Before we go further, what are you assuming about who uses this and how? Then give me the peak load."
    kept: list = []
    speaker = Speaker(Noted(), output_factory=FakeOutputStream.factory(kept))
    try:
        speaker.finish_reply(text)
        assert speaker.wait_idle(60)
    finally:
        speaker.close()
    assert asked == ["Before we go further,", "what are you assuming about who uses this and how?",
                     "Then give me the peak load."]
    # Cut or whole, Whisper hears the same words.
    whole = np.concatenate([voice.synthesize(" ".join(asked[:2])), voice.synthesize(asked[2])])
    cut, heard_whole = (hear(whisper, audio, voice.sample_rate, tmp_path) for audio in (kept[0].audio, whole))
    assert word_error_rate(text, cut) <= max(0.1, word_error_rate(text, heard_whole)), (cut, heard_whole)


def test_stop_silences_a_reply_midway(voice):
    kept: list = []
    events: list = []
    playing = threading.Event()

    def report(event):
        events.append(event)
        if event.kind == "started":
            playing.set()

    # Paced like a sound card, so the reply is still playing when it is stopped.
    speaker = Speaker(voice, output_factory=FakeOutputStream.factory(kept, speed=1.0), on_event=report)
    try:
        speaker.finish_reply("One sentence to begin. " * 6)
        assert playing.wait(30)
        speaker.stop("muted")
        assert speaker.wait_idle(10)
    finally:
        speaker.close()
    assert [e.kind for e in events] == ["started", "stopped"] and events[1].reason == "muted"
    assert kept[0].aborted and events[1].spoken_s < 3


@pytest.mark.parametrize("make, expected", [
    (lambda tmp: tmp, "is a folder"),
    (lambda tmp: tmp / "missing.onnx", "no such file"),
    (lambda tmp: (tmp / "v.onnx").write_bytes(b"x") and tmp / "v.onnx", "config v.onnx.json is missing"),
    (lambda tmp: ((tmp / "v.onnx").write_bytes(b"not onnx"), (tmp / "v.onnx.json").write_text("{}"))
     and tmp / "v.onnx", "cannot load this Piper voice"),
], ids=["folder", "missing", "no-config", "garbage"])
def test_a_bad_voice_path_is_a_one_line_error_with_exit_2(tmp_path, capsys, make, expected):
    path = make(tmp_path)
    with pytest.raises(SpeechOutputError) as caught:
        tts.load(str(path))
    assert expected in caught.value.message and "\n" not in caught.value.message
    assert main(["say", "Hello.", "--tts-model", str(path), "--out", str(tmp_path / "out.wav")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err and "voice.tts_model" in err


def test_say_writes_a_wav_that_whisper_hears(whisper, tmp_path, capsys):
    out = tmp_path / "line.wav"
    line = "How many writes a second should the store handle during the busiest hour of the day?"
    assert main(["say", line, "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"wrote {out}" in err and "real-time factor" in err
    heard = whisper.transcribe(stt.read_audio(out)).text
    assert word_error_rate(line, heard) <= 0.15, heard


@pytest.mark.parametrize("args, expected", [
    (["say", "   "], "has no words to say"),
    (["say", "Hi.", "--out", "{tmp}"], "is a folder"),
    (["say", "Hi.", "--out", "{tmp}/x.mp3"], "only WAV is written"),
    (["say", "Hi.", "--out", "{tmp}/no/x.wav"], "does not exist"),
    (["say", "Hi.", "--rate", "fast"], "voice.rate is 'fast'"),
    (["say", "Hi.", "--volume", "1.5"], "voice.volume is 1.5"),
], ids=["empty", "folder", "mp3", "no-folder", "rate", "volume"])
def test_say_refuses_bad_input_in_one_line(tmp_path, capsys, args, expected):
    assert main([a.replace("{tmp}", str(tmp_path)) for a in args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and expected in err


def test_the_interviewer_is_heard_through_a_real_audio_server(voice, whisper, null_sink, tmp_path):
    """Piper's audio goes to PortAudio's `pulse` output, into a null sink whose monitor is the
    microphone; what the microphone hears is transcribed back."""
    from interviewer.voice.capture import Recorder

    line = ("Walk me through what happens when the receiver times out. "
            "Where does the event wait, and when does the sender give up?")
    recorder = Recorder(device="pulse")
    recorder.start()
    consumer = threading.Thread(target=recorder.pump)
    consumer.start()
    events: list = []
    speaker = Speaker(voice, device="pulse", on_event=events.append)
    try:
        speaker.finish_reply(line)
        assert speaker.wait_idle(60)
    finally:
        speaker.close()
        recording = recorder.stop()
        consumer.join(5)
    assert [e.kind for e in events] == ["started", "ended"], events
    heard = whisper.transcribe(recording.audio).text
    assert word_error_rate(line, heard) <= 0.1, heard
