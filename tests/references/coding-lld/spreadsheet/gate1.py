"""Spreadsheet, gate 1: number cells and sum formulas, worked out when a cell is read.

A Formula parses its text once and knows only how to evaluate itself given a way to read other
cells; the Spreadsheet owns the cells. Reading a formula reads its inputs at that moment, so a
change to any cell shows up in every formula that refers to it.
"""

import re

_CELL = re.compile(r"[A-Z]+[1-9][0-9]*")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


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

    def set(self, cell, value):
        self._cells[cell] = parse(value)

    def get(self, cell):
        content = self._cells.get(cell, 0)
        if isinstance(content, Formula):
            return content.evaluate(self.get)
        return content
