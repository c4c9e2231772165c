"""Spreadsheet, gate 4: undo and redo.

Every set that goes through is recorded as (cell, content before, content after), and a set, an
undo and a redo all change a cell through one method, so recomputation and the watchers behave the
same whichever of them made the change. Content before is None for a cell that was empty, which
empties it again. A set refused for a cycle never reaches the history.
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
        self._done = []  # (cell, content before, content after) for each set that went through
        self._undone = []

    def watch(self, callback):
        self._watchers.append(callback)

    def get(self, cell):
        return self._values.get(cell, 0)

    def set(self, cell, value):
        content = parse(value)
        if isinstance(content, Formula) and self._makes_cycle(cell, content.refs):
            raise CycleError(f"{cell} = {content.text} would make {cell} depend on itself")
        self._done.append((cell, self._cells.get(cell), content))
        self._undone.clear()
        self._apply(cell, content)

    def undo(self):
        if not self._done:
            return False
        cell, before, after = self._done.pop()
        self._undone.append((cell, before, after))
        self._apply(cell, before)
        return True

    def redo(self):
        if not self._undone:
            return False
        cell, before, after = self._undone.pop()
        self._done.append((cell, before, after))
        self._apply(cell, after)
        return True

    def _apply(self, cell, content):
        """The one way a cell's content changes: a set, an undo and a redo all come through here.
        Going back to a state the sheet was in before cannot make a cycle, so no check is needed."""
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
        if content is None:
            self._cells.pop(cell, None)
        else:
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
