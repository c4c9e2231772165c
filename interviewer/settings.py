"""Settings: documented fields, read from a config file, then environment variables,
then command-line flags (each overriding the one before)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .bounded_read import read_bounded
from .errors import InterviewerError
from .paths import config_file, default_sessions_dir
from .voice.silences import END_SILENCE_S, UNFINISHED_SILENCE_S

LEVELS = ("L4", "L5", "L6")
MIN_ANSWER_CHARS, MAX_ANSWER_CHARS = 100, 200_000
CONFIG_MAX_BYTES = 1 << 20
STT_DEVICES = ("auto", "cpu", "cuda")
# end_silence_s: shorter than half a second cuts answers at a breath; longer than the wait after an
# unfinished sentence would make a finished one wait longer than an unfinished one.
VOICE_RANGES = {"rate": (0.5, 2.0), "volume": (0.0, 1.0), "end_silence_s": (0.5, UNFINISHED_SILENCE_S)}
VOICE_TURNS = ("push-to-talk", "hands-free")
STT_COMPUTE_TYPES = ("auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32")


class SettingsError(InterviewerError):
    title = "Settings error"


def config_path() -> Path:
    return config_file()


@dataclass
class VoiceSettings:
    """The [voice] table: spoken answers, transcribed on this machine."""

    stt_model: str = ""
    """Whisper model: empty for the bundled tiny.en, a folder holding a CTranslate2 model, or a name
    already in the local Hugging Face cache (never downloaded). Env: INTERVIEWER_STT_MODEL."""
    device: str = "auto"
    """`auto` (CUDA when a GPU is visible, else CPU), `cpu` or `cuda`. Env: INTERVIEWER_STT_DEVICE."""
    compute_type: str = "auto"
    """`auto` (float16 on CUDA, int8 on CPU) or a CTranslate2 type. Env: INTERVIEWER_STT_COMPUTE_TYPE."""
    auto_send: bool = False
    """Send the transcribed answer on key release instead of leaving it to edit. Env: INTERVIEWER_VOICE_AUTO_SEND."""
    refine: bool = True
    """After a spoken answer lands, hear its last 30 s again in one pass and swap in the result if
    you have not edited the text (with auto_send, the refined text is what is sent). Costs one
    Whisper pass per answer. Env: INTERVIEWER_VOICE_REFINE."""
    keep_audio: bool = False
    """Save each spoken answer's audio beside the transcript. Env: INTERVIEWER_VOICE_KEEP_AUDIO."""
    priming: bool = True
    """Prime recognition with the round's technical terms. Env: INTERVIEWER_VOICE_PRIMING."""
    speak: bool = True
    """In a voice interview the interviewer speaks its replies (text mode never does). Env: INTERVIEWER_VOICE_SPEAK."""
    tts_model: str = ""
    """The interviewer's Piper voice: empty for the bundled en_US-joe-medium, or a path to a Piper
    `.onnx` voice with its `.onnx.json` beside it (never downloaded). Env: INTERVIEWER_TTS_MODEL."""
    rate: float = 1.0
    """Speaking rate, 0.5 (slow) to 2.0 (fast). Env: INTERVIEWER_VOICE_RATE."""
    volume: float = 1.0
    """Loudness of the interviewer's voice, 0.0 to 1.0. Env: INTERVIEWER_VOICE_VOLUME."""
    turns: str = "push-to-talk"
    """`push-to-talk` (F8 starts and stops an answer) or `hands-free`: listening starts when the
    interviewer stops talking, the answer is sent after a silence (end_silence_s; 2.5 s after an
    unfinished sentence or a filler), and talking over the interviewer cuts it off. Env: INTERVIEWER_VOICE_TURNS."""
    end_silence_s: float = END_SILENCE_S
    """Hands-free: seconds of silence after a finished sentence that end the answer, 0.5 to 2.5
    (an unfinished sentence or a filler always waits 2.5 s). Env: INTERVIEWER_VOICE_END_SILENCE_S."""

    def validate(self, source: str) -> "VoiceSettings":
        for name, (low, high) in VOICE_RANGES.items():
            value = getattr(self, name)
            if not low <= value <= high:
                raise SettingsError(f"{source}: field voice.{name} is {value!r}; use a number from {low} to {high}")
        if self.turns not in VOICE_TURNS:
            raise SettingsError(f"{source}: field voice.turns is {self.turns!r}; use one of {', '.join(VOICE_TURNS)}")
        if self.device not in STT_DEVICES:
            raise SettingsError(f"{source}: field voice.device is {self.device!r}; use one of {', '.join(STT_DEVICES)}")
        if self.compute_type not in STT_COMPUTE_TYPES:
            raise SettingsError(f"{source}: field voice.compute_type is {self.compute_type!r}; "
                                f"use one of {', '.join(STT_COMPUTE_TYPES)}")
        return self


@dataclass
class Settings:
    transcripts_dir: Path = field(default_factory=default_sessions_dir)
    """Where sessions are saved as they happen: `sessions/` in the user data folder, whatever
    folder the program starts in. Env: INTERVIEWER_TRANSCRIPTS_DIR; flag: --transcripts-dir."""
    level: str = "L5"
    """Target level the interviewer calibrates to (L4, L5, L6). Env: INTERVIEWER_LEVEL."""
    max_answer_chars: int = 20_000
    """Longest answer accepted, in characters. Env: INTERVIEWER_MAX_ANSWER_CHARS."""
    brain: str = "auto"
    """Who phrases the interviewer's moves: `auto` (an LLM when an endpoint is configured, else
    offline), `offline`, or `llm`. Env: INTERVIEWER_BRAIN."""
    gate_checks: bool = True
    """Coding rounds: a gate opens the next one only when its hidden checks pass on your code.
    `false` practises the whiteboard way: the interviewer moves on when you describe working
    code. Env: INTERVIEWER_GATE_CHECKS (true/false)."""
    llm: dict[str, Any] = field(default_factory=dict)
    """The [llm] table: model, base_url, timeout_s, max_attempts, context_budget_tokens,
    prices = {model = [usd_per_million_input, usd_per_million_output]}."""
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    """The [voice] table (see VoiceSettings)."""

    def public(self) -> dict[str, Any]:
        """What a transcript header records. The LLM table is left out here; the session
        records the endpoint's public settings, never its key."""
        data = asdict(self)
        data.pop("llm")
        data.pop("voice")
        data["transcripts_dir"] = str(self.transcripts_dir)
        return data

    def validate_sources(self, sources: dict[str, str]) -> "Settings":
        """Check the fields that take one of a few values; `sources` says where each came from."""
        if self.level not in LEVELS:
            where = sources.get("level", "field level")
            raise SettingsError(f"{where} is {self.level!r}; use one of {', '.join(LEVELS)}")
        if self.brain not in ("auto", "offline", "llm"):
            raise SettingsError(f"{sources.get('brain', 'field brain')} is {self.brain!r}; use auto, offline or llm")
        return self


_ENV = {
    "transcripts_dir": "INTERVIEWER_TRANSCRIPTS_DIR",
    "level": "INTERVIEWER_LEVEL",
    "max_answer_chars": "INTERVIEWER_MAX_ANSWER_CHARS",
    "brain": "INTERVIEWER_BRAIN",
    "gate_checks": "INTERVIEWER_GATE_CHECKS",
}
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
_VOICE_ENV = {
    "stt_model": "INTERVIEWER_STT_MODEL",
    "device": "INTERVIEWER_STT_DEVICE",
    "compute_type": "INTERVIEWER_STT_COMPUTE_TYPE",
    "auto_send": "INTERVIEWER_VOICE_AUTO_SEND",
    "refine": "INTERVIEWER_VOICE_REFINE",
    "keep_audio": "INTERVIEWER_VOICE_KEEP_AUDIO",
    "priming": "INTERVIEWER_VOICE_PRIMING",
    "speak": "INTERVIEWER_VOICE_SPEAK",
    "tts_model": "INTERVIEWER_TTS_MODEL",
    "rate": "INTERVIEWER_VOICE_RATE",
    "volume": "INTERVIEWER_VOICE_VOLUME",
    "turns": "INTERVIEWER_VOICE_TURNS",
    "end_silence_s": "INTERVIEWER_VOICE_END_SILENCE_S",
}


def load_settings(**overrides: Any) -> Settings:
    """`overrides` are command-line flags: top-level fields, or [voice] fields by name (`stt_model`).
    Each value remembers where it came from, so an error blames the file, variable or flag that
    holds the bad value."""
    path = config_path()
    file_values = _read_config(path) if _exists(path) else {}
    voice = _load_voice(file_values.pop("voice", {}), {k: overrides.pop(k) for k in _VOICE_ENV if k in overrides},
                        str(path))
    values: dict[str, tuple[Any, str]] = {name: (value, f"{path}: field {name}") for name, value in file_values.items()}
    for name, env in _ENV.items():
        if os.environ.get(env):
            values[name] = (os.environ[env], env)
    values.update({k: (v, f"--{k.replace('_', '-')}") for k, v in overrides.items() if v is not None})
    settings = Settings()
    for name, (value, source) in values.items():
        setattr(settings, name, _field(name, value, source))
    settings.voice = voice
    return settings.validate_sources({name: source for name, (_, source) in values.items()})


def _field(name: str, value: Any, source: str) -> Any:
    """One top-level field, converted to its type, or a one-line error naming its source."""
    if name == "llm":
        from .llm.config import check_llm_table

        return check_llm_table(value, source.removesuffix(": field llm"))
    if name == "transcripts_dir":
        if not isinstance(value, (str, os.PathLike)) or not str(value).strip() or "\x00" in str(value):
            raise SettingsError(f"{source} is {value!r}; use a folder path")
        return Path(value).expanduser()
    if name == "max_answer_chars":
        return _whole_number(value, source, MIN_ANSWER_CHARS, MAX_ANSWER_CHARS)
    if name == "gate_checks":
        try:
            return _boolean(value)
        except ValueError:
            raise SettingsError(f"{source} is {value!r}; use true or false") from None
    if not isinstance(value, str):
        raise SettingsError(f"{source} is {value!r}; use a string")
    return value


def _whole_number(value: Any, source: str, low: int, high: int) -> int:
    """An int within [low, high] from TOML or from text; floats, booleans and 1e400 are refused."""
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("+").isdigit() and len(value.strip()) <= 12:
        number = int(value)
    if number is None or not low <= number <= high:
        raise SettingsError(f"{source} is {value!r}; use a whole number from {low:,} to {high:,}")
    return number


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def _load_voice(table: Any, flags: dict[str, Any], path: str) -> VoiceSettings:
    """The [voice] table, then its environment variables, then flags."""
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: field voice must be a table ([voice]); got {table!r}")
    unknown = sorted(set(table) - set(_VOICE_ENV))
    if unknown:
        raise SettingsError(f"{path}: unknown field voice.{unknown[0]}; known fields: {', '.join(_VOICE_ENV)}")
    values = {name: (value, path) for name, value in table.items()}
    for name, env in _VOICE_ENV.items():
        if os.environ.get(env):
            values[name] = (os.environ[env], env)
    for name, value in flags.items():
        if value is not None:
            values[name] = (value, f"--{name.replace('_', '-')}")
    voice = VoiceSettings()
    for name, (value, source) in values.items():
        single = VoiceSettings()
        default = getattr(voice, name)
        if isinstance(default, bool):
            value = _voice_boolean(value, source, name)
        elif isinstance(default, float):
            value = _voice_number(value, source, name)
        else:
            value = str(value).strip().lower() if name == "turns" else str(value)
        setattr(single, name, value)
        single.validate(source)
        setattr(voice, name, getattr(single, name))
    return voice


def _voice_boolean(value: Any, source: str, name: str) -> bool:
    try:
        return _boolean(value)
    except ValueError:
        raise SettingsError(f"{source}: field voice.{name} is {value!r}; use true or false") from None


def _voice_number(value: Any, source: str, name: str) -> float:
    low, high = VOICE_RANGES[name]
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        number = float(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{source}: field voice.{name} is {value!r}; use a number from {low} to {high}") from None
    if number != number:  # NaN passes no range check
        raise SettingsError(f"{source}: field voice.{name} is {value!r}; use a number from {low} to {high}")
    return number


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError(value)


def _read_config(path: Path) -> dict[str, Any]:
    import tomllib  # only when there is a settings file: most starts have none

    raw = read_bounded(path, CONFIG_MAX_BYTES, SettingsError, "fix or delete the settings file")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not UTF-8 text; save the settings file as UTF-8") from None
    except RecursionError:
        raise SettingsError(f"{path}: nested too deeply to read; fix or delete the file") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: invalid TOML ({exc}); fix the syntax or delete the file") from None
    known = {f.name for f in fields(Settings)}
    for key in data:
        if key not in known:
            raise SettingsError(f"{path}: unknown field {key!r}; known fields: {', '.join(sorted(known))}")
    return data
