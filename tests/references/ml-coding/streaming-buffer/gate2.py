"""A buffer between a model streaming raw UTF-8 deltas and the client reading clean chunks."""

import codecs


def word_break(text):
    """Index just past the last whitespace character in text, or 0 when there is none."""
    for index in range(len(text) - 1, -1, -1):
        if text[index].isspace():
            return index + 1
    return 0


class StreamBuffer:
    """Turns raw deltas into chunks of whole characters and, in word mode, whole words.

    Bytes go through the standard incremental UTF-8 decoder, which keeps up to three trailing bytes of
    an unfinished character until the rest arrives. Invalid bytes become U+FFFD rather than failing the
    whole response. Decoded parts go into a list joined once per read, so each byte is copied once.
    """

    def __init__(self, word_mode=False, max_word_chars=64):
        if max_word_chars < 1:
            raise ValueError("max_word_chars must be at least 1")
        self.word_mode = word_mode
        self.max_word_chars = max_word_chars
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._parts = []  # decoded text not yet read
        self._closed = False

    def push(self, delta):
        """Accept bytes, or a string (taken as its UTF-8 bytes)."""
        if self._closed:
            raise ValueError("push after close: the stream has already ended")
        raw = delta.encode("utf-8") if isinstance(delta, str) else bytes(delta)
        text = self._decoder.decode(raw)
        if text:
            self._parts.append(text)

    def read(self):
        """Complete text that is ready since the previous read, or ''."""
        text = "".join(self._parts)
        self._parts.clear()
        ready, held = self._split_ready(text)
        if held:
            self._parts.append(held)
        return ready

    def close(self):
        if not self._closed:
            self._closed = True
            # A character still unfinished at the end can never complete: it comes out as U+FFFD.
            tail = self._decoder.decode(b"", final=True)
            if tail:
                self._parts.append(tail)

    def _split_ready(self, text):
        """(ready, held): in word mode hold back a trailing partial word, unless it has grown too long."""
        if not self.word_mode or self._closed:
            return text, ""
        cut = word_break(text)
        # An unbroken run (a long URL) would otherwise wait for the end of the stream; cap the wait.
        if len(text) - cut > self.max_word_chars:
            return text, ""
        return text[:cut], text[cut:]
