"""Shaping a request's messages for what a server can take: a schema spelled out in the prompt
for servers without structured outputs, system messages folded into user turns for chat
templates that drop them, and a long text trimmed to a token allowance."""

from __future__ import annotations

import json

Message = dict[str, str]

# Structured output, best first. A server that refuses one is asked the next way for the rest
# of the session: json_schema (the server enforces the schema), json_object (valid JSON, with the
# schema also passed in the request, which llama.cpp servers turn into a grammar, and spelled out
# in the prompt), then plain text with the schema in the prompt.
STRUCTURED_MODES = ("json_schema", "json_object", "prompt")


def estimate_tokens(text: str) -> int:
    """About four characters a token for English; used where a server's own count is not known."""
    return max(1, (len(text) + 3) // 4)


def with_schema(messages: list[Message], schema: dict, mode: str) -> tuple[list[Message], dict | None]:
    """The messages and `response_format` for asking for `schema` (`{name, strict, schema}`, and optionally
    `grammar`: a tighter schema for JSON mode, where a llama.cpp server enforces it as a grammar) in `mode`."""
    if mode == "json_schema":
        return messages, {"type": "json_schema", "json_schema": schema}
    spelled = ("\n\nReply with one JSON object and nothing else (no prose, no code fence). It must match this JSON "
               "schema:\n" + json.dumps(schema["schema"], separators=(",", ":")))
    out = [dict(m) for m in messages]
    last_user = max((i for i, m in enumerate(out) if m["role"] == "user"), default=None)
    if last_user is None:
        out.append({"role": "user", "content": spelled.strip()})
    else:
        out[last_user]["content"] += spelled
    return out, ({"type": "json_object", "schema": schema.get("grammar", schema["schema"])} if mode == "json_object"
                 else None)


def fold_system(messages: list[Message]) -> list[Message]:
    """For chat templates that drop system messages (Gemma's, for one): each becomes part of a user
    turn, labelled as instructions, and turns of the same role are merged so roles still alternate."""
    return merge_roles([{"role": "user", "content": f"[Instructions]\n{m['content']}\n[End of instructions]"}
                        if m["role"] == "system" else m for m in messages])


def merge_roles(messages: list[Message]) -> list[Message]:
    """Turns of the same role in a row joined into one, for templates that want roles to alternate."""
    out: list[Message] = []
    for message in messages:
        if out and out[-1]["role"] == message["role"]:
            out[-1] = {"role": message["role"], "content": out[-1]["content"] + "\n\n" + message["content"]}
        else:
            out.append({"role": message["role"], "content": message["content"]})
    return out


def trim(text: str, max_tokens: int) -> str:
    """`text` within about `max_tokens`, keeping its start and end (where an answer states its choice
    and its conclusion) and saying how much was left out. Only what is sent is trimmed."""
    if estimate_tokens(text) <= max_tokens:
        return text
    keep = max(max_tokens * 4 - 60, 40)
    head, tail = text[: keep * 2 // 3], text[len(text) - keep // 3:]
    return f"{head} [... {len(text) - len(head) - len(tail):,} characters left out ...] {tail}"
