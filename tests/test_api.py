"""The HTTP API over the session assistant (samples + seed + real reports): answers with cited
figures, refusals, the one error shape for every bad input, reports, health and docs."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app

SEED_QUESTION = "2017年河南省科技厅共收到多少件政府信息公开申请?"
SEED_AGENCY = "河南省科学技术厅"
SEED_SECTION = "三、依申请公开工作情况"


@pytest.fixture(scope="module")
def client(assistant):
    # These tests send more than a public client may; the limit itself is tested in test_api_public.
    settings = assistant.settings.model_copy(update={"rate_limit": "100000/minute", "max_body_bytes": 1 << 17})
    app = create_app(settings, assistant=assistant)
    # server errors come back as responses (not raised) so "never 500" is checked on the status
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def assert_error_shape(response, status: int | None = None) -> dict:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    if status is not None:
        assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "message", "details"}
    assert error["status"] == response.status_code
    assert isinstance(error["message"], str) and error["message"].strip()
    assert isinstance(error["details"], list)
    return error


# --- answers ------------------------------------------------------------------------------------


def test_ask_the_seed_question(client):
    response = client.post("/api/ask", json={"question": SEED_QUESTION})

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["answered"] is True
    figure = answer["figures"][0]
    assert figure["as_printed"] == "6件"
    assert figure["value"] == "6"
    assert figure["unit"] == "件"
    citation = answer["citations"][0]
    assert citation["section_path"][-1] == SEED_SECTION
    assert "6件" in citation["text"]
    assert citation["report_id"] == figure["report_id"] == answer["report"]["id"]
    assert citation["paragraph_id"] == figure["paragraph_id"]
    assert isinstance(citation["start"], int) and citation["end"] > citation["start"]
    if citation["highlight"] is not None:
        start, end = citation["highlight"]
        assert citation["text"][start:end] == "6件"
    assert answer["report"]["year"] == 2017
    assert answer["report"]["agency"] == SEED_AGENCY
    assert answer["latency_ms"] > 0
    assert 0 <= answer["confidence"] <= 1

    # the cited paragraph is the report's own paragraph, with the same text and offsets
    report = client.get(f"/api/reports/{citation['report_id']}")
    assert report.status_code == 200, report.text
    paragraphs = {p["id"]: p for p in report.json()["paragraph_list"]}
    paragraph = paragraphs[citation["paragraph_id"]]
    assert paragraph["text"] == citation["text"]
    assert (paragraph["start"], paragraph["end"]) == (citation["start"], citation["end"])
    assert paragraph["section_path"] == citation["section_path"]
    assert report.json()["year"] == 2017


def test_a_year_not_ingested_is_refused(client):
    response = client.post("/api/ask", json={"question": "2030年科技厅收到多少件申请?"})

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["answered"] is False
    assert answer["figures"] == []
    assert answer["citations"] == []
    assert "报告中没有说明" in answer["text"]
    assert "6件" not in answer["text"]
    for passage in answer["nearest"]:  # shown for reference only, never as the answer
        assert passage["report_id"] and passage["text"]


def test_filters_pick_the_report(client, assistant):
    seed_id = next(r.id for r in assistant.reports if r.meta.agency == SEED_AGENCY and r.meta.year == 2017)
    response = client.post(
        "/api/ask",
        json={"question": "收到多少件政府信息公开申请?", "filters": {"year": 2017, "agency": SEED_AGENCY}},
    )

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["answered"] is True
    assert answer["figures"][0]["as_printed"] == "6件"
    assert answer["report"]["id"] == seed_id
    assert answer["citations"][0]["section_path"][-1] == SEED_SECTION

    by_id = client.post(
        "/api/ask", json={"question": "收到多少件政府信息公开申请?", "filters": {"report_id": seed_id}}
    ).json()
    assert by_id["answered"] and by_id["figures"][0]["as_printed"] == "6件"

    unknown = client.post(
        "/api/ask", json={"question": "收到多少件政府信息公开申请?", "filters": {"report_id": "no-such-report"}}
    ).json()
    assert unknown["answered"] is False and unknown["figures"] == []


# --- bad input ----------------------------------------------------------------------------------

BAD_JSON_BODIES = {
    "empty question": ({"question": ""}, "question"),
    "1001 characters": ({"question": "问" * 1001}, "question"),
    "question is a number": ({"question": 5}, "question"),
    "question is null": ({"question": None}, "question"),
    "missing question": ({}, "question"),
    "unknown field": ({"question": SEED_QUESTION, "colour": "blue"}, "colour"),
    "array body": ([SEED_QUESTION], "body"),
    "string body": (SEED_QUESTION, "body"),
    "filters not an object": ({"question": SEED_QUESTION, "filters": "2017"}, "filters"),
    "year not a number": ({"question": SEED_QUESTION, "filters": {"year": "二〇一七"}}, "filters.year"),
    "year out of range": ({"question": SEED_QUESTION, "filters": {"year": 1800}}, "filters.year"),
    "agency not a string": ({"question": SEED_QUESTION, "filters": {"agency": ["a"]}}, "filters.agency"),
    "unknown filter": ({"question": SEED_QUESTION, "filters": {"yr": 2017}}, "filters.yr"),
    "question over the 20,000-character cap": ({"question": "a" * 20_001}, "question"),
}


@pytest.mark.parametrize("body, field", BAD_JSON_BODIES.values(), ids=BAD_JSON_BODIES.keys())
def test_bad_json_is_a_422_naming_the_field(client, body, field):
    response = client.post("/api/ask", json=body)

    error = assert_error_shape(response, 422)
    assert field in error["message"], error["message"]
    assert field in [d["field"] for d in error["details"]], error["details"]


def test_whitespace_only_question_is_a_422(client):
    response = client.post("/api/ask", json={"question": "   "})

    error = assert_error_shape(response, 422)
    assert "question" in error["message"].lower() and "empty" in error["message"].lower()


def test_question_longer_than_the_setting_is_a_422(make_assistant, seed_path):
    short = make_assistant(max_question_chars=20)
    with TestClient(create_app(short.settings, assistant=short), raise_server_exceptions=False) as client:
        response = client.post("/api/ask", json={"question": "2017年" + "科技厅" * 10 + "收到多少件申请?"})
    error = assert_error_shape(response, 422)
    assert "20" in error["message"]


@pytest.mark.parametrize(
    "content, headers",
    [
        ("hello", {"content-type": "application/json"}),
        ('{"question": "2017年', {"content-type": "application/json"}),
        (b"\xff\xfe{\x00", {"content-type": "application/json"}),
    ],
    ids=["hello", "truncated", "not utf-8"],
)
def test_a_body_that_is_not_json_is_a_400(client, content, headers):
    response = client.post("/api/ask", content=content, headers=headers)

    error = assert_error_shape(response, 400)
    assert "JSON" in error["message"] or "body" in error["message"], error["message"]


@pytest.mark.parametrize(
    "content, headers",
    [("hello", {}), ("hello", {"content-type": "text/plain"}), ("", {"content-type": "application/json"})],
    ids=["no content type", "text/plain", "empty body"],
)
def test_a_body_that_is_not_an_object_is_a_4xx(client, content, headers):
    response = client.post("/api/ask", content=content, headers=headers)

    error = assert_error_shape(response)
    assert "body" in error["message"] or "JSON" in error["message"], error["message"]


def test_wrong_method_and_unknown_path_use_the_error_shape(client):
    assert_error_shape(client.get("/api/ask"), 405)
    assert_error_shape(client.get("/api/no-such-route"), 404)


# --- reports, health, docs ----------------------------------------------------------------------


def test_list_reports(client, assistant):
    response = client.get("/api/reports")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["data"]) == len(assistant.reports)
    seed = [r for r in body["data"] if r["agency"] == SEED_AGENCY and r["year"] == 2017]
    assert len(seed) == 1
    assert seed[0]["paragraphs"] > 0 and seed[0]["chunks"] > 0 and seed[0]["figures"] > 0
    assert len({r["id"] for r in body["data"]}) == body["count"]


def test_one_report(client):
    seed = next(r for r in client.get("/api/reports").json()["data"] if r["agency"] == SEED_AGENCY)
    response = client.get(f"/api/reports/{seed['id']}")

    assert response.status_code == 200
    detail = response.json()
    assert detail["id"] == seed["id"] and detail["agency"] == SEED_AGENCY and detail["year"] == 2017
    assert len(detail["paragraph_list"]) == seed["paragraphs"]
    assert [p["index"] for p in detail["paragraph_list"]] == list(range(seed["paragraphs"]))


def test_unknown_report_is_a_404(client):
    error = assert_error_shape(client.get("/api/reports/unknown"), 404)
    assert "unknown" in error["message"]


def test_healthz(client, assistant):
    response = client.get("/healthz")

    assert response.status_code == 200
    health = response.json()
    assert health["status"] == "ok"
    assert health["reports"] == len(assistant.reports)
    assert health["chunks_in_vector_store"] == sum(len(r.chunks) for r in assistant.reports)


def test_openapi_and_docs(client):
    schema = client.get("/openapi.json")
    assert schema.status_code == 200
    assert "/api/ask" in json.loads(schema.text)["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
