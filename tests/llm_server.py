"""OpenAI-compatible chat servers on 127.0.0.1 for the LLM backend's tests.

`llama_server` is the real thing: llama-cpp-python's server with the bundled Qwen2.5-0.5B.
`scripted_server` answers chat completions with fixed replies, for faults a real model
cannot be made to produce on demand (a malformed answer, a refusal).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from minutes.weights import bundled_llm
from tests.loopback import QuietHandler, free_port, http_server, wait_until_answering


@dataclass
class LlamaServer:
    base_url: str
    log: Path

    def completions(self) -> int:
        """Chat completions served so far, counted from the server's access log."""
        return self.log.read_text().count("POST /v1/chat/completions")


@contextmanager
def llama_server(
    models_dir: Path, log: Path, startup_seconds: float = 180
) -> Iterator[LlamaServer]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(bundled_llm(models_dir)),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "4096",
        "--seed",
        "7",
    ]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        try:
            wait_until_answering(f"{base_url}/models", startup_seconds, process)
        except RuntimeError as error:
            raise RuntimeError(f"llama_cpp.server {error}: {log.read_text()[-2000:]}") from None
        yield LlamaServer(base_url=base_url, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass
class Script:
    replies: list[tuple[int, str]]
    """(HTTP status, assistant message content) per request; the last one repeats."""
    bodies: list[dict[str, object]] = field(default_factory=list)


@contextmanager
def scripted_server(script: Script) -> Iterator[str]:
    class Handler(QuietHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            script.bodies.append(json.loads(self.rfile.read(length)))
            status, content = script.replies[min(len(script.bodies), len(script.replies)) - 1]
            payload = {
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]
            }
            body = json.dumps(payload if status == 200 else {"error": content}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with http_server(Handler) as url:
        yield f"{url}/v1"
