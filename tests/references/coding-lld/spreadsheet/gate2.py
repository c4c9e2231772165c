"""Spreadsheet, gate 2: a formula that would make a cell depend on itself is refused.

The sheet now keeps each formula cell's inputs. Before a new formula is stored, a walk from its
inputs along those edges looks for the cell being set; finding it means a cycle, and CycleError
is raised before anything changes, so the cell keeps its old content and nothing else moves.
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

    def _inputs(self, cell):
        content = self._cells.get(cell)
        return content.refs if isinstance(content, Formula) else ()

    def _reaches(self, starts, target):
        seen, stack = set(), list(starts)
        while stack:
            cell = stack.pop()
            if cell == target:
                return True
            if cell not in seen:
                seen.add(cell)
                stack.extend(self._inputs(cell))
        return False

    def set(self, cell, value):
        content = parse(value)
        if isinstance(content, Formula) and self._reaches(content.refs, cell):
            raise CycleError(f"{cell} = {content.text} would make {cell} depend on itself")
        self._cells[cell] = content

    def get(self, cell):
        content = self._cells.get(cell, 0)
        if isinstance(content, Formula):
            return content.evaluate(self.get)
        return content
