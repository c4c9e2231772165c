"""Task dependencies, gate 3: durations, earliest (start, finish) per task, and the critical path.

With unlimited workers a task starts when its last dependency finishes, so one pass in run order
settles every time. The critical path is walked back from the latest finish through the dependency
that finished exactly when each task started.
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
        self._duration = {}

    def _know(self, task):
        if task not in self._deps:
            self._deps[task] = set()
            self._dependents[task] = []
            self._duration[task] = 0

    def add_task(self, task, deps=(), duration=1):
        self._know(task)
        self._duration[task] = duration
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

    def schedule(self):
        times = {}
        for task in self.order():
            start = max((times[dep][1] for dep in self._deps[task]), default=0)
            times[task] = (start, start + self._duration[task])
        return times

    def critical_path(self):
        times = self.schedule()
        if not times:
            return []
        task = max(times, key=lambda t: times[t][1])
        path = [task]
        while self._deps[task]:
            start = times[task][0]
            task = next(dep for dep in self._deps[task] if times[dep][1] == start)
            path.append(task)
        path.reverse()
        return path
