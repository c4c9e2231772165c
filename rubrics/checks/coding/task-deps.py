"""Hidden checks for the coding round's task dependency scheduler (`TaskGraph`).

Orders are checked for validity, never against one expected list, since any order that puts each
task after its dependencies is right. Long chains are part of the inputs on purpose: they catch
recursion that the interpreter's stack cannot hold and loops that rescan every task per step.
"""

from __future__ import annotations

import time

from interviewer.workbench.spec import check


def _graph(solution, edges, durations=None):
    graph = solution.TaskGraph()
    for task, deps in edges.items():
        if durations is None:
            graph.add_task(task, deps)
        else:
            graph.add_task(task, deps, duration=durations[task])
    return graph


def _assert_valid_order(order, edges):
    everyone = set(edges) | {dep for deps in edges.values() for dep in deps}
    assert isinstance(order, list), f"order() should return a list, got {type(order).__name__}"
    assert len(order) == len(set(order)), "order() lists a task more than once"
    assert set(order) == everyone, (
        f"order() should list every task exactly once; missing {sorted(everyone - set(order))[:5]}, "
        f"unexpected {sorted(set(order) - everyone)[:5]}")
    position = {task: i for i, task in enumerate(order)}
    for task, deps in edges.items():
        for dep in deps:
            assert position[dep] < position[task], f"{task!r} comes before its dependency {dep!r} in order()"


def _cycle_error(solution):
    error = getattr(solution, "CycleError", None)
    assert isinstance(error, type) and issubclass(error, ValueError), (
        "define CycleError as a subclass of ValueError in your module")
    return error


def _assert_real_cycle(cycle, edges):
    assert isinstance(cycle, list) and len(cycle) >= 2, f"CycleError.cycle should be a list like ['a', 'b', 'a'], got {cycle!r}"
    assert cycle[0] == cycle[-1], f"the cycle should start and end with the same task, got {cycle!r}"
    assert len(set(cycle[:-1])) == len(cycle) - 1, f"a task appears twice inside the cycle {cycle!r}"
    for task, dep in zip(cycle, cycle[1:]):
        assert dep in edges.get(task, ()), f"in the cycle {cycle!r}, {task!r} does not depend on {dep!r}"


# Gate 1: a run order


@check("order", "order() lists every task once, each after all of its dependencies")
def order_respects_dependencies(solution):
    edges = {"deploy": ["test", "migrate"], "test": ["build"], "migrate": ["build"], "build": ["fetch"],
             "fetch": [], "lint": [], "docs": ["fetch"]}
    _assert_valid_order(_graph(solution, edges).order(), edges)


@check("order", "a name used only as a dependency is a task too, and repeated add_task calls add up")
def dependency_only_names_and_repeats(solution):
    graph = solution.TaskGraph()
    graph.add_task("report", ["extract"])
    graph.add_task("report", ["transform"])
    graph.add_task("transform", ["extract"])
    _assert_valid_order(graph.order(), {"report": ["extract", "transform"], "transform": ["extract"]})


@check("order", "a chain of 50,000 tasks, added last-first, orders in well under a second")
def long_chain(solution):
    graph = solution.TaskGraph()
    size = 50_000
    started = time.perf_counter()
    for i in range(size - 1):
        graph.add_task(f"t{i}", [f"t{i + 1}"])
    order = graph.order()
    took = time.perf_counter() - started
    assert order == [f"t{i}" for i in reversed(range(size))], (
        "each t{i} depends on t{i+1}, so the only valid order is t49999 first and t0 last")
    assert took < 1.5, f"50,000 tasks took {took:.1f} s: ordering should be linear in tasks plus dependencies"


# Gate 2: cycles


@check("cycles", "a cycle raises CycleError naming a real cycle, not the tasks stuck behind it")
def cycle_is_reported(solution):
    cycle_error = _cycle_error(solution)
    edges = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["c"], "e": ["d"], "f": []}
    try:
        _graph(solution, edges).order()
    except cycle_error as error:
        cycle = list(getattr(error, "cycle", None) or [])
        _assert_real_cycle(cycle, edges)
        assert set(cycle) == {"a", "b", "c"}, (
            f"only a, b and c form the cycle; d and e merely wait on it, got {cycle!r}")
    else:
        raise AssertionError("a -> b -> c -> a is a cycle, but order() returned without raising CycleError")


@check("cycles", "a task that depends on itself is a cycle of one")
def self_dependency(solution):
    cycle_error = _cycle_error(solution)
    edges = {"x": ["x"], "y": []}
    try:
        _graph(solution, edges).order()
    except cycle_error as error:
        assert list(error.cycle) == ["x", "x"], f"the cycle should be ['x', 'x'], got {error.cycle!r}"
    else:
        raise AssertionError("x depends on itself, but order() returned without raising CycleError")


@check("cycles", "shared dependencies (diamonds) are not cycles, and a long cycle is still found")
def diamonds_and_long_cycles(solution):
    cycle_error = _cycle_error(solution)
    edges = {"top": ["left", "right"], "left": ["base"], "right": ["base"], "base": [], "side": ["base", "left"]}
    _assert_valid_order(_graph(solution, edges).order(), edges)
    size = 30_000
    ring = {f"r{i}": [f"r{(i + 1) % size}"] for i in range(size)}
    try:
        _graph(solution, ring).order()
    except cycle_error as error:
        assert len(error.cycle) == size + 1, f"the ring has {size} tasks, so the cycle lists {size + 1} names"
        _assert_real_cycle(list(error.cycle), ring)
    else:
        raise AssertionError("a ring of 30,000 tasks is a cycle, but order() returned without raising CycleError")


# Gate 3: durations, earliest start and the critical path


@check("schedule", "schedule() gives each task its earliest (start, finish) with unlimited workers")
def earliest_times(solution):
    edges = {"fetch": [], "build": ["fetch"], "lint": ["fetch"], "test": ["build"], "package": ["build", "lint"],
             "ship": ["test", "package"]}
    durations = {"fetch": 2, "build": 5, "lint": 1, "test": 4, "package": 2, "ship": 1}
    times = _graph(solution, edges, durations).schedule()
    expected = {"fetch": (0, 2), "build": (2, 7), "lint": (2, 3), "test": (7, 11), "package": (7, 9),
                "ship": (11, 12)}
    for task, want in expected.items():
        got = tuple(times.get(task, ()))
        assert got == want, f"{task} should run {want} (start, finish), got {got or 'nothing'}"


@check("schedule", "critical_path() is a chain of dependencies with no slack that ends at the last finish")
def critical_path_is_tight(solution):
    edges = {"a": [], "b": ["a"], "c": ["a"], "d": ["b", "c"], "e": ["c"], "f": ["d", "e"], "g": []}
    durations = {"a": 3, "b": 1, "c": 4, "d": 2, "e": 1, "f": 2, "g": 9}
    graph = _graph(solution, edges, durations)
    path = list(graph.critical_path())
    assert path == ["a", "c", "d", "f"], f"a (3) -> c (4) -> d (2) -> f (2) is the only chain that takes 11, got {path!r}"
    assert _graph(solution, {}, {}).critical_path() == [], "an empty graph has an empty critical path"
    try:
        _graph(solution, {"p": ["q"], "q": ["p"]}, {"p": 1, "q": 1}).schedule()
    except _cycle_error(solution):
        pass
    else:
        raise AssertionError("schedule() on a cycle should raise CycleError, as order() does")


@check("schedule", "a 30,000-task chain schedules quickly and without deep recursion")
def schedule_long_chain(solution):
    graph = solution.TaskGraph()
    size = 30_000
    for i in range(size):
        graph.add_task(f"s{i}", [f"s{i - 1}"] if i else [], duration=1 + i % 2)
    started = time.perf_counter()
    times = graph.schedule()
    path = list(graph.critical_path())
    took = time.perf_counter() - started
    last = 3 * size // 2
    assert tuple(times[f"s{size - 1}"]) == (last - 2, last), (
        f"the last task should run ({last - 2}, {last}), got {tuple(times[f's{size - 1}'])}")
    assert path == [f"s{i}" for i in range(size)], "the whole chain is the critical path"
    assert took < 1.5, f"scheduling 30,000 tasks took {took:.1f} s: it should be linear in tasks plus dependencies"


# Gate 4: running live


def _drain(graph):
    handed = []
    batch = graph.ready()
    while batch:
        handed.extend(batch)
        for task in batch:
            graph.done(task)
        batch = graph.ready()
    return handed


@check("live", "ready() hands out each task once, as soon as everything it depends on is done")
def ready_as_dependencies_finish(solution):
    graph = _graph(solution, {"a": [], "b": ["a"], "c": ["a"], "d": ["b", "c"]})
    assert sorted(graph.ready()) == ["a"], "at the start only a is ready"
    assert list(graph.ready()) == [], "a was already handed out, so a second ready() returns nothing new"
    graph.done("a")
    assert sorted(graph.ready()) == ["b", "c"], "once a is done, b and c are ready"
    graph.done("b")
    assert list(graph.ready()) == [], "d still waits for c"
    graph.add_task("e", ["a"])
    assert sorted(graph.ready()) == ["e"], "a task added later whose dependencies are done is ready at once"
    graph.done("c")
    assert sorted(graph.ready()) == ["d"], "d is ready once both b and c are done"
    try:
        graph.add_task("b", ["e"])
    except ValueError:
        pass
    else:
        raise AssertionError("b was already handed out by ready(), so adding dependencies to it should raise ValueError")


@check("live", "after fail(task), everything downstream of it is skipped and never handed out")
def failure_skips_downstream(solution):
    edges = {"a": [], "b": ["a"], "c": ["b"], "d": ["c", "x"], "x": [], "y": ["x"]}
    graph = _graph(solution, edges)
    assert sorted(graph.ready()) == ["a", "x"]
    graph.fail("a")
    graph.done("x")
    assert sorted(graph.ready()) == ["y"], "y depends only on x, so it runs; b, c and d can never run"
    assert set(graph.skipped()) == {"b", "c", "d"}, f"skipped() should be b, c and d, got {sorted(graph.skipped())}"
    graph.add_task("z", ["c"])
    graph.done("y")
    assert list(graph.ready()) == [], "z depends on a skipped task, so it is never ready"
    assert set(graph.skipped()) == {"b", "c", "d", "z"}, "a task added downstream of a skipped one is skipped too"


@check("live", "running 60,000 tasks to completion costs time in proportion to the graph, not per ready() scan")
def live_run_is_incremental(solution):
    graph = solution.TaskGraph()
    size = 30_000
    for i in range(size):
        graph.add_task(f"c{i}", [f"c{i - 1}"] if i else [])
        graph.add_task(f"w{i}", [])
    started = time.perf_counter()
    handed = _drain(graph)
    took = time.perf_counter() - started
    assert len(handed) == 2 * size and len(set(handed)) == 2 * size, (
        f"every one of the {2 * size} tasks should be handed out exactly once, got {len(handed)}")
    assert took < 2.0, (
        f"running the graph took {took:.1f} s: done() should only touch the finished task's dependents "
        "rather than every ready() rescanning the graph")
