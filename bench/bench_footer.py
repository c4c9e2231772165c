"""Launches of the real app under CPU load: in how many is the setup screen's footer drawn once
the voice check has finished? Prints figures; asserts nothing (tests/test_tmux_smoke.py does).

    python bench/bench_footer.py [LAUNCHES] [--app-driver-only]

Each launch runs `interviewer` in a 100x30 tmux pane while 2 busy-looping processes per CPU
keep every core loaded, waits until the voice note no longer says "checking" (the check imports
sounddevice, whose PortAudio start points descriptor 2 at /dev/null for a moment), then gives
the footer 5 s to be on the last line. Each launch with the app's driver is followed by one with
Textual's own Linux driver, which draws to descriptor 2 itself: the baseline, in the same run. With PortAudio, PulseAudio
and the ALSA plugins installed (as CI has them) the window is wide enough to matter.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def screen_when(name: str, predicate, timeout: float) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-J", "-t", name)
        if predicate(screen):
            return screen
        time.sleep(0.1)
    return None


def launch_once(folder: Path, textual_driver: bool) -> bool:
    name = f"footer-{uuid.uuid4().hex[:8]}"
    env = {"INTERVIEWER_TRANSCRIPTS_DIR": str(folder / "sessions"), "INTERVIEWER_CONFIG": str(folder / "none.toml"),
           "XDG_STATE_HOME": str(folder / "state"), "TERM": "xterm-256color", "PYTHONPATH": str(REPO)}
    if textual_driver:
        env["TEXTUAL_DRIVER"] = "textual.drivers.linux_driver:LinuxDriver"
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    # The pane stays after the app exits, with its exit status, so that a launch that ended is told from one
    # that drew nothing.
    tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30",
         f"cd {shlex.quote(str(folder))} && env {exports} {shlex.quote(sys.executable)} -m interviewer.cli; "
         "echo the app exited with status $?; sleep 600")
    try:
        checked = screen_when(name, lambda s: "Voice:" in s and "checking" not in s, 60) is not None
        drawn = screen_when(name, lambda s: bool(s.strip()) and "^q Quit" in s.rstrip().splitlines()[-1], 5) is not None
        if not drawn:  # what the user saw instead
            shown = [line for line in tmux("capture-pane", "-p", "-J", "-t", name).splitlines() if line.strip()]
            print(f"  missed ({'the voice check finished' if checked else 'the voice check never finished'}); "
                  f"what the pane shows: {shown[:2] + shown[-6:]!r}")
        return drawn
    finally:
        tmux("kill-session", "-t", name)


def main() -> None:
    if shutil.which("tmux") is None:
        sys.exit("bench_footer needs tmux (apt-get install tmux)")
    launches = int(next((a for a in sys.argv[1:] if a.isdigit()), "20"))
    drivers = (False, True) if "--app-driver-only" not in sys.argv else (False,)
    load = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2 * (os.cpu_count() or 2))]
    drawn = {driver: 0 for driver in drivers}
    try:
        with tempfile.TemporaryDirectory() as folder:
            for _ in range(launches):  # interleaved, so the load hits both drivers alike
                for textual_driver in drivers:
                    drawn[textual_driver] += launch_once(Path(folder), textual_driver)
    finally:
        for process in load:
            process.kill()
            process.wait()
    for textual_driver, count in drawn.items():
        driver = "Textual's LinuxDriver (draws to fd 2)" if textual_driver else "the app's driver (its own copy of fd 2)"
        print(f"{driver}: footer drawn in {count} of {launches} launches under load "
              f"({len(load)} busy processes on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
