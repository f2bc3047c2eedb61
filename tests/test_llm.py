"""The optional LLM on a leash, against a scripted OpenAI-compatible server run as a real process on
127.0.0.1 (tests/scripted_llm.py): a model that answers well, one that invents a figure, one that cites
what it was not given, one that returns broken JSON, one that fails, one that hangs. Every case ends
in a valid answer or refusal within the timeout, and no invented figure reaches the answer."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal

import pytest
from conftest import ROOT, SAMPLES
from test_api_public import events, make_client

from assistant.llm import ModelReview
from assistant.llm.grounding import numbers_in
from assistant.llm.prompts import PROMPTS_DIR, load_prompt
from assistant.staff.query import HistoryQuery, search

PASSAGE = "2018年清河市教育局下一步打算怎么做?"
UNSURE = "白云商务局官方微博2017年有多少粉丝?"  # the matcher refuses: the report says 政务微博, not 官方微博
SURE = "2018年清河市教育局共收到多少件政府信息公开申请?"
TIMEOUT = 2.0


@pytest.fixture(scope="module")
def scripted_llm():
    from live_server import free_port

    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "tests" / "scripted_llm.py"), str(port)],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout and process.stdout.readline().strip() == "ready"
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def llm_assistant(make_assistant):
    built = make_assistant()
    assert not [r for r in built.ingest([SAMPLES]) if r.error]
    return built


@pytest.fixture
def use_model(llm_assistant, scripted_llm):
    """Point the assistant at the scripted server with a given behaviour; back to no LLM afterwards."""

    def use(name: str, **settings):  # type: ignore[no-untyped-def]
        llm_assistant.llm = ModelReview.from_settings(llm_assistant.settings.model_copy(update={
            "llm_base_url": scripted_llm, "llm_model": name, "llm_timeout": TIMEOUT, **settings}))
        return llm_assistant

    yield use
    llm_assistant.llm = None


def requests_received(base_url: str) -> list[dict]:
    with urllib.request.urlopen(base_url.removesuffix("/v1") + "/requests", timeout=5) as response:
        return json.loads(response.read())


def printed_numbers(answer) -> set[Decimal]:  # type: ignore[no-untyped-def]
    return {n.value for c in answer.citations for n in numbers_in(c.text)}


# ---- without a model -----------------------------------------------------------------------

def test_without_a_model_nothing_changes(llm_assistant):
    assert llm_assistant.settings.llm_base_url is None and llm_assistant.llm is None
    for question in (PASSAGE, UNSURE, SURE):
        assert llm_assistant.ask(question).llm is None
    assert not llm_assistant.ask(UNSURE).answered


def test_every_prompt_file_documents_exactly_its_variables():
    files = sorted(PROMPTS_DIR.glob("*.yaml"))
    assert {f.stem for f in files} >= {"choose_figure", "passage_answer"}
    for path in files:
        prompt = load_prompt(path.stem)
        assert set(prompt.variables) == set(prompt.template.input_variables), path.name
        assert prompt.description.strip()


# ---- a model that answers well -------------------------------------------------------------

def test_a_passage_answer_is_written_from_the_cited_sentences(use_model, scripted_llm):
    extractive = use_model("good").ask(PASSAGE, use_llm=False)
    answer = use_model("good").ask(PASSAGE)

    assert answer.answered and answer.llm and answer.llm.outcome == "accepted" and answer.llm.task == "passage"
    assert answer.text != extractive.text and answer.citations
    assert all(n.value in printed_numbers(answer) for n in numbers_in(answer.text.split("（据《")[0]))
    assert "（据《清河市教育局2018年政府信息公开工作年度报告》）" in answer.text
    request = requests_received(scripted_llm)[-1]
    assert request["stream"] is True and request["model"] == "good"
    assert answer.citations[0].text.split("，")[0] in json.dumps(request["messages"], ensure_ascii=False)


def test_an_unsure_figure_question_is_answered_by_the_models_pick_from_the_figure_store(use_model, scripted_llm):
    assistant = use_model("good")
    assert not assistant.ask(UNSURE, use_llm=False).answered

    answer = assistant.ask(UNSURE)

    assert answer.answered and answer.llm.task == "choose" and answer.llm.outcome == "accepted"
    figure = answer.figures[0]
    stored = [f for r in assistant.reports for f in r.figures if f.paragraph_id == figure.paragraph_id]
    assert figure.as_printed in [f.as_printed for f in stored]  # stated from the figure store
    assert (figure.value, figure.unit, figure.year) == ("6800", "人", 2017)
    assert figure.as_printed in answer.citations[0].text
    prompt = json.dumps(requests_received(scripted_llm)[-1]["messages"], ensure_ascii=False)
    assert "F1 | 白云市商务局 2017年" in prompt


def test_a_sure_figure_question_does_not_ask_the_model(use_model, scripted_llm):
    before = len(requests_received(scripted_llm))
    answer = use_model("good").ask(SURE)
    assert answer.llm is None and answer.figures[0].value == "17"
    assert len(requests_received(scripted_llm)) == before


def test_none_of_these_sets_the_matchers_pick_aside(use_model):
    assistant = use_model("none")
    assistant.llm.below_confidence = 1.1  # ask the model even about a sure answer
    answer = assistant.ask(SURE)
    assert not answer.answered and not answer.figures and answer.llm.outcome == "accepted"
    assert answer.nearest  # a refusal still shows the nearest passages


# ---- models that misbehave -----------------------------------------------------------------

def test_an_invented_figure_never_reaches_the_answer(use_model):
    assistant = use_model("inventor")
    extractive = assistant.ask(PASSAGE, use_llm=False)

    passage = assistant.ask(PASSAGE)
    assert passage.llm.outcome == "rejected" and "98765" in passage.llm.reason
    assert "98765" not in passage.text and passage.text == extractive.text

    chosen = assistant.ask(UNSURE)  # its pick is used, its own number is not
    assert "99999" not in chosen.model_dump_json()
    assert chosen.figures[0].value == "6800"


def test_a_citation_or_candidate_it_was_not_given_is_rejected(use_model):
    assistant = use_model("phantom")
    passage = assistant.ask(PASSAGE)
    assert passage.llm.outcome == "rejected" and "S9" in passage.llm.reason
    assert passage.text == assistant.ask(PASSAGE, use_llm=False).text

    chosen = assistant.ask(UNSURE)
    assert chosen.llm.outcome == "rejected" and "F9" in chosen.llm.reason
    assert not chosen.answered  # the matcher's refusal stands


def test_a_pick_that_contradicts_its_own_reading_is_rejected(use_model):
    answer = use_model("wrong-year").ask(UNSURE)
    assert answer.llm.outcome == "rejected" and "1999" in answer.llm.reason
    assert not answer.answered


@pytest.mark.parametrize("behaviour, reason", [("broken", "not JSON"), ("error", "endpoint failed"),
                                               ("hang", f"within {TIMEOUT:g} s")])
def test_a_failing_model_gives_the_extractive_answer_within_the_timeout(use_model, behaviour, reason):
    assistant = use_model(behaviour)
    for question in (PASSAGE, UNSURE):
        extractive = assistant.ask(question, use_llm=False)
        started = time.perf_counter()
        answer = assistant.ask(question)
        assert time.perf_counter() - started < TIMEOUT + 1.5
        assert answer.llm.outcome == "failed" and reason in answer.llm.reason
        assert (answer.answered, answer.text) == (extractive.answered, extractive.text)


# ---- through the API, the history and the evaluation ----------------------------------------

def test_the_api_streams_the_checked_text_and_the_history_keeps_what_the_model_did(use_model):
    client, history = make_client(use_model("good"))
    with client:
        body = client.post("/api/ask/stream", json={"question": PASSAGE}).text
        streamed = events(body)
        answer = dict(streamed)["answer"]
        assert "".join(d["text"] for e, d in streamed if e == "delta") == answer["text"]
        assert answer["llm"]["outcome"] == "accepted"

        use_model("inventor")
        rejected = client.post("/api/ask", json={"question": PASSAGE}).json()
        assert rejected["llm"]["outcome"] == "rejected" and "98765" not in rejected["text"]

    entry = history.get(rejected["id"])
    assert entry.llm_outcome == "rejected" and "98765" in entry.llm_reason
    found = search(history.engine, HistoryQuery(llm="rejected"))
    assert [e.id for e in found.data] == [rejected["id"]]
    assert {e.id for e in search(history.engine, HistoryQuery(llm="accepted")).data} == {answer["id"]}


def test_the_staff_console_filters_on_what_the_model_did(use_model, tmp_path):
    from fastapi.testclient import TestClient
    from test_staff import PASSWORD, make_app, signed_in

    from assistant.staff.accounts import StaffAccounts

    app, history = make_app(use_model("phantom"), tmp_path)
    StaffAccounts(history.engine).add_user("staff.user", PASSWORD)
    with TestClient(app) as public:
        asked = public.post("/api/ask", json={"question": PASSAGE}).json()
    with signed_in(app) as staff:
        page = staff.get("/staff", params={"llm": "rejected"}).text
        assert PASSAGE in page and 'value="rejected" selected' in page
        entry = staff.get(f"/staff/q/{asked['id']}").text
        assert "核验未通过" in entry and "S9" in entry
        assert PASSAGE not in staff.get("/staff", params={"llm": "failed"}).text


def test_the_evaluation_runs_a_dataset_with_the_model_as_a_row_of_its_own(use_model, tmp_path):
    from rich.console import Console

    from eval.runner import run

    dataset = tmp_path / "llm.yaml"
    dataset.write_text(f"""name: llm
description: what the model changes
files: [{SAMPLES}]
questions:
  - {{question: "{UNSURE}", expect: {{value: 6800, unit: 人, qualifier: 约}}, category: paraphrased}}
  - {{question: "{SURE}", expect: {{value: 17, unit: 件}}, category: prose_figure}}
  - {{question: "{PASSAGE}", expect: {{text: 按季度开展栏目检查}}, category: passage}}
  - {{question: "2017年清河教育局开了几场新闻发布会?", expect: unanswerable, category: unanswerable}}
""", encoding="utf-8")
    out = tmp_path / "results.json"
    with open(tmp_path / "log", "w") as log:
        run(use_model("good"), [dataset], console=Console(file=log), json_out=out, llm=True, report_dir=tmp_path / "report")

    payload = json.loads(out.read_text(encoding="utf-8"))
    result = payload["datasets"]["llm"]
    assert [s["name"] for s in result["systems"]] == ["ours", "ours+llm"] and payload["llm_model"] == "good"
    ours, with_llm = result["metrics"]["ours"], result["metrics"]["ours+llm"]
    assert (ours["accuracy"], with_llm["accuracy"]) == (0.75, 1.0)  # the unsure question, answered from its pick
    assert with_llm["wrong_answers"] == 0
    assert [o["llm"]["outcome"] if o.get("llm") else None for o in result["outcomes"]["ours+llm"]] \
        == ["accepted", None, "accepted", None]
    assert "ours+llm" in (tmp_path / "report" / "index.html").read_text(encoding="utf-8")


def test_a_reading_said_as_null_text_is_no_reading():
    from assistant.llm.review import FigureChoice

    choice = FigureChoice.model_validate({"choice": "F1", "agency": "null", "year": "None", "breakdown": "无"})
    assert (choice.agency, choice.year, choice.breakdown) == (None, None, None)
    assert FigureChoice.model_validate({"choice": "F2", "year": "2021"}).year == 2021
