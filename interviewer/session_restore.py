"""Reading back what a resumed session needs from its transcript, checked as it is read."""

from __future__ import annotations

from typing import Any

from .engine import EngineState


def saved_engine_state(record: dict[str, Any]) -> EngineState:
    """The engine state saved with a turn, each field of the type the engine writes, so a damaged
    or hand-edited transcript fails here with its file named rather than later mid-interview."""
    fresh = EngineState().to_record()
    for name, value in record.items():
        if name in fresh and fresh[name] is not None:
            want = type(fresh[name])
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) if want is float \
                else isinstance(value, want) and (want is bool or not isinstance(value, bool))
            if not ok:
                raise ValueError(f"field {name} is {value!r}")
    return EngineState.from_record(record)
