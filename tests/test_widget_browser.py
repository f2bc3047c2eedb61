"""The portal chat widget in Chromium, against the real server: the sample portal page, asking,
figures and citations, follow-ups, feedback, hostile markup, keyboard-only use, a phone screen,
a dropped stream, refusals and errors. Screenshots go to test-artifacts/."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from conftest import ROOT

try:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)  # a shared CI machine can be slow to answer the first question
except ImportError:  # the browser fixture skips (or fails, in CI) and says why
    expect = None

INJECTION_AGENCY = "霁川市测试局"  # live_server ingests a report of this agency full of markup

ARTIFACTS = ROOT / "test-artifacts"
TITLE = "政府信息公开年报问答"
QUESTION = "2018年清河市教育局共收到多少件政府信息公开申请?"
PLAIN_ASK = re.compile(r"/api/ask$")


def open_widget(page):
    page.goto("/")
    page.get_by_role("button", name=f"打开{TITLE}").click()
    dialog = page.get_by_role("dialog", name=TITLE)
    expect(dialog).to_be_visible()
    return dialog


def ask(page, question: str, *, keyboard: bool = False):
    """Ask through the text box (Enter sends) and return the answer's bubble once it is finished."""
    bubbles = page.locator(".msg-bot")
    before = bubbles.count()
    box = page.get_by_role("textbox", name="输入问题")
    if keyboard:
        page.keyboard.type(question)
        page.keyboard.press("Enter")
    else:
        box.fill(question)
        box.press("Enter")
    bubble = bubbles.nth(before)
    expect(bubble).to_have_attribute("data-state", re.compile("done|error"))
    return bubble


def assert_answered(bubble, figure: str) -> None:
    assert bubble.get_attribute("data-state") == "done", bubble.inner_text()
    expect(bubble.locator(".figure-value").first).to_have_text(figure)


def focused_label(page) -> str | None:
    """aria-label of the element focused inside the widget's shadow root (None when focus is elsewhere)."""
    return page.evaluate(
        "() => document.querySelector('nianbao-widget')?.shadowRoot.activeElement?.getAttribute('aria-label') ?? null")


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_portal_page_embeds_the_widget_under_a_strict_csp(live_server):
    page = httpx.get(live_server.base_url + "/")
    script = httpx.get(live_server.base_url + "/widget.js")

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert '<script src="/widget.js"' in page.text
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", page.text), "the portal page must not need inline script"
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert script.headers["x-content-type-options"] == "nosniff"


def test_widget_runs_and_is_styled_under_the_pages_csp(page):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    open_widget(page)

    launcher = page.get_by_role("button", name=f"打开{TITLE}")
    assert launcher.evaluate("b => getComputedStyle(b).position") == "fixed"  # its stylesheet was not blocked
    assert not problems, problems


def test_answer_shows_the_figure_its_report_and_the_cited_paragraph(page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    dialog = open_widget(page)
    assert dialog.get_attribute("aria-modal") == "true"
    expect(page.get_by_role("button", name=f"打开{TITLE}")).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("log")).to_have_attribute("aria-live", "polite")

    bubble = ask(page, QUESTION)

    assert_answered(bubble, "17件")
    expect(bubble.locator(".figure-caption").first).to_have_text("清河市教育局 2018年")
    expect(bubble.locator(".source")).to_contain_text("清河市教育局 2018年")
    # Streamed, and the stream was enough: no fallback to the plain endpoint.
    assert any(url.endswith("/api/ask/stream") for url in requests)
    assert not any(PLAIN_ASK.search(url) for url in requests), requests

    card = bubble.locator("details.cite").first
    expect(card.locator("summary .cite-where")).to_have_text("清河市教育局 · 2018年 · 三、依申请公开政府信息情况")
    expect(card.locator("summary .cite-snippet")).to_contain_text("2018年，市教育局共收到政府信息公开申请17件")
    paragraph = card.locator(".quote")
    expect(paragraph).to_be_hidden()
    card.locator("summary").click()
    expect(paragraph).to_be_visible()
    expect(paragraph).to_contain_text("2018年，市教育局共收到政府信息公开申请17件")
    expect(paragraph.locator("mark")).to_have_text("17件")
    expect(card.locator(".cite-path")).to_have_text("《清河市教育局2018年政府信息公开工作年度报告》 › 三、依申请公开政府信息情况")
    screenshot(page, "widget-answer.png")


def test_a_table_figure_cites_its_table_row_and_column(page):
    open_widget(page)

    bubble = ask(page, "2021年青石县交通运输局予以公开的有多少件?")

    assert_answered(bubble, "9件")  # the cell prints "9"; the unit is added for reading
    card = bubble.locator("details.cite").first
    card.locator("summary").click()
    expect(card.locator(".cite-table")).to_contain_text("（一）予以公开")
    expect(card.locator(".cite-table")).to_contain_text("三、收到和处理政府信息公开申请情况")


def test_a_follow_up_is_read_against_the_previous_question(page):
    open_widget(page)
    assert_answered(ask(page, QUESTION), "17件")

    bubble = ask(page, "那2017年呢?")

    assert_answered(bubble, "9件")
    expect(bubble.locator(".understood")).to_have_text("理解为：2017年清河市教育局共收到多少件政府信息公开申请?")
    expect(bubble.locator(".figure-caption").first).to_have_text("清河市教育局 2017年")


def test_feedback_with_a_comment_is_sent_and_confirmed(page):
    open_widget(page)
    bubble = ask(page, QUESTION)
    assert_answered(bubble, "17件")

    down = bubble.get_by_role("button", name="没有帮助")
    down.click()
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(bubble.get_by_role("button", name="有帮助", exact=True)).to_have_attribute("aria-pressed", "false")
    bubble.get_by_role("textbox", name="补充说明（可选）").fill("希望同时给出上一年的数字")
    with page.expect_response("**/api/feedback") as response:
        bubble.get_by_role("button", name="提交反馈").click()

    assert response.value.status == 200
    sent = json.loads(response.value.request.post_data)
    assert sent["rating"] == "down" and sent["comment"] == "希望同时给出上一年的数字" and sent["answer_id"]
    expect(bubble.get_by_role("status")).to_have_text("感谢反馈")
    expect(down).to_be_disabled()


def test_markup_in_questions_and_reports_is_shown_as_text_never_run(page):
    open_widget(page)
    question = f'<img src=x onerror="window.__pwned=1"> 2020年{INJECTION_AGENCY}共收到多少件政府信息公开申请?'

    bubble = ask(page, question)

    assert_answered(bubble, "5件")
    expect(page.locator(".msg-user").last).to_have_text(question)
    card = bubble.locator("details.cite").first
    card.locator("summary").click()
    expect(card.locator(".quote")).to_contain_text("<script>window.__pwned=1</script>")
    assert page.locator("nianbao-widget img, nianbao-widget script").count() == 0
    page.wait_for_timeout(300)  # an injected <img> would fail to load and run its onerror by now
    assert page.evaluate("() => window.__pwned") is None


def test_keyboard_alone_opens_asks_and_closes(page):
    page.goto("/")
    launcher = f"打开{TITLE}"
    for _ in range(40):  # Tab through the portal's links to the launcher, the last thing on the page
        page.keyboard.press("Tab")
        if focused_label(page) == launcher:
            break
    assert focused_label(page) == launcher
    ring = page.get_by_role("button", name=launcher).evaluate(
        "b => getComputedStyle(b).outlineStyle + ' ' + getComputedStyle(b).outlineWidth")
    assert not ring.startswith("none") and not ring.endswith(" 0px"), ring

    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name=TITLE)).to_be_visible()
    assert focused_label(page) == "输入问题"  # focus moved into the panel
    assert_answered(ask(page, QUESTION, keyboard=True), "17件")

    for _ in range(12):  # the panel is modal: Tab stays inside it
        page.keyboard.press("Tab")
        assert page.evaluate(
            "() => !!document.querySelector('nianbao-widget').shadowRoot.activeElement?.closest('[role=dialog]')")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name=TITLE)).to_be_hidden()
    assert focused_label(page) == launcher
    expect(page.get_by_role("button", name=launcher)).to_have_attribute("aria-expanded", "false")


def test_on_a_phone_the_panel_fills_the_screen(page):
    page.set_viewport_size({"width": 360, "height": 640})
    dialog = open_widget(page)

    assert_answered(ask(page, QUESTION), "17件")

    assert dialog.bounding_box() == {"x": 0, "y": 0, "width": 360, "height": 640}
    overflow = page.get_by_role("log").evaluate("log => log.scrollWidth - log.clientWidth")
    assert overflow <= 0, "the conversation scrolls sideways on a phone"
    screenshot(page, "widget-phone.png")


@pytest.mark.parametrize("drop", ["abort", "cut-short"])
def test_a_dropped_stream_falls_back_to_the_plain_endpoint(page, drop):
    def broken_stream(route):
        if drop == "abort":
            route.abort()
        else:  # the connection closes after a first piece of the answer, before the answer event
            route.fulfill(status=200, headers={"Content-Type": "text/event-stream"},
                          body='event: delta\ndata: {"text": "17"}\n\n')

    page.route("**/api/ask/stream", broken_stream)
    open_widget(page)

    with page.expect_response(lambda r: PLAIN_ASK.search(r.url)) as fallback:
        bubble = ask(page, QUESTION)

    assert fallback.value.status == 200
    assert_answered(bubble, "17件")


def test_stream_events_are_rendered_as_they_arrive(page):
    answer = {
        "id": None, "question": "测试流式问题", "answered": True, "text": "42件。据测试报告：共收到申请42件。",
        "figures": [{"as_printed": "42件", "value": "42", "unit": "件", "qualifier": "", "label": "共收到申请42件",
                     "report_id": "r", "year": 2020, "paragraph_id": "r:p001",
                     "table": None, "row": None, "column": None}],
        "citations": [], "report": {"id": "r", "agency": "测试局", "year": 2020, "title": "测试局2020年报告"},
        "confidence": 1.0, "understanding": {"intent": "figure", "agency": "测试局", "years": [2020]},
        "nearest": [], "latency_ms": 1.0,
    }
    events = [("understanding", {"id": None, "understanding": answer["understanding"]}),
              ("delta", {"text": "42件。"}), ("delta", {"text": "据测试报告："}), ("delta", {"text": "共收到申请42件。"}),
              ("answer", answer), ("done", {})]
    # \r\n line ends, as sse-starlette writes them, and a keep-alive comment
    body = ": ping\r\n\r\n" + "".join(
        f"event: {name}\r\ndata: {json.dumps(data, ensure_ascii=False)}\r\n\r\n" for name, data in events)
    page.route("**/api/ask/stream",
               lambda route: route.fulfill(status=200, headers={"Content-Type": "text/event-stream"}, body=body))
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    open_widget(page)
    page.evaluate("""() => {
        window.__pieces = [];
        const log = document.querySelector('nianbao-widget').shadowRoot.querySelector('[role=log]');
        new MutationObserver(records => { for (const r of records) if (r.target.classList.contains('answer-text'))
            for (const n of r.addedNodes) if (n.nodeType === Node.TEXT_NODE) window.__pieces.push(n.data); })
          .observe(log, {childList: true, subtree: true});
    }""")

    bubble = ask(page, "测试流式问题")

    assert_answered(bubble, "42件")
    assert page.evaluate("() => window.__pieces") == ["42件。", "据测试报告：", "共收到申请42件。"]
    assert not any(PLAIN_ASK.search(url) for url in requests)


def test_a_refusal_says_so_and_offers_the_nearest_passages(page):
    open_widget(page)

    bubble = ask(page, "2030年清河市教育局收到多少件申请?")

    assert bubble.get_attribute("data-state") == "done", bubble.inner_text()
    expect(bubble.locator(".refusal")).to_contain_text("报告中没有")
    expect(bubble.locator(".figure-value")).to_have_count(0)
    expect(bubble.locator(".cites-title")).to_have_text("最接近的段落，供参考：")
    cards = bubble.locator("details.cite")
    assert 1 <= cards.count() <= 5  # the server's top_k nearest passages, not every row of a table
    expect(cards.first.locator(".cite-snippet")).not_to_be_empty()
    cards.first.locator("summary").click()
    expect(cards.first.locator(".quote")).to_be_visible()


def test_an_error_is_shown_with_a_retry_button(page):
    too_many = json.dumps({"error": {"status": 429, "message": "Too many requests", "details": []}})
    asks = re.compile(r"/api/ask(/stream)?$")
    headers = {"Retry-After": "7", "Content-Type": "application/json"}
    page.route(asks, lambda route: route.fulfill(status=429, headers=headers, body=too_many))
    open_widget(page)

    bubble = ask(page, QUESTION)

    assert bubble.get_attribute("data-state") == "error"
    expect(bubble.locator(".error")).to_have_text("出错了：提问太频繁了，请7秒后再试。")
    page.unroute(asks)
    bubble.get_by_role("button", name="重试").click()
    expect(bubble).to_have_attribute("data-state", "done")
    assert_answered(bubble, "17件")
