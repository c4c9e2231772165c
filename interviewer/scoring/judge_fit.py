"""Fitting the judge's request into the model's context window.

A local model often has 4k-8k tokens of context, and a 60-minute session's transcript is several
times that. Cutting the transcript at a point would judge the opening and never the scale drill;
instead each dimension keeps the turns that hold its evidence (the offline scorer's quotes, best
first), taken in turns across dimensions so none is starved, each with the question it answered.
What is left out is marked, so the judge knows the record is partial.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import InterviewerError
from ..llm.messages import estimate_tokens, trim
from ..transcript import Transcript
from .scorecard import Scorecard

# Room kept for the request's fixed words around the transcript and, on servers without
# structured outputs, the schema spelled out in the prompt.
OVERHEAD_TOKENS = 900
PER_TURN_TOKENS = 12  # the "[turn N] CANDIDATE:" label and line break


def transcript_room(window: int, reply_tokens: int, system: str) -> int:
    """Tokens left for the transcript; an error naming the settings when the instructions alone do not fit."""
    room = window - reply_tokens - estimate_tokens(system) - OVERHEAD_TOKENS
    if room < 300:
        raise InterviewerError(f"llm.context_window_tokens = {window} leaves no room for the transcript after the "
                               f"judge's instructions (about {estimate_tokens(system)} tokens) and "
                               f"llm.judge_max_tokens = {reply_tokens}; raise the first or lower the second")
    return room


def fit_turns(transcript: Transcript, offline: Scorecard, room: int) -> list | None:
    """The turns to send when the whole transcript does not fit in `room` tokens (None when it does)."""
    turns = transcript.turns
    if sum(estimate_tokens(t.text) + PER_TURN_TOKENS for t in turns) <= room:
        return None
    cap = max(room // 8, 60)  # one long answer cannot take the room of several dimensions
    by_n = {t.n: replace(t, text=trim(t.text, cap)) for t in turns}
    queues = [[q.turn for q in d.evidence if q.turn in by_n] for d in offline.dimensions]
    queues.append([t.n for t in turns if t.role == "candidate"])  # then anything else, in order
    chosen: set[int] = set()
    used = 0
    for rank in range(max(len(q) for q in queues)):
        for queue in queues:
            if rank >= len(queue) or queue[rank] in chosen:
                continue
            n = queue[rank]
            wanted = [m for m in (n - 1, n) if m in by_n and m not in chosen
                      and (m == n or by_n[m].role == "interviewer")]
            cost = sum(estimate_tokens(by_n[m].text) + PER_TURN_TOKENS for m in wanted)
            if used + cost <= room:
                chosen.update(wanted)
                used += cost
    return [by_n[n] for n in sorted(chosen)]
