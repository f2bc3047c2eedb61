"""Agency names as people say them, matched with a score: no match and two matches are refusals."""

import pytest

from assistant.understanding.agencies import resolve_agency
from ingest.metadata import agency_aliases
from ingest.model import ReportMeta


def meta(agency: str, year: int = 2023) -> ReportMeta:
    return ReportMeta(agency=agency, year=year, title=f"{agency}{year}年政府信息公开工作年度报告",
                      aliases=agency_aliases(agency))


REPORTS = [meta(a) for a in (
    "青石综合实验区市场监督管理局", "青石综合实验区交通与建设局", "青石综合实验区社会事业局",
    "青石综合实验区自然资源与生态环境局", "青石综合实验区农业农村局", "青石综合实验区农村发展局",
    "青石综合实验区海坛片区管理局", "青石综合实验区", "鹭汀县人民政府", "霁川市卫生健康委员会",
    "霁川市发展和改革委员会", "霁川市人力资源和社会保障局", "霁川市住房和城乡建设局", "霁川市药品监督管理局",
    "鹭汀县教育局", "霁川市教育局",
)]


@pytest.mark.parametrize(("said", "agency"), [
    ("青石市监局2023年主动公开了多少条?", "青石综合实验区市场监督管理局"),
    ("实验区市场监管局2023年", "青石综合实验区市场监督管理局"),
    ("我想问一下市监局2023年", "青石综合实验区市场监督管理局"),
    ("2017年找交建局申请公开", "青石综合实验区交通与建设局"),
    ("社事局公众号", "青石综合实验区社会事业局"),
    ("自然资源和生态环境局在哪里办公", "青石综合实验区自然资源与生态环境局"),
    ("自然资源局2021年", "青石综合实验区自然资源与生态环境局"),
    ("农业局2021年", "青石综合实验区农业农村局"),
    ("农发局2017年", "青石综合实验区农村发展局"),
    ("海坛片区2022年", "青石综合实验区海坛片区管理局"),
    ("霁川卫健委", "霁川市卫生健康委员会"),
    ("霁川市发改委", "霁川市发展和改革委员会"),
    ("霁川人社局", "霁川市人力资源和社会保障局"),
    ("霁川住建局", "霁川市住房和城乡建设局"),
    ("霁川药监局", "霁川市药品监督管理局"),
    ("鹭汀县政府2023年", "鹭汀县人民政府"),
    ("复议机关是不是维持了市监局的答复", "青石综合实验区市场监督管理局"),
])
def test_names_people_use(said, agency):
    assert resolve_agency(said, REPORTS).agencies == (agency,)


@pytest.mark.parametrize(("said", "unknown"), [
    ("国家卫健委2023年收到多少件申请", "国家卫健委"),  # another body than the city's 卫生健康委员会
    ("霁川市监局", None),  # a place that is not the 市监局's
    ("平潭公安局2022年", None),
    ("实验区财政金融局2023年", None),
    ("金井片区2022年", "金井片区"),
])
def test_a_name_no_report_has_never_matches(said, unknown):
    found = resolve_agency(said, REPORTS)
    assert found.agencies == ()
    assert found.unknown
    if unknown:
        assert found.unknown == unknown


def test_an_ambiguous_name_names_its_candidates():
    found = resolve_agency("教育局2023年收到多少件申请", REPORTS)
    assert found.agencies == ()
    assert set(found.ambiguous) == {"鹭汀县教育局", "霁川市教育局"}


def test_a_quoted_name_is_not_the_body_asked_about():
    # “食安青石” is an account's name: the question names no body, so no report is ruled out.
    assert resolve_agency("“食安青石”视频号的直播有多少人次看过?", REPORTS).unknown is None


def test_generic_words_and_own_body_name_none():
    assert resolve_agency("本局办公室电话多少", REPORTS).unknown is None
    assert resolve_agency("在办事大厅公示栏公开了多少项", REPORTS).unknown is None


def test_a_name_runs_into_the_next_word():
    # 交建局部分公开: 局 then 部分, not a body called 交建局部.
    assert resolve_agency("2023年交建局部分公开的有多少?", REPORTS).agencies == ("青石综合实验区交通与建设局",)
