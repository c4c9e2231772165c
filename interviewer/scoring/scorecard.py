"""The scorecard: plain data shared by every scorer, and its JSON contract.

`to_json()` always carries: round, scorer, overall {level, score}, and dimensions
[{id, level, score, evidence [{turn, quote}]}]. Other fields are additions.

Levels are below_bar, good and great, or not_assessed: a dimension no turn exercised (its score is
null in JSON), and an overall result when the session is too short to judge (the level signal is then
"insufficient" and `missing` says what never came up).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVEL_NAMES = ("below_bar", "good", "great")
NOT_ASSESSED = "not_assessed"
INSUFFICIENT = "insufficient"
GOOD_AT = 40.0
GREAT_AT = 70.0


def level_for(score: float) -> str:
    if score >= GREAT_AT:
        return "great"
    if score >= GOOD_AT:
        return "good"
    return "below_bar"


@dataclass(frozen=True)
class Quote:
    turn: int
    quote: str
    proactive: bool | None = None


@dataclass
class DimensionScore:
    id: str
    title: str
    level: str
    score: float
    evidence: list[Quote]
    rationale: str
    descriptor: str  # the rubric's descriptor for the level reached ("" when not assessed)
    great_example: str  # what great sounds like for this problem ("" when the problem is unknown)
    weight: float = 1.0

    @property
    def assessed(self) -> bool:
        return self.level != NOT_ASSESSED


@dataclass
class Scorecard:
    round: str
    scorer: str
    overall_level: str
    overall_score: float
    dimensions: list[DimensionScore]
    problem: str | None = None
    level_signal: str | None = None
    level_reason: str = ""
    notes: list[str] = field(default_factory=list)
    gates: list[dict[str, Any]] = field(default_factory=list)
    coverage: dict[str, Any] = field(default_factory=dict)
    ignored_instructions: int = 0
    dropped_quotes: int = 0  # LLM judge quotes that were not verbatim and were discarded
    # How spoken answers were delivered (pace, fillers, pauses). Reported beside the
    # technical levels, never mixed into them; empty for typed sessions.
    delivery: dict[str, Any] = field(default_factory=dict)
    # Claims that contradict the problem's reference facts: [{turn, claim, fact}].
    corrections: list[dict[str, Any]] = field(default_factory=list)
    # How the answers sit against the problem: {judged, off_problem, ratio, elsewhere}.
    relevance: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # dimensions never exercised, by title
    # An LLM judge was asked for and did not run, so this is the offline scorecard: {reason, at (UTC)}.
    judge_skipped: dict[str, Any] = field(default_factory=dict)

    def delivery_lines(self) -> list[str]:
        """The delivery section as plain sentences, the same in every format."""
        d = self.delivery
        if not d or not d.get("answers"):
            return []
        lines = [f"{d['answers']} spoken answer{'s' if d['answers'] != 1 else ''}, {d['words']} words at "
                 f"{d['words_per_minute']:.0f} words a minute (120-160 is easy to follow)."]
        fillers = ", ".join(f"{word} x{count}" for word, count in d.get("fillers", {}).items())
        lines.append(f"Fillers: {d['filler_count']} ({d['fillers_per_100_words']:.1f} per 100 words)"
                     + (f": {fillers}." if fillers else "."))
        lines.append(f"Pauses over 2 s inside an answer: {d['long_pauses']}"
                     + (f", the longest {d['longest_pause_s']:.1f} s." if d["long_pauses"] else "."))
        if d.get("median_time_to_first_word_s") is not None:
            lines.append(f"Time to first word after a question: {d['median_time_to_first_word_s']:.1f} s (median).")
        if d.get("median_time_to_first_word_after_speech_s") is not None:
            lines.append("Time to first word after the interviewer stopped speaking: "
                         f"{d['median_time_to_first_word_after_speech_s']:.1f} s (median).")
        heard = d.get("interviewer_speech")
        if heard:
            cut_in = heard["barge_ins"]
            lines.append(f"The interviewer spoke {heard['replies']} repl{'ies' if heard['replies'] != 1 else 'y'} "
                         f"({heard['spoken_s'] / 60:.1f} min); you cut in {cut_in} time{'s' if cut_in != 1 else ''}"
                         + _how_cut_in(heard.get("cut_ins") or []) + ".")
        if d.get("speech_models"):
            lines.append(f"Transcribed on this machine by {', '.join(d['speech_models'])}.")
        lines.append("Delivery is reported beside the levels and does not change them.")
        return lines

    def gate_verdict(self) -> str:
        """Gates passed against the coding bar: two to advance, three or four for senior."""
        if not self.gates:
            return ""
        passed = [g for g in self.gates if g.get("passed")]
        count = len(passed)
        if count < 2:
            verdict = f"{count} of 4 gates passed: below the bar to advance (2)"
        elif count == 2:
            verdict = "2 of 4 gates passed: at the bar to advance; senior candidates reach 3 or 4"
        else:
            verdict = f"{count} of 4 gates passed: at the senior bar (3 or 4)"
        known = [g for g in passed if g.get("tradeoff_explained") is not None]
        if known:
            explained = sum(1 for g in known if g["tradeoff_explained"])
            verdict += f"; tradeoff explained at {explained} of {len(known)} transitions"
        runs = [g["runs"] for g in self.gates if g.get("runs") is not None]
        if runs:
            verdict += f"; {sum(runs)} check runs"
        return verdict

    @classmethod
    def from_json(cls, data: dict[str, Any], rubric: Any) -> "Scorecard":
        """Rebuild a saved scorecard; descriptors and examples come from the rubric."""
        dims = {d.id: d for d in rubric.dimensions}
        dimensions = []
        for d in data["dimensions"]:
            spec = dims.get(d["id"])
            dimensions.append(DimensionScore(
                id=d["id"], title=d.get("title") or (spec.title if spec else d["id"]), level=d["level"],
                score=float(d["score"] or 0.0), evidence=[Quote(q["turn"], q["quote"]) for q in d.get("evidence", [])],
                rationale=d.get("rationale", ""), descriptor=getattr(spec, d["level"], "") if spec else "",
                great_example=d.get("great_example", ""), weight=spec.weight if spec else 1.0,
            ))
        return cls(
            round=data["round"], scorer=data["scorer"], overall_level=data["overall"]["level"],
            overall_score=float(data["overall"]["score"]), dimensions=dimensions, problem=data.get("problem"),
            level_signal=data.get("level_signal"), level_reason=data.get("level_reason", ""),
            notes=list(data.get("notes", [])), gates=list(data.get("gates", [])), coverage=dict(data.get("coverage", {})),
            ignored_instructions=int(data.get("ignored_instructions", 0)), dropped_quotes=int(data.get("dropped_quotes", 0)),
            delivery=dict(data.get("delivery", {})), corrections=list(data.get("corrections", [])),
            relevance=dict(data.get("relevance", {})), missing=list(data.get("missing", [])),
            judge_skipped=dict(data.get("llm_judge_skipped", {})),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "problem": self.problem,
            "scorer": self.scorer,
            "overall": {"level": self.overall_level, "score": round(self.overall_score, 1)},
            "level_signal": self.level_signal,
            "level_reason": self.level_reason,
            "dimensions": [
                {
                    "id": d.id,
                    "title": d.title,
                    "level": d.level,
                    "score": round(d.score, 1) if d.assessed else None,
                    "evidence": [{"turn": q.turn, "quote": q.quote} for q in d.evidence],
                    "rationale": d.rationale,
                    "great_example": d.great_example,
                }
                for d in self.dimensions
            ],
            "gates": self.gates,
            "coverage": self.coverage,
            "ignored_instructions": self.ignored_instructions,
            "dropped_quotes": self.dropped_quotes,
            "notes": self.notes,
            "corrections": self.corrections,
            "relevance": self.relevance,
            "missing": self.missing,
            **({"delivery": self.delivery} if self.delivery else {}),
            **({"llm_judge_skipped": self.judge_skipped} if self.judge_skipped else {}),
        }


def _how_cut_in(cuts: list[dict[str, Any]]) -> str:
    """The delivery line's tail on the cut-ins: how each came and how far into a reply, in words."""
    if not cuts:
        return ""
    ways = {"voice": "by talking over it", "key": "with F8"}
    counts: dict[str, int] = {}
    for cut in cuts:
        counts[cut.get("how") or "voice"] = counts.get(cut.get("how") or "voice", 0) + 1
    if len(counts) == 1:
        parts = [ways.get(how, how) for how in counts]  # one way: the count is already said
    else:
        parts = [f"{n} {ways.get(how, how)}" for how, n in counts.items()]
    into = sorted(c["into_reply_s"] for c in cuts if c.get("into_reply_s") is not None)
    if len(into) == 1:
        parts.append(f"{into[0]:.1f} s into the reply")
    elif into:
        parts.append(f"a median {into[len(into) // 2]:.1f} s into a reply")
    return f" ({', '.join(parts)})"
