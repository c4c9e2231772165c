"""The terminal driver, writing to a descriptor of its own.

Textual's Linux driver draws every frame to file descriptor 2. Importing `sounddevice` (the
setup screen's voice check does, on a worker thread) starts PortAudio with descriptor 2
pointed at /dev/null for a moment, to hide PortAudio's chatter; frames drawn in that moment
went to /dev/null and were never redrawn, so the footer was sometimes missing. This driver
duplicates descriptor 2 when it starts and draws through the duplicate, which no library's
`dup2(…, 2)` can redirect. The duplicate stays open for the life of the process: the driver
restarts its writer on the same file after a suspend (Ctrl+Z).
"""

from __future__ import annotations

import os
import sys

from textual.drivers.linux_driver import LinuxDriver


class OwnDescriptorDriver(LinuxDriver):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        stream = sys.__stderr__
        self._file = os.fdopen(os.dup(stream.fileno()), "w", encoding=stream.encoding or "utf-8",
                               errors="replace", closefd=True)

