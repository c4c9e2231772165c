"""Hands-free turns and barge-in, CPU, one run. Prints figures; asserts nothing; a measurement that
did not happen is counted, never fatal.

    python bench/bench_turns.py [--trials 5] [--long-trials 3] [--barge-ins 10] [--replies 3] [--silence S ...]

1. Hands-free turn gap: the candidate's last word to the interviewer's first audio sample, offline
   brain, as the app does it (live transcription, end of turn, refine, reply, Piper), beside
   push-to-talk's release-to-text (quick and refined) and release-to-first-audio on the same answers.
   Hands-free is measured three ways, turn by turn: as the app does it now (the end silence of
   `voice.end_silence_s`, or each `--silence`, with the reply worked out and its first clause
   synthesized during the countdown, and the pass ahead hearing as much of the end of the answer as
   it can finish within the countdown, greedily when that is long); the same with the full beam; the same
   with the whole answer refined ahead; and as it did
   before (1.5 s of silence, the reply worked out once the turn has ended, the whole answer refined
   ahead).
   Answers are Piper speech played in real time through the real capture path: short ones (4-6 s) and,
   measured the same way after them, long ones (12-20 s, said without a long pause, as real answers are).
2. Barge-in on a private PulseAudio server, the interviewer's voice in one null sink (headphones)
   and the candidate's speech played into the microphone's: speech onset to playback stopped.
3. Loopback (no headphones): the interviewer's voice played into the microphone's own sink; how
   many replies it cut off by itself, with the echo guard and without, and whether the candidate
   talking over it is still heard.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RATE = 16_000
REPLY = ("Let's talk about failure modes. Suppose a receiver is down for an hour. Where do the retries wait, "
         "how long does the sender keep trying, and what does the customer see on their dashboard while it is "
         "down? Take your time and walk me through it.")
ANSWERS = [
    "Every event goes onto a durable queue first, keyed by endpoint. A failed delivery is retried with backoff.",
    "I would shard the table by customer id. Each shard has two replicas in other zones.",
    "The cache sits in front of the database. On a miss we read through and set a short expiry.",
    "We stream tokens back over server sent events. The client renders them as they arrive.",
    "Writes go to a write ahead log before the memtable. A crash replays the log on start.",
    "The rate limiter keeps a token bucket per key in Redis. Refill happens lazily on each request.",
]
# Answers as long as real ones (12-20 s, three or four sentences said without a long pause): the live caption
# has to keep up with them, and the pass that refines the end of the answer hears more audio.
LONG_ANSWERS = [
    "Okay, so let's say ten million daily users and about five hundred thousand concurrent streams at peak. Each "
    "reply is around five hundred tokens, and I want the first token on screen in under a second at p95.",
    "At a high level the client talks to an API gateway, then a chat service, then the model servers, with a "
    "database for history. I'd stream tokens back with server sent events rather than WebSockets, because the "
    "traffic is one way, and it works over plain HTTP with automatic reconnect.",
    "When a model server dies mid reply, the chat service notices the stream closed without its final event. It "
    "retries the request on another server with the tokens already sent as a prefix, so the user sees a short "
    "pause rather than an error, and we cap that at one retry per reply.",
]


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def spread(values) -> str:
    if not values:
        return "no measurements"
    return f"p50 {statistics.median(values):.2f} s, p99 {pct(values, 99):.2f} s, max {max(values):.2f} s (n={len(values)})"


def mean_wer(figures) -> str:
    """Mean and median word error rate, and the worst text: one runaway transcript moves the mean."""
    if not figures:
        return "no measurements"
    worst = max(figures, key=lambda f: f["wer"])
    rates = [f["wer"] for f in figures]
    return (f"{statistics.mean(rates):.3f} (median {statistics.median(rates):.3f}; "
            f"worst {worst['wer']:.2f}: {worst['text'][:90]!r})")


def clip(voice, text):
    """Piper saying `text` at 16 kHz, and where its last speech ends (seconds, by the VAD)."""
    import numpy as np

    from interviewer.voice import stt, tts
    from interviewer.voice.segmenter import WINDOW, SpeechDetector

    with tempfile.TemporaryDirectory() as tmp:
        audio = stt.read_audio(tts.write_wav(Path(tmp) / "a.wav", voice.synthesize(text), voice.sample_rate))
    scores = SpeechDetector().feed(audio)
    spoken = np.flatnonzero(scores >= 0.5)
    return audio, (int(spoken[-1]) + 1) * WINDOW / RATE


def answer_turn(whisper, voice, services, text, hands_free, silence_s=1.5, reply_ahead=False, fit_ahead=True,
                greedy_ahead=True):
    """One answer through capture, live transcription, (end of turn,) refine, the offline brain and
    the speaker. Hands-free, the refinement starts during the countdown, and with `reply_ahead` so
    does the reply (worked out on a fork of the engine, its first clause synthesized), as the app
    does it. Returns the figures, or None if the turn never ended."""
    import numpy as np

    from interviewer.reply_ahead import ReplyAhead, Snapshot
    from interviewer.session import Session
    from interviewer.voice.accuracy import word_error_rate
    from interviewer.voice.capture import Recorder
    from interviewer.voice.fake_stream import FakeInputStream, FakeOutputStream
    from interviewer.voice.listening import TurnWatch
    from interviewer.voice.live import LiveTranscriber
    from interviewer.voice.speaker import Speaker
    from interviewer.voice.turns import TurnOptions

    audio, last_word_s = clip(voice, text)
    session = Session.create(services.library, "system-design", "webhook-delivery", services.settings, services.brain)
    session.open()
    started = threading.Event()
    events = []
    speaker = Speaker(voice, output_factory=FakeOutputStream.factory(),
                      on_event=lambda event: (events.append(event), started.set()))
    ended = threading.Event()
    watch = TurnWatch(TurnOptions(silence_s=silence_s), on_end=lambda decision: ended.set())
    live = LiveTranscriber(whisper, on_scores=watch.scores if hands_free else None,
                           on_caption=lambda caption: watch.caption(caption, live.captioned_s))
    live.fit_ahead = fit_ahead
    live.greedy_ahead = greedy_ahead
    ahead = ReplyAhead()
    if hands_free:
        watch.on_pause, watch.on_resume = live.refine_ahead, live.drop_ahead
    if hands_free and reply_ahead:
        def heard_ahead(heard):  # on the transcriber's worker; the app posts it to its UI thread
            if heard is None:
                ahead.cancel()
                return
            # Nothing else steps this session meanwhile, so the snapshot may be taken here.
            snapshot = Snapshot.take(session, watch.decision().remaining_s)
            if snapshot is not None:
                threading.Thread(target=ahead.prepare, args=(snapshot, heard, speaker, ahead.start()),
                                 daemon=True).start()
        live.on_ahead = heard_ahead
    tail = np.zeros(5 * RATE if hands_free else int(0.1 * RATE), dtype=np.float32)
    microphone = FakeInputStream.factory(np.concatenate([audio, tail]), speed=1.0)
    live.start(Recorder(stream_factory=microphone))
    last_word_at = time.monotonic() + last_word_s  # the stream plays in real time from its start, just now
    figures = {}
    if hands_free:
        if not ended.wait(30):
            live.cancel()
            speaker.close()
            return None
        released = time.monotonic()
        figures["silence_wait_s"] = released - last_word_at
    else:
        microphone.stream.played.wait(30)
        released = time.monotonic()  # the key released as the last word ends
    live.finish()
    figures["quick_s"] = time.monotonic() - released
    result = live.refine()
    refined_at = time.monotonic()
    figures["refined_s"] = refined_at - released
    figures["ahead"] = live.refined_ahead
    figures["wer"], figures["text"] = word_error_rate(text, result.text), result.text
    figures["dropped"] = live.ahead.requests - int(live.refined_ahead)  # passes ahead the candidate spoke over
    session.on_chunk = speaker.feed  # as the app does: each sentence is said as its text arrives
    reply = session.submit(result.text)
    figures["reply_s"] = time.monotonic() - refined_at
    speaker.finish_reply(reply.text)
    if started.wait(30):
        first = events[0].at
        figures["first_audio_s"] = first - (last_word_at if hands_free else released)
        figures["speak_s"] = first - refined_at
    speaker.close()
    figures["prepared"], figures["prepared_used"] = ahead.prepared, speaker.prepared_used
    session.close("done")
    return figures


def report(label, kept):
    print(f"   hands-free, {label}:")
    print(f"     last word -> interviewer's first audio      {spread([f['first_audio_s'] for f in kept])}"
          "   (goal: p50 <= 1.5 s)")
    print(f"       of which: last word -> turn ended         {spread([f['silence_wait_s'] for f in kept])}")
    print(f"                 turn ended -> quick text        {spread([f['quick_s'] for f in kept])}")
    print(f"                 turn ended -> refined text      {spread([f['refined_s'] for f in kept])}")
    print(f"                 refined text -> reply text      {spread([f['reply_s'] for f in kept])}")
    print(f"                 refined text -> first audio     {spread([f['speak_s'] for f in kept])}")
    print(f"       answers refined ahead: {sum(f['ahead'] for f in kept)} of {len(kept)}; passes ahead dropped "
          f"because the candidate went on: {sum(f['dropped'] for f in kept)}")
    print(f"       replies whose first clause was ready: {sum(f['prepared_used'] for f in kept)} of {len(kept)} "
          f"(worked out ahead: {sum(f['prepared'] for f in kept)})")
    print(f"       word error rate of the text sent, mean    {mean_wer(kept)}")


def turns(whisper, voice, trials, silences, answers=ANSWERS, title="short answers, 4-6 s"):
    from interviewer.services import build_services

    with tempfile.TemporaryDirectory() as tmp:
        services = build_services(transcripts_dir=Path(tmp), brain="offline")
        answer_turn(whisper, voice, services, ANSWERS[0], hands_free=False)  # warm-up
        ways = [(f"now: {s:.2f} s of silence, reply worked out in the countdown", s, True, True, True)
                for s in silences]
        ways.append((f"now, but a long pass in a pause with the full beam ({silences[0]:.2f} s of silence)",
                     silences[0], True, True, False))
        ways.append((f"now, but the whole answer refined ahead ({silences[0]:.2f} s of silence, reply in the "
                     "countdown)", silences[0], True, False, False))
        ways.append(("before: 1.50 s of silence, reply worked out after the turn, the whole answer refined ahead",
                     1.5, False, False, False))
        kept = {label: [] for label, *_ in ways}
        push, missed = [], {label: 0 for label, *_ in ways}
        for i in range(trials):
            text = answers[i % len(answers)]
            for label, silence_s, ahead, fit, greedy in ways:  # interleaved, so load and warmth fall on all alike
                figures = answer_turn(whisper, voice, services, text, hands_free=True, silence_s=silence_s,
                                      reply_ahead=ahead, fit_ahead=fit, greedy_ahead=greedy)
                if figures is None or "first_audio_s" not in figures:
                    missed[label] += 1
                else:
                    kept[label].append(figures)
            figures = answer_turn(whisper, voice, services, text, hands_free=False)
            if figures is not None and "first_audio_s" in figures:
                push.append(figures)
    print(f"1. Turns, {title} (Piper answers played in real time; tiny.en; offline brain; refine on, as by default)")
    for label, *_ in ways:
        report(label, kept[label])
    counts = ", ".join(f"{label.split(':')[0]} {n}" for label, n in missed.items())
    print(f"   hands-free turns not measured (never ended, or no audio): {counts}")
    print(f"   push-to-talk: release -> quick text                     {spread([f['quick_s'] for f in push])}")
    print(f"   push-to-talk: release -> refined text                   {spread([f['refined_s'] for f in push])}")
    print(f"   push-to-talk: release -> interviewer's first audio      {spread([f['first_audio_s'] for f in push])}")
    print(f"   push-to-talk: word error rate of the refined text, mean  {mean_wer(push)}")


@contextlib.contextmanager
def pulse_server():
    """A private PulseAudio server with a null sink `interview` whose monitor is the microphone."""
    import os

    from interviewer.voice.capture import import_sounddevice

    sounddevice = import_sounddevice()
    runtime = Path(tempfile.mkdtemp(prefix="pa-"))
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    os.environ.pop("PULSE_SERVER", None)
    server = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--log-target=stderr", "--log-level=info",
         "-L", "module-native-protocol-unix", "-L", "module-null-sink sink_name=interview rate=16000 channels=1",
         "-L", "module-null-sink sink_name=speakers rate=22050 channels=1"], stderr=subprocess.PIPE, text=True)
    try:
        for line in server.stderr:
            if "startup complete" in line:
                break
        threading.Thread(target=server.stderr.read, daemon=True).start()
        subprocess.run(["pactl", "set-default-source", "interview.monitor"], check=True, timeout=10)
        sounddevice._terminate()
        sounddevice._initialize()
        yield
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(runtime, ignore_errors=True)


def interrupted_reply(voice, interruption, speak_for_s, options=None):
    """The interviewer says REPLY; `speak_for_s` in (None: never), the candidate's speech is played
    into the microphone. Returns (onset -> fired, onset -> playback stopped, fired, spoken_s)."""
    from interviewer.voice.capture import Recorder
    from interviewer.voice.listening import BargeInWatch
    from interviewer.voice.speaker import Speaker

    events = []
    player = None
    speaker = Speaker(voice, device="pulse", on_event=events.append)
    watch = BargeInWatch(Recorder(device="pulse"), speaker.played_rms,
                         on_barge_in=lambda w: speaker.stop("barge-in"), options=options)
    watch.start()
    onset = None
    try:
        speaker.finish_reply(REPLY)
        if speak_for_s is not None and speaker.speaking.wait(30):
            # Real time: the interviewer is talking meanwhile.
            threading.Event().wait(speak_for_s)
            if not watch.fired:
                onset = time.monotonic()
                player = subprocess.Popen(["paplay", "--device=interview", str(interruption)])
        speaker.wait_idle(60)
    finally:
        speaker.close()
        watch.close()
        if player is not None:
            # The interruption plays on after the interviewer stops: left running, its tail reaches the next
            # trial's microphone and fires that trial's barge-in before its own speech (counted as a miss).
            player.wait(10)
            threading.Event().wait(0.5)
    stopped = [e for e in events if e.kind == "stopped" and e.reason == "barge-in"]
    spoken = max((e.spoken_s for e in events if e.kind in ("stopped", "ended")), default=0.0)
    if onset is None or not stopped:
        return None, None, watch.fired, spoken
    return watch.fired_at - onset, stopped[0].at - onset, True, spoken


def barge_ins(voice, count, replies):
    from interviewer.voice import tts
    from interviewer.voice.turns import BargeInOptions

    if not all(shutil.which(tool) for tool in ("pulseaudio", "pactl", "paplay")):
        print("2-3. Barge-in: not measured (PulseAudio is not installed)")
        return
    with tempfile.TemporaryDirectory() as tmp, pulse_server():
        interruption = tts.write_wav(Path(tmp) / "i.wav", voice.synthesize("Sorry, can I stop you there?"),
                                     voice.sample_rate)
        subprocess.run(["pactl", "set-default-sink", "speakers"], check=True, timeout=10)
        heard, stopped, missed = [], [], 0
        for i in range(count):
            fired_s, stopped_s, _, _ = interrupted_reply(voice, interruption, 1.0 + (i % 5) * 0.4)
            if stopped_s is None:
                missed += 1
            else:
                heard.append(fired_s)
                stopped.append(stopped_s)
        print("2. Barge-in with headphones (the interviewer in its own sink; candidate speech played into the mic)")
        print(f"   speech onset -> detected          {spread(heard)}")
        print(f"   speech onset -> playback stopped  {spread(stopped)}")
        print(f"   missed: {missed} of {count}")

        subprocess.run(["pactl", "set-default-sink", "interview"], check=True, timeout=10)
        print("3. Loopback, no headphones (the interviewer's voice played into the microphone's own sink)")
        for label, options in (("echo guard off", BargeInOptions(echo_guard=False)), ("echo guard on ", None)):
            cut = []
            for _ in range(replies):
                _, _, fired, spoken = interrupted_reply(voice, interruption, None, options)
                if fired:
                    cut.append(spoken)
            said = f", cut off after {', '.join(f'{s:.1f}' for s in cut)} s" if cut else ""
            print(f"   {label}: false barge-ins {len(cut)} of {replies} replies{said}")
        caught = 0
        for i in range(replies):
            _, stopped_s, _, _ = interrupted_reply(voice, interruption, 1.5 + i * 0.5)
            caught += stopped_s is not None
        print(f"   echo guard on : the candidate talking over it (same level as the playback) stopped it "
              f"{caught} of {replies} times")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--barge-ins", type=int, default=10)
    parser.add_argument("--replies", type=int, default=3)
    parser.add_argument("--long-trials", type=int, default=3, help="turns with long answers (12-20 s); 0 skips them")
    parser.add_argument("--silence", type=float, action="append",
                        help="end silence to measure (repeatable); default: the voice.end_silence_s default")
    args = parser.parse_args()

    from interviewer.voice import stt, tts
    from interviewer.voice.turns import END_SILENCE_S

    whisper, voice = stt.load(), tts.load()
    turns(whisper, voice, args.trials, args.silence or [END_SILENCE_S])
    if args.long_trials:
        turns(whisper, voice, args.long_trials, args.silence or [END_SILENCE_S], LONG_ANSWERS, "long answers, 12-20 s")
    try:
        barge_ins(voice, args.barge_ins, args.replies)
    except Exception as error:  # noqa: BLE001 - a bench reports what it could not measure
        print(f"2-3. Barge-in: not measured ({type(error).__name__}: {error})")


if __name__ == "__main__":
    main()
