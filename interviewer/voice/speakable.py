"""The interviewer's reply as something to say aloud, one sentence at a time.

A reply is Markdown: headings, bullets, emphasis, links, inline code and code blocks. Read out
literally that is noise ("asterisk asterisk", a whole function spelled symbol by symbol), so a
code block becomes "Here's the code on screen." and the rest is reduced to its words.

Replies stream in (an LLM writes a few characters at a time), and speech should start with the
first sentence, not the last, so `SentenceStream` takes raw chunks and hands out each sentence as
soon as it is certainly complete: never inside an unclosed code block, never at a full stop that
may yet turn out to be a decimal point ("3." then "5 GB").
"""

from __future__ import annotations

import re

CODE_ON_SCREEN = "Here's the code on screen."
TABLE_ON_SCREEN = "Here's a table on screen."
LINK_ON_SCREEN = "the link on screen"
# Synthesis takes about a quarter of the speech's length, so a 25-word opening sentence would
# keep the candidate waiting a second for the first sound: a long sentence is said in clauses.
CLAUSE_WORDS = 14
# The first sound of a reply waits for its whole first sentence, while every later sentence is
# synthesized as the one before plays: so the opening sentence is cut sooner, at its first clause
# of three words or more ("Before we go further, ..."), which Piper says in a third of the time.
OPENING_WORDS = 8
OPENING_CLAUSE_WORDS = 3

_FENCE = re.compile(r"^[ \t]*(```|~~~)", re.MULTILINE)
_FENCED_BLOCK = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?(?:^[ \t]*\1[^\n]*$|\Z)", re.MULTILINE | re.DOTALL)
_TABLE = re.compile(r"(?:^[ \t]*\|.*\|[ \t]*$\n?)+", re.MULTILINE)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")
_INLINE_CODE = re.compile(r"`([^`\n]*)`")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]*(.*?)[ \t#]*$", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.MULTILINE)
_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1")
_SIMPLE_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*(?:\(\))?$")
# Said as words: the symbol alone, or a Latin abbreviation whose full stops would end a sentence.
_WORDS = [(re.compile(pattern), words) for pattern, words in [
    (r"\be\.g\.,?", "for example"), (r"\bi\.e\.,?", "that is"), (r"\betc\.", "and so on"),
    (r"\bvs\.?(?=\s)", "versus"), (r"\s->\s|\s→\s", " to "), (r"\s=>\s", " gives "), (r"\s&\s", " and "),
    (r"(?<=\d)\s?ms\b", " milliseconds"), (r"(?<=\d)\s?[kK]\b", " thousand"),
    (r"~(?=\d)", "about "), (r"(?<=\d)\+(?=\s|$)", " plus"), (r"\breq/s\b", "requests per second"),
    (r"(?<=\w)/s\b", " per second"), (r"(?<=[A-Za-z]{2})/(?=[A-Za-z]{2})", " or "),
]]
# A full stop after these is not the end of a sentence.
_ABBREVIATIONS = ("mr.", "mrs.", "ms.", "dr.", "e.g.", "i.e.", "vs.", "etc.", "approx.", "no.", "fig.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")
# Where a streamed reply can be cut: a blank line, a new list item or heading, or a sentence's end.
_BOUNDARY = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|#))|(?<=[.!?])[\"')\]*_]*\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+|\s+(?:—|--|–)\s+")


def speakable(markdown: str) -> str:
    """Markdown reduced to the words worth saying; code and tables become one sentence each."""
    text = _FENCED_BLOCK.sub(f"\n\n{CODE_ON_SCREEN}\n\n", markdown)
    text = _TABLE.sub(f"\n\n{TABLE_ON_SCREEN}\n\n", text)
    text = _LINK.sub(lambda m: m.group(1) or LINK_ON_SCREEN, text)
    text = _URL.sub(LINK_ON_SCREEN, text)
    text = _INLINE_CODE.sub(_inline_code, text)
    text = _RULE.sub("", text)
    text = _HEADING.sub(lambda m: _ended(m.group(1)), text)
    text = _BULLET.sub("", text)
    text = _QUOTE.sub("", text)
    for _ in range(2):  # **_nested_** emphasis
        text = _EMPHASIS.sub(r"\2", text)
    for pattern, words in _WORDS:
        text = pattern.sub(words, text)
    # A line of its own (a bullet, a heading) is a sentence of its own, even without a full stop.
    lines = [_ended(line.strip()) for line in text.splitlines() if line.strip()]
    return re.sub(r"\s+", " ", " ".join(lines)).strip()


def sentences(text: str) -> list[str]:
    """Plain text split into sentences, long ones into clauses (see CLAUSE_WORDS)."""
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()].rstrip()
        if before.lower().endswith(_ABBREVIATIONS):
            continue
        out.extend(_clauses(text[start:match.start()].strip()))
        start = match.end()
    out.extend(_clauses(text[start:].strip()))
    return [s for s in out if any(c.isalnum() for c in s)]


def speakable_sentences(markdown: str) -> list[str]:
    return sentences(speakable(markdown))


def opening(sentence: str) -> list[str]:
    """A reply's first sentence as its opening clause and the rest, when it is long enough for
    that to bring the first sound forward (see OPENING_WORDS); else the sentence alone."""
    if len(sentence.split()) <= OPENING_WORDS:
        return [sentence]
    for match in _CLAUSE_END.finditer(sentence):
        head, rest = sentence[:match.start()].strip(), sentence[match.end():].strip()
        if len(head.split()) >= OPENING_CLAUSE_WORDS:
            return [head, rest] if len(rest.split()) >= OPENING_CLAUSE_WORDS else [sentence]
    return [sentence]


class SentenceStream:
    """Raw reply chunks in, speakable sentences out, each as soon as it is complete."""

    def __init__(self) -> None:
        self._buffer = ""
        self.fed = False  # any text arrived for this reply

    def feed(self, chunk: str) -> list[str]:
        if chunk:
            self.fed = True
        self._buffer += chunk
        cut = _safe_cut(self._buffer)
        if cut <= 0:
            return []
        done, self._buffer = self._buffer[:cut], self._buffer[cut:]
        return speakable_sentences(done)

    def flush(self) -> list[str]:
        """The reply is complete: whatever is left."""
        done, self._buffer = self._buffer, ""
        return speakable_sentences(done)

    def reset(self) -> None:
        """The reply is starting again (a dropped connection is retried from its beginning)."""
        self._buffer, self.fed = "", False


def _safe_cut(buffer: str) -> int:
    """Where the buffer can be cut so that everything before it is whole sentences: the end of
    the last paragraph, list item or sentence that is not inside a code block."""
    fences = [m.start() for m in _FENCE.finditer(buffer)]
    limit = fences[-1] if len(fences) % 2 else len(buffer)  # a code block still arriving is not done
    cut = 0
    for match in _BOUNDARY.finditer(buffer, 0, limit):
        inside_code = sum(1 for f in fences if f < match.start()) % 2
        abbreviation = "\n" not in match.group(0) and \
            buffer[:match.start()].lower().rstrip("\"')]*_").endswith(_ABBREVIATIONS)
        if not inside_code and not abbreviation:
            cut = match.end()
    closed = [m.end() for m in _FENCED_BLOCK.finditer(buffer, 0, limit)]
    if closed and closed[-1] > cut:  # a finished code block is said at once ("Here's the code on screen.")
        cut = closed[-1]
    return cut


def _inline_code(match: re.Match) -> str:
    """`LRUCache` or `get()` reads as a word; `x = a[i] + 1` does not."""
    code = match.group(1).strip()
    if _SIMPLE_CODE.match(code):
        return code.replace("_", " ").replace("()", "")
    return "the code on screen"


def _ended(line: str) -> str:
    if not line or line[-1] in ".!?:;,":
        return line
    return line + "."


def _clauses(sentence: str) -> list[str]:
    if len(sentence.split()) <= CLAUSE_WORDS:
        return [sentence] if sentence else []
    parts: list[str] = []
    current = ""
    start = 0
    for match in _CLAUSE_END.finditer(sentence):
        piece = sentence[start:match.start()].strip()
        start = match.end()
        current = f"{current} {piece}".strip()
        if len(current.split()) >= 5:  # a clause of a word or two sounds clipped on its own
            parts.append(current)
            current = ""
    rest = f"{current} {sentence[start:].strip()}".strip()
    if rest:
        if parts and len(rest.split()) < 4:
            parts[-1] = f"{parts[-1]} {rest}"
        else:
            parts.append(rest)
    return parts
