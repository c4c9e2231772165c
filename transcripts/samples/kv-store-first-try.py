"""The coding sample's first try at part 1: deleting a missing key raises KeyError."""


class KVStore:
    def __init__(self):
        self._data = {}

    def set(self, key, value):
        self._data[key] = value

    def get(self, key):
        return self._data.get(key)

    def delete(self, key):
        del self._data[key]

    def __len__(self):
        return len(self._data)
