"""Reading a file the user named, with a bound on what it may cost.

`st_size` cannot be trusted: /dev/zero and /proc files report 0 and never end, a FIFO blocks the
open itself, a file can grow while it is read. So a file is opened without blocking, must be a
regular file, and at most `limit` + 1 bytes are ever read from it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import InterviewerError

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))
_CHUNK = 1 << 20


def size_text(count: int) -> str:
    """A byte count for people: 64 MB, 512 KB, 300 bytes."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= scale:
            value = count / scale
            return f"{value:.0f} {unit}" if value >= 10 or value == int(value) else f"{value:.1f} {unit}"
    return f"{count} bytes"


def refuse_unless_regular(path: Path, info: os.stat_result, limit: int, error: type[InterviewerError],
                          fix: str) -> None:
    """Raise `error` unless `info` is a regular file of at most `limit` bytes (for a file that a
    library will open itself, after `os.stat`)."""
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise error(f"{path}: is {kind}, not a regular file; {fix}")
    if info.st_size > limit:
        raise error(f"{path}: {size_text(info.st_size)}, over the {size_text(limit)} limit; {fix}")


def read_bounded(path: str | os.PathLike[str], limit: int, error: type[InterviewerError] = InterviewerError,
                 fix: str = "check the path") -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; anything else raises
    `error` with one line naming the file, what is wrong and `fix`."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise error(f"{path}: no such file; {fix}") from None
    except PermissionError:
        raise error(f"{path}: permission denied; make the file readable (chmod u+r) or {fix}") from None
    except OSError as exc:
        raise error(f"{path}: cannot open ({exc.strerror or exc}); {fix}") from None
    try:
        refuse_unless_regular(path, os.fstat(fd), limit, error, fix)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise error(f"{path}: more than {size_text(limit)}, over the limit; {fix}")
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror or exc}); {fix}") from None
    finally:
        os.close(fd)
