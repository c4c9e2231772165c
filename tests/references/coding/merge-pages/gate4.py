"""Merging paginated results, gate 4: a lazy k-way merge with bounded memory.

Each source becomes a generator that fetches its next page only when the merge asks for an item past
the end of the current one, so at most one page per source is held. heapq.merge keeps one item per
source in a heap (O(log k) per item) and breaks ties by source position, which keeps equal ts in source
order. A repeated id always carries the same ts, so only the ids at the current ts need remembering.
"""

import heapq
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


def _pages(fetch, index, retries, sleep):
    cursor = None
    while True:
        page, cursor = _fetch_page(fetch, index, cursor, retries, sleep)
        yield from page
        if cursor is None:
            return


def merge(sources, retries=2, sleep=time.sleep):
    streams = [_pages(fetch, index, retries, sleep) for index, fetch in enumerate(sources)]
    current_ts = None
    ids_at_ts = set()
    for entry in heapq.merge(*streams, key=lambda e: e["ts"]):
        if entry["ts"] != current_ts:
            current_ts = entry["ts"]
            ids_at_ts = set()
        if entry["id"] in ids_at_ts:
            continue
        ids_at_ts.add(entry["id"])
        yield entry
