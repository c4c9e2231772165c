"""The composition root: builds settings and services once, for the CLI, the plain
mode and tests alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .brains import Brain, OfflineBrain
from .llm.config import LLMConfig, llm_config
from .rubric import RubricLibrary
from .settings import Settings, SettingsError, load_settings

OFFLINE_NOTE = ("using the offline interviewer (no OPENAI_API_KEY or --base-url set). For an LLM interviewer, "
                "export OPENAI_API_KEY, or run a local server and pass --base-url http://localhost:11434/v1 "
                "--model <name>")


@dataclass
class Services:
    settings: Settings
    library: RubricLibrary
    brain: Brain
    llm: LLMConfig = field(default_factory=LLMConfig)
    note: str = ""  # what the session will use, said once at start-up

    @property
    def uses_llm(self) -> bool:
        return self.brain.name.startswith("llm:")

    def chat_model(self):
        """A client for the configured endpoint (the judge uses it too)."""
        from .llm.model import OpenAIChatModel

        return OpenAIChatModel(self.llm)


def build_services(rubrics_folder: Path | None = None, model: str | None = None, base_url: str | None = None,
                   chat_model: Any = None, **overrides: Any) -> Services:
    """`chat_model` replaces the real client (tests pass a scripted one)."""
    settings = load_settings(**overrides)
    config = llm_config(model=model, base_url=base_url, file_values=settings.llm)
    library = RubricLibrary(rubrics_folder)
    wants_llm = settings.brain == "llm" or (settings.brain == "auto" and (config.enabled or chat_model is not None))
    if settings.brain == "llm" and not config.enabled and chat_model is None:
        raise SettingsError("brain is `llm` but no endpoint is set: export OPENAI_API_KEY or pass --base-url")
    if not wants_llm:
        return Services(settings, library, OfflineBrain(), config, OFFLINE_NOTE)
    from .brains.llm import LLMBrain
    from .llm.model import OpenAIChatModel

    brain = LLMBrain(chat_model or OpenAIChatModel(config), budget_tokens=config.context_budget_tokens)
    return Services(settings, library, brain, config, f"using the {config.describe()}")
