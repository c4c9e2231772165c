"""Task dependencies, gate 4: running live. ready() hands out tasks as their dependencies finish,
done() and fail() report back, and tasks can still be added while the graph runs.

Each task keeps a count of dependencies not yet done, so done() touches only the finished task's
dependents and ready() pops only what became ready: a whole run costs O(tasks + dependencies).
Queue entries are checked when popped, so a task that gained a dependency after being queued is
simply skipped there and queued again when its count reaches zero.
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
        self._unfinished = {}  # task -> dependencies not yet done
        self._queue = deque()
        self._handed = set()
        self._done = set()
        self._failed = set()
        self._skipped = set()

    def _know(self, task):
        if task not in self._deps:
            self._deps[task] = set()
            self._dependents[task] = []
            self._duration[task] = 0
            self._unfinished[task] = 0
            self._queue.append(task)

    def add_task(self, task, deps=(), duration=1):
        if task in self._handed and deps:
            raise ValueError(f"{task!r} has already been handed out by ready(); it cannot gain dependencies")
        self._know(task)
        self._duration[task] = duration
        for dep in deps:
            self._know(dep)
            if dep not in self._deps[task]:
                self._deps[task].add(dep)
                self._dependents[dep].append(task)
                if dep in self._failed or dep in self._skipped:
                    self._skip_from(task)
                elif dep not in self._done:
                    self._unfinished[task] += 1

    def ready(self):
        batch = []
        while self._queue:
            task = self._queue.popleft()
            if task in self._handed or task in self._skipped or self._unfinished[task]:
                continue
            self._handed.add(task)
            batch.append(task)
        return batch

    def done(self, task):
        self._done.add(task)
        for later in self._dependents[task]:
            self._unfinished[later] -= 1
            if self._unfinished[later] == 0:
                self._queue.append(later)

    def fail(self, task):
        self._failed.add(task)
        for later in self._dependents[task]:
            self._skip_from(later)

    def skipped(self):
        return set(self._skipped)

    def _skip_from(self, task):
        stack = [task]
        while stack:
            current = stack.pop()
            if current in self._skipped or current in self._handed:
                continue
            self._skipped.add(current)
            stack.extend(self._dependents[current])

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
