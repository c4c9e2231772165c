"""Spreadsheet, gate 3: values are kept, not worked out on every read, and a change recomputes only
what depends on it, then tells the watchers which values moved.

Each cell's dependents are kept next to its inputs. A set walks the dependents of the changed cell
once, without recursion, and recomputes them in reverse post-order, so every cell is recomputed
once and after all of its inputs, however many routes lead to it. Watchers are called only when
every value is up to date, and only for cells whose value actually changed.
"""

import re

_CELL = re.compile(r"[A-Z]+[1-9][0-9]*")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


class CycleError(ValueError):
    pass


class Formula:
    def __init__(self, text):
        if not isinstance(text, str) or not text.startswith("="):
            raise ValueError(f"{text!r} is not a formula: it must start with '='")
        refs, constant = [], 0
        for term in text[1:].split("+"):
            term = term.strip()
            if _CELL.fullmatch(term):
                refs.append(term)
            elif _NUMBER.fullmatch(term):
                constant += float(term) if "." in term else int(term)
            else:
                raise ValueError(f"{text!r} is not a formula: {term!r} is neither a cell nor a number")
        self.text = text
        self.refs = tuple(refs)
        self.constant = constant

    def evaluate(self, read):
        return self.constant + sum(read(ref) for ref in self.refs)


def parse(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"a cell holds a number or a formula, not {value!r}")
    return Formula(value) if isinstance(value, str) else value


class Spreadsheet:
    def __init__(self):
        self._cells = {}  # cell -> number or Formula
        self._values = {}  # cell -> its current value; an empty cell is absent and reads 0
        self._dependents = {}  # cell -> the formula cells that read it
        self._watchers = []

    def watch(self, callback):
        self._watchers.append(callback)

    def get(self, cell):
        return self._values.get(cell, 0)

    def set(self, cell, value):
        content = parse(value)
        if isinstance(content, Formula) and self._makes_cycle(cell, content.refs):
            raise CycleError(f"{cell} = {content.text} would make {cell} depend on itself")
        self._store(cell, content)
        self._notify(self._recompute(cell))

    def _inputs(self, cell):
        content = self._cells.get(cell)
        return content.refs if isinstance(content, Formula) else ()

    def _makes_cycle(self, cell, refs):
        """Whether any of the new inputs already reads `cell`: a walk downstream from `cell`, which a
        new cell (the usual case) finishes at once because nothing reads it yet."""
        targets = set(refs)
        if cell in targets:
            return True
        seen, stack = {cell}, [cell]
        while stack:
            for later in self._dependents.get(stack.pop(), ()):
                if later in targets:
                    return True
                if later not in seen:
                    seen.add(later)
                    stack.append(later)
        return False

    def _store(self, cell, content):
        for ref in self._inputs(cell):
            self._dependents[ref].discard(cell)
        self._cells[cell] = content
        for ref in self._inputs(cell):
            self._dependents.setdefault(ref, set()).add(cell)

    def _downstream(self, cell):
        """The cell and everything that reads it, directly or not, each after all of its inputs."""
        order, seen = [], {cell}
        stack = [(cell, iter(self._dependents.get(cell, ())))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                order.append(node)
            elif child not in seen:
                seen.add(child)
                stack.append((child, iter(self._dependents.get(child, ()))))
        order.reverse()
        return order

    def _recompute(self, cell):
        changed = {}
        for node in self._downstream(cell):
            content = self._cells.get(node, 0)
            new = content.evaluate(self.get) if isinstance(content, Formula) else content
            if new != self.get(node):
                changed[node] = new
            self._values[node] = new
        return changed

    def _notify(self, changed):
        for cell, value in changed.items():
            for watcher in self._watchers:
                watcher(cell, value)
