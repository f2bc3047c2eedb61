"""Follow-up questions are completed from the session's previous question: the year, the agency
or the topic swapped, the rest carried over; a question that stands on its own is left alone."""

from __future__ import annotations

import pytest

from assistant.understanding.followup import resolve_followup
from ingest.metadata import agency_aliases
from ingest.model import ReportMeta

AGENCIES = ["河南省科学技术厅", "清河市教育局", "白云市商务局"]
REPORTS = [ReportMeta(agency=a, year=y, title=f"{a}{y}年政府信息公开工作年度报告", aliases=agency_aliases(a))
           for a in AGENCIES for y in (2017, 2018)]
PREVIOUS = "2017年科技厅收到多少件依申请公开?"


@pytest.mark.parametrize(
    "followup, resolved",
    [
        ("那2018年呢?", "2018年科技厅收到多少件依申请公开?"),
        ("2018年的呢？", "2018年科技厅收到多少件依申请公开?"),
        ("那2018年和2019年呢", "2018年和2019年科技厅收到多少件依申请公开?"),
        ("清河教育局呢？", "2017年清河教育局收到多少件依申请公开?"),
        ("那2018年清河教育局呢?", "2018年清河教育局收到多少件依申请公开?"),
        ("其中予以公开的有多少?", "2017年科技厅予以公开的有多少?"),
        ("那么行政复议呢?", "2017年科技厅行政复议有多少？"),
        ("收到多少件依申请公开?", "2017年科技厅收到多少件依申请公开?"),
        # an agency no report has is swapped in too: the answer then says there is no such report
        ("财政局呢?", "2017年财政局收到多少件依申请公开?"),
        ("2018年又是多少?", "2018年科技厅收到多少件依申请公开?"),
        ("2018年是多少件?", "2018年科技厅收到多少件依申请公开?"),
        ("下一年呢?", "2018年科技厅收到多少件依申请公开?"),
        ("那前一年呢", "2016年科技厅收到多少件依申请公开?"),
        ("换成白云市商务局呢?", "2017年白云市商务局收到多少件依申请公开?"),
        ("上年结转的有多少?", "2017年科技厅上年结转的有多少?"),
    ],
)
def test_a_followup_is_completed_from_the_previous_question(followup, resolved):
    assert resolve_followup(followup, PREVIOUS, REPORTS) == resolved


@pytest.mark.parametrize("question", ["2018年白云市商务局收到多少件申请?", "你好", "白云市商务局2018年的年报"])
def test_a_question_that_stands_on_its_own_is_left_alone(question):
    assert resolve_followup(question, PREVIOUS, REPORTS) is None


def test_without_a_previous_question_nothing_is_completed():
    assert resolve_followup("那2018年呢?", None, REPORTS) is None


def test_what_the_previous_question_lacked_is_added_not_replaced():
    assert resolve_followup("2018年呢", "清河教育局收到多少件申请", REPORTS) == "2018年清河教育局收到多少件申请"
    assert resolve_followup("科技厅呢", "2018年收到多少件申请", REPORTS) == "科技厅2018年收到多少件申请"


# --- through the assistant: the completed question is answered and shown ------------------------


@pytest.fixture(scope="module")
def samples_assistant(make_assistant):
    from conftest import SAMPLES

    built = make_assistant()
    assert not [r for r in built.ingest([SAMPLES]) if r.error]
    return built


def test_the_assistant_answers_a_followup_and_says_how_it_read_it(samples_assistant):
    first = samples_assistant.ask("2018年清河市教育局共收到多少件政府信息公开申请?")
    followup = samples_assistant.ask("那2017年呢?", previous=first.understanding.question or first.question)

    assert first.figures[0].as_printed == "17件"
    assert followup.question == "那2017年呢?"
    assert followup.understanding.question == "2017年清河市教育局共收到多少件政府信息公开申请?"
    assert followup.figures[0].as_printed == "9件" and followup.report.year == 2017


def test_without_the_previous_question_a_followup_is_refused_not_guessed(samples_assistant):
    answer = samples_assistant.ask("那2017年呢?")

    assert answer.understanding.question is None
    assert not answer.answered and not answer.figures
    assert "上一个问题" in answer.text


@pytest.mark.parametrize("question, needs", [("那2018年呢?", True), ("科技厅呢", True), ("2018年是多少?", True),
                                             ("上一年呢?", True), ("多少件?", True), ("其中予以公开的有多少?", False),
                                             ("2018年科技厅收到多少件申请?", False), ("科技厅", False),
                                             ("上年结转的申请有多少?", False)])
def test_which_questions_need_a_previous_one(question, needs):
    from assistant.understanding.followup import needs_previous

    assert needs_previous(question, REPORTS) is needs
