"""Merging paginated results, gate 3: a page that fails with ConnectionError is retried with the same
cursor, waiting 0.1 s, 0.2 s, 0.4 s ... between tries; a source that still fails raises SourceUnavailable.
Other exceptions are bugs, not network trouble, and propagate untouched.
"""

import time


class SourceUnavailable(Exception):
    def __init__(self, source, cause):
        super().__init__(f"source {source} failed after retries: {cause}")
        self.source = source


def _fetch_page(fetch, index, cursor, retries, sleep):
    wait = 0.1
    for attempt in range(retries + 1):
        try:
            return fetch(cursor)
        except ConnectionError as error:
            if attempt == retries:
                raise SourceUnavailable(index, error) from error
            sleep(wait)
            wait *= 2


def _read_all(fetch, index, retries, sleep):
    items = []
    cursor = None
    while True:
        page, cursor = _fetch_page(fetch, index, cursor, retries, sleep)
        items.extend(page)
        if cursor is None:
            return items


def merge(sources, retries=2, sleep=time.sleep):
    everything = []
    for index, fetch in enumerate(sources):
        everything.extend(_read_all(fetch, index, retries, sleep))
    everything.sort(key=lambda entry: entry["ts"])
    seen = set()
    result = []
    for entry in everything:
        if entry["id"] not in seen:
            seen.add(entry["id"])
            result.append(entry)
    return result
