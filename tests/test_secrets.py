"""The configured key and credentials in the endpoint URL never reach a transcript, a log, an
export or the terminal, whatever their shape; key-shaped strings typed into an answer are masked."""

from __future__ import annotations

import subprocess

import pytest
from conftest import cli_env, interviewer_cmd

from interviewer import redaction
from interviewer.llm.config import llm_config
from interviewer.transcript import load_transcript


def saved_text(tmp_path) -> str:
    folder = tmp_path / "transcripts"
    return "".join(p.read_text() for p in folder.iterdir() if p.is_file())


def log_text(tmp_path) -> str:
    log = tmp_path / "xdg-state" / "interviewer" / "log" / "interviewer.log"
    return log.read_text() if log.exists() else ""


def practice(tmp_path, env, answers: list[str], args=()):
    return subprocess.run(interviewer_cmd() + ["practice", "system-design", "--plain", *args], env=env, text=True,
                          input="\n".join(answers) + "\n/quit\n", capture_output=True, timeout=120, cwd=tmp_path)


@pytest.mark.parametrize("key", ["gsk_" + "A1b2" * 10, "xai-" + "Z9" * 20, "hf_" + "abcdEFGH" * 4],
                         ids=["groq", "xai", "huggingface"])
def test_key_shaped_strings_typed_into_an_answer_are_masked(tmp_path, key):
    result = practice(tmp_path, cli_env(tmp_path), [f"My key is {key}, oops."])
    assert result.returncode == 0, result.stderr
    assert key not in saved_text(tmp_path) and key not in result.stdout
    [path] = (tmp_path / "transcripts").glob("*.jsonl")
    assert load_transcript(path).candidate_turns()[0].text == "My key is [redacted], oops."


def test_the_configured_keys_exact_value_is_masked_whatever_its_shape(tmp_path):
    key = "0123456789abcdef0123456789abcdef"  # Azure-style: 32 hex digits, no prefix at all
    env = cli_env(tmp_path)
    env.update(OPENAI_API_KEY=key, OPENAI_BASE_URL="http://127.0.0.1:9/v1", INTERVIEWER_BRAIN="offline")
    result = practice(tmp_path, env, [f"I pasted {key} by mistake", f"and again:{key}."])
    assert result.returncode == 0, result.stderr
    for text in (saved_text(tmp_path), result.stdout, result.stderr, log_text(tmp_path)):
        assert key not in text
    [path] = (tmp_path / "transcripts").glob("*.jsonl")
    assert [t.text for t in load_transcript(path).candidate_turns()] == ["I pasted [redacted] by mistake",
                                                                         "and again:[redacted]."]


def test_credentials_in_the_base_url_stay_out_of_header_fallback_reason_stderr_and_log(tmp_path):
    url = "http://alice:s3cret-pass@127.0.0.1:9/v1?api-key=k3y-in-query-99"
    env = cli_env(tmp_path)
    env.update(OPENAI_BASE_URL=url, INTERVIEWER_MODEL="test-model", INTERVIEWER_LOG="DEBUG")
    result = practice(tmp_path, env, ["I'd assume 20k concurrent streams."],
                      ["--base-url", url])
    assert result.returncode == 0, result.stderr
    saved = saved_text(tmp_path)
    for secret in ("s3cret-pass", "k3y-in-query-99", "alice"):
        for text in (saved, result.stdout, result.stderr, log_text(tmp_path)):
            assert secret not in text
    [path] = (tmp_path / "transcripts").glob("*.jsonl")
    transcript = load_transcript(path)
    assert transcript.settings["llm"]["base_url"] == "http://[redacted]@127.0.0.1:9/v1?api-key=[redacted]"
    reason = next(e for e in transcript.events if e["kind"] == "brain_degraded")["reason"]
    assert "127.0.0.1:9" in reason and "[redacted]" in reason
    assert "continuing with the offline interviewer" in result.stderr


def test_scrub_masks_registered_values_url_credentials_and_known_shapes():
    redaction.register("vllm-token-1234567")
    text = ("key vllm-token-1234567 at https://bob:pw12345678@host/v1?token=abcdef123456&x=1 "
            "and sk-ant-" + "x" * 20 + " plus Bearer abc.def.ghijklmnop")
    assert redaction.scrub(text) == ("key [redacted] at https://[redacted]@host/v1?token=[redacted]&x=1 "
                                     "and [redacted] plus [redacted]")
    assert redaction.scrub("a key=value map, sha 0123456789abcdef") == "a key=value map, sha 0123456789abcdef"


def test_reading_the_llm_settings_registers_key_and_url_credentials(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "plain-token-no-prefix")
    config = llm_config(base_url="https://u:p4ssw0rd@example.test/v1?sig=s1gnature")
    assert config.describe() == "LLM interviewer gpt-4o-mini at https://[redacted]@example.test/v1?sig=[redacted]"
    assert {"plain-token-no-prefix", "p4ssw0rd", "s1gnature"} <= set(redaction.registered())


def test_the_terminal_stream_masks_a_secret_split_across_writes(capsys):
    import io

    from interviewer.terminal_text import SafeStream

    redaction.register("split-secret-value")
    sink = io.StringIO()
    stream = SafeStream(sink)
    for piece in ("The value is split-se", "cret-va", "lue and more\n"):
        stream.write(piece)
        stream.flush()
    stream.release()
    assert sink.getvalue() == "The value is [redacted] and more\n"
