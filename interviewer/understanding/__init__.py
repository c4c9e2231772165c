"""Understanding an answer: what a candidate's turn does, covers and claims.

Deterministic, with no model and no UI. `signals` finds the reasoning in each sentence (numbers
tied to claims, tradeoffs that name a cost, failures with mitigations); `questions` finds what the
candidate asked the interviewer; `topics` says what a question asks about and what an answer
covers; `claims` checks numbers against the problem's reference facts; `reading` puts these
together into the act of the turn (an answer, a question, a hand-wave ...). The engine decides its
next move from a reading; the scorer builds evidence from the same analysis.

Names load on first use, so importing the package costs nothing until an answer is read.
"""

from importlib import import_module

_WHERE = {
    "Analysis": "signals", "Context": "signals", "Span": "signals", "analyze": "signals", "fingerprint": "signals",
    "overlap": "signals", "split_sentences": "signals",
    "Asked": "reading", "Reading": "reading", "read": "reading", "NON_ANSWERS": "reading",
    "Knowledge": "knowledge", "knowledge_for": "knowledge",
    "Question": "questions", "Contradiction": "claims",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
