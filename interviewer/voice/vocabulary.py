"""The round's technical vocabulary, turned into a nudge for speech recognition.

Whisper reads an `initial_prompt` as text said just before the audio, and `hotwords` as terms to
favour. Which form helps was measured on the speech fixtures (ten jargon-heavy answers, tiny.en,
whole recording; key-term recall / word error rate): nothing 0.59 / 0.222; the round's top 25
terms as hotwords 0.78 / 0.190 (the default). Every term as a comma list prompt raised recall
most but word error on held-out answers too (0.231 against 0.216); a sentence using the terms as
the prompt made held-out word error worse (0.29-0.31), and 40 hotwords raised recall but also
word error. Live transcription: 0.56 / 0.206 without, 0.75 / 0.195 with hotwords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..rubric.schema import Problem, Rubric
    from ..settings import VoiceSettings

STYLES = ("none", "list", "sentence", "hotwords", "sentence+hotwords")
DEFAULT_STYLE = "hotwords"
DEFAULT_LIMIT = 25
# Words in a problem statement that a general-purpose recogniser is least likely to spell right:
# acronyms (HMAC, KV), letters with digits (p95, H100, 429s) and CamelCase (OrderedDict, WebSocket).
_HARD = re.compile(r"(?<![\w-])(?:[A-Z]{2,}[A-Za-z0-9]*|[A-Za-z]+\d+[A-Za-z0-9]*|[A-Z][a-z]+[A-Z][A-Za-z]*)(?![\w-])")
# Acronyms any recogniser already spells, and units, which it writes its own way anyway.
_COMMON = {"API", "APIs", "OK", "ID", "IDs", "URL", "HTTP", "UI", "CPU", "AI", "KB", "MB", "GB", "TB", "PB", "ms"}


# Whisper writes in the style of its prompt: a prompt with fillers keeps the candidate's "um"s and
# "uh"s (which delivery metrics count). Measured on the speech fixtures: answers with fillers kept
# 21 of 21 instead of 16 (with hotwords) and word error fell; but on one of ten jargon answers it
# set off a loop ("it's, it's, it's") that lost most of the text, so it is off by default.
FILLER_PROMPT = "Um, so, uh, I think it's, like, you know, sort of this."


@dataclass(frozen=True)
class Priming:
    """What to pass to `SpeechModel.transcribe` (or `LiveTranscriber`) for one round."""

    prompt: str | None = None
    hotwords: str | None = None
    terms: tuple[str, ...] = ()


def round_terms(rubric: "Rubric", problem: "Problem | None" = None) -> list[str]:
    """The round's vocabulary, most relevant first: terms the problem itself uses, then other hard
    words from the problem, then the rest of the round's vocabulary with the hard ones first."""
    text = _problem_text(problem) if problem is not None else ""
    lowered = text.lower()
    vocabulary = list(dict.fromkeys(rubric.vocabulary))
    in_problem = [t for t in vocabulary if re.search(rf"(?<!\w){re.escape(t.lower())}(?!\w)", lowered)]
    known = {t.lower() for t in vocabulary}
    extra = [w for w in dict.fromkeys(_HARD.findall(text)) if w.lower() not in known and w not in _COMMON]
    rest = [t for t in vocabulary if t not in in_problem]
    rest.sort(key=lambda t: not _HARD.search(t))
    chosen: list[str] = []
    for term in in_problem + extra + rest:
        # "p99" adds nothing after "p99 latency"
        if not any(re.search(rf"(?<!\w){re.escape(term.lower())}(?!\w)", c.lower()) for c in chosen):
            chosen.append(term)
    return chosen


def priming(rubric: "Rubric", problem: "Problem | None" = None, style: str = DEFAULT_STYLE,
            limit: int = DEFAULT_LIMIT, keep_fillers: bool = False) -> Priming:
    """`style` says how the terms are passed (`none` passes nothing, fillers included);
    `keep_fillers` starts the prompt with FILLER_PROMPT."""
    if style not in STYLES:
        raise ValueError(f"style {style!r}: use one of {', '.join(STYLES)}")
    if style == "none":
        return Priming()
    terms = round_terms(rubric, problem)
    chosen = tuple(terms if style == "list" else terms[:limit])
    prompt = (", ".join(chosen) if style == "list" else _sentence(rubric, problem, chosen) if "sentence" in style
              else None)
    hotwords = ", ".join(chosen) if "hotwords" in style else None
    if keep_fillers:
        prompt = f"{FILLER_PROMPT} {prompt}" if prompt else FILLER_PROMPT
    return Priming(prompt=prompt, hotwords=hotwords, terms=chosen)


def priming_for(voice: "VoiceSettings", rubric: "Rubric", problem: "Problem | None" = None) -> Priming:
    """The default priming, or none when the [voice] setting `priming` is off."""
    return priming(rubric, problem) if voice.priming else Priming()


def _sentence(rubric: "Rubric", problem: "Problem | None", terms: tuple[str, ...]) -> str:
    """A line the candidate might have said just before, using the terms the way speech does."""
    topic = problem.title if problem is not None else rubric.title
    listed = ", ".join(terms[:-1]) + f" and {terms[-1]}" if len(terms) > 1 else "".join(terms)
    return f"For the {topic.lower()}, I'd talk about {listed}."


def _problem_text(problem: "Problem") -> str:
    parts = [problem.title, problem.prompt, *problem.requirements, *problem.reference_numbers,
             *problem.deep_dives, *problem.failure_probes, *problem.expected_issues, *problem.hints]
    parts += [f"{s.prompt} {s.expect}" for s in problem.scale_drill]
    parts += [f"{g.title} {g.adds} {g.transition_probe} {g.pass_bar}" for g in problem.gates]
    return "\n".join(parts)
