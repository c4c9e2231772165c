"""Merging paginated results, gate 2: each id comes out once, at its first place in merged order."""


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
    seen = set()
    result = []
    for entry in everything:
        if entry["id"] not in seen:
            seen.add(entry["id"])
            result.append(entry)
    return result
