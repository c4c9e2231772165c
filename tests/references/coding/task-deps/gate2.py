"""Task dependencies, gate 2: a cycle raises CycleError naming the tasks on one real cycle.

After Kahn's algorithm, every task left over still waits for at least one other left-over task, so
following those dependencies from any of them must revisit a task; the loop from that task is a cycle.
Tasks that merely wait behind the cycle are never on it.
"""

from collections import deque


class CycleError(ValueError):
    def __init__(self, cycle):
        super().__init__("dependency cycle: " + " -> ".join(map(str, cycle)))
        self.cycle = cycle


class TaskGraph:
    def __init__(self):
        self._deps = {}
        self._dependents = {}

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
        if len(result) < len(waiting):
            raise CycleError(self._find_cycle(waiting))
        return result

    def _find_cycle(self, waiting):
        task = next(t for t, count in waiting.items() if count > 0)
        index_of = {}
        path = []
        while task not in index_of:
            index_of[task] = len(path)
            path.append(task)
            task = next(dep for dep in self._deps[task] if waiting[dep] > 0)
        return path[index_of[task]:] + [task]
