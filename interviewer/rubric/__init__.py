"""Rubrics: the data every round is run and scored from.

Names are loaded on first use, so listing rounds at start-up does not pay for the schema
(and pydantic) until a rubric is actually validated; listing reads the rubric index (rubric/index.py).
"""

from importlib import import_module

_WHERE = {
    "LoadedRubric": "loader", "RubricLibrary": "loader", "load_rubric_file": "loader", "validate_path": "loader",
    "RoundInfo": "index",
    "SIGNALS": "schema", "Dimension": "schema", "Gate": "schema", "Phase": "schema", "Problem": "schema",
    "Rubric": "schema",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
