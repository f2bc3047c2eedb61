"""A store that cannot be reached is a 503 in the one error shape, naming the store and saying to
retry, never a 500 — in-process, with each client's own exception (tests/test_scaled.py stops the
real services). Any other failure to record a question still answers it, as before."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient
from live_server import free_port
from sqlalchemy.exc import OperationalError
from test_history import make_answer

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.history import HistoryStore
from assistant.schemas import Answer

QUESTION = "2018年清河市教育局共收到多少件政府信息公开申请?"
POSTGRES_DOWN = OperationalError("SELECT 1", {}, Exception("connection to server at 127.0.0.1 failed: Connection refused"))


class ScriptedAssistant:
    """Answers every question with one answer, or raises what a stopped store makes its client raise."""

    def __init__(self, outcome: Answer | Exception) -> None:
        self.outcome = outcome

    def ask(self, text: str, filters=None, *, previous=None, use_llm: bool = True) -> Answer:  # type: ignore[no-untyped-def]
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome.model_copy(deep=True)


def client_for(tmp_path, outcome: Answer | Exception, **settings) -> tuple[TestClient, HistoryStore]:  # type: ignore[no-untyped-def]
    configured = Settings(data_dir=tmp_path, rate_limit="1000/minute", **settings)
    history = HistoryStore.open(configured.history_database_url, configured.secret())
    app = create_app(configured, assistant=ScriptedAssistant(outcome), history=history)  # type: ignore[arg-type]
    return TestClient(app, raise_server_exceptions=False), history


def assert_unavailable(response, store: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503, response.text
    error = response.json()["error"]
    assert error["status"] == 503 and error["details"] == []
    assert error["message"].startswith(store) and "Try again in a few seconds" in error["message"]
    assert response.headers["Retry-After"] == "5"


@pytest.mark.parametrize(("raised", "store"), [
    (httpx.ConnectError("[Errno 111] Connection refused"), "The vector store (the Chroma server)"),
    (POSTGRES_DOWN, "The report catalog's database"),
])
def test_a_store_the_question_needs_is_a_503_naming_it(tmp_path, raised, store) -> None:
    client, _ = client_for(tmp_path, raised)
    assert_unavailable(client.post("/api/ask", json={"question": QUESTION}), store)
    assert_unavailable(client.post("/api/ask/stream", json={"question": QUESTION}), store)


def test_an_unreachable_history_is_a_503_rather_than_an_unrecorded_answer(tmp_path, monkeypatch) -> None:
    client, history = client_for(tmp_path, make_answer(QUESTION))

    def stopped(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise POSTGRES_DOWN

    monkeypatch.setattr(history, "record", stopped)
    assert_unavailable(client.post("/api/ask", json={"question": QUESTION}), "The question history's database")
    monkeypatch.setattr(history, "previous_question", stopped)
    assert_unavailable(client.post("/api/ask", json={"question": QUESTION, "session_id": "session-1"}),
                       "The question history's database")


def test_any_other_failure_to_record_still_answers(tmp_path, monkeypatch) -> None:
    client, history = client_for(tmp_path, make_answer(QUESTION))

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("a bug")

    monkeypatch.setattr(history, "record", broken)
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200 and response.json()["id"] is None


def test_an_unreachable_redis_is_a_503_naming_it(tmp_path) -> None:
    client, _ = client_for(tmp_path, make_answer(QUESTION), rate_limit_storage=f"redis://127.0.0.1:{free_port()}")
    assert_unavailable(client.post("/api/ask", json={"question": QUESTION}), "The rate-limit store (Redis)")
