"""The round engine: phases, gates, clock, checkpoints and the scale drill."""

from .round import RoundEngine, context_for
from .state import EngineState, Move

__all__ = ["EngineState", "Move", "RoundEngine", "context_for"]
