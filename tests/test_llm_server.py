"""The loopback OpenAI-compatible server, driven by the real `openai` client.

These tests pin the wire format the client parses and the exception each fault turns into,
so tests of the product's LLM layer can rely on them. Nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import threading
import time

import pytest

openai = pytest.importorskip("openai")

from llm_server import NOT_JSON, STRUCTURED_OUTPUTS_UNSUPPORTED, FakeOpenAI, Reply  # noqa: E402

MESSAGES = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Say hello."}]
SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "verdict",
        "strict": True,
        "schema": {"type": "object", "properties": {"score": {"type": "integer"}},
                   "required": ["score"], "additionalProperties": False},
    },
}


@pytest.fixture
def server():
    with FakeOpenAI() as s:
        yield s
    assert s.errors == [], f"unexpected exceptions inside the fake server: {s.errors!r}"


def make_client(server: FakeOpenAI, timeout: float | openai.Timeout = 5.0) -> openai.OpenAI:
    return openai.OpenAI(api_key="test", base_url=server.base_url, max_retries=0, timeout=timeout)


@pytest.fixture
def client(server):
    c = make_client(server)
    yield c
    c.close()


def stream(client: openai.OpenAI, **kwargs):
    kwargs = {"model": "test-model", "messages": MESSAGES, "stream_options": {"include_usage": True}, **kwargs}
    return client.chat.completions.create(stream=True, **kwargs)


def complete(client: openai.OpenAI, **kwargs):
    return client.chat.completions.create(**{"model": "test-model", "messages": MESSAGES, **kwargs})


# ------------------------------------------------------------------ basics
def test_binds_loopback_only(server):
    assert server.base_url.startswith("http://127.0.0.1:") and server.base_url.endswith("/v1")
    assert server._httpd.server_address[0] == "127.0.0.1"


def test_stream_reassembles_exactly_in_separate_deltas(server, client):
    text = "Hello, world — naïve café ✓ {\"k\": [1, 2]}\nsecond line"
    server.queue(Reply(text=text, chunk_chars=5))
    chunks = list(stream(client))

    assert chunks[0].choices[0].delta.role == "assistant"
    assert {c.id for c in chunks} == {chunks[0].id} and chunks[0].object == "chat.completion.chunk"
    pieces = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert "".join(pieces) == text
    assert pieces == [text[i:i + 5] for i in range(0, len(text), 5)]  # one delta per chunk_chars piece
    finals = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finals[-1] == "stop" and set(finals[:-1]) == {None}


def test_stream_usage_arrives_on_final_chunk_only_when_asked(server, client):
    server.queue(Reply(text="abcdefgh", usage=(11, 7)), Reply(text="abcdefgh"))
    chunks = list(stream(client))
    last = chunks[-1]
    assert last.choices == []
    assert (last.usage.prompt_tokens, last.usage.completion_tokens, last.usage.total_tokens) == (11, 7, 18)
    assert all(c.usage is None for c in chunks[:-1])

    plain = list(client.chat.completions.create(model="test-model", messages=MESSAGES, stream=True))
    assert all(c.usage is None for c in plain) and plain[-1].choices[0].finish_reason == "stop"


def test_default_usage_is_estimated_from_request_and_reply(server, client):
    server.queue(Reply(text="x" * 10))
    usage = list(stream(client))[-1].usage
    prompt_chars = sum(len(m["content"]) for m in MESSAGES)  # 14 + 10 = 24
    assert usage.prompt_tokens == (prompt_chars + 3) // 4 == 6
    assert usage.completion_tokens == 3  # ceil(10 / 4)


def test_stream_flushes_each_chunk_as_written(server, client):
    server.queue(Reply(text="aabbccdd", chunk_chars=2, chunk_delay=0.1))
    started = time.monotonic()
    arrivals = []
    for chunk in stream(client):
        if chunk.choices and chunk.choices[0].delta.content:
            arrivals.append(time.monotonic() - started)
    assert len(arrivals) == 4
    # Had the server buffered the body, every piece would arrive together at the end.
    assert arrivals[-1] - arrivals[0] >= 0.25


def test_non_stream_content_and_usage(server, client):
    server.queue(Reply(text="Hi there.", usage=(5, 3)))
    response = complete(client, temperature=0.2)
    assert response.object == "chat.completion" and response.model == "test-model"
    assert response.choices[0].message.role == "assistant"
    assert response.choices[0].message.content == "Hi there."
    assert response.choices[0].finish_reason == "stop"
    assert (response.usage.prompt_tokens, response.usage.completion_tokens, response.usage.total_tokens) == (5, 3, 8)


def test_default_reply_is_ok_and_queue_is_fifo(server, client):
    server.queue(Reply(text="one"), Reply(text="two"))
    assert [complete(client).choices[0].message.content for _ in range(3)] == ["one", "two", "OK"]
    assert server.pending == 0


def test_replies_given_to_constructor_are_used_first():
    with FakeOpenAI([Reply(text="first")]) as s:
        c = make_client(s)
        s.queue(Reply(text="second"))
        assert [complete(c).choices[0].message.content for _ in range(2)] == ["first", "second"]


# ------------------------------------------------------------------ faults
def test_429_raises_rate_limit_error_with_retry_after(server, client):
    server.queue(Reply(fault="429", retry_after=2), Reply(fault="429"))
    with pytest.raises(openai.RateLimitError) as info:
        stream(client)  # status errors surface from create(), before any iteration
    assert info.value.status_code == 429
    assert info.value.response.headers["retry-after"] == "2"
    assert info.value.body["type"] == "rate_limit_exceeded"

    with pytest.raises(openai.RateLimitError) as info:
        complete(client)
    assert "retry-after" not in info.value.response.headers


def test_500_raises_internal_server_error(server, client):
    server.queue(Reply(fault="500"))
    with pytest.raises(openai.InternalServerError) as info:
        stream(client)
    assert info.value.status_code == 500


def test_bad_request_fault_raises_bad_request_error(server, client):
    server.queue(Reply(fault="bad_request"))
    with pytest.raises(openai.BadRequestError) as info:
        complete(client)
    assert info.value.status_code == 400 and info.value.body["type"] == "invalid_request_error"


def test_hang_raises_api_timeout_error_and_does_not_block_shutdown():
    # Observed: openai.APITimeoutError, caused by httpx2.ReadTimeout <- httpcore2.ReadTimeout
    # <- builtins.TimeoutError. The float timeout is httpx2's read timeout (per read, not total).
    started = time.monotonic()
    with FakeOpenAI(hang_seconds=30) as s:
        c = make_client(s, timeout=0.5)
        s.queue(Reply(fault="hang"))
        with pytest.raises(openai.APITimeoutError) as info:
            complete(c)
        assert type(info.value.__cause__).__module__ == "httpx2"
    assert time.monotonic() - started < 1.0  # the hung handler was released at stop, not after 30 s
    assert s.errors == []


def test_hang_on_a_stream_times_out_inside_create():
    with FakeOpenAI(hang_seconds=30) as s:
        s.queue(Reply(fault="hang"))
        with pytest.raises(openai.APITimeoutError):
            stream(make_client(s, timeout=0.3))  # no headers ever arrive, so create() itself raises
    assert s.errors == []


def test_stop_releases_a_hung_request_while_other_requests_still_work():
    result: dict = {}

    def hung_call(c):
        try:
            complete(c)
        except Exception as exc:  # noqa: BLE001
            result["exc"] = exc

    hanging = threading.Event()

    def responder(body: dict) -> Reply:
        if hanging.is_set():
            return Reply(text="OK")
        hanging.set()  # runs on the server thread just before it starts hanging
        return Reply(fault="hang")

    started = time.monotonic()
    with FakeOpenAI(responder=responder, hang_seconds=30) as s:
        background = threading.Thread(target=hung_call, args=(make_client(s, timeout=10),))
        background.start()
        assert hanging.wait(2)
        assert complete(make_client(s)).choices[0].message.content == "OK"  # threads: not blocked by the hang
    background.join(5)
    assert time.monotonic() - started < 2.0
    # The hung handler drops the connection when the server stops.
    assert isinstance(result["exc"], openai.APIConnectionError)


def test_disconnect_mid_stream_yields_first_chars_then_raises(server, client):
    # Observed: openai.APIConnectionError ("Connection error."), raised while iterating, caused by
    # httpx2.RemoteProtocolError <- httpcore2.RemoteProtocolError <- h11 RemoteProtocolError:
    # "peer closed connection without sending complete message body (incomplete chunked read)".
    # It is wrapped by openai.Stream, so it is NOT a raw httpx2 exception.
    server.queue(Reply(text="abcdefghijkl", fault="disconnect", disconnect_after_chars=6, chunk_chars=3))
    received = []
    with pytest.raises(openai.APIConnectionError) as info:
        for chunk in stream(client):
            received.extend(c.delta.content for c in chunk.choices if c.delta.content)
    assert received == ["abc", "def"]
    assert not isinstance(info.value, openai.APITimeoutError)
    assert type(info.value.__cause__).__name__ == "RemoteProtocolError"
    assert "incomplete chunked read" in str(info.value.__cause__)

    # The client's pool recovers: the next request gets a fresh connection.
    assert "".join(c.choices[0].delta.content or "" for c in stream(client) if c.choices) == "OK"


def test_disconnect_before_any_content(server, client):
    server.queue(Reply(text="never sent", fault="disconnect"))
    chunks = []
    with pytest.raises(openai.APIConnectionError):
        for chunk in stream(client):
            chunks.append(chunk)
    assert [c.choices[0].delta.role for c in chunks] == ["assistant"]  # only the role chunk got out


def test_disconnect_non_stream_raises_connection_error(server, client):
    # Observed: openai.APIConnectionError from create(), caused by httpx2.RemoteProtocolError
    # "Server disconnected without sending a response."
    server.queue(Reply(text="never sent", fault="disconnect"))
    with pytest.raises(openai.APIConnectionError) as info:
        complete(client)
    assert "Server disconnected" in str(info.value.__cause__)


def test_slow_stream_read_timeout_is_per_chunk(server):
    # The read timeout bounds the gap between chunks, not the whole reply: 0.08 s gaps pass a
    # 0.25 s read timeout though the stream takes longer; a 0.5 s gap raises APITimeoutError mid-stream.
    c = make_client(server, timeout=openai.Timeout(5.0, read=0.25))
    server.queue(Reply(text="abcd", chunk_chars=1, chunk_delay=0.08), Reply(text="abcd", chunk_chars=1, chunk_delay=0.5))
    started = time.monotonic()
    assert "".join(ch.choices[0].delta.content or "" for ch in stream(c) if ch.choices) == "abcd"
    assert time.monotonic() - started > 0.25
    received = []
    with pytest.raises(openai.APITimeoutError):
        for chunk in stream(c):
            received.extend(ch.delta.content for ch in chunk.choices if ch.delta.content)
    assert received == ["a"]


def test_invalid_json_content_keeps_http_valid(server, client):
    server.queue(Reply(fault="invalid_json"), Reply(text='{"score": ', fault="invalid_json"))
    content = complete(client, response_format=SCHEMA).choices[0].message.content
    assert content == NOT_JSON
    with pytest.raises(json.JSONDecodeError):
        json.loads(content)
    streamed = "".join(c.choices[0].delta.content or "" for c in stream(client, response_format=SCHEMA) if c.choices)
    assert streamed == '{"score": '


def test_client_closing_a_stream_early_is_not_a_server_error(server, client):
    server.queue(Reply(text="x" * 400, chunk_chars=1))
    response = stream(client)
    next(iter(response))
    response.close()
    assert complete(client).choices[0].message.content == "OK"
    # The fixture asserts server.errors == [] (the broken pipe is expected, not a bug).


# ------------------------------------------------------------------ structured outputs
def test_without_structured_outputs_json_schema_is_rejected():
    with FakeOpenAI(structured_outputs=False) as s:
        c = make_client(s)
        s.queue(Reply(text='{"score": 3}'))
        with pytest.raises(openai.BadRequestError) as info:
            complete(c, response_format=SCHEMA)
        assert info.value.status_code == 400
        assert info.value.body == {"message": STRUCTURED_OUTPUTS_UNSUPPORTED, "type": "invalid_request_error",
                                   "param": "response_format", "code": None}
        assert "response_format" in str(info.value)  # what the product matches on
        assert s.pending == 1  # the rejection did not consume the queued reply

        with pytest.raises(openai.BadRequestError):
            stream(c, response_format=SCHEMA)
        assert complete(c).choices[0].message.content == '{"score": 3}'  # no response_format: fine
        assert complete(c, response_format={"type": "json_object"}).choices[0].message.content == "OK"
        assert [r.get("response_format", {}).get("type") for r in s.requests] == [
            "json_schema", "json_schema", None, "json_object"]
    assert s.errors == []


def test_with_structured_outputs_json_schema_is_accepted(server, client):
    server.queue(Reply(text='{"score": 4}'))
    assert json.loads(complete(client, response_format=SCHEMA).choices[0].message.content) == {"score": 4}


# ------------------------------------------------------------------ requests and responder
def test_responder_gets_the_request_body():
    seen = []

    def responder(body: dict) -> Reply:
        seen.append(body)
        return Reply(text=body["messages"][-1]["content"].upper())

    with FakeOpenAI(responder=responder) as s:
        c = make_client(s)
        s.queue(Reply(text="queued first"))
        assert complete(c).choices[0].message.content == "queued first"  # the queue wins over the responder
        assert complete(c, temperature=0.0).choices[0].message.content == "SAY HELLO."
        assert len(seen) == 1 and seen[0]["messages"] == MESSAGES and seen[0]["temperature"] == 0.0
    assert s.errors == []


def test_responder_exception_is_a_500_and_recorded():
    def responder(body: dict) -> Reply:
        raise RuntimeError("boom")

    with FakeOpenAI(responder=responder) as s:
        with pytest.raises(openai.InternalServerError, match="boom"):
            complete(make_client(s))
    assert [type(e) for e in s.errors] == [RuntimeError]


def test_requests_records_bodies_in_order(server, client):
    server.queue(Reply(text="a"), Reply(fault="500"))
    list(stream(client, temperature=0.7))
    with pytest.raises(openai.InternalServerError):
        complete(client, model="other-model")
    first, second = server.requests
    assert first["model"] == "test-model" and first["messages"] == MESSAGES
    assert first["stream"] is True and first["stream_options"] == {"include_usage": True}
    assert first["temperature"] == 0.7
    assert second["model"] == "other-model" and "stream" not in second


def test_models_list_and_unknown_paths(server, client):
    assert [m.id for m in client.models.list()] == ["test-model"]
    with pytest.raises(openai.NotFoundError) as info:
        client.post("/embeddings", cast_to=object, body={"input": "x"})
    assert info.value.status_code == 404 and info.value.body["type"] == "invalid_request_error"
    assert server.requests == []  # only chat completions are recorded


def test_stop_is_idempotent_and_fast():
    s = FakeOpenAI().start()
    started = time.monotonic()
    s.stop()
    s.stop()
    assert time.monotonic() - started < 0.5


def test_llama_cpp_python_reports_usage_only_when_not_streaming_and_without_dropped_system_messages():
    """As measured on llama-cpp-python 0.3.36 with `--chat_format gemma`: a stream has no usage chunk even when
    asked for one; a whole response has usage, whose prompt tokens do not count the dropped system message."""
    with FakeOpenAI(quirks=("no_stream_usage", "drops_system")) as s:
        c = make_client(s)
        chunks = list(stream(c))
        assert all(ch.usage is None for ch in chunks) and chunks[-1].choices
        counts = [c.chat.completions.create(model="test-model", messages=m, max_tokens=1).usage.prompt_tokens
                  for m in (MESSAGES[1:], MESSAGES)]
        c.close()
        assert counts[0] == counts[1]
        # One-token requests that do not stream are probes: kept apart, never given a scripted reply.
        assert len(s.probes) == 2 and len(s.requests) == 1


def test_a_probe_does_not_take_a_scripted_reply(server, client):
    server.queue(Reply(text="scripted"))
    probe = client.chat.completions.create(model="test-model", messages=MESSAGES, max_tokens=1)
    assert probe.usage.prompt_tokens == (len("You are terse.Say hello.") + 3) // 4
    assert "".join(ch.choices[0].delta.content or "" for ch in stream(client) if ch.choices) == "scripted"
