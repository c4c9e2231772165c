"""Hands-free turns: has the candidate finished answering, and is the candidate talking over the
interviewer? Both questions are answered here by small pure classes the caller feeds; the threads
that feed them live in `listening`.

`EndOfTurn` takes the speech detector's score for each 32 ms window of the answer (on the
recording's clock, so a test can replay a recording and get the same decisions) and the live
caption text. The answer ends after a silence: `silence_s` after the last word (the setting
voice.end_silence_s, END_SILENCE_S by default), or the longer
`unfinished_silence_s` while the caption's last word leaves the sentence open ("and", "because",
"the", a filler). Until the caption has caught up with the last speech it cannot say either, so
the longer wait applies until it does.

`BargeIn` takes the same scores from the microphone while the interviewer talks, with the
loudness of each block heard and of the interviewer's voice just played, and fires on a short
run of speech that is louder than the interviewer's own voice as it reaches the microphone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .silences import END_SILENCE_S, UNFINISHED_SILENCE_S

SAMPLE_RATE = 16_000
WINDOW_S = 512 / SAMPLE_RATE  # one speech detector window (see segmenter.WINDOW)

# A caption ending in one of these is a sentence still being said: a conjunction, article,
# preposition or filler rarely ends an answer.
OPEN_ENDINGS = frozenset("""
and or but so because since although though while whereas if unless until when whenever where which that who whom
whose then than as like the a an to of for with without into onto from by at on in about over under between through
per via my our your their its this these those is are was were be been will would could should can also plus
um uh er erm hmm uhm mm ah
""".split())
_WORD = re.compile(r"[a-z0-9']+")
_OPEN_PUNCTUATION = (",", ";", ":", "-", "\u2014", "\u2013", "...", "\u2026")


def unfinished(text: str) -> bool:
    """The caption stops mid-sentence: on an open word, a comma, a dash or an ellipsis."""
    stripped = text.rstrip()
    if not stripped:
        return False
    if stripped.endswith(_OPEN_PUNCTUATION):
        return True
    words = _WORD.findall(stripped.lower())
    return bool(words) and words[-1] in OPEN_ENDINGS


@dataclass(frozen=True)
class TurnOptions:
    silence_s: float = END_SILENCE_S  # after the last word of a finished sentence
    unfinished_silence_s: float = UNFINISHED_SILENCE_S  # after an open word or a filler, or before the caption has caught up
    threshold: float = 0.5  # a window at or above this is speech ...
    neg_threshold: float = 0.35  # ... and speech goes on until a window falls below this
    min_speech_s: float = 0.25  # less speech than this (a cough, a click) does not start an answer


@dataclass(frozen=True)
class TurnDecision:
    """`state`: waiting (nothing said yet), speaking, counting (a silence that will end the turn),
    held (the candidate asked for more time), ended. Times are seconds of audio."""

    state: str
    silence_s: float = 0.0  # since the last speech
    needed_s: float = 0.0  # silence that ends the turn, as things stand
    reason: str = ""  # on `ended`: silence, unfinished (the longer wait ran out), key
    last_speech_s: float = 0.0  # where the last speech ended, on the recording's clock
    at_s: float = 0.0  # the recording's clock when this was decided

    @property
    def remaining_s(self) -> float:
        return max(0.0, self.needed_s - self.silence_s)

    @property
    def ended(self) -> bool:
        return self.state == "ended"


class EndOfTurn:
    """Fed one score per window with `push`, caption text with `caption`, keys with `end_now`
    and `keep_talking`; each returns the decision as it now stands. Not thread-safe: the caller
    serialises (see `listening.TurnWatch`)."""

    def __init__(self, options: TurnOptions | None = None) -> None:
        self.options = options or TurnOptions()
        self._clock = 0.0  # end of the last window pushed
        self._speech_s = 0.0
        self._in_speech = False
        self._last_speech = 0.0
        self._held = False
        self._caption = ""
        self._captioned_until = 0.0
        self._decision = TurnDecision("waiting")

    def push(self, scores) -> TurnDecision:
        o = self.options
        for score in scores:
            start, self._clock = self._clock, self._clock + WINDOW_S
            if self._decision.ended:
                continue
            if score >= o.threshold or (self._in_speech and score >= o.neg_threshold):
                self._in_speech = True
                self._speech_s += WINDOW_S
                self._last_speech = self._clock
                self._held = False  # speaking again: the next silence counts as usual
            else:
                self._in_speech = False
            self._decision = self._decide()
            if self._decision.ended:
                # The turn ended at this window; later windows in the same batch do not move it.
                self._clock = start + WINDOW_S
        return self._decision

    def caption(self, text: str, until_s: float) -> TurnDecision:
        """The live caption, covering the recording up to `until_s`. One that reaches less far than the
        caption already held is ignored: the refinement heard ahead in the countdown covers the whole
        pause, and a live piece that lags behind it must not put the longer wait back."""
        if until_s + 1e-9 < self._captioned_until:
            return self._decision
        self._caption, self._captioned_until = text, until_s
        if not self._decision.ended:
            self._decision = self._decide()
        return self._decision

    def end_now(self) -> TurnDecision:
        if not self._decision.ended:
            self._decision = self._made("ended", reason="key")
        return self._decision

    def keep_talking(self) -> TurnDecision:
        """Hold the countdown until the candidate speaks again."""
        if not self._decision.ended:
            self._held = True
            self._decision = self._decide()
        return self._decision

    def decision(self) -> TurnDecision:
        return self._decision

    def _decide(self) -> TurnDecision:
        o = self.options
        if self._speech_s < o.min_speech_s:
            return self._made("waiting")
        if self._in_speech:
            return self._made("speaking")
        if self._held:
            return self._made("held")
        # A caption ends at the middle of the pause after its piece, so one that reaches the last
        # speech has heard its last word.
        caught_up = self._captioned_until >= self._last_speech - WINDOW_S
        finished = caught_up and not unfinished(self._caption)
        needed = o.silence_s if finished else o.unfinished_silence_s
        silence = self._clock - self._last_speech
        if silence + 1e-9 >= needed:
            return self._made("ended", needed, reason="silence" if finished else "unfinished")
        return self._made("counting", needed)

    def _made(self, state: str, needed: float = 0.0, reason: str = "") -> TurnDecision:
        silence = self._clock - self._last_speech if self._speech_s else 0.0
        return TurnDecision(state, silence, needed, reason, self._last_speech, self._clock)


@dataclass(frozen=True)
class BargeInOptions:
    threshold: float = 0.5  # speech, as for a turn
    min_speech_s: float = 0.25  # an unbroken run of this much speech; a click or a cough is shorter
    # The microphone must be this much louder than the interviewer's voice is expected to be there:
    # 6 dB is the candidate's voice at least matching the echo, on top of it.
    echo_margin_db: float = 6.0
    loud_dbfs: float = -45.0  # played audio quieter than this says nothing about the echo path
    learn_s: float = 0.3  # of loud playback before the echo's level is trusted; no barge-in until then
    echo_guard: bool = True  # off: any speech counts, the interviewer's own voice included (for measuring)


@dataclass
class BargeIn:
    """Fed per window: speech score, microphone RMS and the loudest RMS the speaker played in the
    last moments (linear, 0-1). `push` returns True once, when the candidate has been talking
    over the interviewer for `min_speech_s`.

    The echo path is learned as it goes: the ratio of what the microphone hears to what was
    played, over windows of loud playback (the lower quartile, so the candidate's words do not move it).
    With headphones that ratio is near zero and any speech counts; with the voice looped back
    into the microphone it is near one, and only speech well above the playback counts."""

    options: BargeInOptions = field(default_factory=BargeInOptions)
    run_s: float = 0.0  # the current run of speech that counts
    clock_s: float = 0.0
    fired_at_s: float | None = None
    guarded: int = 0  # speech windows set aside as the interviewer's own voice
    _ratios: list = field(default_factory=list)

    @property
    def echo_gain(self) -> float | None:
        """Microphone level per unit of played level, once enough loud playback has been heard."""
        if len(self._ratios) * WINDOW_S < self.options.learn_s:
            return None
        # The lower quartile, not the median: a candidate who talks from the first moments of the reply is heard
        # in most of the windows it is learned from, and with headphones their voice would pass for the echo
        # (its ratio is all there is above zero) and be set aside for the rest of the reply. The interviewer's
        # own echo, looped back, is in nearly every loud window, so its quartile is its level all the same.
        ordered = sorted(self._ratios)
        return ordered[len(ordered) // 4]

    def push(self, scores, mic_rms: float, played_rms: float) -> bool:
        o = self.options
        loud = played_rms > 0 and 20 * math.log10(played_rms) >= o.loud_dbfs
        for score in scores:
            self.clock_s += WINDOW_S
            if self.fired_at_s is not None:
                continue
            gain = self.echo_gain
            expected = (gain or 0.0) * played_rms
            over_echo = mic_rms > expected * 10 ** (o.echo_margin_db / 20) or not o.echo_guard
            if score >= o.threshold and loud and gain is None and o.echo_guard:
                over_echo = False  # playback just began: its echo is not known yet
            counts = score >= o.threshold and over_echo
            if score >= o.threshold and not over_echo:
                self.guarded += 1
            if loud and not counts:
                # What the microphone hears of the playback; the candidate's own words stay out of it.
                self._ratios.append(mic_rms / played_rms)
                del self._ratios[:-200]  # the last six seconds or so: the path can change
            if counts:
                self.run_s += WINDOW_S
                if self.run_s + 1e-9 >= o.min_speech_s:
                    self.fired_at_s = self.clock_s
                    return True
            else:
                self.run_s = 0.0
        return False
