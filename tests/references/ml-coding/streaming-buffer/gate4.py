"""A bounded, thread-safe, resumable buffer between a model streaming raw UTF-8 deltas and its clients."""

import codecs
import collections
import threading
import time


def word_break(text):
    """Index just past the last whitespace character in text, or 0 when there is none."""
    for index in range(len(text) - 1, -1, -1):
        if text[index].isspace():
            return index + 1
    return 0


class StreamBuffer:
    """Turns raw deltas into chunks of whole characters and, in word mode, whole words.

    The producer (model) and consumer (client) may run in different threads. Unread data is capped at
    max_buffered bytes: a push that would pass the cap waits on a condition variable until the reader
    makes room, and gives up with TimeoutError, so a stalled client turns into a disconnect instead of
    holding a generation slot forever. close() wakes every waiter.

    Sent text stays in a replay window of at least replay_bytes, as whole chunks tagged with their byte
    offset, so a client that reconnects can ask for everything after the last byte it received.
    """

    def __init__(self, word_mode=False, max_word_chars=64, max_buffered=65536, replay_bytes=65536):
        if max_word_chars < 1:
            raise ValueError("max_word_chars must be at least 1")
        if word_mode and 4 * max_word_chars > max_buffered:
            # A held-back word counts as unread; if it could fill the buffer, producer and reader would
            # each wait for the other.
            raise ValueError("max_buffered must hold at least max_word_chars characters of 4 bytes each")
        self.word_mode = word_mode
        self.max_word_chars = max_word_chars
        self.max_buffered = max_buffered
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._parts = []  # decoded text not yet read
        self._unread_bytes = 0  # UTF-8 size of _parts
        self._closed = False
        self._changed = threading.Condition()
        self.replay_bytes = replay_bytes
        self._sent = collections.deque()  # (offset of first byte, UTF-8 bytes) of recently sent chunks
        self._sent_bytes = 0  # offset just past the last sent byte
        self._kept_bytes = 0  # total size of the chunks in _sent

    def push(self, delta, timeout=None):
        """Accept bytes or a string; wait while it would take the unread bytes past max_buffered."""
        raw = delta.encode("utf-8") if isinstance(delta, str) else bytes(delta)
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            # A delta bigger than the whole buffer goes in once the buffer is empty, so it cannot wait forever.
            while not self._closed and self._pending_bytes() > 0 and self._pending_bytes() + len(raw) > self.max_buffered:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise TimeoutError(f"no room for {len(raw)} bytes within {timeout} s: the reader has stalled")
                self._changed.wait(remaining)
            if self._closed:
                raise ValueError("push after close: the stream has already ended")
            text = self._decoder.decode(raw)
            if text:
                self._parts.append(text)
                self._unread_bytes += len(text.encode("utf-8"))
                self._changed.notify_all()

    def read(self):
        """Complete text that is ready since the previous read, or '' (never waits)."""
        with self._changed:
            return self._take_ready()

    def next_chunk(self, timeout=None):
        """Wait for ready text and return it; None once the stream is closed and fully read."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while True:
                chunk = self._take_ready()
                if chunk:
                    return chunk
                if self._closed:
                    return None
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise TimeoutError(f"nothing to read within {timeout} s")
                self._changed.wait(remaining)

    def close(self):
        with self._changed:
            if not self._closed:
                self._closed = True
                # A character still unfinished at the end can never complete: it comes out as U+FFFD.
                tail = self._decoder.decode(b"", final=True)
                if tail:
                    self._parts.append(tail)
                    self._unread_bytes += len(tail.encode("utf-8"))
                self._changed.notify_all()

    def resume(self, offset):
        """All text sent after byte `offset`, for a client that reconnects having received `offset` bytes."""
        with self._changed:
            if offset < 0 or offset > self._sent_bytes:
                raise ValueError(f"offset {offset} is outside the {self._sent_bytes} bytes sent so far")
            window_start = self._sent[0][0] if self._sent else self._sent_bytes
            if offset < window_start:
                raise LookupError(
                    f"offset {offset} is older than the replay window, which starts at byte {window_start}: "
                    "the client has to start the response again"
                )
            kept = b"".join(chunk for _, chunk in self._sent)
        try:
            return kept[offset - window_start :].decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"offset {offset} falls inside a character; offsets count whole bytes received") from None

    def _record_sent(self, text):
        """Keep a sent chunk for replay, dropping the oldest while the rest still cover replay_bytes."""
        chunk = text.encode("utf-8")
        self._sent.append((self._sent_bytes, chunk))
        self._sent_bytes += len(chunk)
        self._kept_bytes += len(chunk)
        while self._kept_bytes - len(self._sent[0][1]) >= self.replay_bytes:
            self._kept_bytes -= len(self._sent.popleft()[1])

    def _pending_bytes(self):
        """Bytes pushed but not yet read: decoded text plus an unfinished character inside the decoder."""
        return self._unread_bytes + len(self._decoder.getstate()[0])

    def _take_ready(self):
        """Remove and return the text that is ready; call with the lock held."""
        text = "".join(self._parts)
        self._parts.clear()
        ready, held = self._split_ready(text)
        if held:
            self._parts.append(held)
        if ready:
            self._unread_bytes -= len(ready.encode("utf-8"))
            self._record_sent(ready)
            self._changed.notify_all()  # room for a waiting producer
        return ready

    def _split_ready(self, text):
        """(ready, held): in word mode hold back a trailing partial word, unless it has grown too long."""
        if not self.word_mode or self._closed:
            return text, ""
        cut = word_break(text)
        # An unbroken run (a long URL) would otherwise wait for the end of the stream; cap the wait.
        if len(text) - cut > self.max_word_chars:
            return text, ""
        return text[:cut], text[cut:]
