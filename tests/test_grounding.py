"""The grounding check that stands between a model's text and a user: numbers by value in Arabic or
Chinese numerals, citations that must have been offered."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.llm.grounding import check_grounding, numbers_in

OFFERED = {"S1": "2018年，市教育局共收到政府信息公开申请17件，其中当面申请5件。",
           "S2": "全年召开新闻发布会两次，发布政策解读十二篇，办结率100%。"}


def values(text: str) -> list[Decimal | None]:
    return [n.value for n in numbers_in(text)]


@pytest.mark.parametrize("text, expected", [
    ("共收到17件", [17]),
    ("共收到十七件", [17]),
    ("一千二百三十四条", [1234]),
    ("1,234条", [1234]),
    ("约1.2万人", [12000]),
    ("办结率99.5%", [Decimal("99.5")]),
    ("２０１８年", [2018]),  # full-width digits
    ("两次", [2]),
    ("一件", [1]),
])
def test_numbers_are_read_by_value(text, expected):
    assert values(text) == [Decimal(v) for v in expected]


@pytest.mark.parametrize("text", ["统一规范", "进一步加强", "一是完善制度", "一直以来"])
def test_a_lone_yi_in_a_word_is_no_number(text):
    assert numbers_in(text) == []


def test_a_text_whose_numbers_are_printed_in_its_cited_passages_passes():
    assert check_grounding("共收到17件申请，其中当面5件。", ["S1"], OFFERED).ok
    assert check_grounding("共收到十七件申请[S1]，召开发布会2次[S2]。", [], OFFERED).ok  # cited inline, numbers by value


def test_an_invented_number_is_rejected_and_named():
    verdict = check_grounding("共收到17件申请，另有18件转办。", ["S1"], OFFERED)
    assert not verdict.ok and "18" in verdict.reason


def test_a_number_from_a_passage_it_does_not_cite_is_rejected():
    verdict = check_grounding("召开发布会两次。", ["S1"], OFFERED)
    assert not verdict.ok and "两" in verdict.reason


def test_a_citation_that_was_not_offered_is_rejected():
    verdict = check_grounding("共收到17件。", ["S1", "S7"], OFFERED)
    assert not verdict.ok and "S7" in verdict.reason
    assert not check_grounding("共收到17件【S9】。", [], OFFERED).ok


def test_a_text_citing_nothing_is_rejected():
    assert not check_grounding("共收到17件。", [], OFFERED).ok


def test_the_chosen_figure_may_be_stated_though_no_passage_prints_it():
    assert check_grounding("合计22件。", ["S1"], OFFERED, figures=[Decimal(22)]).ok
    assert not check_grounding("合计22件。", ["S1"], OFFERED).ok
