"""A loopback OpenAI-compatible chat server for tests (stdlib only).

    with FakeOpenAI([Reply(text="Hello")]) as server:
        client = openai.OpenAI(api_key="test", base_url=server.base_url, max_retries=0)
        ...

It binds 127.0.0.1 only and speaks just enough of the Chat Completions wire format for the
official `openai` client to parse it: `chat.completion` objects, `chat.completion.chunk`
server-sent events ending in `data: [DONE]`, and OpenAI-style error bodies. Replies are
scripted (`Reply`), consumed one per request, and can inject faults: 429, 500, a hang, a
dropped connection mid-stream, content that is not JSON, or a 400.

Streams use HTTP/1.1 chunked transfer encoding. That matters for "disconnect": with chunked
framing a connection closed before the terminating zero-length chunk is a protocol error the
client must report; with close-delimited framing it would look like a normal end of body.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

__all__ = ["FakeOpenAI", "Reply", "FAULTS", "PROFILES", "QUIRKS", "estimate_tokens"]

FAULTS = (None, "429", "500", "hang", "disconnect", "invalid_json", "bad_request", "end_early")
NOT_JSON = "this is not json {"
MODELS = ("test-model",)
STRUCTURED_OUTPUTS_UNSUPPORTED = "response_format json_schema is not supported by this server"
# What a real server does differently from the OpenAI API, one quirk at a time:
#   schema_500         json_schema refused with a 500 quoting the field (llama-cpp-python 0.3 validates the
#                      request inside its handler, so a type it does not know is a server error)
#   no_response_format any response_format refused with a 400 naming it
#   no_usage           no usage at all: no usage chunk in a stream, even when stream_options asks for one, and
#                      none in a whole response
#   no_stream_usage    usage in a whole response only: none in a stream, whatever stream_options asks
#                      (llama-cpp-python 0.3.36)
#   no_done            the stream ends after its finish chunk, with no `data: [DONE]`
#   drops_system       the chat template drops system messages: the responder never sees them, and the
#                      prompt tokens reported do not count them
QUIRKS = ("schema_500", "no_response_format", "no_usage", "no_stream_usage", "no_done", "drops_system")
# Servers as the tests play them: quirks, and the context window whose overflow is refused with that
# server's error body (`context_error`). llama-cpp-python's are as measured on 0.3.36 with Gemma 3.
PROFILES: dict[str, dict[str, Any]] = {
    "openai": {},
    "llama-cpp-python": {"quirks": ("schema_500", "no_stream_usage", "drops_system"), "context_window": 4096,
                         "context_error": "llama-cpp-python"},
    "llama-server": {"context_window": 4096, "context_error": "llama-server"},
    "no-done-no-usage": {"quirks": ("no_done", "no_usage")},
    "no-response-format": {"quirks": ("no_response_format",)},
}


@dataclass
class Reply:
    text: str = ""                      # assistant content
    fault: str | None = None            # one of FAULTS
    chunk_chars: int = 4                # stream the text in pieces of this many characters
    chunk_delay: float = 0.0            # seconds between stream chunks (waited on the server thread)
    retry_after: float | None = None    # Retry-After header for 429
    usage: tuple[int, int] | None = None  # (prompt_tokens, completion_tokens); default: estimated
    disconnect_after_chars: int = 0     # for "disconnect" and "end_early": chars streamed before the end

    def __post_init__(self) -> None:
        if self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}; expected one of {FAULTS}")
        if self.chunk_chars < 1:
            raise ValueError("chunk_chars must be at least 1")


def estimate_tokens(text: str) -> int:
    """About four characters a token, at least 1 (the same rule the product uses)."""
    return max(1, (len(text) + 3) // 4)


def _prompt_text(body: dict) -> str:
    parts: list[str] = []
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):  # content parts: [{"type": "text", "text": ...}, ...]
            parts.extend(p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return "".join(parts)


def _error(message: str, type_: str, param: str | None = None, code: str | None = None) -> dict:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


class _Stop(Exception):
    """The server is stopping or the client went away: abandon this response quietly."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked streams, like the real API
    server_version = "FakeOpenAI/1.0"
    sys_version = ""
    server: "_HTTPServer"

    # Quiet: nothing on stderr, ever.
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from the base class
        pass

    # ------------------------------------------------------------ routing
    def do_GET(self) -> None:
        if self._path() == "/v1/models":
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake-openai"} for m in MODELS]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._not_found()

    def do_POST(self) -> None:
        if self._path() != "/v1/chat/completions":
            self._other()
            return
        self.server.fake._handle_chat(self)

    def _other(self) -> None:
        self._read_body()  # keep the connection usable for the next request
        self._not_found()

    do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _other

    def _not_found(self) -> None:
        self._send_json(404, _error(f"Unknown request URL: {self.command} {self._path()}", "invalid_request_error",
                                    code="unknown_url"))

    # ------------------------------------------------------------ helpers
    def _path(self) -> str:
        return self.path.split("?", 1)[0].rstrip("/") or "/"

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send_json(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", self.server.fake._next_request_id())
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _drop_connection(self) -> None:
        """Close the TCP connection without finishing the HTTP message."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # FakeOpenAI.stop joins handler threads itself, after unblocking them

    def __init__(self, fake: "FakeOpenAI") -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(target=self._serve_connection, args=(request, client_address),
                                  name="fake-openai-conn", daemon=True)
        with self.fake._lock:
            self.fake._connections[request] = thread
        thread.start()

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self.fake._lock:
                self.fake._connections.pop(request, None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, _Stop)) or (isinstance(exc, OSError) and self.fake._stopping.is_set()):
            return  # the client went away or we are stopping: not a server bug
        self.fake.errors.append(exc)  # never printed; a test can assert it stayed empty


class FakeOpenAI:
    """Context manager. `with FakeOpenAI() as server:` starts on 127.0.0.1:<free port> in a daemon
    thread and stops cleanly (shutdown + server_close + join) on exit, including releasing any
    handler stuck in 'hang'."""

    def __init__(self, replies: list[Reply] | None = None, responder: Callable[[dict], Reply] | None = None,
                 structured_outputs: bool = True, hang_seconds: float = 30.0, quirks: tuple[str, ...] = (),
                 context_window: int | None = None, context_error: str = "llama-cpp-python") -> None:
        unknown = set(quirks) - set(QUIRKS)
        if unknown:
            raise ValueError(f"unknown quirks {sorted(unknown)}; expected some of {QUIRKS}")
        self.responder = responder
        self.structured_outputs = structured_outputs
        self.quirks = frozenset(quirks)
        self.context_window = context_window
        self.context_error = context_error
        self.abandoned = threading.Event()  # set when a client closed a stream before its end
        self.hang_seconds = hang_seconds
        self.requests: list[dict] = []          # every chat request body, in arrival order, probes aside
        self.probes: list[dict] = []            # one-token requests that do not stream (see _handle_chat)
        self.errors: list[BaseException] = []   # unexpected exceptions inside handlers (should stay empty)
        self._replies: deque[Reply] = deque(replies or [])
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: dict[Any, threading.Thread] = {}
        self._ids = itertools.count(1)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    # ------------------------------------------------------------ lifecycle
    def start(self) -> "FakeOpenAI":
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = _HTTPServer(self)
        host, port = self._httpd.server_address[:2]
        self.base_url = f"http://{host}:{port}/v1"
        # A short poll interval so shutdown() returns promptly (the default is 0.5 s).
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._stopping.set()  # wakes handlers in "hang" and between stream chunks
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = dict(self._connections)
        for sock in connections:  # unblock keep-alive handlers waiting for a next request
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        for handler in connections.values():
            handler.join(max(0.0, deadline - time.monotonic()))
        if thread is not None:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._httpd = self._thread = None

    def __enter__(self) -> "FakeOpenAI":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1].split("/", 1)[0])

    def queue(self, *replies: Reply) -> None:
        """Append scripted replies; consumed one per request, first in first out."""
        with self._lock:
            self._replies.extend(replies)

    @property
    def pending(self) -> int:
        """Queued replies not yet consumed."""
        with self._lock:
            return len(self._replies)

    # ------------------------------------------------------------ internals
    def _next_request_id(self) -> str:
        return f"req_fake_{next(self._ids)}"

    def _wait(self, seconds: float) -> None:
        """Sleep on the server thread; raise _Stop if the server stops meanwhile."""
        if seconds > 0 and self._stopping.wait(seconds):
            raise _Stop

    def _handle_chat(self, h: _Handler) -> None:
        raw = h._read_body()
        try:
            body = json.loads(raw or b"{}")
            if not isinstance(body, dict):
                raise ValueError("body is not an object")
        except ValueError as exc:
            h._send_json(400, _error(f"We could not parse the JSON body of your request. ({exc})",
                                     "invalid_request_error"))
            return

        # What the model is given once the chat template has had its way (the request as sent is recorded).
        seen = body
        if "drops_system" in self.quirks:
            seen = {**body, "messages": [m for m in body.get("messages") or [] if m.get("role") != "system"]}
        if not body.get("stream") and 1 in (body.get("max_tokens"), body.get("max_completion_tokens")):
            # A capability probe (the product measures whether system messages are counted): answered at
            # once, shaped by the quirks like any reply, without taking a scripted reply or the responder's turn.
            with self._lock:
                self.probes.append(body)
            self._answer(h, seen, Reply(text="Hello"))
            return
        refusal = self._refusal(body)
        reply: Reply | None = None
        with self._lock:  # record and pick under one lock so order matches across threads
            self.requests.append(body)
            if refusal is None and self._replies:
                reply = self._replies.popleft()
        if refusal is not None:
            h._send_json(*refusal)
            return
        body = seen
        if reply is None:
            if self.responder is not None:
                try:
                    reply = self.responder(body)
                except Exception as exc:  # noqa: BLE001 - reported to the client and kept for the test
                    self.errors.append(exc)
                    h._send_json(500, _error(f"responder raised {type(exc).__name__}: {exc}", "server_error"))
                    return
                if isinstance(reply, str):
                    reply = Reply(text=reply)
            else:
                reply = Reply(text="OK")

        try:
            self._answer(h, body, reply)
        except ConnectionError:
            self.abandoned.set()
            h.close_connection = True
        except _Stop:
            h.close_connection = True
        except OSError:
            if not self._stopping.is_set():
                raise
            h.close_connection = True

    def _refusal(self, body: dict) -> tuple[int, dict] | None:
        """(status, body) for a request this server refuses before generating, or None."""
        response_format = body.get("response_format")
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        if kind is not None and "no_response_format" in self.quirks:
            return 400, _error(f"response_format {kind} is not supported", "invalid_request_error",
                               param="response_format")
        if kind == "json_schema" and "schema_500" in self.quirks:
            return 500, _error("1 validation error for CreateChatCompletionRequest\nresponse_format.type\n  Input "
                               "should be 'text' or 'json_object'", "internal_server_error")
        if kind == "json_schema" and not self.structured_outputs:
            return 400, _error(STRUCTURED_OUTPUTS_UNSUPPORTED, "invalid_request_error", param="response_format")
        if self.context_window is None:
            return None
        prompt = estimate_tokens(_prompt_text(body))
        wanted = prompt + int(body.get("max_tokens") or body.get("max_completion_tokens") or 0)
        if wanted <= self.context_window:
            return None
        if self.context_error == "llama-server":
            return 400, {"error": {"code": 400, "message": f"request ({wanted} tokens) exceeds the available context "
                                   f"size ({self.context_window} tokens)", "type": "exceed_context_size_error",
                                   "n_prompt_tokens": prompt, "n_ctx": self.context_window}}
        return 400, _error(f"This model's maximum context length is {self.context_window} tokens. However, you "
                           f"requested {wanted} tokens ({prompt} in the messages, {wanted - prompt} in the "
                           "completion). Please reduce the length of the messages or completion.",
                           "invalid_request_error", param="messages", code="context_length_exceeded")

    def _answer(self, h: _Handler, body: dict, reply: Reply) -> None:
        stream = bool(body.get("stream"))
        fault = reply.fault
        if fault == "429":
            headers = {} if reply.retry_after is None else {"Retry-After": f"{reply.retry_after:g}"}
            h._send_json(429, _error("Rate limit reached for test-model. Please try again later.",
                                     "rate_limit_exceeded", code="rate_limit_exceeded"), headers)
            return
        if fault == "500":
            h._send_json(500, _error("The server had an error while processing your request.", "server_error"))
            return
        if fault == "bad_request":
            h._send_json(400, _error("Invalid request (scripted bad_request fault).", "invalid_request_error"))
            return
        if fault == "hang":
            # Accept the request and never answer; the client should time out. Stopping wakes us.
            self._stopping.wait(self.hang_seconds)
            h._drop_connection()
            return
        if fault == "disconnect" and not stream:
            h._drop_connection()
            return

        text = reply.text
        if fault == "invalid_json" and not text:
            text = NOT_JSON
        cap = body.get("max_tokens") or body.get("max_completion_tokens")
        finish = "length" if cap and estimate_tokens(text) > cap else "stop"
        text = text[: int(cap) * 4] if finish == "length" else text
        model = str(body.get("model") or MODELS[0])
        if reply.usage is not None:
            prompt_tokens, completion_tokens = reply.usage
        else:
            prompt_tokens, completion_tokens = estimate_tokens(_prompt_text(body)), estimate_tokens(text)
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                 "total_tokens": prompt_tokens + completion_tokens}
        completion_id = f"chatcmpl-fake{next(self._ids)}"
        created = int(time.time())

        if not stream:
            h._send_json(200, {
                "id": completion_id, "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": None},
                             "logprobs": None, "finish_reason": finish}],
                **({} if "no_usage" in self.quirks else {"usage": usage}), "system_fingerprint": None,
            })
            return

        include_usage = bool((body.get("stream_options") or {}).get("include_usage")) \
            and not self.quirks & {"no_usage", "no_stream_usage"}

        def chunk(choices: list[dict], **extra: Any) -> dict:
            out = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
                   "system_fingerprint": None, "choices": choices}
            if include_usage:
                out["usage"] = None  # the real API sends null usage on every chunk but the last
            out.update(extra)
            return out

        def delta(d: dict, finish_reason: str | None = None) -> dict:
            return chunk([{"index": 0, "delta": d, "logprobs": None, "finish_reason": finish_reason}])

        def send(event: dict | str) -> None:
            data = event if isinstance(event, str) else json.dumps(event)
            payload = f"data: {data}\n\n".encode()
            h.wfile.write(b"%x\r\n%s\r\n" % (len(payload), payload))  # one HTTP chunk per event
            h.wfile.flush()

        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream; charset=utf-8")
        h.send_header("Cache-Control", "no-cache")
        h.send_header("Transfer-Encoding", "chunked")
        h.send_header("x-request-id", self._next_request_id())
        h.end_headers()
        h.wfile.flush()

        limit = reply.disconnect_after_chars if fault in ("disconnect", "end_early") else len(text)
        send(delta({"role": "assistant", "content": "", "refusal": None}))
        sent = 0
        while sent < min(limit, len(text)):
            self._wait(reply.chunk_delay if sent else 0.0)
            piece = text[sent:min(sent + reply.chunk_chars, limit)]
            send(delta({"content": piece}))
            sent += len(piece)
        if fault == "disconnect":
            h._drop_connection()  # no finish chunk, no [DONE], no terminating zero-length chunk
            return
        if fault != "end_early":  # end_early: the body ends properly, but with no finish chunk and no [DONE]
            self._wait(reply.chunk_delay if text else 0.0)
            send(delta({}, finish))
            if include_usage:
                send(chunk([], usage=usage))
            if "no_done" not in self.quirks:
                send("[DONE]")
        h.wfile.write(b"0\r\n\r\n")
        h.wfile.flush()
