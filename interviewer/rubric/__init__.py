"""Rubrics: the data every round is run and scored from."""

from .loader import LoadedRubric, RubricLibrary, load_rubric_file, validate_path
from .schema import SIGNALS, Dimension, Gate, Phase, Problem, Rubric

__all__ = [
    "SIGNALS",
    "Dimension",
    "Gate",
    "LoadedRubric",
    "Phase",
    "Problem",
    "Rubric",
    "RubricLibrary",
    "load_rubric_file",
    "validate_path",
]
