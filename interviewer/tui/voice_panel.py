"""Push-to-talk above the answer box: the speech model's progress, the level meter and
clock while recording, live captions, and the finished transcript handed to the screen.

Audio and recognition run on threads the voice core owns; this widget's workers start and
finish a recording and report back with messages. Nothing here touches a widget from a
thread: the meter is redrawn by a UI-thread timer that reads the recorder's numbers.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Static

from .hands_free import HandsFreeListening

METER_CELLS = 20
QUIET_DBFS = -60.0


class VoicePanel(HandsFreeListening, Static):
    DEFAULT_CSS = """
    VoicePanel { height: auto; min-height: 1; max-height: 4; padding: 0 1; color: $text-muted; }
    VoicePanel.recording { color: $text; background: $error 15%; }
    """

    class TranscriptReady(Message):
        """A spoken answer, transcribed: its text, delivery figures and the audio."""

        def __init__(self, text: str, delivery: dict[str, Any], recording: Any) -> None:
            super().__init__()
            self.text = text
            self.delivery = delivery
            self.recording = recording

    class TranscriptRefined(Message):
        """A second look at the end of the answer just handed over: the screen swaps it in if the
        candidate has not touched the text."""

        def __init__(self, quick_text: str, text: str, delivery: dict[str, Any]) -> None:
            super().__init__()
            self.quick_text = quick_text
            self.text = text
            self.delivery = delivery

    class Failed(Message):
        def __init__(self, error: Exception, severity: str = "error") -> None:
            super().__init__()
            self.error = error
            self.severity = severity

    class ModelProgressed(Message):
        bubble = False

        def __init__(self, stage: str, detail: str) -> None:
            super().__init__()
            self.stage = stage
            self.detail = detail

    class ModelLoaded(Message):
        bubble = False

        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

    class RecordingStarted(Message):
        bubble = False

    class Captioned(Message):
        bubble = False

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, voice_settings: Any, prompt: str | None = None, hotwords: str | None = None,
                 stream_factory: Callable[..., Any] | None = None, model: Any = None,
                 clock: Callable[[], float] = time.monotonic, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.voice = voice_settings
        self.prompt = prompt
        self.hotwords = hotwords
        self.stream_factory = stream_factory  # tests feed audio files through the real capture code
        self.clock = clock
        self.model = model
        self._model_ready = threading.Event()
        if model is not None:
            self._model_ready.set()
        self.state = "loading" if model is None else "ready"
        self.caption = ""
        self._recorder: Any = None
        self._live: Any = None
        self._question_at = clock()
        self._question_spoken = False  # the gap counts from the end of the interviewer's speech
        self._started_at = 0.0
        self._meter_timer = None
        self._handover_lock = threading.Lock()

    def on_mount(self) -> None:
        if self.model is None:
            self._show("Loading the speech model…")
            self._load_model()
        else:
            self._show_ready()

    # ------------------------------------------------------------- public
    def question_shown(self, at: float | None = None, spoken: bool = False) -> None:
        """The interviewer finished a reply (shown, or with `spoken`, finished saying it at `at`):
        time to first word counts from here."""
        self._question_at = self.clock() if at is None else at
        self._question_spoken = spoken

    def toggle(self) -> None:
        """Push-to-talk: the first press starts recording, the next one stops it."""
        if self.state == "recording":
            self._stop()
        elif self.state in ("ready", "loading", "failed"):
            self._start()
        elif self.state == "transcribing":
            self.app.notify("Still transcribing the last answer.", timeout=3)

    # ------------------------------------------------------------- workers
    @work(thread=True, exclusive=True, exit_on_error=False, group="voice-model", name="load-speech-model")
    def _load_model(self) -> None:
        from ..voice import stt

        try:
            model = stt.load(self.voice.stt_model or None, device=self.voice.device,
                             compute_type=self.voice.compute_type,
                             progress=lambda stage, detail: self.post_message(self.ModelProgressed(stage, detail)))
            self.post_message(self.ModelLoaded(model))
        except Exception as error:  # noqa: BLE001 - shown with its fix; typing still works
            self.post_message(self.Failed(error))
            self.post_message(self.ModelProgressed("failed", "voice unavailable: type your answers"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="voice", name="start-recording")
    def _start_recording(self) -> None:
        from ..voice.capture import Recorder
        from ..voice.live import LiveTranscriber

        # The microphone may already be open, listening for the candidate cutting in: go on with it.
        taken = self._take_barge_watch()
        recorder, preroll = taken if taken is not None else (Recorder(stream_factory=self.stream_factory), None)
        try:
            if self._model_ready.is_set():
                turn = self._make_turn_watch() if self.hands_free else None

                def captioned(text: str) -> None:
                    self.post_message(self.Captioned(text))
                    if turn is not None:
                        turn.caption(text, live.captioned_s)

                live = LiveTranscriber(self.model, prompt=self.prompt, hotwords=self.hotwords, on_caption=captioned,
                                       on_scores=turn.scores if turn is not None else None)
                if turn is not None and self.voice.refine:
                    self._refine_in_countdown(turn, live)
                live.start(recorder, preroll=preroll)
                self._live = live
            else:
                # The model is still loading: record now, transcribe the whole answer once it is in.
                if preroll is None:
                    recorder.start()
                threading.Thread(target=recorder.pump, name="voice-capture", daemon=True).start()
            self._recorder = recorder
            self.post_message(self.RecordingStarted())
        except Exception as error:  # noqa: BLE001
            recorder.close()
            self.post_message(self.Failed(error))
            self.post_message(self.ModelProgressed("idle", ""))

    @work(thread=True, exclusive=True, exit_on_error=False, group="voice", name="finish-recording")
    def _finish_recording(self, question_gap_s: float, after_speech: bool = False) -> None:
        try:
            live, refined = self._live, False
            if live is not None:
                transcription = live.finish()
                recording = live.recording
                if self.voice.refine and self.sends_at_once:
                    transcription, refined = self._refined_or_quick(live, transcription)
            else:
                recording = self._recorder.stop()
                self._model_ready.wait()
                if self.model is None:
                    raise RuntimeError("the speech model did not load; type your answer instead")
                transcription = self.model.transcribe(recording.audio, prompt=self.prompt, hotwords=self.hotwords)
            delivery = _delivery(transcription, question_gap_s, self.model, refined, after_speech)
            if recording is not None and recording.interrupted is not None:
                self.post_message(self.Failed(recording.interrupted, severity="warning"))
            self.post_message(self.TranscriptReady(transcription.text, delivery, recording))
            if live is not None and self.voice.refine and not self.sends_at_once and transcription.text.strip():
                self.app.call_from_thread(self._refine, live, transcription.text, question_gap_s, after_speech)
        except Exception as error:  # noqa: BLE001
            self.post_message(self.Failed(error))
            self.post_message(self.ModelProgressed("idle", ""))  # free for the next answer; nothing to hand over
        finally:
            self._live = None
            self._recorder = None

    def _refined_or_quick(self, live: Any, quick: Any) -> tuple[Any, bool]:
        """The refined transcription, or `quick` with a warning if refining fails (auto-send then
        sends the quick text instead of nothing)."""
        try:
            return live.refine(), True
        except Exception as error:  # noqa: BLE001
            self.post_message(self.Failed(error, severity="warning"))
            return quick, False

    @work(thread=True, exclusive=True, exit_on_error=False, group="voice-refine", name="refine-transcript")
    def _refine(self, live: Any, quick_text: str, question_gap_s: float, after_speech: bool = False) -> None:
        self.post_message(self.ModelProgressed("refining", ""))
        better, refined = self._refined_or_quick(live, None)  # on failure the quick text stays in the box
        if refined and better.text.strip():
            delivery = _delivery(better, question_gap_s, self.model, True, after_speech)
            self.post_message(self.TranscriptRefined(quick_text, better.text, delivery))
        self.post_message(self.ModelProgressed("refined", ""))

    # ------------------------------------------------------------- handlers
    def on_voice_panel_model_progressed(self, message: ModelProgressed) -> None:
        if message.stage == "failed":
            self.state = "failed"
        if self.state == "recording":
            return
        if message.stage == "idle":
            self.state = "ready" if self._model_ready.is_set() else "failed"
            self._show_ready()
            return
        if message.stage in ("refining", "refined"):
            # Only the status line: a refinement never changes what the panel is doing (a new
            # answer may already be recording or transcribing).
            if self.state == "ready":
                if message.stage == "refining":
                    self._show("Refining the transcript… (edit or send it any time; F8 to talk)")
                else:
                    self._show_ready()
            return
        self._show(f"Speech model: {message.stage} {message.detail}".strip())

    def on_voice_panel_model_loaded(self, message: ModelLoaded) -> None:
        self.model = message.model
        self.app.speech_model = message.model  # the next interview in this run starts ready
        self._model_ready.set()
        if self.state == "loading":
            self.state = "ready"
            self._show_ready()
        self._model_loaded_hands_free()

    def on_voice_panel_recording_started(self, message: RecordingStarted) -> None:
        self.state = "recording"
        self._started_at = self.clock()
        self.caption = ""
        self.add_class("recording")
        self._meter_timer = self.set_interval(0.1, self._draw_meter)
        self._draw_meter()

    def on_voice_panel_captioned(self, message: Captioned) -> None:
        if self.state == "recording":
            self.caption = message.text
            self._draw_meter()

    def on_voice_panel_transcript_ready(self, message: TranscriptReady) -> None:
        # Seen here on its way up to the screen: the panel is free for the next answer.
        self.state = "ready" if self._model_ready.is_set() else "loading"
        self._show_ready()

    def on_unmount(self) -> None:
        self.stop_listening()

    # ------------------------------------------------------------- helpers
    @property
    def sends_at_once(self) -> bool:
        """The answer goes as soon as it is transcribed: auto-send, or a hands-free turn."""
        return self.voice.auto_send or self.hands_free

    def _start(self) -> None:
        self.state = "starting"
        self._show("Opening the microphone…")
        self._start_recording()

    def _stop(self) -> None:
        if self._meter_timer is not None:
            self._meter_timer.stop()
        self.remove_class("recording")
        self.state = "transcribing"
        waiting = "" if self._model_ready.is_set() else " (waiting for the speech model)"
        self._show(f"Transcribing{waiting}…")
        self._finish_recording(max(0.0, self._started_at - self._question_at), self._question_spoken)

    def _draw_meter(self) -> None:
        recorder = self._recorder
        if recorder is None or self.state != "recording":
            return
        level = recorder.level().rms_dbfs
        filled = round(METER_CELLS * min(1.0, max(0.0, (level - QUIET_DBFS) / -QUIET_DBFS)))
        from ..transcript.model import mmss  # here: the transcript package is not needed for the first frame

        text = Text()
        text.append("● REC ", style="bold red")
        text.append(f"{mmss(recorder.elapsed_s)}  ")
        text.append("█" * filled, style="green" if level < -6 else "red")
        text.append("░" * (METER_CELLS - filled), style="dim")
        text.append(f" {level:5.0f} dB")
        text.append("\n" if self.hands_free else "   F8 stops\n")
        if self.hands_free:
            text.append_text(self.countdown())
            text.append("\n")
        if self.caption:
            text.append(self.caption[-300:], style="italic")
        self.update(text)

    def _show_ready(self) -> None:
        if self.state == "failed":
            self._show("Voice unavailable (see the notification); type your answers.")
        elif self._model_ready.is_set():
            model = self.model
            where = f"{getattr(model, 'name', 'speech model')} on {getattr(model, 'device', '?')}"
            keys = " · F6 mute · F7 replay" if self.voice.speak else ""
            if self.hands_free:
                self._show(f"Hands-free: listening starts when the interviewer stops (F8 to talk now){keys} · {where}")
            else:
                self._show(f"F8 to talk, F8 again to stop{keys} · {where}")
        else:
            self._show("Loading the speech model… (you can start talking; the answer waits for it)")

    def _show(self, text: str) -> None:
        self.update(Text(text))


def _delivery(transcription: Any, question_gap_s: float, model: Any, refined: bool,
              after_speech: bool = False) -> dict[str, Any]:
    """Delivery figures for the transcript, and which model heard it (kept with the answer);
    `after_speech`: the time to first word counts from the end of the interviewer's speech."""
    from ..voice.metrics import delivery_metrics

    figures = delivery_metrics(transcription.words, question_offset_s=question_gap_s,
                               duration_s=transcription.duration).to_dict()
    figures["speech_model"] = f"{getattr(model, 'name', '?')} on {getattr(model, 'device', '?')}/" \
                              f"{getattr(model, 'compute_type', '?')}"
    figures["refined"] = refined
    figures["after_speech"] = after_speech
    return figures
