"""Hidden checks for the ML coding round's streaming response buffer.

Delta sizes come from a seeded random.Random, so every run pushes the same pieces. Nothing here sleeps:
waiting is only ever a timeout the candidate's code is asked to honour, or a bounded join on a thread
that should already have been woken.
"""

from __future__ import annotations

import random
import sys
import threading

from interviewer.workbench.spec import check

# Two-, three- and four-byte characters next to ASCII, so every kind of split is exercised.
SAMPLE = "Zürich → 東京 in 3 hours 🚄, then 🍣 for everyone! "
EMOJI = "🚄"  # 4 bytes in UTF-8
WAKE_LIMIT_S = 2.0  # how long a woken thread may take to return before we call it stuck


def _pieces(data, seed, largest):
    """Split data into consecutive pieces of 1..largest items, the same way for the same seed."""
    rng = random.Random(seed)
    pieces, start = [], 0
    while start < len(data):
        size = rng.randint(1, largest)
        pieces.append(data[start : start + size])
        start += size
    return pieces


def _read_all(buffer):
    """Close the stream and return everything read() still gives back."""
    buffer.close()
    return buffer.read()


def _in_thread(target):
    """Run target in a daemon thread; returns (thread, outcome) where outcome collects its result or error."""
    outcome = {}

    def run():
        try:
            outcome["result"] = target()
        except BaseException as error:  # reported by the check that started the thread
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


# ---------------------------------------------------------------- gate 1: accumulate


@check("accumulate", "read() returns the concatenation of every delta pushed, non-ASCII text included")
def read_returns_everything_pushed(solution):
    buffer = solution.StreamBuffer()
    pieces = _pieces(SAMPLE * 3, seed=1, largest=7)
    for piece in pieces:
        buffer.push(piece)
    got = buffer.read()
    assert got == SAMPLE * 3, f"expected read() to return the {len(SAMPLE * 3)} characters pushed, got {got!r}"


@check("accumulate", "each read() returns only what arrived since the previous read, and '' when nothing new did")
def read_returns_only_new_text(solution):
    buffer = solution.StreamBuffer()
    buffer.push("Hello, ")
    buffer.push("wor")
    reads = [buffer.read(), buffer.read()]
    buffer.push("ld")
    reads.append(buffer.read())
    assert reads == ["Hello, wor", "", "ld"], f"expected reads ['Hello, wor', '', 'ld'], got {reads}"


@check("accumulate", "empty deltas change nothing")
def empty_deltas_are_fine(solution):
    buffer = solution.StreamBuffer()
    for piece in ["", "a", "", "", "b", ""]:
        buffer.push(piece)
    got = buffer.read()
    assert got == "ab", f"expected 'ab', got {got!r}"
    buffer.push("")
    got = buffer.read()
    assert got == "", f"expected '' after pushing only an empty delta, got {got!r}"


@check("accumulate", "push after close() raises ValueError")
def push_after_close_raises(solution):
    buffer = solution.StreamBuffer()
    buffer.push("done")
    buffer.close()
    try:
        buffer.push("more")
    except ValueError:
        return
    raise AssertionError("expected ValueError from push after close(), but push returned")


@check("accumulate", "text pushed before close() can still be read after it; then reads return ''")
def read_after_close_drains(solution):
    buffer = solution.StreamBuffer()
    buffer.push("last ")
    buffer.push("words")
    buffer.close()
    reads = [buffer.read(), buffer.read()]
    assert reads == ["last words", ""], f"expected reads ['last words', ''] after close, got {reads}"


@check("accumulate", "20,000 one-character deltas, read every 1,000, come back whole and in order")
def many_small_deltas(solution):
    buffer = solution.StreamBuffer()
    text = (SAMPLE * 500)[:20_000]
    received = []
    for index, character in enumerate(text, start=1):
        buffer.push(character)
        if index % 1_000 == 0:
            received.append(buffer.read())
    received.append(_read_all(buffer))
    got = "".join(received)
    assert got == text, f"expected the 20,000 characters pushed, got {len(got)} characters differing at {_first_difference(got, text)}"


def _first_difference(got, expected):
    for index, (a, b) in enumerate(zip(got, expected)):
        if a != b:
            return f"index {index} ({a!r} instead of {b!r})"
    return f"index {min(len(got), len(expected))} (one is longer)"


# ---------------------------------------------------------------- gate 2: clean-chunks


@check("clean-chunks", "a 4-byte emoji split between two byte deltas at every possible point never reaches a read half-formed")
def four_byte_character_split_anywhere(solution):
    data = f"go {EMOJI} now".encode("utf-8")
    start = data.index(EMOJI.encode("utf-8"))
    for split in range(start + 1, start + 4):
        buffer = solution.StreamBuffer()
        buffer.push(data[:split])
        first = buffer.read()
        buffer.push(data[split:])
        second = buffer.read()
        assert "\ufffd" not in first + second and first + second == f"go {EMOJI} now", (
            f"split after byte {split}: expected reads to join to 'go {EMOJI} now', got {first!r} then {second!r}"
        )


@check("clean-chunks", "text pushed one byte at a time and read after every byte comes back identical, whole characters only")
def one_byte_at_a_time(solution):
    buffer = solution.StreamBuffer()
    reads = []
    for byte in SAMPLE.encode("utf-8"):
        buffer.push(bytes([byte]))
        reads.append(buffer.read())
    reads.append(_read_all(buffer))
    broken = [r for r in reads if "\ufffd" in r]
    assert not broken, f"expected only whole characters in every read, got {broken[0]!r}"
    got = "".join(reads)
    assert got == SAMPLE, f"expected {SAMPLE!r}, got {got!r}"


@check("clean-chunks", "with word_mode=True, reads end at whitespace and a trailing partial word waits for more text")
def word_mode_holds_back_partial_word(solution):
    buffer = solution.StreamBuffer(word_mode=True)
    reads = []
    for delta in [b"hello wor", b"ld and mo", b"re", b" "]:
        buffer.push(delta)
        reads.append(buffer.read())
    expected = ["hello ", "world and ", "", "more "]
    assert reads == expected, f"expected reads {expected} in word mode, got {reads}"


@check("clean-chunks", "word mode never holds back more than max_word_chars characters of an unbroken run")
def held_word_is_capped(solution):
    buffer = solution.StreamBuffer(word_mode=True, max_word_chars=8)
    pushed, received = "", ""
    for delta in ["see https://", "example.com/", "a/very/long/path", "/with/no/spaces"]:
        buffer.push(delta.encode("utf-8"))
        pushed += delta
        received += buffer.read()
        held = len(pushed) - len(received)
        assert held <= 8, f"expected at most 8 characters held back with max_word_chars=8, got {held} ({pushed[len(received):]!r})"
    received += _read_all(buffer)
    assert received == pushed, f"expected everything pushed once the stream closes, got {received!r}"


@check("clean-chunks", "close() releases the held-back word, and a character still incomplete at close comes out as U+FFFD")
def close_flushes_held_text(solution):
    buffer = solution.StreamBuffer(word_mode=True)
    buffer.push(b"final answer")
    first = buffer.read()
    got = first + _read_all(buffer)
    assert (first, got) == ("final ", "final answer"), f"expected 'final ' then 'answer' after close, got {first!r} then {got[len(first):]!r}"
    buffer = solution.StreamBuffer()
    buffer.push(b"cut " + EMOJI.encode("utf-8")[:2])
    got = buffer.read() + _read_all(buffer)
    assert got == "cut \ufffd", f"expected 'cut \\ufffd' for a character cut off at close, got {got!r}"


@check("clean-chunks", "invalid bytes come out as U+FFFD instead of raising, and the text around them survives")
def invalid_bytes_become_replacement(solution):
    buffer = solution.StreamBuffer()
    buffer.push(b"ok \xff")
    buffer.push(b" fine")
    got = buffer.read() + _read_all(buffer)
    assert got == "ok \ufffd fine", f"expected 'ok \\ufffd fine', got {got!r}"


# ---------------------------------------------------------------- gate 3: backpressure


def _fill(buffer, delta, timeout=0.01):
    """Push delta until a push times out; returns how many went in (at most 100)."""
    for accepted in range(100):
        try:
            buffer.push(delta, timeout=timeout)
        except TimeoutError:
            return accepted
    return 100


@check("backpressure", "with max_buffered=64, push(delta, timeout=0.01) of 10-byte deltas takes 6 and times out on the 7th")
def push_waits_for_room(solution):
    buffer = solution.StreamBuffer(max_buffered=64)
    accepted = _fill(buffer, b"0123456789")
    assert accepted == 6, (
        f"expected 6 pushes of 10 bytes to fit in 64 bytes and the 7th to raise TimeoutError, got {accepted} accepted"
    )


@check("backpressure", "reading makes room: after a read(), pushes go through again, even a delta bigger than max_buffered")
def reading_makes_room(solution):
    buffer = solution.StreamBuffer(max_buffered=64)
    accepted = _fill(buffer, b"0123456789")
    assert accepted < 100, "expected pushes to time out once the buffer held 64 bytes, but 100 went in"
    got = buffer.read()
    assert got == "0123456789" * accepted, f"expected read() to return the {accepted * 10} bytes pushed, got {got!r}"
    buffer.push(b"after", timeout=0.01)
    got = buffer.read()
    assert got == "after", f"expected 'after' once room was made, got {got!r}"
    oversized = b"x" * 100
    try:
        buffer.push(oversized, timeout=0.01)
    except TimeoutError:
        raise AssertionError("expected a 100-byte delta to go into an empty buffer with max_buffered=64, but push timed out") from None
    got = buffer.read()
    assert got == "x" * 100, f"expected the 100-byte delta back from read(), got {len(got)} characters"


@check("backpressure", "next_chunk(timeout=0.01) raises TimeoutError on an open stream with nothing ready, and returns ready text")
def next_chunk_waits_and_times_out(solution):
    buffer = solution.StreamBuffer()
    try:
        buffer.next_chunk(timeout=0.01)
    except TimeoutError:
        pass
    else:
        raise AssertionError("expected TimeoutError from next_chunk(timeout=0.01) with nothing pushed")
    buffer.push(b"ready")
    got = buffer.next_chunk(timeout=0.01)
    assert got == "ready", f"expected next_chunk to return 'ready', got {got!r}"


@check("backpressure", "close() wakes a reader waiting in next_chunk(), which then returns None")
def close_wakes_waiting_reader(solution):
    buffer = solution.StreamBuffer()
    started = threading.Event()

    def wait_for_chunk():
        started.set()
        return buffer.next_chunk()

    thread, outcome = _in_thread(wait_for_chunk)
    started.wait(WAKE_LIMIT_S)
    buffer.close()
    thread.join(WAKE_LIMIT_S)
    assert not thread.is_alive(), f"expected next_chunk() to return once close() was called, still waiting after {WAKE_LIMIT_S} s"
    assert "error" not in outcome, f"expected next_chunk() to return None after close, but it raised {outcome['error']!r}"
    assert outcome["result"] is None, f"expected None from next_chunk() after close, got {outcome['result']!r}"


@check("backpressure", "close() wakes a producer waiting for room, and its push raises ValueError")
def close_wakes_blocked_writer(solution):
    buffer = solution.StreamBuffer(max_buffered=16)
    buffer.push(b"0123456789abcdef")
    started = threading.Event()

    def push_into_full_buffer():
        started.set()
        buffer.push(b"more")

    thread, outcome = _in_thread(push_into_full_buffer)
    started.wait(WAKE_LIMIT_S)
    buffer.close()
    thread.join(WAKE_LIMIT_S)
    assert not thread.is_alive(), f"expected the waiting push to end once close() was called, still waiting after {WAKE_LIMIT_S} s"
    assert isinstance(outcome.get("error"), ValueError), (
        f"expected the waiting push to raise ValueError after close, got {outcome.get('error', 'a normal return')!r}"
    )


@check("backpressure", "a producer thread and a reader using next_chunk() pass 6 KB through a 16-byte buffer whole, in order and never over the bound")
def threaded_stream_arrives_whole_and_bounded(solution):
    data = (SAMPLE * 100).encode("utf-8")
    pieces = _pieces(data, seed=3, largest=12)
    buffer = solution.StreamBuffer(max_buffered=16)
    pushed = [0]  # bytes whose push has returned; the reader only ever sees an undercount

    def produce():
        for piece in pieces:
            buffer.push(piece, timeout=WAKE_LIMIT_S)
            pushed[0] += len(piece)
        buffer.close()

    previous_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often so the two sides interleave
    try:
        thread, outcome = _in_thread(produce)
        received, received_bytes, worst_gap = [], 0, 0
        while True:
            chunk = buffer.next_chunk(timeout=WAKE_LIMIT_S)
            if chunk is None:
                break
            received.append(chunk)
            received_bytes += len(chunk.encode("utf-8"))
            worst_gap = max(worst_gap, pushed[0] - received_bytes)
        thread.join(WAKE_LIMIT_S)
    finally:
        sys.setswitchinterval(previous_interval)
    assert "error" not in outcome, f"expected the producer to finish, got {outcome['error']!r}"
    got = "".join(received)
    expected = data.decode("utf-8")
    assert got == expected, f"expected the {len(expected)} characters pushed, got {len(got)} differing at {_first_difference(got, expected)}"
    assert worst_gap <= 16, f"expected at most 16 bytes pushed but not yet read, saw {worst_gap}"


# ---------------------------------------------------------------- gate 4: resume


def _sent_chunks(buffer, text, seed):
    """Push text in pieces, reading after each; returns the non-empty chunks the client was sent."""
    chunks = []
    for piece in _pieces(text.encode("utf-8"), seed=seed, largest=9):
        buffer.push(piece)
        chunk = buffer.read()
        if chunk:
            chunks.append(chunk)
    return chunks


@check("resume", "resume(offset) at every chunk boundary returns all the text sent after that offset")
def resume_replays_from_any_offset(solution):
    buffer = solution.StreamBuffer()
    chunks = _sent_chunks(buffer, SAMPLE * 2, seed=4)
    sent = "".join(chunks).encode("utf-8")
    offset = 0
    for chunk in [""] + chunks:
        offset += len(chunk.encode("utf-8"))
        expected = sent[offset:].decode("utf-8")
        got = buffer.resume(offset)
        assert got == expected, f"resume({offset}): expected {expected!r}, got {got!r}"


@check("resume", "after resume the client gets new text exactly once: received + replay + later reads is the whole stream")
def resume_then_carry_on_exactly_once(solution):
    buffer = solution.StreamBuffer(word_mode=True)
    text = SAMPLE * 3
    chunks = _sent_chunks(buffer, text[: len(text) // 2], seed=5)
    received = "".join(chunks[: len(chunks) // 2])  # the rest were lost with the connection
    replay = buffer.resume(len(received.encode("utf-8")))
    later = _sent_chunks(buffer, text[len(text) // 2 :], seed=6)
    got = received + replay + "".join(later) + _read_all(buffer)
    assert got == text, f"expected the whole stream once, got {len(got)} characters differing at {_first_difference(got, text)}"


@check("resume", "reconnecting twice with the same offset returns the same text; resume at the end returns ''")
def same_offset_twice_same_text(solution):
    buffer = solution.StreamBuffer()
    chunks = _sent_chunks(buffer, SAMPLE, seed=7)
    offset = len(chunks[0].encode("utf-8"))
    first, second = buffer.resume(offset), buffer.resume(offset)
    assert first == second, f"expected resume({offset}) to return the same text twice, got {first!r} then {second!r}"
    end = len("".join(chunks).encode("utf-8"))
    got = buffer.resume(end)
    assert got == "", f"expected '' from resume({end}) with nothing sent after it, got {got!r}"


@check("resume", "with replay_bytes=32, an offset inside the last 32 bytes replays and one far older raises LookupError")
def offset_older_than_window_raises(solution):
    buffer = solution.StreamBuffer(replay_bytes=32)
    for index in range(100):
        buffer.push(f"chunk {index:03d} ".encode("utf-8"))  # 10 bytes each
        buffer.read()
    got = buffer.resume(1000 - 32)
    expected = "chunk 096 chunk 097 chunk 098 chunk 099 "[-32:]
    assert got == expected, f"expected resume(968) to replay {expected!r}, got {got!r}"
    try:
        buffer.resume(500)
    except LookupError:
        return
    raise AssertionError("expected LookupError from resume(500), 500 bytes behind a 32-byte replay window, but it returned")


@check("resume", "an offset past what was sent raises ValueError")
def offset_beyond_sent_raises(solution):
    buffer = solution.StreamBuffer()
    buffer.push(b"twelve bytes")
    buffer.read()
    try:
        buffer.resume(13)
    except ValueError:
        return
    raise AssertionError("expected ValueError from resume(13) after 12 bytes were sent, but it returned")


@check("resume", "offsets count UTF-8 bytes of text actually sent, not raw bytes pushed: held-back words and partial characters are not sent yet")
def offsets_count_sent_text_not_raw_deltas(solution):
    buffer = solution.StreamBuffer(word_mode=True)
    buffer.push("héllo wor".encode("utf-8") + EMOJI.encode("utf-8")[:2])  # 13 raw bytes
    sent = buffer.read()
    assert sent == "héllo ", f"expected 'héllo ' to be sent in word mode, got {sent!r}"
    got = buffer.resume(3)  # 'h' is 1 byte and 'é' is 2
    assert got == "llo ", f"expected resume(3) to return 'llo ', got {got!r}"
    try:
        buffer.resume(13)
    except ValueError:
        return
    raise AssertionError("expected ValueError from resume(13): only 7 bytes were sent, the rest is still held back")
