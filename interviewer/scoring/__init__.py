"""Scoring: the offline heuristic scorer and the scorecard contract."""

from .offline import SCORER, score
from .report import to_json_text, to_markdown
from .scorecard import DimensionScore, Quote, Scorecard, level_for

__all__ = ["SCORER", "DimensionScore", "Quote", "Scorecard", "level_for", "score", "to_json_text", "to_markdown"]
