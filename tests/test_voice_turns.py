"""When a hands-free answer ends, and when the candidate talks over the interviewer: the pure
deciders, fed scores window by window (32 ms each) as the speech detector would."""

from __future__ import annotations

import pytest

from interviewer.voice.turns import END_SILENCE_S, WINDOW_S, BargeIn, EndOfTurn, TurnOptions, unfinished


def windows(seconds: float) -> int:
    return round(seconds / WINDOW_S)


def speech(seconds: float, score: float = 0.9) -> list[float]:
    return [score] * windows(seconds)


def silence(seconds: float) -> list[float]:
    return [0.02] * windows(seconds)


def said(turn: EndOfTurn, seconds: float, caption: str, pause_s: float = 0.0):
    """Speech for `seconds`, captioned up to a little after it, then `pause_s` of silence."""
    turn.push(speech(seconds))
    turn.caption(caption, until_s=turn.decision().at_s + 0.2)
    return turn.push(silence(pause_s))


def ended_after(turn: EndOfTurn, step: float = WINDOW_S, limit: float = 10.0):
    """Push silence a window at a time; the silence heard when the turn ended."""
    for _ in range(windows(limit)):
        decision = turn.push([0.02])
        if decision.ended:
            return decision
    return None


@pytest.mark.parametrize("text, expected", [
    ("We shard by customer id.", False),
    ("We shard by customer id", False),
    ("We shard by customer id and", True),
    ("We shard by customer id, and", True),
    ("then we put it in the", True),
    ("Retries back off because", True),
    ("so, um", True),
    ("I'd use a queue. Uh", True),
    ("Sharding, replication,", True),
    ("and that's it...", True),
    ("The answer is fifty thousand.", False),
    ("", False),
    ("Hand it off to Kafka.", False),
])
def test_an_open_ending_is_unfinished(text, expected):
    assert unfinished(text) is expected


def test_a_finished_sentence_ends_after_the_short_silence():
    turn = EndOfTurn()
    turn.push(speech(2.0))
    assert turn.decision().state == "speaking"
    turn.caption("We shard by customer id.", until_s=2.3)
    decision = ended_after(turn)
    assert decision.reason == "silence"
    assert decision.silence_s == pytest.approx(END_SILENCE_S, abs=WINDOW_S) and END_SILENCE_S == 1.4
    assert decision.last_speech_s == pytest.approx(2.0, abs=WINDOW_S)


def test_an_unfinished_sentence_waits_longer():
    turn = EndOfTurn()
    turn.push(speech(2.0))
    turn.caption("We shard by customer id because", until_s=2.3)
    decision = ended_after(turn)
    assert decision.reason == "unfinished"
    assert decision.silence_s == pytest.approx(2.5, abs=WINDOW_S)


def test_a_filler_waits_longer_and_the_caption_can_shorten_the_wait():
    turn = EndOfTurn()
    turn.push(speech(1.0))
    turn.caption("so um", until_s=1.3)
    turn.push(silence(1.0))
    assert turn.decision().state == "counting" and turn.decision().needed_s == 2.5
    assert turn.decision().remaining_s == pytest.approx(1.5, abs=WINDOW_S)
    # The revised caption closes the sentence: the short wait applies, and it has already passed.
    assert turn.caption("So, um, yes.", until_s=1.3).state == "counting"
    turn.push(silence(0.5))
    assert turn.decision().ended and turn.decision().reason == "silence"


def test_until_the_caption_has_heard_the_last_words_the_longer_wait_applies():
    turn = EndOfTurn()
    turn.push(speech(2.0))
    turn.caption("We shard by customer id.", until_s=1.0)  # an earlier piece: the last words are not in it
    turn.push(silence(1.6))
    assert turn.decision().state == "counting" and turn.decision().needed_s == 2.5
    decision = turn.caption("We shard by customer id. Then we replicate.", until_s=2.3)
    assert decision.ended and decision.reason == "silence"
    assert decision.silence_s == pytest.approx(1.6, abs=WINDOW_S)  # ended when the caption came


def test_speaking_again_cancels_the_countdown():
    turn = EndOfTurn()
    assert said(turn, 1.0, "Yes.", pause_s=1.2).state == "counting"
    assert turn.push(speech(0.5)).state == "speaking"
    turn.caption("Yes. And more.", until_s=2.9)
    decision = ended_after(turn)
    assert decision.last_speech_s == pytest.approx(2.7, abs=WINDOW_S)
    assert decision.at_s == pytest.approx(2.7 + END_SILENCE_S, abs=2 * WINDOW_S)


def test_a_click_or_silence_alone_never_ends_a_turn():
    turn = EndOfTurn()
    turn.push(silence(5.0))
    assert turn.decision().state == "waiting"
    turn.push(speech(0.1))  # a click: under min_speech_s
    turn.push(silence(5.0))
    assert turn.decision().state == "waiting"


def test_hysteresis_keeps_a_dip_inside_speech():
    turn = EndOfTurn()
    turn.push(speech(1.0) + [0.4] * 20 + speech(0.3))  # 0.4 is between the thresholds: still speaking
    assert turn.decision().state == "speaking"
    assert turn.decision().last_speech_s == pytest.approx(turn.decision().at_s)


def test_keep_talking_holds_until_speech_and_end_now_ends_at_once():
    turn = EndOfTurn()
    said(turn, 1.0, "That's my design.", pause_s=1.0)
    assert turn.keep_talking().state == "held"
    assert turn.push(silence(5.0)).state == "held"
    # The hold lasts until the candidate speaks again.
    assert said(turn, 0.4, "That's my design. Also a cache.", pause_s=1.0).state == "counting"  # the hold lasts until the candidate speaks again
    decision = turn.end_now()
    assert decision.ended and decision.reason == "key"
    assert turn.push(speech(1.0)).ended  # an ended turn stays ended


def test_options_set_the_waits():
    turn = EndOfTurn(TurnOptions(silence_s=0.8, unfinished_silence_s=1.2))
    turn.push(speech(1.0))
    turn.caption("Done.", until_s=1.1)
    assert ended_after(turn).silence_s == pytest.approx(0.8, abs=WINDOW_S)


def test_a_batch_of_scores_ends_the_turn_at_the_right_window():
    turn = EndOfTurn()
    turn.caption("Done.", until_s=1.3)
    decision = turn.push(speech(1.0) + silence(4.0))
    assert decision.ended and decision.at_s == pytest.approx(1.0 + END_SILENCE_S, abs=WINDOW_S)


# --- barge-in ---------------------------------------------------------------------------------
def test_barge_in_fires_on_a_run_of_speech_not_on_a_click():
    barge = BargeIn()
    assert not barge.push(speech(0.5), mic_rms=0.0, played_rms=0.3)  # learning the echo path: silence
    assert not barge.push(speech(0.1) + silence(0.2), mic_rms=0.1, played_rms=0.3)  # a click
    assert not barge.push(speech(0.2), mic_rms=0.1, played_rms=0.3)
    assert barge.push(speech(0.1), mic_rms=0.1, played_rms=0.3)
    assert barge.fired_at_s == pytest.approx((16 + 9 + 8) * WINDOW_S)  # the eighth window of the run
    assert not barge.push(speech(1.0), mic_rms=0.1, played_rms=0.3)  # once


def test_the_interviewers_own_voice_looped_back_does_not_fire():
    barge = BargeIn()
    # The microphone hears the playback itself, at its level: the echo path is learned as one.
    for _ in range(20):
        assert not barge.push(speech(0.25), mic_rms=0.2, played_rms=0.2)
    assert barge.echo_gain == pytest.approx(1.0)
    assert barge.guarded > 100
    # The candidate, much louder than the playback, still gets through.
    assert barge.push(speech(0.3), mic_rms=0.6, played_rms=0.2)


def test_no_barge_in_while_the_echo_path_is_unknown():
    barge = BargeIn()
    assert not barge.push(speech(0.2), mic_rms=0.3, played_rms=0.2)  # loud playback just began
    assert barge.echo_gain is None
    assert not barge.push(speech(0.3), mic_rms=0.0, played_rms=0.2)  # then a quiet microphone
    assert barge.echo_gain is not None
    assert barge.push(speech(0.3), mic_rms=0.3, played_rms=0.2)  # headphones: no echo, speech counts


def test_a_candidate_who_talks_from_the_first_moments_of_the_reply_is_heard_with_headphones():
    # Headphones: the microphone hears nothing of the playback, only the candidate, who starts a few windows in
    # and keeps talking through the learning of the echo path. Their voice must not be learned as the echo.
    barge = BargeIn()
    assert not barge.push(speech(0.1), mic_rms=0.0, played_rms=0.3)
    fired = barge.push(speech(0.2), mic_rms=0.1, played_rms=0.3)  # during the learning: set aside
    for _ in range(10):
        fired = fired or barge.push(speech(0.1), mic_rms=0.1, played_rms=0.3)
    assert fired and barge.echo_gain is not None and barge.echo_gain < 0.1


def test_a_caption_that_lags_behind_one_already_held_does_not_bring_back_the_longer_wait():
    from interviewer.voice.turns import WINDOW_S, EndOfTurn, TurnOptions

    turn = EndOfTurn(TurnOptions(silence_s=1.4, unfinished_silence_s=2.5))
    speech = int(2.0 / WINDOW_S)
    turn.push([0.9] * speech)
    turn.caption("We stream tokens over server-sent events.", 2.0)  # heard ahead: the whole answer
    turn.caption("We stream tokens over", 1.2)  # a live piece, late and behind
    decision = turn.push([0.0] * int(1.5 / WINDOW_S))
    assert decision.ended and decision.reason == "silence"
