"""Hidden checks for the low-level design round's spreadsheet (`Spreadsheet`).

Formulas are sums of cells and numbers, so every expected value can be worked out by hand. The
recompute checks build shapes that punish the wrong design rather than an unlucky constant: a chain
of 1,500 formulas (recursion cannot read its end), and a lattice where the number of routes to the
last cell doubles at every layer (recomputing once per route never finishes).
"""

from __future__ import annotations

import time

from interviewer.workbench.spec import check


def _cycle_error(solution):
    error = getattr(solution, "CycleError", None)
    assert isinstance(error, type) and issubclass(error, ValueError), (
        "define CycleError as a subclass of ValueError in your module")
    return error


def _refused(sheet, error, cell, formula):
    try:
        sheet.set(cell, formula)
    except error:
        return
    raise AssertionError(f"set({cell!r}, {formula!r}) makes a cycle, but it did not raise CycleError")


class Recorder:
    """A watcher that notes each call and what the sheet reads at that moment."""

    def __init__(self, sheet, cells):
        self.sheet, self.cells, self.calls, self.seen = sheet, cells, [], []

    def __call__(self, cell, value):
        self.calls.append((cell, value))
        self.seen.append({c: self.sheet.get(c) for c in self.cells})

    def take(self):
        calls, self.calls, self.seen = self.calls, [], []
        return calls


# Gate 1: values and formulas


@check("formulas", "a cell holds a number; an empty cell reads 0")
def numbers_and_empty_cells(solution):
    sheet = solution.Spreadsheet()
    assert sheet.get("A1") == 0, f"an empty cell should read 0, got {sheet.get('A1')!r}"
    sheet.set("A1", 5)
    sheet.set("B2", 2.5)
    assert sheet.get("A1") == 5 and sheet.get("B2") == 2.5, (
        f"after set('A1', 5) and set('B2', 2.5), got {sheet.get('A1')!r} and {sheet.get('B2')!r}")
    sheet.set("A1", 7)
    assert sheet.get("A1") == 7, f"setting A1 again to 7 should replace 5, got {sheet.get('A1')!r}"


@check("formulas", "a formula sums its cells and numbers, and follows later changes to them")
def formulas_sum_and_follow(solution):
    sheet = solution.Spreadsheet()
    sheet.set("A1", 2)
    sheet.set("B1", "=A1+A1 + 10")
    assert sheet.get("B1") == 14, f"B1 = A1+A1+10 with A1 = 2 should read 14, got {sheet.get('B1')!r}"
    sheet.set("C1", "=B1+D1")
    assert sheet.get("C1") == 14, f"C1 = B1+D1 with D1 empty should read 14, got {sheet.get('C1')!r}"
    sheet.set("A1", 3)
    sheet.set("D1", "=A1+1")
    assert sheet.get("B1") == 16, f"after A1 became 3, B1 should read 16, got {sheet.get('B1')!r}"
    assert sheet.get("C1") == 20, f"after A1 = 3 and D1 = A1+1, C1 should read 16 + 4 = 20, got {sheet.get('C1')!r}"
    sheet.set("B1", 1)
    assert sheet.get("C1") == 5, f"B1 replaced by the number 1 makes C1 read 1 + 4 = 5, got {sheet.get('C1')!r}"


@check("formulas", "a string that is not a valid formula raises ValueError and leaves the cell alone")
def bad_formulas_are_refused(solution):
    sheet = solution.Spreadsheet()
    sheet.set("A1", 4)
    for bad in ("A1+1", "=A1+", "=A1*2", "=hello"):
        try:
            sheet.set("A1", bad)
        except ValueError:
            pass
        else:
            raise AssertionError(f"set('A1', {bad!r}) should raise ValueError: it is not a valid formula")
        assert sheet.get("A1") == 4, f"a refused set({bad!r}) changed A1 to {sheet.get('A1')!r}"


# Gate 2: cycles


@check("cycles", "a formula that reads its own cell, directly or through others, raises CycleError")
def cycles_are_refused(solution):
    error = _cycle_error(solution)
    sheet = solution.Spreadsheet()
    _refused(sheet, error, "A1", "=A1+1")
    sheet.set("A1", "=B1+1")
    sheet.set("B1", "=C1+1")
    _refused(sheet, error, "C1", "=A1")
    sheet.set("C1", 5)
    assert sheet.get("A1") == 7, f"A1 = B1+1, B1 = C1+1, C1 = 5: A1 should read 7, got {sheet.get('A1')!r}"


@check("cycles", "a refused formula leaves the cell and every cell that reads it as they were")
def refused_formula_changes_nothing(solution):
    error = _cycle_error(solution)
    sheet = solution.Spreadsheet()
    sheet.set("A1", 1)
    sheet.set("B1", "=A1+1")
    sheet.set("C1", "=B1+A1")
    sheet.set("A1", "=D1+2")
    _refused(sheet, error, "A1", "=C1+1")
    reads = {c: sheet.get(c) for c in ("A1", "B1", "C1")}
    assert reads == {"A1": 2, "B1": 3, "C1": 5}, f"after the refused set, expected A1 2, B1 3, C1 5; got {reads}"
    sheet.set("D1", 10)
    reads = {c: sheet.get(c) for c in ("A1", "B1", "C1")}
    assert reads == {"A1": 12, "B1": 13, "C1": 25}, (
        f"A1 must still be the formula D1+2 after the refused set, so D1 = 10 gives A1 12, B1 13, C1 25; got {reads}")


@check("cycles", "replacing a formula drops its old inputs, so they can read the cell without a cycle")
def old_inputs_are_forgotten(solution):
    _cycle_error(solution)
    sheet = solution.Spreadsheet()
    sheet.set("A1", "=B1+1")
    sheet.set("A1", 3)
    sheet.set("B1", "=A1+1")
    assert sheet.get("B1") == 4, f"A1 no longer reads B1, so B1 = A1+1 is fine and reads 4, got {sheet.get('B1')!r}"
    sheet.set("A1", "=C1")
    sheet.set("C1", "=D1+E1")
    sheet.set("E1", 2)
    assert sheet.get("B1") == 3, f"B1 = A1+1, A1 = C1, C1 = D1+E1, E1 = 2: B1 should read 3, got {sheet.get('B1')!r}"


# Gate 3: watchers and recomputing only what changed


@check("recompute", "watchers hear each changed cell once, with every value already up to date")
def watchers_see_a_settled_sheet(solution):
    sheet = solution.Spreadsheet()
    sheet.set("A1", 1)
    sheet.set("B1", "=A1+1")
    sheet.set("C1", "=A1+B1")
    sheet.set("D1", 7)
    sheet.set("E1", "=D1")
    first, second = Recorder(sheet, ("A1", "B1", "C1")), Recorder(sheet, ())
    sheet.watch(first)
    sheet.watch(second)
    sheet.set("A1", 2)
    calls = first.take()
    assert sorted(calls) == [("A1", 2), ("B1", 3), ("C1", 5)], (
        f"set('A1', 2) changes A1 to 2, B1 to 3 and C1 to 5, each reported once; the watcher heard {calls}")
    for seen in first.seen:
        assert seen == {"A1": 2, "B1": 3, "C1": 5}, f"a watcher was called before every value was updated: it read {seen}"
    assert sorted(second.take()) == sorted(calls), "every registered watcher should hear the same changes"


@check("recompute", "only cells whose value changed are reported; a refused set reports nothing")
def unchanged_values_are_not_reported(solution):
    error = _cycle_error(solution)
    sheet = solution.Spreadsheet()
    sheet.set("Z1", 2)
    sheet.set("A1", "=Z1")
    sheet.set("B1", "=A1+1")
    recorder = Recorder(sheet, ())
    sheet.watch(recorder)
    sheet.set("A1", 2)
    assert recorder.take() == [], "A1 went from the formula Z1 (reading 2) to the number 2: no value changed"
    _refused(sheet, error, "A1", "=B1")
    assert recorder.take() == [], "a set refused for a cycle changes nothing, so watchers hear nothing"
    sheet.set("Z1", 9)
    assert recorder.take() == [("Z1", 9)], "A1 no longer reads Z1, so only Z1 itself changed"


@check("recompute", "a chain of 1,500 formulas updates and reads quickly, without recursion limits")
def long_chain(solution):
    sheet = solution.Spreadsheet()
    size = 1_500
    started = time.perf_counter()
    sheet.set("A1", 1)
    for i in range(2, size + 1):
        sheet.set(f"A{i}", f"=A{i - 1}+1")
    for _ in range(2_000):
        tail = sheet.get(f"A{size}")
    assert tail == size, f"A1 = 1 and each A(i) = A(i-1)+1, so A{size} should read {size}, got {tail!r}"
    sheet.set("A1", 10)
    assert sheet.get(f"A{size}") == size + 9, f"after A1 = 10, A{size} should read {size + 9}, got {sheet.get(f'A{size}')!r}"
    took = time.perf_counter() - started
    assert took < 2.0, f"building and reading the chain took {took:.1f} s: a read should be a lookup"


@check("recompute", "a set recomputes each dependent once, however many routes lead to it")
def every_dependent_once(solution):
    sheet = solution.Spreadsheet()
    sheet.set("A1", 1)
    sheet.set("B1", 0)
    layers = 40
    for n in range(2, layers + 1):
        sheet.set(f"A{n}", f"=A{n - 1}+B{n - 1}")
        sheet.set(f"B{n}", f"=A{n - 1}+B{n - 1}")
    changes = []
    sheet.watch(lambda cell, value: changes.append(cell))
    started = time.perf_counter()
    sheet.set("B1", 1)
    took = time.perf_counter() - started
    expected = 2 ** (layers - 1)
    assert sheet.get(f"A{layers}") == expected, f"A{layers} should read {expected}, got {sheet.get(f'A{layers}')!r}"
    assert len(changes) == len(set(changes)) == 2 * layers - 1, (
        f"B1 and every cell below it changed once: expected {2 * layers - 1} reports, got {len(changes)}")
    assert took < 0.5, f"one set took {took:.1f} s over 80 cells"


# Gate 4: undo and redo


@check("undo", "undo steps back through sets, restoring formulas, until there is nothing left")
def undo_restores_content(solution):
    sheet = solution.Spreadsheet()
    sheet.set("A1", 1)
    sheet.set("B1", "=A1+1")
    sheet.set("A1", 5)
    assert sheet.get("B1") == 6, f"B1 = A1+1 with A1 = 5 should read 6, got {sheet.get('B1')!r}"
    assert sheet.undo() is True, "undo() should return True when it undid a set"
    assert (sheet.get("A1"), sheet.get("B1")) == (1, 2), (
        f"after one undo A1 is 1 again and B1 reads 2, got {(sheet.get('A1'), sheet.get('B1'))}")
    sheet.undo()
    assert sheet.get("B1") == 0, f"undoing the set of B1 leaves it empty, reading 0; got {sheet.get('B1')!r}"
    sheet.redo()
    sheet.set("A1", 3)
    assert sheet.get("B1") == 4, f"redo must bring back the formula itself: with A1 = 3, B1 should read 4, got {sheet.get('B1')!r}"
    for _ in range(3):
        sheet.undo()
    assert (sheet.get("A1"), sheet.get("B1")) == (0, 0), "three undos after three sets leave an empty sheet"
    assert sheet.undo() is False, "undo() with nothing left to undo should return False"


@check("undo", "redo re-applies undone sets; a new set clears what could be redone")
def redo_and_new_sets(solution):
    sheet = solution.Spreadsheet()
    sheet.set("A1", 1)
    sheet.set("A1", 2)
    sheet.set("A1", 3)
    sheet.undo()
    sheet.undo()
    assert sheet.redo() is True and sheet.get("A1") == 2, f"one redo after two undos gives A1 = 2, got {sheet.get('A1')!r}"
    sheet.set("A1", 9)
    assert sheet.redo() is False, "a new set clears the redo history, so redo() should return False"
    assert sheet.get("A1") == 9, f"a refused redo should change nothing, A1 reads {sheet.get('A1')!r}"
    sheet.undo()
    assert sheet.get("A1") == 2, f"undoing the set to 9 goes back to 2, got {sheet.get('A1')!r}"


@check("undo", "a refused set is not in the history, and watchers hear undo and redo")
def undo_with_cycles_and_watchers(solution):
    error = _cycle_error(solution)
    sheet = solution.Spreadsheet()
    sheet.set("A1", 1)
    sheet.set("B1", "=A1+1")
    _refused(sheet, error, "A1", "=B1")
    recorder = Recorder(sheet, ("A1", "B1"))
    sheet.watch(recorder)
    sheet.undo()
    assert recorder.take() == [("B1", 0)], "the refused set was never recorded, so undo() removes B1's formula"
    sheet.redo()
    assert recorder.take() == [("B1", 2)], "redo() brings B1 = A1+1 back, and watchers hear B1 reading 2"
    sheet.undo()
    sheet.undo()
    assert recorder.take() == [("B1", 0), ("A1", 0)], "undoing both sets empties B1, then A1"
