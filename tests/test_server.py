"""The real server, end to end: `nianbao serve` in a subprocess over a fresh data dir ingests
samples/ and the corpus, then answers the done-when question over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import MODEL_DIR, ROOT

START_TIMEOUT = 180  # seconds: model load + ingest of samples/ and the corpus
SEED_QUESTION = "2017年河南省科技厅共收到多少件政府信息公开申请?"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nianbao() -> str:
    script = Path(sys.executable).with_name("nianbao")
    return str(script if script.exists() else ROOT / ".venv" / "bin" / "nianbao")


def test_serve_answers_the_seed_question(tmp_path, corpus):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "NIANBAO_DATA_DIR": str(tmp_path / "data"),
        "NIANBAO_MODEL_DIR": str(MODEL_DIR),
        "NIANBAO_CORPUS_DIR": str(corpus),
        "NIANBAO_INGEST_PATHS": "",
        "HF_HUB_OFFLINE": "1",
        "COLUMNS": "200",  # keep rich from wrapping the printed URL
    }
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [nianbao(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path,  # no stray .env
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        health = None
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"the server exited with {server.returncode}:\n{log_path.read_text(errors='replace')}")
            try:
                health = httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail(f"the server did not answer within {START_TIMEOUT} s:\n{log_path.read_text(errors='replace')}")

        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert health.json()["reports"] >= 1
        assert base in log_path.read_text(errors="replace")  # the URL it serves at is printed

        response = httpx.post(f"{base}/api/ask", json={"question": SEED_QUESTION}, timeout=30)

        assert response.status_code == 200, response.text
        answer = response.json()
        assert answer["answered"] is True
        assert answer["figures"][0]["as_printed"] == "6件"
        assert answer["citations"][0]["section_path"][-1] == "三、依申请公开工作情况"
        assert "6件" in answer["citations"][0]["text"]

        bad = httpx.post(f"{base}/api/ask", json={"question": "   "}, timeout=30)
        assert bad.status_code == 422 and bad.json()["error"]["status"] == 422
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
