"""The public API as the widget uses it: sessions and follow-ups, the answer streamed as SSE,
feedback, every question recorded, and the hardening — rate limit, CORS allowlist, body limit."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.history import HistoryStore

QUESTION = "2018年清河市教育局共收到多少件政府信息公开申请?"


@pytest.fixture(scope="module")
def samples_assistant(make_assistant):
    from conftest import SAMPLES

    built = make_assistant()
    assert not [r for r in built.ingest([SAMPLES]) if r.error]
    return built


def make_client(assistant, **settings) -> tuple[TestClient, HistoryStore]:
    settings = assistant.settings.model_copy(update={"rate_limit": "10000/minute", **settings})
    history = HistoryStore.open(settings.history_database_url, settings.secret())
    return TestClient(create_app(settings, assistant=assistant, history=history), raise_server_exceptions=False), history


@pytest.fixture(scope="module")
def client(samples_assistant):
    client, history = make_client(samples_assistant)
    with client:
        client.history = history
        yield client


def events(body: str) -> list[tuple[str, dict]]:
    """Server-sent events as (event, data) pairs."""
    parsed = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        parsed.append((fields["event"], json.loads(fields["data"])))
    return parsed


def test_an_answer_is_recorded_with_its_channel_session_and_a_hashed_client(client):
    answer = client.post("/api/ask", json={"question": QUESTION, "session_id": "s-record-1", "channel": "widget"}).json()

    entry = client.history.get(answer["id"])
    assert entry.question == QUESTION and entry.channel == "widget" and entry.session == "s-record-1"
    assert entry.answered and entry.answer_text == answer["text"]
    assert entry.years == [2018] and entry.agency == "清河市教育局"
    assert [c.paragraph_id for c in entry.citations] == [c["paragraph_id"] for c in answer["citations"]]
    assert entry.answer.model_dump(mode="json") == answer  # the answer exactly as the public saw it
    assert entry.client_hash and "testclient" not in entry.client_hash and len(entry.client_hash) == 64


def test_followups_in_a_session_are_read_against_the_previous_question(client):
    session = "s-followup-1"
    first = client.post("/api/ask", json={"question": QUESTION, "session_id": session}).json()
    year = client.post("/api/ask", json={"question": "那2017年呢?", "session_id": session}).json()
    agency = client.post("/api/ask", json={"question": "白云市商务局呢?", "session_id": session}).json()

    assert first["figures"][0]["as_printed"] == "17件"
    assert year["understanding"]["question"] == "2017年清河市教育局共收到多少件政府信息公开申请?"
    assert year["figures"][0]["as_printed"] == "9件"
    assert agency["understanding"]["question"] == "2017年白云市商务局共收到多少件政府信息公开申请?"
    assert agency["figures"][0]["as_printed"] == "12件" and agency["report"]["agency"] == "白云市商务局"
    # another session (or none) does not inherit this one's context
    other = client.post("/api/ask", json={"question": "那2017年呢?", "session_id": "s-followup-2"}).json()
    assert other["understanding"]["question"] is None and not other["figures"]


def test_the_stream_sends_understanding_then_text_pieces_then_the_answer(client):
    response = client.post("/api/ask/stream", json={"question": QUESTION, "session_id": "s-stream-1"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    stream = events(response.text)
    names = [name for name, _ in stream]
    assert names[0] == "understanding" and names[-2:] == ["answer", "done"]
    assert names.count("delta") >= 2
    answer = stream[-2][1]
    assert "".join(data["text"] for name, data in stream if name == "delta") == answer["text"]
    assert stream[0][1]["id"] == answer["id"] and answer["figures"][0]["as_printed"] == "17件"
    assert client.history.get(answer["id"]).question == QUESTION


def test_a_bad_question_to_the_stream_is_an_error_not_a_stream(client):
    response = client.post("/api/ask/stream", json={"question": "   "})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "question"


def test_feedback_is_kept_and_the_latest_counts(client):
    answer = client.post("/api/ask", json={"question": QUESTION}).json()

    assert client.post("/api/feedback", json={"answer_id": answer["id"], "rating": "up"}).json() == {"ok": True}
    response = client.post("/api/feedback", json={"answer_id": answer["id"], "rating": "down", "comment": "数字不对"})

    assert response.status_code == 200
    entry = client.history.get(answer["id"])
    assert entry.feedback == "down" and entry.feedback_comment == "数字不对" and entry.feedback_at


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"answer_id": "0" * 32, "rating": "up"}, 404, "answer_id"),
        ({"answer_id": "x", "rating": "meh"}, 422, "rating"),
        ({"answer_id": "x", "rating": "up", "comment": "长" * 1001}, 422, "comment"),
        ({"rating": "up"}, 422, "answer_id"),
    ],
    ids=["unknown answer", "bad rating", "comment too long", "no answer id"],
)
def test_bad_feedback_is_refused_clearly(client, body, status, field):
    response = client.post("/api/feedback", json=body)

    assert response.status_code == status, response.text
    assert field in [d["field"] for d in response.json()["error"]["details"]]


@pytest.mark.parametrize("session", ["short", "has spaces in it", "x" * 65, "<script>"])
def test_a_malformed_session_id_is_a_422(client, session):
    response = client.post("/api/ask", json={"question": QUESTION, "session_id": session})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "session_id"


def test_past_the_rate_limit_a_client_gets_429_with_retry_after(samples_assistant):
    limited, _ = make_client(samples_assistant, rate_limit="3/minute")
    with limited:
        statuses = [limited.post("/api/ask", json={"question": QUESTION}).status_code for _ in range(3)]
        refused = limited.post("/api/ask", json={"question": QUESTION})
        feedback = limited.post("/api/feedback", json={"answer_id": "x", "rating": "up"})
        health = limited.get("/healthz")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429 and feedback.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "limit" in refused.json()["error"]["message"]
    assert health.status_code == 200  # reading the service's state is not limited


def test_cors_allows_only_the_configured_portals(samples_assistant):
    portal, stranger = "https://www.qinghe.gov.example", "https://evil.example"
    configured, _ = make_client(samples_assistant, cors_origins=[portal])
    with configured:
        allowed = configured.options("/api/ask", headers={"Origin": portal, "Access-Control-Request-Method": "POST",
                                                         "Access-Control-Request-Headers": "content-type"})
        refused = configured.options("/api/ask", headers={"Origin": stranger, "Access-Control-Request-Method": "POST"})
        answer = configured.post("/api/ask", json={"question": QUESTION}, headers={"Origin": stranger})

    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == portal
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    assert "access-control-allow-origin" not in answer.headers


def test_a_body_over_the_limit_is_a_413_before_it_is_read(samples_assistant):
    small, _ = make_client(samples_assistant, max_body_bytes=200)
    with small:
        declared = small.post("/api/ask", json={"question": "问" * 300})
        chunked = small.post("/api/ask", content=iter([b'{"question": "', "问".encode() * 300, b'"}']),
                             headers={"content-type": "application/json"})
        fits = small.post("/api/ask", json={"question": QUESTION})

    for response in (declared, chunked):
        assert response.status_code == 413, response.text
        assert "200 bytes" in response.json()["error"]["message"]
    assert fits.status_code == 200
