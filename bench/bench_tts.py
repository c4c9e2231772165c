"""The interviewer's voice (bundled Piper en_US-joe-medium), CPU. Prints figures; asserts nothing.

    python bench/bench_tts.py [--replies 8]

Beside ours, in the same run: bare piper-tts (`PiperVoice.load` on the same voice files, by path, and its
own `synthesize`, no wrapper of ours), and espeak-ng for the word error rate.

1. Load time and memory added by the voice (max RSS before and after loading it), beside bare Piper's load.
2. From a reply's first sentence of text to its first audio sample, after warm-up, p50 and max,
   over the opening sentences of the scripts' answers said as replies (the speaker's own figure), beside
   bare Piper's first chunk of the same sentences.
3. Synthesis real-time factor over all of it, beside bare Piper's on the same lines.
4. Whisper (bundled tiny.en) word error rate on the same scripts spoken by Piper and by espeak-ng,
   with the round's vocabulary as priming, as the app transcribes answers.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "speech"))


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=8)
    args = parser.parse_args()

    import numpy as np

    from interviewer.services import build_services
    from interviewer.voice import stt, tts
    from interviewer.voice.accuracy import word_error_rate
    from interviewer.voice.fake_stream import FakeOutputStream
    from interviewer.voice.speaker import Speaker
    from interviewer.voice.vocabulary import priming
    from make_fixtures import all_scripts, synthesize

    import onnxruntime  # noqa: F401 - counted before the voice, so the figure is the voice's own

    before = max_rss_mb()
    started = time.perf_counter()
    voice = tts.load()
    print(f"voice {voice.name}: loaded and warmed in {time.perf_counter() - started:.2f} s; "
          f"memory added {max_rss_mb() - before:.0f} MB (max RSS {before:.0f} MB before it, {max_rss_mb():.0f} MB after)")

    scripts = [s for s in all_scripts() if not s.name.startswith("fillers")]
    firsts = []
    for script in scripts[:args.replies]:
        sentence = next(line for line in script.lines if isinstance(line, str))
        events = []
        speaker = Speaker(voice, output_factory=FakeOutputStream.factory(), on_event=events.append)
        speaker.feed(sentence + " ")
        speaker.finish_reply(sentence)
        speaker.wait_idle(60)
        speaker.close()
        firsts += [e.first_audio_s for e in events if e.kind == "started"]
    from piper import PiperVoice

    source = tts.resolve_voice()
    started = time.perf_counter()
    bare = PiperVoice.load(source.model, config_path=source.config)
    list(bare.synthesize("Warming up."))
    bare_load = time.perf_counter() - started
    print(f"  bare piper-tts: loaded and warmed in {bare_load:.2f} s")
    bare_firsts = []
    for script in scripts[:args.replies]:
        sentence = next(line for line in script.lines if isinstance(line, str))
        started = time.perf_counter()
        chunks = iter(bare.synthesize(sentence))
        next(chunks)
        bare_firsts.append(time.perf_counter() - started)
        list(chunks)
    print(f"first sentence text -> first audio sample: p50 {statistics.median(firsts):.3f} s, "
          f"max {max(firsts):.3f} s over {len(firsts)} replies; bare piper-tts, first chunk of the same sentences: "
          f"p50 {statistics.median(bare_firsts):.3f} s, max {max(bare_firsts):.3f} s")

    whisper = stt.load()
    library = build_services(brain="offline").library
    piper_wer, espeak_wer = [], []
    bare_audio_s = bare_synthesis_s = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for script in scripts:
            primed = priming(library.load(script.round).rubric)
            text = script.text
            lines = [line for line in script.lines if isinstance(line, str)]
            audio = np.concatenate([voice.synthesize(line) for line in lines])
            started = time.perf_counter()
            bare_audio_s += sum(len(chunk.audio_float_array) for line in lines for chunk in bare.synthesize(line)) \
                / bare.config.sample_rate
            bare_synthesis_s += time.perf_counter() - started
            piper_path = tts.write_wav(Path(tmp) / f"{script.name}-piper.wav", audio, voice.sample_rate)
            espeak_path = synthesize(script, Path(tmp) / f"{script.name}-espeak.wav")
            for path, out in ((piper_path, piper_wer), (espeak_path, espeak_wer)):
                heard = whisper.transcribe(stt.read_audio(path), prompt=primed.prompt, hotwords=primed.hotwords)
                out.append(word_error_rate(text, heard.text))
            print(f"  {script.name:20s} WER piper {piper_wer[-1]:.3f}  espeak-ng {espeak_wer[-1]:.3f}")
    print(f"synthesis real-time factor: {voice.real_time_factor:.3f} ({voice.audio_s:.0f} s of speech); "
          f"bare piper-tts on the scripts' lines {bare_synthesis_s / bare_audio_s:.3f} ({bare_audio_s:.0f} s)")
    print(f"Whisper tiny.en WER over {len(scripts)} scripts: piper mean {statistics.mean(piper_wer):.3f}, "
          f"espeak-ng mean {statistics.mean(espeak_wer):.3f}")


if __name__ == "__main__":
    main()
