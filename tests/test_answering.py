"""What the assistant answers, on the samples, the seed and the real reports (session fixture)."""

from __future__ import annotations

from decimal import Decimal

import pytest


def ask(assistant, question):
    return assistant.ask(question)


def test_figure_as_printed_with_qualifier_and_citation(assistant):
    answer = ask(assistant, "2017年主流媒体报道河南省科技工作多少篇次?")
    assert answer.answered
    figure = answer.figures[0]
    assert (figure.as_printed, figure.value, figure.unit, figure.qualifier) == ("400多篇次", "400", "篇次", "多")
    citation = answer.citations[0]
    start, end = citation.highlight
    assert citation.text[start:end] == "400多篇次"
    assert citation.section_path[-1] == "(四)媒体公开情况"
    assert answer.report.agency == "河南省科学技术厅" and answer.report.year == 2017


def test_stated_absence_is_zero(assistant):
    answer = ask(assistant, "2017年科技厅收到多少件信息公开行政复议申请?")
    assert answer.answered
    assert answer.figures[0].value == "0"
    assert "未收到信息公开行政复议申请" in answer.figures[0].as_printed


@pytest.mark.parametrize(
    "question",
    [
        "2019年科技厅收到多少件政府信息公开申请?",  # a year not ingested
        "2017年河南省财政厅收到多少件依申请公开?",  # an agency not ingested
        "2017年科技厅门户网站的访问量是多少?",  # a metric the report never gives
        "2017年科技厅政务微博有多少粉丝?",  # a channel the report never mentions
    ],
)
def test_refuses_rather_than_guess(assistant, question):
    answer = ask(assistant, question)
    assert not answer.answered
    assert answer.figures == [] and answer.citations == []
    assert answer.text.startswith("报告中没有说明")


def test_year_filters_not_just_scores(assistant):
    first = ask(assistant, "2017年清河市教育局共收到多少件政府信息公开申请?")
    second = ask(assistant, "2018年清河市教育局共收到多少件政府信息公开申请?")
    assert (first.figures[0].value, first.report.year) == ("9", 2017)
    assert (second.figures[0].value, second.report.year) == ("17", 2018)


def test_chinese_numeral_year(assistant):
    answer = ask(assistant, "二〇一七年科技厅收到多少件依申请公开?")
    assert answer.answered and answer.figures[0].value == "6"


def test_yes_no(assistant):
    assert ask(assistant, "2017年科技厅依申请公开是否收费?").text.startswith("否")
    assert ask(assistant, "2017年科技厅有没有因为信息公开被告上法庭?").text.startswith("是")


def test_passage_question_quotes_sections(assistant):
    answer = ask(assistant, "科技厅政府信息公开工作存在哪些问题?")
    assert answer.answered and answer.figures == []
    assert any("存在问题" in " ".join(c.section_path) for c in answer.citations)


def test_table_cell_answer_cites_table_row_and_column(assistant):
    answer = ask(assistant, "2023年平潭予以公开多少件?")
    assert answer.answered
    figure = answer.figures[0]
    assert (figure.value, figure.unit) == ("22", "件")
    assert figure.table == "三、收到和处理政府信息公开申请情况"
    assert "予以公开" in figure.row and figure.column == "总计"
    assert "予以公开" in answer.citations[0].text


def test_not_applicable_cell_is_not_zero(assistant):
    answer = ask(assistant, "2021年青石县交通运输局规章本年制发多少件?")
    assert answer.answered
    assert answer.figures[0].value == "" and answer.figures[0].as_printed == "/"
    assert "不适用" in answer.text


def test_undecodable_row_is_refused_with_reason(assistant):
    answer = ask(assistant, "2021年平潭行政规范性文件本年制发多少件?")
    assert not answer.answered
    assert "无法唯一确定" in answer.text


def test_series_lists_years_and_names_missing_ones(assistant):
    answer = ask(assistant, "2016年到2023年平潭每年收到多少件政府信息公开申请?")
    assert answer.answered
    got = {f.year: Decimal(f.value) for f in answer.figures}
    assert got == {2016: 0, 2021: 70, 2023: 81}
    missing = answer.text.split("报告中没有")[-1]
    for year in (2017, 2018, 2019, 2020, 2022):
        assert f"{year}年" in missing
    assert {c.year for c in answer.citations} == {2016, 2021, 2023}


def test_comparison_states_both_figures_and_difference(assistant):
    answer = ask(assistant, "2023年平潭收到的政府信息公开申请比2021年多还是少?")
    assert answer.answered
    assert {(f.year, f.value) for f in answer.figures} == {(2021, "70"), (2023, "81")}
    assert "多11件" in answer.text


def test_comparison_with_a_missing_year_is_not_answered(assistant):
    answer = ask(assistant, "2021年平潭收到的申请比2020年多还是少?")
    assert not answer.answered
    assert "2020年" in answer.text and "无法比较" in answer.text


def test_extreme_over_years(assistant):
    answer = ask(assistant, "平潭哪一年收到的政府信息公开申请最多?")
    assert answer.answered and "2023年最多" in answer.text


def test_alias_naming_two_agencies(assistant):
    # 平潭 names both the county government (2012) and the experimental zone (2016 on).
    answer = ask(assistant, "2016年平潭主动公开政府信息多少条?")
    assert answer.figures[0].value == "3460" and answer.report.agency == "平潭综合实验区"


@pytest.mark.parametrize(
    "question, expected",
    [
        ("2012年平潭县当面申请公开信息的有多少?", "18条"),  # 当面 decides, not the genre's 申请公开信息
        ("2012年平潭县共收到多少件政府信息公开申请?", "21条"),
        ("2017年科技厅收到多少件依申请公开?", "6件"),
    ],
)
def test_which_figure_answers_does_not_depend_on_what_else_is_indexed(assistant, question, expected):
    from assistant.answering import Answerer
    from assistant.understanding.parse import understand

    alone = {}
    for report in assistant.reports:
        understood = understand(question, [report.meta])
        if understood.years and report.meta.year in understood.years and understood.agencies:
            alone[report.id] = Answerer([report]).answer(understood, report_ids=[report.id], retrieved=[])
    together = assistant.ask(question)

    assert together.figures[0].as_printed == expected
    assert [a.figures[0].as_printed for a in alone.values()] == [expected]


@pytest.mark.parametrize("question", ["2030年清河市教育局共收到多少件政府信息公开申请?", "2021年平潭召开了多少场新闻发布会?"])
def test_a_refusal_shows_a_few_distinct_nearest_passages(assistant, question):
    answer = assistant.ask(question)

    assert not answer.answered
    ids = [c.paragraph_id for c in answer.nearest]
    assert 1 <= len(ids) <= assistant.settings.top_k and len(set(ids)) == len(ids)


@pytest.mark.parametrize("question", ["😀😀😀", "'; DROP TABLE reports; --", "？？？"])
def test_nothing_to_match_is_not_answered(assistant, question):
    from assistant.answering import NOT_A_QUESTION

    answer = ask(assistant, question)
    assert not answer.answered
    assert answer.text == NOT_A_QUESTION
    assert answer.nearest == [] and answer.figures == []


def test_a_breakdown_the_report_does_not_give_is_refused_not_the_total(assistant):
    # The seed report gives 6 requests in all, with no split by age: the total must not answer.
    answer = ask(assistant, "2017年科技厅收到的6件申请里有几件是60岁以上的人提的?")
    assert not answer.answered
    assert not answer.figures


def test_a_total_is_not_answered_by_a_part(assistant):
    answer = ask(assistant, "2012年平潭县一共收到多少条政府信息公开申请?")
    assert answer.answered and answer.figures[0].value == "21"
    part = ask(assistant, "2012年平潭县的申请里当面申请的有多少条?")
    assert part.answered and part.figures[0].value == "18"


def test_a_passage_answer_is_the_sentence_that_says_it(assistant):
    answer = ask(assistant, "请问科技厅2017年信息公开的联系电话是多少?")
    assert answer.answered
    assert "65956924" in answer.text
    assert len(answer.text) < 200  # the sentence, not whole paragraphs


def test_an_agency_abbreviation_resolves_and_a_foreign_body_is_refused(assistant):
    assert ask(assistant, "2017年河南科技厅一共接到几件信息公开申请?").figures[0].value == "6"
    answer = ask(assistant, "2017年国家科技部收到多少件依申请公开?")
    assert not answer.answered and "国家科技部" in answer.text


def test_next_years_plans_come_from_this_years_report(assistant):
    answer = ask(assistant, "2018年科技厅在信息公开上有什么打算?")
    assert answer.answered and answer.report.year == 2017
    assert "2017年的报告里" in answer.text
    assert answer.citations[0].section_path[-1].startswith("六、存在问题及下一步工作")
