"""A buffer between a model streaming text deltas and the client reading them."""


class StreamBuffer:
    """Collects deltas until the client reads them.

    Parts go into a list and are joined once per read: a thousand `+=` on a growing string can
    copy the whole response each time (quadratic), while the join copies each byte once.
    """

    def __init__(self):
        self._parts = []
        self._closed = False

    def push(self, delta):
        if self._closed:
            raise ValueError("push after close: the stream has already ended")
        if delta:
            self._parts.append(delta)

    def read(self):
        """Everything pushed since the previous read, or '' when nothing new has arrived."""
        text = "".join(self._parts)
        self._parts.clear()
        return text

    def close(self):
        self._closed = True
