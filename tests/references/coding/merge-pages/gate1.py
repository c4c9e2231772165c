"""Merging paginated results, gate 1: read every source page by page, then one stable sort by ts.

Concatenating the sources in list order and sorting with a stable sort puts equal ts in source order,
and each source's own order, for free. Everything is held in memory at once.
"""


def _read_all(fetch):
    items = []
    cursor = None
    while True:
        page, cursor = fetch(cursor)
        items.extend(page)
        if cursor is None:
            return items


def merge(sources):
    everything = []
    for fetch in sources:
        everything.extend(_read_all(fetch))
    everything.sort(key=lambda entry: entry["ts"])
    return everything
