"""The interviewer's reply worked out during a hands-free countdown: on a fork of the engine it is
the reply the session then gives, the session is untouched by it, an LLM brain never gets one,
and the speaker plays its prepared first clause only for the very same reply text, never after
the candidate spoke again. The speaker runs its real threads; most tests give it a stand-in
voice that counts what it is asked to say, one gives it the bundled Piper voice."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from interviewer.reply_ahead import ReplyAhead, Snapshot
from interviewer.services import build_services
from interviewer.session import Session
from interviewer.voice.fake_stream import FakeOutputStream
from interviewer.voice.speaker import Speaker, first_clause

ANSWERS = [
    "Every event goes onto a durable queue first, keyed by endpoint. A failed delivery is retried with backoff.",
    "I would sign each payload with a per-customer secret, and the receiver checks the signature and timestamp.",
    "Retries back off exponentially with jitter, up to a day, then the event lands in a dead letter queue.",
    "The customer sees failing endpoints on a dashboard and can replay events once the receiver is back.",
]
REPLY = "Let's talk about failure modes, since they matter here. Where do the retries wait?"


class Voice:
    """Says each text as a short run of one value (1, 2, ... by call), so played audio shows which
    call made it; while `open` is clear, calls wait for it."""

    sample_rate = 16_000

    def __init__(self) -> None:
        self.said: list[str] = []
        self.entered = threading.Event()
        self.open = threading.Event()
        self.open.set()

    def synthesize(self, text: str) -> np.ndarray:
        self.said.append(text)
        self.entered.set()
        self.open.wait(10)
        return np.full(1600, len(self.said), dtype=np.float32)


def speaker_for(voice, kept):
    return Speaker(voice, output_factory=FakeOutputStream.factory(kept))


def played(kept) -> np.ndarray:
    return np.concatenate([b for stream in kept for b in stream.blocks])


def say(speaker: Speaker, text: str) -> None:
    """As a session streams the offline interviewer's reply: one chunk, then the whole text."""
    speaker.feed(text)
    speaker.finish_reply(text)
    assert speaker.wait_idle(10)


@pytest.fixture
def offline(tmp_path):
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    session = Session.create(services.library, "system-design", "webhook-delivery", services.settings,
                             services.brain)
    session.open()
    yield session
    session.close("done")


# --------------------------------------------------------------------------- the reply itself
def test_the_reply_worked_out_ahead_is_the_reply_the_session_gives_and_touches_nothing(offline):
    for answer in ANSWERS:
        state, turns, history = offline.engine.state.to_record(), offline.turns, list(offline.history)
        snapshot = Snapshot.take(offline)
        ahead = snapshot.reply(answer)
        assert snapshot.reply(answer) == ahead  # a snapshot can be asked again: its own engine stays as taken
        assert (offline.engine.state.to_record(), offline.turns, offline.history) == (state, turns, history)
        assert offline.engine.drain_events() == []  # the fork's events stay with the fork
        assert offline.submit(answer).text == ahead


def test_an_answer_the_session_would_refuse_gets_no_reply(offline):
    assert Snapshot.take(offline).reply("   ") is None


class CountingLLM:
    """An LLM brain as the session sees one (it has a model); counts the replies asked of it."""

    name = "llm"
    model = object()
    stats: dict = {}

    def __init__(self) -> None:
        self.calls = 0

    def respond(self, move, conversation):
        self.calls += 1
        yield "Tell me more about that."


def test_never_for_an_llm_brain_nor_when_the_llm_is_due_again(tmp_path):
    services = build_services(transcripts_dir=tmp_path / "t", brain="offline")
    brain = CountingLLM()
    session = Session.create(services.library, "system-design", "webhook-delivery", services.settings, brain)
    session.open()
    assert brain.calls == 1 and Snapshot.take(session) is None and brain.calls == 1
    session.brain = session.fallback  # fell back to the offline interviewer: its words cost nothing ...
    session.llm_retry_at = session.elapsed() + 600
    assert Snapshot.take(session) is not None
    session.llm_retry_at = 0.0  # ... until the LLM is due to be tried again with the next reply
    assert Snapshot.take(session) is None and brain.calls == 1
    session.close("done")


# --------------------------------------------------------------------------- the prepared audio
def test_the_prepared_first_clause_plays_when_the_reply_is_the_same_text():
    voice, kept = Voice(), []
    speaker = speaker_for(voice, kept)
    assert speaker.prepare(REPLY)
    assert voice.said == [first_clause(REPLY)] == ["Let's talk about failure modes,"]
    say(speaker, REPLY)
    # The first clause was not synthesized again, and what played first is the prepared audio.
    assert voice.said == ["Let's talk about failure modes,", "since they matter here.", "Where do the retries wait?"]
    assert played(kept)[0] == 1 and (speaker.prepared_used, speaker.prepared_unused) == (1, 0)
    speaker.close()


def test_a_different_reply_is_synthesized_as_usual_and_the_prepared_clause_dropped():
    voice, kept = Voice(), []
    speaker = speaker_for(voice, kept)
    speaker.prepare(REPLY)
    other = "Let's talk about failure modes, since they matter here. Who sees the failures?"
    say(speaker, other)  # same first clause, different reply: the text must match as a whole
    assert voice.said.count("Let's talk about failure modes,") == 2 and played(kept)[0] == 2
    assert (speaker.prepared_used, speaker.prepared_unused) == (0, 1)
    say(speaker, REPLY)  # used up: the next reply synthesizes everything
    assert voice.said.count("Let's talk about failure modes,") == 3 and speaker.prepared_used == 0
    speaker.close()


def test_a_preparation_still_under_way_when_the_reply_comes_is_waited_for_not_repeated():
    voice, kept = Voice(), []
    speaker = speaker_for(voice, kept)
    voice.open.clear()
    preparing = threading.Thread(target=speaker.prepare, args=(REPLY,))
    preparing.start()
    assert voice.entered.wait(10)
    speaker.feed(REPLY)
    speaker.finish_reply(REPLY)
    voice.open.set()
    preparing.join(10)
    assert speaker.wait_idle(10)
    assert voice.said.count("Let's talk about failure modes,") == 1 and speaker.prepared_used == 1
    speaker.close()


def test_speaking_again_drops_the_reply_worked_out_ahead(offline):
    voice = Voice()
    speaker = speaker_for(voice, [])
    ahead = ReplyAhead()
    reply = Snapshot.take(offline).reply(ANSWERS[0])
    # Spoken over before the worker got to it: nothing is worked out or synthesized.
    generation = ahead.start()
    ahead.cancel()
    assert ahead.prepare(Snapshot.take(offline), ANSWERS[0], speaker, generation) is None and voice.said == []
    # Spoken over during synthesis: not kept.
    voice.open.clear()
    generation = ahead.start()
    worker = threading.Thread(target=ahead.prepare, args=(Snapshot.take(offline), ANSWERS[0], speaker, generation))
    worker.start()
    assert voice.entered.wait(10)
    ahead.cancel()
    voice.open.set()
    worker.join(10)
    # Spoken over once kept: dropped.
    assert ahead.prepare(Snapshot.take(offline), ANSWERS[0], speaker, ahead.start()) == reply
    ahead.cancel()
    assert ahead.prepared == 1 and ahead.cancelled == 3
    # The answer then goes with the same words after all: the reply is synthesized afresh.
    say(speaker, offline.submit(ANSWERS[0]).text)
    assert speaker.prepared_used == 0 and speaker.prepared_unused == 1
    speaker.close()


def test_with_piper_the_real_reply_starts_with_the_prepared_audio(offline, piper_voice):
    """The bundled voice: the offline interviewer's real reply to an answer, prepared ahead, starts
    with exactly the audio prepared, and its first clause is synthesized once."""
    said: list[str] = []

    class Counting:
        sample_rate = piper_voice.sample_rate

        def synthesize(self, text):
            said.append(text)
            return piper_voice.synthesize(text)

    kept: list = []
    speaker = speaker_for(Counting(), kept)
    ahead = ReplyAhead()
    worked_out = ahead.prepare(Snapshot.take(offline), ANSWERS[1], speaker, ahead.start())
    prepared = speaker._prepared.audio
    offline.on_chunk = speaker.feed
    reply = offline.submit(ANSWERS[1])
    speaker.finish_reply(reply.text)
    assert speaker.wait_idle(30)
    assert reply.text == worked_out and speaker.prepared_used == 1
    assert said.count(first_clause(reply.text)) == 1 and len(prepared) > piper_voice.sample_rate // 4
    assert np.array_equal(played(kept)[:len(prepared)], prepared)
    speaker.close()
