"""Evidence quotes: for each dimension, whole sentences from the turns that exercised it, best first.

Best means the dimension's main signal before its supporting ones, said in the phases where the round
exercises that dimension (the drill for scale, the failure probes for failure modes, the mission questions
for mission), raised unprompted before answered when asked, and showing more of what the dimension looks for. A sentence quoted for
one dimension is not quoted again for another, unless it is the only evidence of that dimension's main
signal: two lines of a scorecard citing the same words tell the reader nothing new.
"""

from __future__ import annotations

from ..rubric.schema import Dimension
from .evidence import Evidence, Unit
from .scorecard import Quote

PER_DIMENSION = 3


def candidates(dimension: Dimension, evidence: Evidence, primaries: frozenset[str] = frozenset(),
               shown: dict[tuple[int, int], set[str]] | None = None) -> list[Unit]:
    """Every unit that could back this dimension, best first. `primaries`: every dimension's main signal; a
    sentence that is also another dimension's main evidence ("at 10x the store saturates first" for scale)
    comes after one that is this dimension's alone. `shown`: the signals of every sentence (see `signals_by_sentence`)."""
    shown = signals_by_sentence(evidence) if shown is None else shown
    others = primaries - {dimension.signals[0]}
    units: list[Unit] = []
    for signal in dimension.signals:
        if signal == "breadth":
            units += list(evidence.areas.values())
        elif signal != "progress":
            units += evidence.of(signal)
    primary = dimension.signals[0]
    shows = {}
    for unit in units:
        shows[(unit.turn, unit.span.start)] = shows.get((unit.turn, unit.span.start), 0) + 1

    def rank(unit: Unit) -> tuple:
        key = (unit.turn, unit.span.start)
        # Where raising it unasked is the point, a volunteered sentence is as good anywhere in the round.
        out_of_phase = bool(dimension.phases) and unit.phase not in dimension.phases and not dimension.unprompted
        return (unit.signal != primary, out_of_phase,
                bool(shown.get(key, set()) & others), not unit.proactive, -shows[key], unit.turn, unit.span.start)

    best: dict[tuple[int, int], Unit] = {}
    for unit in sorted(units, key=rank):
        best.setdefault((unit.turn, unit.span.start), unit)
    return list(best.values())


def signals_by_sentence(evidence: Evidence) -> dict[tuple[int, int], set[str]]:
    """(turn, sentence start) -> every signal that sentence showed."""
    shown: dict[tuple[int, int], set[str]] = {}
    for signal, units_of in evidence.units.items():
        for unit in units_of:
            shown.setdefault((unit.turn, unit.span.start), set()).add(signal)
    return shown


def assign(dimensions: list[Dimension], evidence: Evidence) -> dict[str, list[Quote]]:
    """Quotes for every dimension, each sentence serving one dimension where possible. Dimensions with the
    least evidence choose first, so a scarce sentence goes where it is the only proof."""
    primaries = frozenset(d.signals[0] for d in dimensions)
    shown = signals_by_sentence(evidence)
    pools = {d.id: candidates(d, evidence, primaries, shown) for d in dimensions}
    used: set[tuple[int, int]] = set()
    chosen: dict[str, list[Unit]] = {d.id: [] for d in dimensions}
    for dimension in sorted(dimensions, key=lambda d: (len(pools[d.id]), d.id)):
        pool = pools[dimension.id]
        picked: list[Unit] = []
        turns: set[int] = set()
        for unit in pool:  # first pass: unused sentences, one per turn while other turns have some
            key = (unit.turn, unit.span.start)
            if key in used or (unit.turn in turns and any(u.turn not in turns for u in pool if (u.turn, u.span.start) not in used)):
                continue
            picked.append(unit)
            turns.add(unit.turn)
            if len(picked) == PER_DIMENSION:
                break
        if not any(u.signal == dimension.signals[0] for u in picked):
            # The main signal's only evidence may already serve another dimension: it still proves this one.
            shared = next((u for u in pool if u.signal == dimension.signals[0]), None)
            if shared is not None:
                picked = [shared, *picked][:PER_DIMENSION]
        used |= {(u.turn, u.span.start) for u in picked}
        chosen[dimension.id] = picked
    return {
        dim_id: [Quote(turn=u.turn, quote=u.span.text, proactive=u.proactive) for u in units]
        for dim_id, units in chosen.items()
    }
