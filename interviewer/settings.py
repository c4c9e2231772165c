"""Settings: documented fields, read from a config file, then environment variables,
then command-line flags (each overriding the one before)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from .errors import InterviewerError

LEVELS = ("L4", "L5", "L6")


class SettingsError(InterviewerError):
    title = "Settings error"


def config_path() -> Path:
    override = os.environ.get("INTERVIEWER_CONFIG")
    if override:
        return Path(override)
    return platformdirs.user_config_path("interviewer") / "config.toml"


@dataclass
class Settings:
    transcripts_dir: Path = Path("transcripts")
    """Where sessions are saved as they happen. Env: INTERVIEWER_TRANSCRIPTS_DIR."""
    level: str = "L5"
    """Target level the interviewer calibrates to (L4, L5, L6). Env: INTERVIEWER_LEVEL."""
    max_answer_chars: int = 20_000
    """Longest answer accepted, in characters. Env: INTERVIEWER_MAX_ANSWER_CHARS."""
    brain: str = "auto"
    """Who phrases the interviewer's moves: `auto` (an LLM when an endpoint is configured, else
    offline), `offline`, or `llm`. Env: INTERVIEWER_BRAIN."""
    llm: dict[str, Any] = field(default_factory=dict)
    """The [llm] table: model, base_url, timeout_s, max_attempts, context_budget_tokens,
    prices = {model = [usd_per_million_input, usd_per_million_output]}."""

    def public(self) -> dict[str, Any]:
        """What a transcript header records. The LLM table is left out here; the session
        records the endpoint's public settings, never its key."""
        data = asdict(self)
        data.pop("llm")
        data["transcripts_dir"] = str(self.transcripts_dir)
        return data

    def validate(self, source: str) -> "Settings":
        if self.level not in LEVELS:
            raise SettingsError(f"{source}: field level is {self.level!r}; use one of {', '.join(LEVELS)}")
        if self.brain not in ("auto", "offline", "llm"):
            raise SettingsError(f"{source}: field brain is {self.brain!r}; use auto, offline or llm")
        if self.max_answer_chars < 100:
            raise SettingsError(f"{source}: field max_answer_chars is {self.max_answer_chars}; use at least 100")
        return self


_ENV = {
    "transcripts_dir": "INTERVIEWER_TRANSCRIPTS_DIR",
    "level": "INTERVIEWER_LEVEL",
    "max_answer_chars": "INTERVIEWER_MAX_ANSWER_CHARS",
    "brain": "INTERVIEWER_BRAIN",
}


def load_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {}
    path = config_path()
    if path.exists():
        values.update(_read_config(path))
    for name, env in _ENV.items():
        if os.environ.get(env):
            values[name] = os.environ[env]
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = Settings()
    types = {f.name: f.type for f in fields(Settings)}
    for name, value in values.items():
        source = _ENV.get(name, name) if name not in overrides else f"--{name.replace('_', '-')}"
        try:
            if name == "llm":
                if not isinstance(value, dict):
                    raise TypeError
            elif name == "transcripts_dir":
                value = Path(value).expanduser()
            elif name == "max_answer_chars":
                value = int(value)
            else:
                value = str(value)
        except (TypeError, ValueError):
            raise SettingsError(f"{source}: field {name} must be {types[name]}; got {value!r}") from None
        setattr(settings, name, value)
    return settings.validate(str(path) if path.exists() else "settings")


def _read_config(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read settings ({exc}); fix or delete the file") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: invalid TOML ({exc}); fix the syntax or delete the file") from None
    known = {f.name for f in fields(Settings)}
    for key in data:
        if key not in known:
            raise SettingsError(f"{path}: unknown field {key!r}; known fields: {', '.join(sorted(known))}")
    return data
