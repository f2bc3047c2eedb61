"""The staff console against the real server (`nianbao serve`): 100 questions asked at once all land
in the history; in Chromium, a staff member made with the CLI signs in, filters, opens a question
and downloads the exports. Screenshots go to test-artifacts/."""

from __future__ import annotations

import csv
import io
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from conftest import ROOT
from openpyxl import load_workbook

try:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
except ImportError:  # the browser fixture skips (or fails, in CI) and says why
    expect = None


ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "browser test password"


def nianbao(live_server, *args: str, input: str | None = None) -> str:
    from live_server import nianbao as executable

    result = subprocess.run([executable(), *args], check=False, env=live_server.env, input=input, capture_output=True, text=True,
                            timeout=120, cwd=live_server.data_dir.parent)
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


@pytest.fixture(scope="module")
def staff_token(live_server) -> str:
    """A staff user (for the browser) and an API token (for checks), both made with the CLI."""
    nianbao(live_server, "staff", "add", "browser.staff", "--password-stdin", input=PASSWORD + "\n")
    return nianbao(live_server, "staff", "token", "browser.staff", "--name", "tests").strip()


def history(live_server, token: str, **params) -> dict:  # type: ignore[no-untyped-def]
    response = httpx.get(f"{live_server.base_url}/api/history", params={"per_page": 200, **params},
                         headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_hundred_questions_asked_at_once_all_land(live_server, staff_token):
    marker = f"并发{uuid.uuid4().hex[:6]}"
    questions = [f"2018年清河市教育局共收到多少件政府信息公开申请?{marker}第{i}问" for i in range(100)]

    def ask(question: str) -> str:
        response = httpx.post(f"{live_server.base_url}/api/ask", json={"question": question, "channel": "widget"},
                              timeout=120)
        assert response.status_code == 200, response.text
        return response.json()["id"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(ask, questions))

    assert all(ids) and len(set(ids)) == 100  # every answer got its own history id
    landed = history(live_server, staff_token, q=marker)
    assert landed["count"] == 100
    assert {e["id"] for e in landed["data"]} == set(ids)
    assert sorted(e["question"] for e in landed["data"]) == sorted(questions)


def test_staff_sign_in_filter_open_and_export(page, live_server, staff_token):
    marker = f"ref-{uuid.uuid4().hex[:6]}"  # an identifier, never a bare number the question names
    refused_question = f"2030年清河市教育局共收到多少件政府信息公开申请?（{marker}）"
    answered_question = f"2018年清河市教育局共收到多少件政府信息公开申请?（{marker}）"
    for question in (refused_question, answered_question):
        assert httpx.post(f"{live_server.base_url}/api/ask", json={"question": question}, timeout=60).status_code == 200

    # signed out: the console sends the browser to sign in, then back
    page.goto("/staff?answered=false")
    expect(page).to_have_url(f"{live_server.base_url}/staff/login?next=%2Fstaff%3Fanswered%3Dfalse")
    page.get_by_label("用户名").fill("browser.staff")
    page.get_by_label("密码").fill("not the password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码不正确。")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.base_url}/staff?answered=false")

    # filter: refused only, with the marker
    page.get_by_label("问题包含").fill(marker)
    page.get_by_label("回答情况").select_option(label="未能回答")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("heading", name="提问记录")).to_contain_text("共 1 条")
    rows = page.locator("table.entries tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("未能回答")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "staff-list.png"), full_page=True)

    # one question, as the public saw its answer
    page.get_by_role("link", name=refused_question).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(refused_question)
    expect(page.locator(".facts")).to_contain_text("未能回答")
    expect(page.get_by_role("heading", name="公众看到的回答")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "staff-entry.png"), full_page=True)
    page.go_back()

    # the exports of the filtered view
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV").click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    text = csv_download.value.path().read_text(encoding="utf-8-sig")
    assert [row["问题"] for row in csv.DictReader(io.StringIO(text))] == [refused_question]
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes())).worksheets[0]
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == [refused_question]

    # the dashboard draws its charts without any script
    page.get_by_role("link", name="统计").click()
    expect(page.locator("svg.chart").first).to_be_visible()
    page.goto(f"/staff/dashboard?q={marker}")
    expect(page.locator("section", has_text="最常见的未能回答的问题")).to_contain_text(refused_question)
    page.screenshot(path=str(ARTIFACTS / "staff-dashboard.png"), full_page=True)

    # signing out ends it
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(f"{live_server.base_url}/staff/login")
    page.goto("/staff")
    expect(page).to_have_url(f"{live_server.base_url}/staff/login?next=%2Fstaff")
