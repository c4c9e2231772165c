"""The composition root: builds settings and services once, for the CLI, the plain
mode and tests alike."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .brains import Brain, OfflineBrain
from .rubric import RubricLibrary
from .settings import Settings, SettingsError, load_settings


@dataclass
class Services:
    settings: Settings
    library: RubricLibrary
    brain: Brain


def build_services(rubrics_folder: Path | None = None, **overrides: Any) -> Services:
    settings = load_settings(**overrides)
    if settings.brain != "offline":
        raise SettingsError(
            f"brain {settings.brain!r} is not available in this version; set INTERVIEWER_BRAIN=offline "
            "(or remove `brain` from the settings file)"
        )
    return Services(settings=settings, library=RubricLibrary(rubrics_folder), brain=OfflineBrain())
