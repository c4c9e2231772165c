"""Brains phrase the engine's moves: the offline interviewer is the default."""

from .base import Brain, Conversation
from .offline import OfflineBrain

__all__ = ["Brain", "Conversation", "OfflineBrain"]
