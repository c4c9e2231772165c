"""Task dependencies, gate 1: a run order, by counting each task's unfinished dependencies (Kahn's algorithm).

Iterative on purpose: a chain can be as long as the whole graph, far deeper than the interpreter's stack.
"""

from collections import deque


class TaskGraph:
    def __init__(self):
        self._deps = {}        # task -> the tasks it waits for
        self._dependents = {}  # task -> the tasks waiting for it

    def _know(self, task):
        if task not in self._deps:
            self._deps[task] = set()
            self._dependents[task] = []

    def add_task(self, task, deps=()):
        self._know(task)
        for dep in deps:
            self._know(dep)
            if dep not in self._deps[task]:
                self._deps[task].add(dep)
                self._dependents[dep].append(task)

    def order(self):
        waiting = {task: len(deps) for task, deps in self._deps.items()}
        queue = deque(task for task, count in waiting.items() if count == 0)
        result = []
        while queue:
            task = queue.popleft()
            result.append(task)
            for later in self._dependents[task]:
                waiting[later] -= 1
                if waiting[later] == 0:
                    queue.append(later)
        return result
