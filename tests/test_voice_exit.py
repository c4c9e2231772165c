"""Quitting while the models are busy: the process exits cleanly.

Speech is synthesized and heard on daemon threads inside ONNX Runtime and CTranslate2. Exiting while
such a call ran used to abort the process after everything else had gone well ("terminate called
without an active exception", exit 134), for instance on Ctrl+Q while the interviewer was speaking.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from interviewer.voice import native

REPO = Path(__file__).resolve().parent.parent

BUSY_AT_EXIT = """
import threading
import numpy as np
from interviewer.voice import stt, tts
from interviewer.voice.segmenter import SpeechDetector

model, voice, detector = stt.load(), tts.load(), SpeechDetector()
noise = (np.random.RandomState(0).randn(16000 * 20) * 0.1).astype(np.float32)
calls = {"hear": model.transcribe, "say": lambda _: voice.synthesize("A long reply the interviewer keeps saying, "
                                                                       "over and over, while the user quits."),
         "vad": detector.feed}
busy = {name: threading.Event() for name in calls}
for name, call in calls.items():
    def loop(call=call, name=name):
        while True:
            call(noise)
            busy[name].set()
    threading.Thread(target=loop, daemon=True, name=name).start()
for done in busy.values():
    done.wait()
print("quitting with", sorted(busy), "busy", flush=True)
"""


def test_exiting_while_speech_models_are_busy_is_clean():
    # Three runs: the abort depended on where the native call was when exit began.
    for _ in range(3):
        run = subprocess.run([sys.executable, "-c", BUSY_AT_EXIT], capture_output=True, text=True, cwd=REPO,
                             timeout=180)
        assert "quitting with ['hear', 'say', 'vad'] busy" in run.stdout
        assert "terminate called" not in run.stderr
        assert run.returncode == 0, run.stderr[-2000:]


def test_after_exit_begins_a_new_native_call_waits_and_calls_in_flight_finish_first():
    gate = native.ExitGate()  # its own gate: the process's count belongs to threads other tests may have left
    inside, release, started_late = threading.Event(), threading.Event(), threading.Event()

    def in_flight_call():
        with gate.call():
            inside.set()
            release.wait(10)

    def late_call():
        with gate.call():
            started_late.set()

    first = threading.Thread(target=in_flight_call, daemon=True)
    first.start()
    assert inside.wait(10)
    drained: list[bool] = []
    drainer = threading.Thread(target=lambda: drained.append(gate.drain(timeout=10)), daemon=True)
    drainer.start()
    late = threading.Thread(target=late_call, daemon=True)
    late.start()
    assert gate.in_flight == 1 and not drained  # exit waits for the call in flight
    release.set()
    drainer.join(10)
    assert drained == [True]
    late.join(0.2)
    assert not started_late.is_set() and late.is_alive()  # a call begun after exit never reaches native code
    gate.reopen()  # let the parked thread go, so it does not outlive the test waiting
    late.join(10)
    assert started_late.is_set()


def test_drain_gives_up_after_its_timeout():
    gate = native.ExitGate()
    inside, release = threading.Event(), threading.Event()

    def stuck_call():
        with gate.call():
            inside.set()
            release.wait(10)

    stuck = threading.Thread(target=stuck_call, daemon=True)
    stuck.start()
    assert inside.wait(10)
    try:
        assert gate.drain(timeout=0.05) is False
        assert gate.in_flight == 1
    finally:
        release.set()
        stuck.join(10)
    assert gate.in_flight == 0


def test_the_model_modules_call_through_the_process_gate():
    # The drain at exit only protects calls that pass through the process's own gate.
    from interviewer.voice import segmenter, stt, tts

    for module in (stt, tts, segmenter):
        assert module.native_call is native.native_call
