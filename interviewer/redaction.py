"""Secrets kept out of everything the program writes or prints.

Two kinds of secret are masked with `[redacted]`:

- the exact values this process was configured with: the API key (whatever its shape: `sk-`,
  `gsk_`, an Azure or vLLM token) and credentials inside the endpoint URL (`user:pass@`,
  `?api-key=`). `register()` records them as the LLM settings are read;
- strings shaped like well-known API keys, for a key pasted into an answer that this process
  was never given.

Transcripts, saved scorecards and exports, log records, and the command's stdout and stderr all
pass through `scrub`; the endpoint URL is shown only through `redact_url`.
"""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

MASK = "[redacted]"
# Shorter values are too likely to occur in ordinary text to be masked everywhere.
MIN_SECRET_CHARS = 6
_SECRET_NAME = re.compile(r"(?:api[_-]?key|token|secret|password|authorization|credential|signature|\bsig\b)", re.I)
_SECRET_QUERY = re.compile(r"^(?:api[_-]?key|key|token|access[_-]?token|auth|sig|signature|password|secret|code)$",
                           re.I)
_KEY_SHAPES = re.compile(
    r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-]{8,}"  # OpenAI, Anthropic (sk-ant-...), and look-alikes
    r"|\b(?:gsk|xai|hf|ghp|gho|ghu|ghs|github_pat|glpat|pplx|csk|nvapi)[_-][A-Za-z0-9_\-]{16,}"
    r"|\bAKIA[0-9A-Z]{16}\b"  # AWS access key id
    r"|\bAIza[0-9A-Za-z_\-]{30,}"  # Google API key
    r"|\bBearer\s+[A-Za-z0-9._~+/\-]{12,}=*",
)
# Credentials written into a URL inside free text: scheme://user:pass@host and ?key=value.
_URL_USERINFO = re.compile(r"(?<=://)[^/\s@?#]+@")
_URL_QUERY_SECRET = re.compile(
    r"(?<=[?&])((?:api[_-]?key|key|token|access[_-]?token|auth|sig|signature|password|secret)=)[^&#\s]+", re.I)

_lock = threading.Lock()
_exact: tuple[str, ...] = ()  # longest first, so a value containing another is masked whole


def register(*values: str | None) -> None:
    """Remember configured secret values so every later `scrub` masks them exactly."""
    global _exact
    fresh = [v for v in values if isinstance(v, str) and len(v.strip()) >= MIN_SECRET_CHARS]
    if not fresh:
        return
    with _lock:
        _exact = tuple(sorted(set(_exact) | set(fresh), key=len, reverse=True))


def registered() -> tuple[str, ...]:
    return _exact


def forget_all() -> None:
    """Tests only: start from no configured secrets."""
    global _exact
    with _lock:
        _exact = ()


def scrub(text: str) -> str:
    """Mask configured secrets, key-shaped strings and URL credentials in free text."""
    if not text:
        return text
    for value in _exact:
        if value in text:
            text = text.replace(value, MASK)
    text = _KEY_SHAPES.sub(MASK, text)
    if "://" in text:
        text = _URL_USERINFO.sub(MASK + "@", text)
    if "=" in text:
        text = _URL_QUERY_SECRET.sub(lambda m: m.group(1) + MASK, text)
    return text


def scrub_data(value: Any) -> Any:
    """`scrub` every string inside JSON-like data (dicts, lists, tuples); keys too."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {scrub(k) if isinstance(k, str) else k: scrub_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub_data(v) for v in value]
    return value


def redact(settings: dict[str, Any]) -> dict[str, Any]:
    """Settings safe to write down: fields named like secrets dropped, secret values masked."""
    clean: dict[str, Any] = {}
    for key, value in settings.items():
        if _SECRET_NAME.search(str(key)):
            continue
        clean[key] = redact(value) if isinstance(value, dict) else scrub_data(value)
    return clean


def url_secrets(url: str | None) -> list[str]:
    """The credentials inside a URL: its user name and password, and secret query values."""
    if not url:
        return []
    try:
        parts = urlsplit(url)
        found = [parts.password or "", parts.username or ""]
    except ValueError:
        return []
    found += [value for name, value in parse_qsl(parts.query, keep_blank_values=False) if _SECRET_QUERY.match(name)]
    return [value for value in found if value]


def redact_url(url: str | None) -> str | None:
    """The URL with its user name, password and secret query values masked, for display."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
        netloc = f"{MASK}@{host}" if "@" in parts.netloc else parts.netloc
        query = "&".join(f"{name}={MASK}" if _SECRET_QUERY.match(name) else f"{name}={value}"
                         for name, value in parse_qsl(parts.query, keep_blank_values=True))
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        return scrub(url)
