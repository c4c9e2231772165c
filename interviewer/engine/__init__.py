"""The round engine: phases, gates, clock, checkpoints and the scale drill.

`Move` and `EngineState` are light; `RoundEngine` (and the answer analysis it needs) loads
on first use.
"""

from importlib import import_module

from .state import EngineState, Move

__all__ = ["EngineState", "Move", "RoundEngine", "context_for"]


def __getattr__(name: str):
    if name in ("RoundEngine", "context_for"):
        return getattr(import_module(".round", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
