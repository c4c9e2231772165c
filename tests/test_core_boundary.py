"""The core never imports a UI toolkit: it must import with Textual unavailable."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import interviewer
from conftest import REPO

BLOCK_TEXTUAL = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("textual is blocked for this test")
sys.meta_path.insert(0, Block())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
print("ok", len(sys.argv) - 1)
"""

UI_PACKAGES = ("interviewer.ui", "interviewer.tui")


def core_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(interviewer.__path__, "interviewer.")]
    return [n for n in names if not n.startswith(UI_PACKAGES)]


def test_core_imports_without_textual():
    modules = core_modules()
    assert len(modules) > 15
    result = subprocess.run([sys.executable, "-c", BLOCK_TEXTUAL, *modules], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ok {len(modules)}"


def test_no_core_source_mentions_textual_imports():
    for path in (REPO / "interviewer").rglob("*.py"):
        if any(part in ("ui", "tui") for part in path.relative_to(REPO / "interviewer").parts):
            continue
        for line in path.read_text().splitlines():
            stripped = line.strip()
            assert not stripped.startswith(("import textual", "from textual")), f"{path}: {line}"


def loaded(statements: str, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a fresh interpreter has loaded once it has run `statements`."""
    code = f"import sys\n{statements}\nprint(' '.join(m for m in {modules!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_heavy_clients_load_only_when_used():
    assert loaded("import interviewer.cli, interviewer.commands, interviewer.session, interviewer.services, "
                  "interviewer.plain\nfrom interviewer.services import build_services\nbuild_services(brain='offline')",
                  ("openai", "httpx2", "textual", "faster_whisper")) == []


def test_opening_the_app_loads_no_other_command_and_no_hands_free_logic():
    """What `interviewer` alone loads before its first frame: the settings, not the turn-taking they
    name a default of, and no module of the other commands, which still run by name."""
    assert loaded("from interviewer.cli import main\nfrom interviewer import commands\n"
                  "from interviewer.services import build_services\nbuild_services(brain='offline')",
                  ("interviewer.voice.turns", "interviewer.loop_commands", "interviewer.session_commands")) == []
    from interviewer import commands

    assert (commands.loop.__module__, commands.paths.__module__) == ("interviewer.loop_commands",
                                                                     "interviewer.session_commands")


def test_the_interview_screen_leaves_the_session_to_its_worker():
    """`interviewer practice` draws its first frame before the session's modules load (the engine, the
    rubric's schema and pydantic under it, the reading of answers, a Markdown parser): its worker loads them."""
    assert loaded("import interviewer.tui.app, interviewer.tui.interview_screen",
                  ("interviewer.session", "interviewer.rubric.schema", "pydantic", "markdown_it")) == []


def test_the_interview_screens_first_frame_needs_none_of_its_workspace():
    """Its first frame is the status line and the footer's bar: the text area, the transcript's reading and the
    LLM client's wrapper load for the second (the workspace) or with the session."""
    assert loaded("import interviewer.tui.app, interviewer.tui.interview_screen",
                  ("textual.widgets._text_area", "interviewer.transcript", "interviewer.llm.model",
                   "interviewer.tui.conversation", "interviewer.tui.checks_panel")) == []
