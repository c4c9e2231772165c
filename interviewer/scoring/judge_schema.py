"""The shape of the judge's reply, and the schemas that ask a server for it.

Two schemas. For structured output proper (`json_schema`, OpenAI's strict mode) the generic one: every object
closed, every property required, no keywords strict mode refuses. For JSON mode with a schema (`json_object`:
llama.cpp servers turn the schema into a grammar the model cannot leave) one made for the rubric: one entry
per dimension, in order, each with its id fixed; scores that can only be 0-100; and every string and list
bounded so the longest reply the grammar allows fits in `llm.judge_max_tokens`. A small local model writes
to the limit of whatever it is allowed, and a reply cut at its token cap is not JSON.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..rubric.schema import Rubric

LEVELS = ["below_bar", "good", "great", "not_assessed"]
# Characters a token of the judge's JSON takes, counted low on purpose (English prose runs about four).
CHARS_PER_TOKEN = 3
QUOTES = 2  # evidence quotes per dimension in a bounded reply
CORRECTIONS = 2


class _Quote(BaseModel):
    turn: int
    quote: str


class _Dimension(BaseModel):
    id: str
    level: Literal["below_bar", "good", "great", "not_assessed"]
    score: float | None = Field(default=None, ge=0, le=100)
    rationale: str = ""
    evidence: list[_Quote] = Field(default_factory=list)


class _Overall(BaseModel):
    level: Literal["below_bar", "good", "great", "not_assessed"]
    score: float | None = Field(default=None, ge=0, le=100)


class _Correction(BaseModel):
    turn: int
    claim: str
    fact: str


class JudgeReply(BaseModel):
    dimensions: list[_Dimension]
    overall: _Overall
    level_signal: str = ""
    off_problem: bool = False
    answered_instead: str = ""
    corrections: list[_Correction] = Field(default_factory=list)


def response_schema(rubric: Rubric | None = None, max_tokens: int | None = None) -> dict:
    """`{name, strict, schema}` for `llm.messages.with_schema`; with a rubric and the reply's token cap, also
    `grammar`, the bounded schema sent in JSON mode."""
    out = {"name": "scorecard", "strict": True, "schema": _strict(JudgeReply.model_json_schema())}
    if rubric is not None and max_tokens is not None:
        out["grammar"] = bounded_schema([d.id for d in rubric.dimensions], max_tokens)
    return out


def _strict(schema: dict) -> dict:
    """Structured outputs want every object closed and every property required."""
    defs = schema.pop("$defs", {})

    def fix(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return fix(dict(defs[node["$ref"].split("/")[-1]]))
            node = {k: fix(v) for k, v in node.items() if k not in ("default", "title", "minimum", "maximum")}
            if node.get("type") == "object":
                node["additionalProperties"] = False
                node["required"] = list(node.get("properties", {}))
            return node
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    return fix(schema)


def _object(**properties: dict) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def _text(chars: int) -> dict:
    return {"type": "string", "maxLength": chars}


def bounded_schema(dimension_ids: list[str], max_tokens: int) -> dict:
    """The reply for these dimensions, no longer at its longest than about `max_tokens` tokens: of the characters
    those allow, what the JSON's fixed parts leave goes 40% to rationales, 45% to quotes and the rest to
    corrections. Each has a floor, so a cap too small for seven dimensions (under about 800 tokens) still leaves
    a few words each, and may then be reached."""
    n = len(dimension_ids)
    fixed = 160 * n + 250  # ids, levels, scores, keys and punctuation; the overall block and flags
    free = max(max_tokens * CHARS_PER_TOKEN - fixed, 0)
    rationale = max(free * 40 // 100 // n, 30)
    quote = max(free * 45 // 100 // (n * QUOTES), 25)
    claim = max(free * 15 // 100 // (CORRECTIONS * 2 + 1), 20)
    score = {"anyOf": [{"enum": list(range(101))}, {"type": "null"}]}
    level = {"enum": LEVELS}
    dimensions = [_object(id={"const": d}, level=level, score=score, rationale=_text(rationale),
                          evidence={"type": "array", "maxItems": QUOTES,
                                    "items": _object(turn={"type": "integer"}, quote=_text(quote))})
                  for d in dimension_ids]
    return _object(
        dimensions={"type": "array", "prefixItems": dimensions, "items": False, "minItems": n, "maxItems": n},
        overall=_object(level=level, score=score), level_signal=_text(20), off_problem={"type": "boolean"},
        answered_instead=_text(claim),
        corrections={"type": "array", "maxItems": CORRECTIONS,
                     "items": _object(turn={"type": "integer"}, claim=_text(claim), fact=_text(claim))})
