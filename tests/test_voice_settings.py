"""The [voice] settings table, its environment overrides and flags, and the voice package's
promise to import nothing heavy."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO, cli_env, interviewer_cmd
from interviewer.settings import SettingsError, VoiceSettings, load_settings
from interviewer.voice.turns import END_SILENCE_S, TurnOptions
from interviewer.voice.vocabulary import Priming, priming_for

VOICE_ENV = ("INTERVIEWER_STT_MODEL", "INTERVIEWER_STT_DEVICE", "INTERVIEWER_STT_COMPUTE_TYPE",
             "INTERVIEWER_VOICE_AUTO_SEND", "INTERVIEWER_VOICE_KEEP_AUDIO", "INTERVIEWER_VOICE_PRIMING",
             "INTERVIEWER_VOICE_REFINE", "INTERVIEWER_VOICE_SPEAK", "INTERVIEWER_TTS_MODEL", "INTERVIEWER_VOICE_RATE",
             "INTERVIEWER_VOICE_VOLUME", "INTERVIEWER_VOICE_TURNS", "INTERVIEWER_VOICE_END_SILENCE_S")


@pytest.fixture(autouse=True)
def _no_voice_env(monkeypatch):
    for name in VOICE_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def config(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("INTERVIEWER_CONFIG", str(path))
    return path


def test_defaults_use_the_bundled_model_on_the_best_device():
    voice = load_settings().voice
    assert voice == VoiceSettings(stt_model="", device="auto", compute_type="auto", auto_send=False,
                                  refine=True, keep_audio=False, priming=True, speak=True, tts_model="", rate=1.0,
                                  volume=1.0, turns="push-to-talk")
    assert "voice" not in load_settings().public()


def test_file_then_environment_then_flag(config, monkeypatch):
    config.write_text('[voice]\nstt_model = "/models/small"\ndevice = "cpu"\nkeep_audio = true\npriming = false\n')
    voice = load_settings().voice
    assert (voice.stt_model, voice.device, voice.keep_audio, voice.priming) == ("/models/small", "cpu", True, False)
    monkeypatch.setenv("INTERVIEWER_STT_MODEL", "base.en")
    monkeypatch.setenv("INTERVIEWER_VOICE_PRIMING", "yes")
    monkeypatch.setenv("INTERVIEWER_STT_COMPUTE_TYPE", "float32")
    voice = load_settings().voice
    assert (voice.stt_model, voice.priming, voice.compute_type, voice.device) == ("base.en", True, "float32", "cpu")
    assert load_settings(stt_model="/models/large").voice.stt_model == "/models/large"
    monkeypatch.setenv("INTERVIEWER_VOICE_REFINE", "off")
    assert load_settings().voice.refine is False


def test_the_interviewers_voice_settings(config, monkeypatch):
    config.write_text('[voice]\ntts_model = "/voices/amy.onnx"\nrate = 1.25\nvolume = 0.5\nspeak = false\n')
    voice = load_settings().voice
    assert (voice.tts_model, voice.rate, voice.volume, voice.speak) == ("/voices/amy.onnx", 1.25, 0.5, False)
    monkeypatch.setenv("INTERVIEWER_VOICE_RATE", "0.8")
    monkeypatch.setenv("INTERVIEWER_VOICE_SPEAK", "on")
    assert (load_settings().voice.rate, load_settings().voice.speak) == (0.8, True)
    assert load_settings(rate="1.5").voice.rate == 1.5


def test_hands_free_turns_are_chosen_in_the_file_or_the_environment(config, monkeypatch):
    config.write_text('[voice]\nturns = "hands-free"\n')
    assert load_settings().voice.turns == "hands-free"
    monkeypatch.setenv("INTERVIEWER_VOICE_TURNS", "Push-to-talk")
    assert load_settings().voice.turns == "push-to-talk"


def test_the_silence_that_ends_a_finished_sentence_is_a_setting(config, monkeypatch):
    assert load_settings().voice.end_silence_s == END_SILENCE_S == TurnOptions().silence_s
    assert TurnOptions().unfinished_silence_s == 2.5  # after "because", "um" or a comma: unchanged
    config.write_text("[voice]\nend_silence_s = 2\n")
    assert load_settings().voice.end_silence_s == 2.0
    monkeypatch.setenv("INTERVIEWER_VOICE_END_SILENCE_S", "1.2")
    assert load_settings().voice.end_silence_s == 1.2


def test_a_bad_end_silence_stops_the_command_in_one_line_with_exit_2(tmp_path):
    env = {**cli_env(tmp_path), "INTERVIEWER_VOICE_END_SILENCE_S": "0.1"}
    result = subprocess.run(interviewer_cmd() + ["paths"], capture_output=True, text=True, env=env, cwd=tmp_path,
                            timeout=60)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert ("INTERVIEWER_VOICE_END_SILENCE_S: field voice.end_silence_s is 0.1; use a number from 0.5 to 2.5"
            in result.stderr)


@pytest.mark.parametrize("toml, env, expected", [
    ('[voice]\ndevice = "gpu"\n', {}, "voice.device is 'gpu'"),
    ("[voice]\nspeed = 2\n", {}, "unknown field voice.speed"),
    ('voice = "on"\n', {}, "field voice must be a table"),
    ("", {"INTERVIEWER_VOICE_AUTO_SEND": "maybe"}, "INTERVIEWER_VOICE_AUTO_SEND: field voice.auto_send"),
    ("", {"INTERVIEWER_VOICE_REFINE": "later"}, "INTERVIEWER_VOICE_REFINE: field voice.refine"),
    ("", {"INTERVIEWER_STT_COMPUTE_TYPE": "int4"}, "INTERVIEWER_STT_COMPUTE_TYPE: field voice.compute_type"),
    ("[voice]\nrate = 3\n", {}, "field voice.rate is 3.0; use a number from 0.5 to 2.0"),
    ("[voice]\nvolume = true\n", {}, "field voice.volume is True"),
    ("", {"INTERVIEWER_VOICE_VOLUME": "nan"}, "INTERVIEWER_VOICE_VOLUME: field voice.volume is 'nan'"),
    ("", {"INTERVIEWER_VOICE_SPEAK": "loud"}, "INTERVIEWER_VOICE_SPEAK: field voice.speak"),
    ('[voice]\nturns = "auto"\n', {}, "field voice.turns is 'auto'; use one of push-to-talk, hands-free"),
    ("", {"INTERVIEWER_VOICE_TURNS": "handsfree"}, "INTERVIEWER_VOICE_TURNS: field voice.turns is 'handsfree'"),
    ("[voice]\nend_silence_s = 3\n", {}, "field voice.end_silence_s is 3.0; use a number from 0.5 to 2.5"),
    ('[voice]\nend_silence_s = "long"\n', {}, "field voice.end_silence_s is 'long'; use a number from 0.5 to 2.5"),
    ("", {"INTERVIEWER_VOICE_END_SILENCE_S": "soon"}, "INTERVIEWER_VOICE_END_SILENCE_S: field voice.end_silence_s"),
])
def test_bad_voice_settings_name_the_field_and_the_fix(config, monkeypatch, toml, env, expected):
    config.write_text(toml)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert expected in caught.value.message and "\n" not in caught.value.message


def test_priming_setting_switches_vocabulary_off(library):
    rubric = library.load("system-design").rubric
    assert priming_for(VoiceSettings(priming=False), rubric) == Priming()
    assert priming_for(VoiceSettings(), rubric).terms


def test_importing_the_voice_package_loads_nothing_heavy():
    code = ("import sys, interviewer.voice, interviewer.voice.capture, interviewer.voice.live, "
            "interviewer.voice.stt, interviewer.voice.metrics, interviewer.voice.vocabulary, interviewer.voice.tts, "
            "interviewer.voice.speaker, interviewer.voice.speakable, interviewer.voice.say, interviewer.voice.turns, "
            "interviewer.voice.listening; "
            "print(sorted(m for m in ('numpy', 'faster_whisper', 'sounddevice', 'ctranslate2', 'textual', 'piper', "
            "'onnxruntime') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
