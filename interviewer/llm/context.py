"""What an LLM interviewer is sent each turn, within a token budget.

Order matters for cost: the system prompt (persona and rubric) never changes within a
session, so providers' prompt caching covers it; older turns are folded into a running
summary in large steps, so the summary message changes rarely; recent turns follow
verbatim; the engine's move comes last.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..understanding.signals import analyze, split_sentences
from .model import Message, estimate_tokens

SUMMARY_CAP_TOKENS = 600


@dataclass
class ContextWindow:
    budget_tokens: int = 1800  # summary and recent turns together
    folded: int = 0  # how many history entries are represented by the summary
    summary_lines: list[str] = field(default_factory=list)

    def messages(self, system: str, history: list[tuple[str, str]], move: str) -> list[Message]:
        self._fold(history)
        out: list[Message] = [{"role": "system", "content": system}]
        if self.summary_lines:
            out.append({"role": "system", "content": "Summary of the interview so far (older turns, condensed):\n"
                        + "\n".join(self.summary_lines)})
        for role, text in history[self.folded:]:
            out.append({"role": "assistant" if role == "interviewer" else "user", "content": text})
        out.append({"role": "system", "content": move})
        return out

    def _fold(self, history: list[tuple[str, str]]) -> None:
        recent = history[self.folded:]
        room = self.budget_tokens - min(SUMMARY_CAP_TOKENS, self._summary_tokens())
        if sum(estimate_tokens(text) for _, text in recent) <= room:
            return
        # Fold down to half the room in one step, so the summary (and the cached prefix
        # before the recent turns) changes once every several turns, not every turn.
        keep, used = 0, 0
        for _, text in reversed(recent):
            cost = estimate_tokens(text)
            if used + cost > (self.budget_tokens - SUMMARY_CAP_TOKENS) // 2:
                break
            used += cost
            keep += 1
        keep = max(keep, 1)
        for role, text in recent[: len(recent) - keep]:
            self.summary_lines.append(_condense(role, text))
        self.folded = len(history) - keep
        while self._summary_tokens() > SUMMARY_CAP_TOKENS:
            self.summary_lines.pop(0)

    def _summary_tokens(self) -> int:
        return sum(estimate_tokens(line) for line in self.summary_lines)


def _condense(role: str, text: str) -> str:
    """One line per turn: the interviewer's question, or the sentences of an answer that
    carry reasoning (numbers, tradeoffs, failures), never rewritten, only selected."""
    sentences = split_sentences(text)
    if not sentences:
        return ""
    if role == "interviewer":
        question = next((s.text for s in reversed(sentences) if s.text.endswith("?")), sentences[-1].text)
        return f"Interviewer asked: {question[:200]}"
    analysis = analyze(text)
    keyed = [s for s in sentences if any(s in spans for spans in analysis.hits.values())]
    chosen = (keyed or sentences)[:2]
    return "Candidate: " + " ".join(s.text[:160] for s in chosen)
