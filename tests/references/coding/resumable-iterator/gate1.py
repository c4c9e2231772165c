"""Resumable iterator, gate 1: a plain iterator over a sequence."""


class ResumableIterator:
    """Iterates a sequence by index.

    A class rather than a generator, because the index is the iterator's whole position
    and a class can show it; a generator keeps its position in a suspended frame.
    """

    def __init__(self, sequence):
        self._sequence = sequence
        self._index = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self._index >= len(self._sequence):
            raise StopIteration
        item = self._sequence[self._index]
        self._index += 1
        return item
