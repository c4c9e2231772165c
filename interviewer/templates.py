"""Jinja2 templates from the shipped `prompts/` folder. A missing variable is an error,
never a silent blank."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2

from .resources import prompts_dir


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(prompts_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,
    )


def render(name: str, **variables: Any) -> str:
    return environment().get_template(name).render(**variables)
