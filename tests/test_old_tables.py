"""The pre-2019 statistics table (指标名称 / 计量单位 / 本年 / 历年累计), as text exports run it together."""

from decimal import Decimal

from ingest import read_bytes
from ingest.model import Table
from ingest.old_tables import read_old_table

HEADER = "附表指 标 名 称计量单位2016年度历年累计"


def cells(text: str, tables=()) -> dict[str, Decimal]:
    return {f.key: f.value for f in read_old_table(text, tables).figures}


def test_rows_with_one_reading_are_read_and_numbering_is_not_a_digit():
    # 网上申请数条93 then 3.信函…: the 3 before the dot numbers the next row
    text = HEADER + "受理政府信息公开申请总数条129其中：1.当面申请数条362.网上申请数条933.信函、传真申请数条00行政复议数件11"
    read = cells(text)
    assert read["t0.requests.in_person.year"] == 3 and read["t0.requests.in_person.cumulative"] == 6
    assert read["t0.requests.online.year"] == 9 and read["t0.requests.online.cumulative"] == 3
    assert read["t0.requests.letter_fax.year"] == 0
    assert read["t0.reconsideration.year"] == 1


def test_a_total_is_read_as_the_only_split_its_parts_add_up_to():
    # 129 is 1 and 29 or 12 and 9; the parts (3+9, 6+3) make it 12 and 9
    read = cells(HEADER + "受理政府信息公开申请总数条129其中：1.当面申请数条362.网上申请数条93")
    assert (read["t0.requests.total.year"], read["t0.requests.total.cumulative"]) == (12, 9)


def test_a_row_with_several_readings_is_flagged_never_guessed():
    result = read_old_table(HEADER + "主动公开文件数条346085其中：1.政府网站公开数条3460852.政府公报公开数条00")
    keys = {f.key for f in result.figures}
    assert "t0.proactive.total.year" not in keys and "t0.proactive.website.year" not in keys
    assert any("主动公开文件数" in why for why in result.flagged)
    assert "t0.proactive.gazette.year" in keys


def test_the_reports_own_prose_settles_a_split():
    table = HEADER + "主动公开文件数条346085376"
    assert "t0.proactive.total.year" not in cells(table)  # 3460/85376, 34608/5376 …: several readings
    read = cells("2016年主动公开政府信息3460条，历年累计主动公开85376条。" + table)
    assert (read["t0.proactive.total.year"], read["t0.proactive.total.cumulative"]) == (3460, 85376)


def test_a_grid_is_read_cell_by_cell():
    table = Table(title="统计表", header=("指标名称", "计量单位", "2017年度", "历年累计"),
                  rows=(("受理政府信息公开申请总数", "条", "12", "40"), ("其中：1.当面申请数", "条", "2", "10")))
    read = cells("", [table])
    assert read["t0.requests.total.year"] == 12 and read["t0.requests.in_person.cumulative"] == 10


def test_a_report_with_the_old_table_cites_its_cells():
    text = ("某某县农业局2016年政府信息公开工作年度报告\n一、概述\n本局依法做好政府信息公开工作。\n二、附表\n"
            + HEADER + "受理政府信息公开申请总数条129其中：1.当面申请数条362.网上申请数条93行政诉讼数件00\n")
    report = read_bytes(text.encode("utf-8"), filename="old.txt")
    online = next(f for f in report.figures if f.metric == "t0.requests.online.year")
    assert online.value == 9 and online.cell and "网上申请数" in online.cell.row and online.cell.column == "2016年度"
