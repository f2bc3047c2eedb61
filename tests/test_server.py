"""The real server, end to end: `nianbao serve` in a subprocess over a fresh data dir ingests
samples/ and the corpus, then answers the done-when question over HTTP."""

from __future__ import annotations

import httpx
from live_server import running_server, server_env

SEED_QUESTION = "2017年河南省科技厅共收到多少件政府信息公开申请?"


def test_serve_answers_the_seed_question(tmp_path, corpus):
    env = server_env(tmp_path / "data", NIANBAO_CORPUS_DIR=str(corpus))

    with running_server(tmp_path, env) as server:
        health = httpx.get(f"{server.base_url}/healthz", timeout=10)
        response = httpx.post(f"{server.base_url}/api/ask", json={"question": SEED_QUESTION}, timeout=30)
        bad = httpx.post(f"{server.base_url}/api/ask", json={"question": "   "}, timeout=30)
        log = server.log()

    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert health.json()["reports"] >= 1
    assert server.base_url in log  # the URL it serves at is printed
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["answered"] is True
    assert answer["figures"][0]["as_printed"] == "6件"
    assert answer["citations"][0]["section_path"][-1] == "三、依申请公开工作情况"
    assert "6件" in answer["citations"][0]["text"]
    assert bad.status_code == 422 and bad.json()["error"]["status"] == 422
