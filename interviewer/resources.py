"""Where the shipped rubrics and prompts live.

An installed wheel carries them inside the package (`interviewer/_data`); a source
checkout or editable install reads the top-level `rubrics/` and `prompts/` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    bundled = _PACKAGE / "_data" / name
    if bundled.is_dir():
        return bundled
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"cannot find the {name}/ folder beside the package ({bundled} or {checkout}); "
        "reinstall with `pip install .` from the repository"
    )


def rubrics_dir() -> Path:
    return _data_dir("rubrics")


def prompts_dir() -> Path:
    return _data_dir("prompts")
