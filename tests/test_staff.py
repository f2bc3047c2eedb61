"""The staff console over the HTTP API: every staff route refuses anyone else, sign-in and its rate
limit, CSRF on what a session posts, no open redirect, hostile filter values, the history of real
questions asked through /api/ask (list, one entry as the public saw it, stats, CSV/XLSX export)."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest
from conftest import SAMPLES
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer
from openpyxl import load_workbook

from assistant.api.app import create_app
from assistant.api.staff_auth import CSRF_HEADER, SESSION_COOKIE
from assistant.history import HistoryStore
from assistant.staff.accounts import StaffAccounts

PASSWORD = "correct horse battery staple"
ORIGIN = {"Origin": "http://testserver"}
# Sign-in itself, and the stylesheet the sign-in page needs: everything else under /staff and
# /api/history is staff only.
PUBLIC = {("GET", "/staff/login"), ("POST", "/staff/login"), ("GET", "/staff/staff.css")}

ANSWERED = ["2018年清河市教育局共收到多少件政府信息公开申请?", "2017年白云市商务局召开了多少场新闻发布会?"]
REFUSED = ["2019年清河市教育局共收到多少件政府信息公开申请?", "2018年清河市财政局收到多少件依申请公开?"]
HOSTILE_QUESTION = "<script>alert(1)</script>2030年清河市教育局共收到多少件申请?"  # refused: shown among the gaps too


@pytest.fixture(scope="module")
def samples_assistant(make_assistant):
    built = make_assistant()
    assert not [r for r in built.ingest([SAMPLES]) if r.error]
    return built


def make_app(assistant, tmp_path, **settings):  # type: ignore[no-untyped-def]
    settings = assistant.settings.model_copy(update={"rate_limit": "100000/minute", "staff_login_limit": "1000/minute",
                                                     **settings})
    history = HistoryStore.open(f"sqlite:///{tmp_path / 'history.sqlite3'}", settings.secret())
    return create_app(settings, assistant=assistant, history=history), history


@pytest.fixture(scope="module")
def console(samples_assistant, tmp_path_factory):
    """The app with real questions recorded, its accounts, and the answers as /api/ask returned them."""
    app, history = make_app(samples_assistant, tmp_path_factory.mktemp("staff"))
    accounts = StaffAccounts(history.engine)
    accounts.add_user("staff.user", PASSWORD)
    accounts.add_user("gone.user", PASSWORD)
    _, token = accounts.create_token("staff.user", "tests")
    revoked_id, revoked = accounts.create_token("staff.user", "old")
    accounts.revoke_token(revoked_id)
    _, disabled_token = accounts.create_token("gone.user", "script")
    with TestClient(app) as public:
        asked = {}
        for question in ANSWERED + REFUSED + REFUSED[:1] + [HOSTILE_QUESTION]:
            response = public.post("/api/ask", json={"question": question, "channel": "widget"})
            assert response.status_code == 200, response.text
            asked.setdefault(question, []).append(response.json())
        down = asked[ANSWERED[1]][0]["id"]
        assert public.post("/api/feedback", json={"answer_id": down, "rating": "down", "comment": "场次不对"}).status_code == 200
    gone_cookie = signed_in(app, "gone.user").cookies[SESSION_COOKIE]
    accounts.set_disabled("gone.user", True)
    return {"app": app, "history": history, "accounts": accounts, "token": token, "revoked": revoked,
            "disabled_token": disabled_token, "gone_cookie": gone_cookie, "asked": asked}


def signed_in(app, username: str = "staff.user", password: str = PASSWORD) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    response = client.post("/staff/login", data={"username": username, "password": password}, headers=ORIGIN,
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


@pytest.fixture(scope="module")
def staff(console):
    return signed_in(console["app"])


def csrf_of(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/staff").text).group(1)


def staff_routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return sorted((method, route.path) for route in iter_route_contexts(app.routes)
                  for method in (route.methods or ()) - {"HEAD"}
                  if route.path.startswith(("/staff", "/api/history")))


# --- who gets in --------------------------------------------------------------------------------


def test_the_staff_routes_are_found(console):
    routes = set(staff_routes(console["app"]))
    assert {("GET", "/staff"), ("GET", "/staff/q/{entry_id}"), ("GET", "/staff/dashboard"), ("POST", "/staff/logout"),
            ("GET", "/api/history"), ("GET", "/api/history/{entry_id}"), ("GET", "/api/history/export"),
            ("GET", "/api/history/stats")} <= routes
    assert PUBLIC <= routes


def forged_cookie(console) -> str:  # type: ignore[no-untyped-def]
    user = console["accounts"].user("staff.user")
    return URLSafeTimedSerializer(b"not the key", salt="nianbao.staff.session").dumps(
        {"u": user.username, "k": user.session_key, "c": "x"})


CREDENTIALS = {
    "nothing": lambda c: {},
    "wrong token": lambda c: {"headers": {"Authorization": "Bearer nbk_not-a-token"}},
    "revoked token": lambda c: {"headers": {"Authorization": f"Bearer {c['revoked']}"}},
    "disabled user's token": lambda c: {"headers": {"Authorization": f"Bearer {c['disabled_token']}"}},
    "password as basic auth": lambda c: {"headers": {"Authorization": "Basic c3RhZmYudXNlcjpjb3JyZWN0"}},
    "forged cookie": lambda c: {"cookies": {SESSION_COOKIE: forged_cookie(c)}},
    "disabled user's session": lambda c: {"cookies": {SESSION_COOKIE: c["gone_cookie"]}},
}


@pytest.mark.parametrize("credential", CREDENTIALS)
def test_every_staff_route_refuses_anyone_else(console, credential):
    app = console["app"]
    entry_id = console["asked"][ANSWERED[0]][0]["id"]
    checked = 0
    for method, path in staff_routes(app):
        if (method, path) in PUBLIC:
            continue
        extra = CREDENTIALS[credential](console)
        client = TestClient(app, cookies=extra.pop("cookies", None))
        response = client.request(method, path.replace("{entry_id}", entry_id), follow_redirects=False,
                                  headers={**ORIGIN, **extra.get("headers", {})})
        refused = response.status_code in (401, 403) or (
            response.status_code == 303 and response.headers["location"].startswith("/staff/login?next="))
        assert refused, (method, path, credential, response.status_code)
        assert ANSWERED[0] not in response.text and "清河" not in response.text
        if response.status_code == 401:
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert response.json()["error"]["status"] == 401
        checked += 1
    assert checked >= 8


def test_a_wrong_password_signs_no_one_in(console):
    client = TestClient(console["app"])
    for username, password in [("staff.user", "wrong password!"), ("no.such.user", PASSWORD), ("staff.user", "")]:
        response = client.post("/staff/login", data={"username": username, "password": password}, headers=ORIGIN,
                               follow_redirects=False)
        assert response.status_code == 401 and "用户名或密码不正确" in response.text
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert client.get("/staff", follow_redirects=False).status_code == 303
    assert client.get("/api/history").status_code == 401


def test_a_disabled_user_cannot_sign_in(console):
    response = TestClient(console["app"]).post("/staff/login", data={"username": "gone.user", "password": PASSWORD},
                                               headers=ORIGIN, follow_redirects=False)
    assert response.status_code == 403 and "停用" in response.text
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


def test_a_token_opens_the_api_not_the_pages(console):
    headers = {"Authorization": f"Bearer {console['token']}"}
    client = TestClient(console["app"])
    assert client.get("/api/history", headers=headers).status_code == 200
    assert client.get("/staff", headers=headers, follow_redirects=False).status_code == 303
    (used,) = [t for t in console["accounts"].tokens() if t.name == "tests"]
    assert used.last_used_at is not None


def test_sign_in_session_cookie_and_pages(console):
    client = TestClient(console["app"])
    assert client.get("/staff/dashboard?answered=false", follow_redirects=False).headers["location"] == \
        "/staff/login?next=%2Fstaff%2Fdashboard%3Fanswered%3Dfalse"
    response = client.post("/staff/login", headers=ORIGIN, follow_redirects=False,
                           data={"username": "staff.user", "password": PASSWORD, "next": "/staff/dashboard?answered=false"})
    assert response.status_code == 303 and response.headers["location"] == "/staff/dashboard?answered=false"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=28800" in cookie
    for path in ("/staff", "/staff/dashboard", f"/staff/q/{console['asked'][ANSWERED[0]][0]['id']}", "/staff/login"):
        page = client.get(path)
        assert page.status_code == 200, path
        csp = page.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
        assert "<script" not in page.text


def test_sign_out_needs_the_csrf_token_from_this_site(console):
    client = signed_in(console["app"])
    token = csrf_of(client)
    attempts = [
        ({}, ORIGIN),  # no token
        ({"csrf_token": "wrong"}, ORIGIN),
        ({"csrf_token": token}, {"Origin": "https://evil.example"}),
        ({"csrf_token": token}, {"Referer": "https://evil.example/staff"}),
        ({"csrf_token": token}, {}),  # neither Origin nor Referer
    ]
    for data, headers in attempts:
        response = client.post("/staff/logout", data=data, headers=headers, follow_redirects=False)
        assert response.status_code == 403, (data, headers)
        assert client.get("/staff", follow_redirects=False).status_code == 200  # still signed in
    other = signed_in(console["app"])
    assert client.post("/staff/logout", data={"csrf_token": csrf_of(other)}, headers=ORIGIN,
                       follow_redirects=False).status_code == 403  # another session's token
    response = client.post("/staff/logout", headers={**ORIGIN, CSRF_HEADER: token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/staff/login"
    assert client.get("/staff", follow_redirects=False).status_code == 303


def test_signing_in_from_another_site_is_refused(console):
    response = TestClient(console["app"]).post("/staff/login", data={"username": "staff.user", "password": PASSWORD},
                                               headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert response.status_code == 403 and SESSION_COOKIE not in response.headers.get("set-cookie", "")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/staff", "/\\evil.example", "javascript:alert(1)",
                                    "/api/ask", "/staff\r\nSet-Cookie: x=1"])
def test_no_open_redirect_after_sign_in(console, target):
    response = TestClient(console["app"]).post("/staff/login", headers=ORIGIN, follow_redirects=False,
                                               data={"username": "staff.user", "password": PASSWORD, "next": target})
    assert response.status_code == 303 and response.headers["location"] == "/staff"


def test_a_password_change_ends_the_sessions(samples_assistant, tmp_path):
    app, history = make_app(samples_assistant, tmp_path)
    accounts = StaffAccounts(history.engine)
    accounts.add_user("staff.user", PASSWORD)
    client = signed_in(app)
    assert client.get("/api/history").status_code == 200
    accounts.set_password("staff.user", "another long password")
    assert client.get("/api/history").status_code == 401


def test_sign_in_attempts_are_rate_limited(samples_assistant, tmp_path):
    app, history = make_app(samples_assistant, tmp_path, staff_login_limit="3/minute")
    StaffAccounts(history.engine).add_user("staff.user", PASSWORD)
    client = TestClient(app)
    for _ in range(3):
        assert client.post("/staff/login", data={"username": "staff.user", "password": "guess"}, headers=ORIGIN).status_code == 401
    response = client.post("/staff/login", data={"username": "staff.user", "password": PASSWORD}, headers=ORIGIN,
                           follow_redirects=False)  # even the right password, until the window passes
    assert response.status_code == 429 and int(response.headers["retry-after"]) > 0
    assert "过于频繁" in response.text and SESSION_COOKIE not in response.headers.get("set-cookie", "")


# --- what staff see -----------------------------------------------------------------------------


def test_every_question_asked_is_listed(console, staff):
    asked = console["asked"]
    page = staff.get("/api/history", params={"per_page": 200}).json()
    assert page["count"] == sum(len(v) for v in asked.values()) == 6
    assert {e["question"] for e in page["data"]} == set(asked)
    assert all(e["channel"] == "widget" for e in page["data"])
    refused = staff.get("/api/history", params={"answered": "false"}).json()
    assert {e["question"] for e in refused["data"]} == {q for q, answers in asked.items() if not answers[0]["answered"]}
    assert set(REFUSED) <= {e["question"] for e in refused["data"]}
    down = staff.get("/api/history", params={"feedback": "down"}).json()["data"]
    assert [(e["question"], e["feedback_comment"]) for e in down] == [(ANSWERED[1], "场次不对")]
    first = staff.get("/api/history", params={"per_page": 2, "page": 1}).json()
    second = staff.get("/api/history", params={"per_page": 2, "page": 2}).json()
    assert first["pages"] == 3 and not {e["id"] for e in first["data"]} & {e["id"] for e in second["data"]}


def test_one_entry_is_the_answer_as_the_public_saw_it(console, staff):
    answer = console["asked"][ANSWERED[0]][0]
    entry = staff.get(f"/api/history/{answer['id']}").json()
    assert entry["answer"] == answer
    assert staff.get("/api/history/nosuchid").status_code == 404

    page = staff.get(f"/staff/q/{answer['id']}").text
    citation = answer["citations"][0]
    assert answer["text"] in page
    assert " › ".join(citation["section_path"]) in page and citation["paragraph_id"] in page
    start, end = citation["highlight"]
    assert f"<mark>{citation['text'][start:end]}</mark>" in page
    assert answer["figures"][0]["as_printed"] in page
    assert staff.get("/staff/q/nosuchid").status_code == 404


HOSTILE_FILTERS = ["' OR 1=1 --", "' OR '1'='1", "1; DROP TABLE questions; --", "%", "_", "%%", "\\",
                   "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"]


@pytest.mark.parametrize("value", HOSTILE_FILTERS)
@pytest.mark.parametrize("field", ["q", "agency", "report_id"])
def test_hostile_filter_values_match_literally_and_render_as_text(console, staff, field, value):
    # only the questions holding the value literally (the one asked with markup in it), nothing else
    literal = sorted(q for q, answers in console["asked"].items() for _ in answers if field == "q" and value in q)
    api = staff.get("/api/history", params={field: value})
    assert api.status_code == 200, api.text
    assert sorted(e["question"] for e in api.json()["data"]) == literal
    for path in ("/staff", "/staff/dashboard"):
        page = staff.get(path, params={field: value})
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        if field != "report_id":  # a free-text field shows what was typed, escaped
            assert 'value="' + value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;") + '"' in page.text
    assert staff.get("/api/history").json()["count"] == 6  # the table is untouched


def test_a_question_carrying_markup_is_shown_as_text(console, staff):
    (hostile,) = console["asked"][HOSTILE_QUESTION]
    for path in ("/staff", f"/staff/q/{hostile['id']}", "/staff/dashboard"):
        page = staff.get(path).text
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path


def test_stats_match_what_was_asked(console, staff):
    answers = [a for answers in console["asked"].values() for a in answers]
    stats = staff.get("/api/history/stats").json()
    answered = sum(a["answered"] for a in answers)
    assert (stats["total"], stats["answered"], stats["refused"]) == (6, answered, 6 - answered)
    assert stats["answer_rate"] == pytest.approx(answered / 6)
    assert sum(d["total"] for d in stats["per_day"]) == 6
    assert (stats["feedback_down"], stats["feedback_up"]) == (1, 0)
    assert stats["top_unanswered"][0] == {**stats["top_unanswered"][0], "question": REFUSED[0], "count": 2}
    assert [n["question"] for n in stats["negative_feedback"]] == [ANSWERED[1]]
    agencies = Counter(a["understanding"]["agency"] or (a["report"] or {}).get("agency") for a in answers)
    assert {(i["name"], i["count"]) for i in stats["top_agencies"]} == {(k, n) for k, n in agencies.items() if k}
    assert stats["top_topics"][0]["name"] == "申请"
    assert staff.get("/api/history/stats", params={"answered": "true"}).json()["total"] == answered

    dashboard = staff.get("/staff/dashboard").text
    assert "<svg" in dashboard and f"{100 * answered / 6:.1f}%" in dashboard and REFUSED[0] in dashboard


def test_exports_open_with_the_chinese_intact(console, staff):
    refused = {q for q, answers in console["asked"].items() if not answers[0]["answered"]}
    csv_response = staff.get("/api/history/export", params={"format": "csv", "answered": "false"})
    assert csv_response.status_code == 200
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert csv_response.headers["content-disposition"].startswith("attachment; filename=")
    assert csv_response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert {r["问题"] for r in rows} == refused and len(rows) == int(csv_response.headers["x-total-count"])

    xlsx_response = staff.get("/api/history/export", params={"format": "xlsx", "q": "清河市"})
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).worksheets[0]
    header, *values = list(sheet.iter_rows(values_only=True))
    questions = [row[header.index("问题")] for row in values]
    assert sorted(set(questions)) == sorted(q for q in console["asked"] if "清河市" in q)
    assert staff.get("/api/history/export", params={"format": "pdf"}).status_code == 422
