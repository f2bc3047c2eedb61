"""Reading the standard tables 二/三/四: from grid tables (HTML, DOCX, PDF) and from plain text
whose cells ran together (decoded with the tables' own identities, ambiguous rows flagged)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle
from reportlab.platypus import Table as PdfTable

from ingest import read_path
from ingest.load import load_bytes
from ingest.normalise import normalise_text
from ingest.standard import T3_COLUMNS, T3_ROWS, T4_OUTCOMES, t2_key, t3_key, t4_key
from ingest.tables import TABLE3, StandardTables, read_standard_tables

D = Decimal
T3_GROUPS = ("refused", "unable", "not_processed", "other")


def t3(rows: dict[str, tuple]) -> dict[str, Decimal | None]:
    """Row key → the seven cells (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计)."""
    out = {}
    for row, cells in rows.items():
        assert len(cells) == 7, row
        out |= {t3_key(row, c.key): None if v is None else D(v) for c, v in zip(T3_COLUMNS, cells, strict=True)}
    return out


def t4(groups: dict[str, tuple]) -> dict[str, Decimal | None]:
    """Group key → (结果维持, 结果纠正, 其他结果, 尚未审结, 总计)."""
    out = {}
    for group, cells in groups.items():
        out |= {t4_key(group, o.key): None if v is None else D(v) for o, v in zip(T4_OUTCOMES, cells, strict=True)}
    return out


def values(tables: StandardTables) -> dict[str, Decimal | None]:
    found = {f.key: f.value for f in tables.figures}
    assert len(found) == len(tables.figures), "a key was emitted twice"
    return found


def assert_identities(rows: dict[str, tuple]) -> None:
    """Hand check of expected table 三 rows (independent of the reader): every identity holds."""
    for row, cells in rows.items():
        assert sum(v or 0 for v in cells[:6]) == (cells[6] or 0), row  # "/" counts nothing
    for c in range(7):
        col = {row: cells[c] or 0 for row, cells in rows.items()}
        groups = {}
        for g in T3_GROUPS:
            subs = [col[r.key] for r in T3_ROWS if r.group == g and r.key in col]
            groups[g] = col.get(g, sum(subs))
            assert not subs or groups[g] == sum(subs), g
        assert col["result_total"] == col["granted"] + col["partly_granted"] + sum(groups.values())
        assert col["new"] + col["carried_over"] == col["result_total"] + col["carried_forward"]


# --- the real reports (plain-text exports, cells run together) ----------------------------------

ZERO = (0,) * 7
# 2021-pingtan.txt, decoded by hand from the text:
#   一 640020470 = 64,0,0,2,0,4,70   （一） 270020130 = 27,0,0,2,0,1,30 (2,7,0,0,20,1,30 also adds up in
#   its row, but 科研机构 would then be 20 in （一） and 0 in （七）)   （二） "500000 5" = 5,0,0,0,0,0 | 5
#   （四）1 220000325 = 22,0,0,0,0,3,25 (not 2,20,…: 商业企业 is 0 in （七）)   （七） 630020469 = 63,0,0,2,0,4,69
PINGTAN_2021_T3 = {
    "new": (64, 0, 0, 2, 0, 4, 70),
    "carried_over": ZERO,
    "granted": (27, 0, 0, 2, 0, 1, 30),
    "partly_granted": (5, 0, 0, 0, 0, 0, 5),
    "refused.state_secret": ZERO,
    "refused.prohibited_by_law": ZERO,
    "refused.three_safeties": ZERO,
    "refused.third_party": ZERO,
    "refused.internal_affairs": (1, 0, 0, 0, 0, 0, 1),
    "refused.process_info": ZERO,
    "refused.enforcement_file": (6, 0, 0, 0, 0, 0, 6),
    "refused.inquiry": (1, 0, 0, 0, 0, 0, 1),
    "unable.not_held": (22, 0, 0, 0, 0, 3, 25),
    "unable.needs_creation": ZERO,
    "unable.unclear": ZERO,
    "not_processed.complaint": ZERO,
    "not_processed.repeated": ZERO,
    "not_processed.publication": ZERO,
    "not_processed.excessive": ZERO,
    "not_processed.confirmation": ZERO,
    "other.no_correction": ZERO,
    "other.unpaid_fee": ZERO,
    "other.other": (1, 0, 0, 0, 0, 0, 1),
    "result_total": (63, 0, 0, 2, 0, 4, 69),
    "carried_forward": (1, 0, 0, 0, 0, 0, 1),
}
# "10203120001200000": 1,0,2,0,3 | 12,0,0,0,12 | 0,0,0,0,0 is the only split where each 总计 is its sum
PINGTAN_2021_T4 = {
    "reconsideration": (1, 0, 2, 0, 3),
    "litigation_direct": (12, 0, 0, 0, 12),
    "litigation_after_reconsideration": (0, 0, 0, 0, 0),
}
# Table 二 has no identities. Single-cell rows and "000" (three cells, no leading zeros) are certain.
# The fee has six decimals in 万元, i.e. yuan and fen: 24252.311082 万元 = 242,523,110.82 元.
PINGTAN_2021_T2 = {
    t2_key("s20_1", "rules", "made"): D(0),
    t2_key("s20_1", "rules", "repealed"): D(0),
    t2_key("s20_1", "rules", "in_force"): D(0),
    t2_key("s20_5", "licensing", "decisions"): D(2293),
    t2_key("s20_6", "penalty", "decisions"): D(1282),
    t2_key("s20_6", "enforcement", "decisions"): D(42),
    t2_key("s20_8", "fees", "amount"): D("24252.311082"),
}

# 2023-pingtan.txt: （二） 191000020 = 19,1,0,0,0,0,20 (1,9,10,… adds up too, but 科研机构 is 0 in
# （七）); （一） 220000022 = 22,0,… (2,20,… would make 商业企业 21 against 1 in （七）).
PINGTAN_2023_T3 = {
    "new": (80, 1, 0, 0, 0, 0, 81),
    "carried_over": ZERO,
    "granted": (22, 0, 0, 0, 0, 0, 22),
    "partly_granted": (19, 1, 0, 0, 0, 0, 20),
    "refused.state_secret": ZERO,
    "refused.prohibited_by_law": ZERO,
    "refused.three_safeties": ZERO,
    "refused.third_party": (1, 0, 0, 0, 0, 0, 1),
    "refused.internal_affairs": ZERO,
    "refused.process_info": (1, 0, 0, 0, 0, 0, 1),
    "refused.enforcement_file": (1, 0, 0, 0, 0, 0, 1),
    "refused.inquiry": (2, 0, 0, 0, 0, 0, 2),
    "unable.not_held": (31, 0, 0, 0, 0, 0, 31),
    "unable.needs_creation": ZERO,
    "unable.unclear": ZERO,
    "not_processed.complaint": ZERO,
    "not_processed.repeated": (1, 0, 0, 0, 0, 0, 1),
    "not_processed.publication": ZERO,
    "not_processed.excessive": ZERO,
    "not_processed.confirmation": ZERO,
    "other.no_correction": (1, 0, 0, 0, 0, 0, 1),
    "other.unpaid_fee": ZERO,
    "other.other": (1, 0, 0, 0, 0, 0, 1),
    "result_total": (80, 1, 0, 0, 0, 0, 81),
    "carried_forward": ZERO,
}
# "110024001510102": fifteen digits, fifteen cells
PINGTAN_2023_T4 = {
    "reconsideration": (1, 1, 0, 0, 2),
    "litigation_direct": (4, 0, 0, 1, 5),
    "litigation_after_reconsideration": (1, 0, 1, 0, 2),
}
PINGTAN_2023_T2 = {
    t2_key("s20_1", "rules", "made"): D(0),
    t2_key("s20_1", "rules", "repealed"): D(0),
    t2_key("s20_1", "rules", "in_force"): D(0),
    t2_key("s20_5", "licensing", "decisions"): D(2629),
    t2_key("s20_6", "penalty", "decisions"): D(1330),
    t2_key("s20_6", "enforcement", "decisions"): D(54),
    t2_key("s20_8", "fees", "amount"): D("5949.088667"),  # 59,490,886.67 元
}


@pytest.mark.parametrize(
    ("name", "t2_expected", "t3_expected", "t4_expected", "ambiguous_run"),
    [
        # 行政规范性文件 "693665" / "77132470" into 本年制发件数, 本年废止件数, 现行有效件数: table 二 has no
        # identity to choose among 6,9,3665 / 69,36,65 / 693,66,5 … (10 and 21 splits), so it is flagged.
        ("2021-pingtan.txt", PINGTAN_2021_T2, PINGTAN_2021_T3, PINGTAN_2021_T4, "693665"),
        ("2023-pingtan.txt", PINGTAN_2023_T2, PINGTAN_2023_T3, PINGTAN_2023_T4, "77132470"),
    ],
)
def test_real_reports_every_figure(corpus: Path, name, t2_expected, t3_expected, t4_expected, ambiguous_run):
    assert_identities(t3_expected)
    report = read_path(corpus / "real" / name)
    tables = read_standard_tables(report.text, report.tables)

    assert tables.version == "2021"
    assert values(tables) == t2_expected | t3(t3_expected) | t4(t4_expected)
    assert tables.violations == ()
    assert len(tables.flagged) == 1
    assert "t2.s20_1.normative_documents" in tables.flagged[0] and ambiguous_run in tables.flagged[0]
    for figure in tables.figures:  # each figure points at its row label (table 四: its run) in the text
        label = "" if figure.key.startswith("t4.") else figure.row.split()[-1]
        assert figure.offset is not None and report.text.startswith(label, figure.offset)


def test_real_report_row_details(corpus: Path):
    report = read_path(corpus / "real" / "2021-pingtan.txt")
    figures = {f.key: f for f in read_standard_tables(report.text, report.tables).figures}
    partly = figures["t3.partly_granted.natural_person"]
    assert partly.table == TABLE3 and partly.column == "自然人" and partly.unit == "件"
    assert partly.row.startswith("（二）部分公开")
    secret = figures["t3.refused.state_secret.total"]
    assert secret.row == "（三）不予公开 1.属于国家秘密" and secret.as_printed == "0"
    assert report.text[secret.offset :].startswith("1.属于国家秘密")
    fee = figures["t2.s20_8.fees.amount"]
    assert fee.unit == "万元" and fee.as_printed == "24252.311082"
    assert report.text[figures["t4.litigation_direct.upheld"].offset :].startswith("10203120001200000")


def test_reports_without_standard_tables(corpus: Path):
    for path in [corpus / "real" / "2016-pingtan.txt", corpus / "seed" / "henan-kjt-2017.txt"]:
        report = read_path(path)
        assert read_standard_tables(report.text, report.tables) == StandardTables("", (), (), ())


# --- run-together decoding ----------------------------------------------------------------------


def t3_text(rows: dict[str, str]) -> str:
    """A table 三 exported like the real ones: labels and digit runs run together."""
    labels = {
        "new": "一、本年新收政府信息公开申请数量",
        "carried_over": "二、上年结转政府信息公开申请数量",
        "granted": "三、本年度办理结果（一）予以公开",
        "partly_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "other": "（六）其他处理",
        "result_total": "（七）总计",
        "carried_forward": "四、结转下年度继续办理",
    }
    parts = ["申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"]
    for row in T3_ROWS:
        if row.key in ("refused", "unable", "not_processed"):
            continue
        if row.key in labels:
            parts.append(labels[row.key])
        else:
            group = {"refused": "（三）不予公开", "unable": "（四）无法提供", "not_processed": "（五）不予处理"}
            if row.label.startswith("1.") and row.group in group:
                parts.append(group[row.group])
            parts.append(row.label)
        parts.append(rows.get(row.key, "0000000"))
    return "三、收到和处理政府信息公开申请情况" + "".join(parts) + "\n四、政府信息公开行政复议、行政诉讼情况"


def test_ambiguous_rows_are_flagged_not_guessed():
    # 11,0,… and 1,10,… both add up in their row, and (一) = (七) = 一 holds for either reading:
    # nothing in the table tells them apart, so the three rows are flagged and not emitted.
    text = t3_text({"new": "110000011", "granted": "110000011", "result_total": "110000011", "other": ""})
    tables = read_standard_tables(text, [])
    flagged = {f.split(": ")[1].split(" ")[0] for f in tables.flagged}
    assert flagged == {"t3.new.*", "t3.granted.*", "t3.result_total.*"}
    assert all("110000011" in f and "2 readings" in f for f in tables.flagged)
    found = values(tables)
    assert not any(k.startswith(("t3.new.", "t3.granted.", "t3.result_total.")) for k in found)
    assert found[t3_key("carried_forward", "total")] == 0 and found[t3_key("refused.inquiry", "natural_person")] == 0
    assert tables.violations == ()


def test_cross_row_identities_resolve_a_row():
    # （一） and （七） "110000011" are each 11,0,… or 1,10,…; 一 is spaced, so certain, and
    # 一 + 二 = （七） + 四 with zeros elsewhere leaves only 11,0,0,0,0,0,11 for both.
    text = t3_text({"new": "11 0 0 0 0 0 11", "granted": "110000011", "result_total": "110000011", "other": ""})
    tables = read_standard_tables(text, [])
    assert tables.flagged == () and tables.violations == ()
    assert values(tables)[t3_key("granted", "natural_person")] == 11
    assert values(tables)[t3_key("granted", "commercial")] == 0


def test_not_applicable_marks_in_a_run():
    text = t3_text({"new": "3/0 0/-3", "granted": "3—00—03", "result_total": "3 / 0 0 / - 3", "other": ""})
    found = values(read_standard_tables(text, []))
    assert [found[t3_key("new", c.key)] for c in T3_COLUMNS] == [3, None, 0, 0, None, None, 3]
    assert [found[t3_key("granted", c.key)] for c in T3_COLUMNS] == [3, None, 0, 0, None, 0, 3]


def test_a_run_that_breaks_its_row_identity_is_read_and_reported():
    # seven digits can only be seven cells; 1+0+…+0 ≠ 2 is the report's error, reported, kept as printed
    text = t3_text(
        {"new": "1000002", "granted": "1000001", "result_total": "1000001", "carried_forward": "0000001", "other": ""}
    )
    tables = read_standard_tables(text, [])
    assert values(tables)[t3_key("new", "total")] == 2
    assert any("一、本年新收" in v and "总计 is 2" in v and "add up to 1" in v for v in tables.violations)


# --- grid tables --------------------------------------------------------------------------------

Spec = list[list[tuple[str, int, int]]]  # rows of (text, rowspan, colspan), as HTML writes them


def t3_spec(cells: dict[str, list[str]], *, split_other: bool, labels: dict[str, str]) -> Spec:
    """The official table 三 layout: two header rows, 三、本年度办理结果 spanning the result rows,
    each （三）…（六） group label spanning its sub-rows."""
    label = lambda key: labels.get(key, next(r.label for r in T3_ROWS if r.key == key))
    spec: Spec = [
        [
            ("申请人情况", 2, 3),
            ("自然人", 2, 1),
            (labels.get("org", "法人或其他组织"), 1, 5),
            (labels.get("total", "总计"), 2, 1),
        ],
        [(c.label, 1, 1) for c in T3_COLUMNS[1:6]],
        [(label("new"), 1, 3), *((v, 1, 1) for v in cells["new"])],
        [(label("carried_over"), 1, 3), *((v, 1, 1) for v in cells["carried_over"])],
    ]
    result_rows = [
        r
        for r in T3_ROWS
        if r.key not in ("new", "carried_over", "carried_forward", "refused", "unable", "not_processed")
        and (r.key != "other" if split_other else not r.key.startswith("other."))
    ]
    first = True
    for row in result_rows:
        spec_row: list[tuple[str, int, int]] = []
        if first:
            spec_row.append(("三、本年度办理结果", len(result_rows), 1))
            first = False
        if row.group in T3_GROUPS:
            siblings = [r for r in result_rows if r.group == row.group]
            if row is siblings[0]:
                spec_row.append((label(row.group), len(siblings), 1))
            spec_row.append((label(row.key), 1, 1))
        else:
            spec_row.append((label(row.key), 1, 2))
        spec.append(spec_row + [(v, 1, 1) for v in cells[row.key]])
    spec.append([(label("carried_forward"), 1, 3), *((v, 1, 1) for v in cells["carried_forward"])])
    return spec


def t4_spec(cells: list[str]) -> Spec:
    outcomes = [o.label for o in T4_OUTCOMES]
    return [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*((o, 2, 1) for o in outcomes), ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(o, 1, 1) for o in outcomes * 2],
        [(v, 1, 1) for v in cells],
    ]


def html(title: str, spec: Spec) -> str:
    rows = "".join(
        "<tr>" + "".join(f'<td rowspan="{rs}" colspan="{cs}">{text}</td>' for text, rs, cs in row) + "</tr>"
        for row in spec
    )
    return f"<p>{title}</p><table border='1'>{rows}</table>"


def page(*parts: str) -> bytes:
    head = "<head><meta charset='utf-8'><title>某局2022年政府信息公开工作年度报告</title></head>"
    return f"<html>{head}<body>{''.join(parts)}</body></html>".encode()


def read_html(data: bytes) -> StandardTables:
    document = load_bytes(data, filename="report.html")
    return read_standard_tables(normalise_text("\n".join(document.blocks)), document.tables)


def expected_cells(cells: dict[str, list[str]]) -> dict[str, Decimal | None]:
    return t3(as_numbers(cells))


# 2021 revision, （六） split. "/" is not applicable: None, and counts nothing in the identities.
CELLS_2021 = {
    "new": ["10", "2", "/", "1", "0", "1", "14"],
    "carried_over": ["1", "0", "/", "0", "/", "0", "1"],
    "granted": ["5", "1", "/", "0", "0", "0", "6"],
    "partly_granted": ["1", "0", "/", "0", "0", "0", "1"],
    "refused.state_secret": ["0"] * 7,
    "refused.prohibited_by_law": ["0"] * 7,
    "refused.three_safeties": ["0"] * 7,
    "refused.third_party": ["1", "0", "0", "0", "0", "0", "1"],
    "refused.internal_affairs": ["0"] * 7,
    "refused.process_info": ["0"] * 7,
    "refused.enforcement_file": ["0"] * 7,
    "refused.inquiry": ["0"] * 7,
    "unable.not_held": ["2", "1", "/", "1", "0", "0", "4"],
    "unable.needs_creation": ["0"] * 7,
    "unable.unclear": ["0"] * 7,
    "not_processed.complaint": ["1", "0", "0", "0", "0", "0", "1"],
    "not_processed.repeated": ["0"] * 7,
    "not_processed.publication": ["0"] * 7,
    "not_processed.excessive": ["0"] * 7,
    "not_processed.confirmation": ["0"] * 7,
    "other.no_correction": ["0"] * 7,
    "other.unpaid_fee": ["0"] * 7,
    "other.other": ["1", "0", "0", "0", "0", "1", "2"],
    "result_total": ["11", "2", "/", "1", "0", "1", "15"],
    "carried_forward": ["0"] * 7,
}
CELLS_2019 = {k: v for k, v in CELLS_2021.items() if not k.startswith("other.")} | {
    "other": ["1", "0", "0", "0", "0", "1", "2"]
}
# label variants and typos seen in real reports, numbering styles, half-width brackets, spaced labels
VARIANT_LABELS = {
    "new": "一、本年度新收政府信息公开申请数量",
    "partly_granted": "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
    "refused.internal_affairs": "5.属于三类内容事务信息",
    "unable.not_held": "1、本机关不掌握相关政府信息",
    "unable.needs_creation": "（2）没有现成信息需要另行制作",
    "not_processed.repeated": "2. 重复申请",
    "org": "法人或者其他组织",
    "total": "总 计",
}

T2_2021_SPEC: Spec = [
    [("第二十条第（一）项", 1, 4)],
    [("信息内容", 1, 1), ("本年制发件数", 1, 1), ("本年废止件数", 1, 1), ("现行有效件数", 1, 1)],
    [("规章", 1, 1), ("0", 1, 1), ("0", 1, 1), ("/", 1, 1)],
    [("行政规范性文件", 1, 1), ("6", 1, 1), ("9", 1, 1), ("366", 1, 1)],
    [("第二十条第（五）项", 1, 4)],
    [("信息内容", 1, 1), ("本年处理决定数量", 1, 3)],
    [("行政许可", 1, 1), ("2293", 1, 3)],
    [("第二十条第（六）项", 1, 4)],
    [("信息内容", 1, 1), ("本年处理决定数量", 1, 3)],
    [("行政处罚", 1, 1), ("1282", 1, 3)],
    [("行政强制", 1, 1), ("42", 1, 3)],
    [("第二十条第（八）项", 1, 4)],
    [("信息内容", 1, 1), ("本年收费金额（单位：万元）", 1, 3)],
    [("行政事业性收费", 1, 1), ("24252.31", 1, 3)],
]
T2_2021_EXPECTED = {
    t2_key("s20_1", "rules", "made"): D(0),
    t2_key("s20_1", "rules", "repealed"): D(0),
    t2_key("s20_1", "rules", "in_force"): None,
    t2_key("s20_1", "normative_documents", "made"): D(6),
    t2_key("s20_1", "normative_documents", "repealed"): D(9),
    t2_key("s20_1", "normative_documents", "in_force"): D(366),
    t2_key("s20_5", "licensing", "decisions"): D(2293),
    t2_key("s20_6", "penalty", "decisions"): D(1282),
    t2_key("s20_6", "enforcement", "decisions"): D(42),
    t2_key("s20_8", "fees", "amount"): D("24252.31"),
}
T2_2019_SPEC: Spec = [
    [("第二十条第(一)项", 1, 4)],
    [("信息内容", 1, 1), ("本年新制作数量", 1, 1), ("本年新公开数量", 1, 1), ("对外公开总数量", 1, 1)],
    [("规章", 1, 1), ("0", 1, 1), ("0", 1, 1), ("3", 1, 1)],
    [("规范性文件", 1, 1), ("5", 1, 1), ("5", 1, 1), ("40", 1, 1)],
    [("第二十条第(五)项", 1, 4)],
    [("信息内容", 1, 1), ("上一年项目数量", 1, 1), ("本年增/减", 1, 1), ("处理决定数量", 1, 1)],
    [("行政许可", 1, 1), ("120", 1, 1), ("-3", 1, 1), ("4500", 1, 1)],
    [("其他对外管理服务事项", 1, 1), ("10", 1, 1), ("0", 1, 1), ("—", 1, 1)],
    [("第二十条第(六)项", 1, 4)],
    [("信息内容", 1, 1), ("上一年项目数量", 1, 1), ("本年增/减", 1, 1), ("处理决定数量", 1, 1)],
    [("行政处罚", 1, 1), ("30", 1, 1), ("+2", 1, 1), ("800", 1, 1)],
    [("行政强制", 1, 1), ("", 1, 1), ("", 1, 1), ("", 1, 1)],  # empty cells: not applicable
    [("第二十条第(八)项", 1, 4)],
    [("信息内容", 1, 1), ("上一年项目数量", 1, 1), ("本年增/减", 1, 2)],
    [("行政事业性收费", 1, 1), ("4", 1, 1), ("0", 1, 2)],
    [("第二十条第(九)项", 1, 4)],
    [("信息内容", 1, 1), ("采购项目数量", 1, 1), ("采购总金额", 1, 2)],
    [("政府集中采购", 1, 1), ("12", 1, 1), ("345.67", 1, 2)],
]
T2_2019_EXPECTED = {
    t2_key("s20_1", "rules", "made"): D(0),
    t2_key("s20_1", "rules", "published"): D(0),
    t2_key("s20_1", "rules", "total"): D(3),
    t2_key("s20_1", "normative_documents", "made"): D(5),
    t2_key("s20_1", "normative_documents", "published"): D(5),
    t2_key("s20_1", "normative_documents", "total"): D(40),
    t2_key("s20_5", "licensing", "last_year"): D(120),
    t2_key("s20_5", "licensing", "change"): D(-3),
    t2_key("s20_5", "licensing", "decisions"): D(4500),
    t2_key("s20_5", "other_services", "last_year"): D(10),
    t2_key("s20_5", "other_services", "change"): D(0),
    t2_key("s20_5", "other_services", "decisions"): None,
    t2_key("s20_6", "penalty", "last_year"): D(30),
    t2_key("s20_6", "penalty", "change"): D(2),
    t2_key("s20_6", "penalty", "decisions"): D(800),
    t2_key("s20_6", "enforcement", "last_year"): None,
    t2_key("s20_6", "enforcement", "change"): None,
    t2_key("s20_6", "enforcement", "decisions"): None,
    t2_key("s20_8", "fees", "last_year"): D(4),
    t2_key("s20_8", "fees", "change"): D(0),
    t2_key("s20_9", "procurement", "count"): D(12),
    t2_key("s20_9", "procurement", "amount"): D("345.67"),
}
T4_CELLS = ["1", "0", "2", "/", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"]
T4_EXPECTED = t4(
    {
        "reconsideration": (1, 0, 2, None, 3),
        "litigation_direct": (12, 0, 0, 0, 12),
        "litigation_after_reconsideration": (0,) * 5,
    }
)


def as_numbers(cells: dict[str, list[str]]) -> dict[str, tuple]:
    return {row: tuple(None if v == "/" else int(v) for v in values) for row, values in cells.items()}


def test_html_2021_split_other():
    assert_identities(as_numbers(CELLS_2021))
    data = page(
        html("二、主动公开政府信息情况", T2_2021_SPEC),
        html("三、收到和处理政府信息公开申请情况", t3_spec(CELLS_2021, split_other=True, labels=VARIANT_LABELS)),
        html("四、政府信息公开行政复议、行政诉讼情况", t4_spec(T4_CELLS)),
    )
    tables = read_html(data)
    assert tables.version == "2021"
    assert values(tables) == T2_2021_EXPECTED | expected_cells(CELLS_2021) | T4_EXPECTED
    assert tables.violations == () and tables.flagged == ()
    figures = {f.key: f for f in tables.figures}
    assert figures[t3_key("new", "commercial")].column == "法人或者其他组织 商业企业"
    assert figures[t3_key("new", "research")].as_printed == "/"
    assert figures[t3_key("other.other", "total")].row == "（六）其他处理 3.其他"
    assert figures[t2_key("s20_8", "fees", "amount")].unit == "万元"
    assert all(f.offset is None for f in tables.figures)  # read from the grid, not the text


def test_html_2019_six_rows():
    assert_identities(as_numbers(CELLS_2019))
    data = page(
        html("二、主动公开政府信息情况", T2_2019_SPEC),
        html("三、收到和处理政府信息公开申请情况", t3_spec(CELLS_2019, split_other=False, labels={})),
        html("四、政府信息公开行政复议、行政诉讼情况", t4_spec(T4_CELLS)),
    )
    tables = read_html(data)
    assert tables.version == "2019"
    assert values(tables) == T2_2019_EXPECTED | expected_cells(CELLS_2019) | T4_EXPECTED
    assert tables.violations == () and tables.flagged == ()


def test_the_text_of_an_html_table_decodes_to_the_same_figures():
    # without the grid, the rows' text ("… 10 2 / 1 0 1 14") is decoded: spaces are cell boundaries
    data = page(
        html("二、主动公开政府信息情况", T2_2021_SPEC),
        html("三、收到和处理政府信息公开申请情况", t3_spec(CELLS_2021, split_other=True, labels=VARIANT_LABELS)),
        html("四、政府信息公开行政复议、行政诉讼情况", t4_spec(T4_CELLS)),
    )
    document = load_bytes(data, filename="report.html")
    tables = read_standard_tables(normalise_text("\n".join(document.blocks)), [])
    assert values(tables) == T2_2021_EXPECTED | expected_cells(CELLS_2021) | T4_EXPECTED
    assert tables.violations == () and tables.flagged == ()


def test_violating_grid_table_is_reported_not_fixed():
    cells = {k: list(v) for k, v in CELLS_2021.items()}
    cells["result_total"][0] = "12"  # （七）总计 自然人: 11 by its parts
    cells["granted"][6] = "7"  # （一）予以公开 总计: 6 by its columns
    tables = read_html(page(html("三、收到和处理政府信息公开申请情况", t3_spec(cells, split_other=True, labels={}))))
    assert values(tables)[t3_key("result_total", "natural_person")] == 12  # kept as printed
    assert values(tables)[t3_key("granted", "total")] == 7
    text = "\n".join(tables.violations)
    assert "（一）予以公开: 总计 is 7 but the six applicant columns add up to 6" in text
    assert "column 自然人: （七）总计 = 12 but （一）予以公开 + … + （六）其他处理 3.其他 (21 rows) = 11" in text
    assert "column 自然人: 一、本年新收政府信息公开申请数量 + 二、上年结转政府信息公开申请数量 = 11" in text
    assert "column 总计: （七）总计 = 15 but" in text and "= 16" in text


def test_violating_table_4():
    cells = list(T4_CELLS)
    cells[9] = "13"
    tables = read_html(page(html("四、政府信息公开行政复议、行政诉讼情况", t4_spec(cells))))
    assert tables.violations == (
        "四、政府信息公开行政复议、行政诉讼情况: 行政诉讼 未经复议直接起诉: "
        "总计 is 13 but its four outcome cells add up to 12",
    )


def grid(spec: Spec) -> list[list[tuple[str, int, int] | None]]:
    """Each spec cell at its grid position (the top-left of its span); covered positions None."""
    covered: set[tuple[int, int]] = set()
    placed: dict[tuple[int, int], tuple[str, int, int]] = {}
    for r, row in enumerate(spec):
        c = 0
        for cell in row:
            while (r, c) in covered:
                c += 1
            placed[(r, c)] = cell
            covered |= {(r + i, c + j) for i in range(cell[1]) for j in range(cell[2])}
            c += cell[2]
    width = max(c for _, c in covered) + 1
    return [[placed.get((r, c)) for c in range(width)] for r in range(len(spec))]


def docx_bytes(title: str, spec: Spec) -> bytes:
    document = docx.Document()
    document.add_paragraph(title)
    positions = grid(spec)
    table = document.add_table(rows=len(positions), cols=len(positions[0]))
    for r, row in enumerate(positions):
        for c, cell in enumerate(row):
            if cell:
                text, rowspan, colspan = cell
                merged = (
                    table.cell(r, c).merge(table.cell(r + rowspan - 1, c + colspan - 1))
                    if rowspan * colspan > 1
                    else table.cell(r, c)
                )
                merged.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_with_merged_cells():
    data = docx_bytes(
        "三、收到和处理政府信息公开申请情况", t3_spec(CELLS_2021, split_other=True, labels=VARIANT_LABELS)
    )
    document = load_bytes(data, filename="report.docx")
    tables = read_standard_tables(normalise_text("\n".join(document.blocks)), document.tables)
    assert values(tables) == expected_cells(CELLS_2021)
    assert tables.violations == () and tables.flagged == ()
    assert all(f.offset is None for f in tables.figures)


def pdf_bytes(*parts: tuple[str, Spec]) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=9)
    flow = []
    for title, spec in parts:
        positions = grid(spec)
        data = [[cell[0] if cell else "" for cell in row] for row in positions]
        spans = [
            ("SPAN", (c, r), (c + cell[2] - 1, r + cell[1] - 1))
            for r, row in enumerate(positions)
            for c, cell in enumerate(row)
            if cell and cell[1] * cell[2] > 1
        ]
        widths = [60, 60, 260] + [50] * 7 if len(data[0]) == 10 else None
        table = PdfTable(data, colWidths=widths, rowHeights=16)
        table.setStyle(
            TableStyle(
                [("FONT", (0, 0), (-1, -1), "STSong-Light", 6), ("GRID", (0, 0), (-1, -1), 0.5, "black"), *spans]
            )
        )
        flow += [Paragraph(title, style), table]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4)).build(flow)
    return buffer.getvalue()


def test_pdf_tables_via_pdfplumber():
    data = pdf_bytes(
        ("三、收到和处理政府信息公开申请情况", t3_spec(CELLS_2021, split_other=True, labels=VARIANT_LABELS)),
        ("四、政府信息公开行政复议、行政诉讼情况", t4_spec(T4_CELLS)),
    )
    document = load_bytes(data, filename="report.pdf")
    # table 三 breaks across the page: its last row is a narrower table (the label columns merged)
    assert [len(table.header) for table in document.tables] == [10, 8, 15]
    text = normalise_text("\n".join(document.blocks))
    tables = read_standard_tables(text, document.tables)
    assert values(tables) == expected_cells(CELLS_2021) | T4_EXPECTED
    assert tables.violations == () and tables.flagged == ()
    assert all(f.offset is None for f in tables.figures)
    # the page text alone decodes too, although the PDF prints each spanning group label
    # (（三）不予公开, 三、本年度办理结果) vertically centred, amid its sub-rows
    assert "（四）无法提供 3.补正后申请内容仍不明确" in text
    from_text = read_standard_tables(text, [])
    assert values(from_text) == expected_cells(CELLS_2021) | T4_EXPECTED
    assert from_text.violations == () and from_text.flagged == ()


def test_grid_row_with_an_unknown_label_is_flagged_not_taken_for_its_group():
    labels = {"refused.state_secret": "1.涉密事项（本单位自设）"}
    tables = read_html(page(html(TABLE3, t3_spec(CELLS_2021, split_other=True, labels=labels))))
    assert tables.flagged == (
        f"{TABLE3}: row '（三）不予公开 1.涉密事项（本单位自设）' is no row of the standard table",
    )
    found = values(tables)
    assert not any(key.startswith(("t3.refused.state_secret.", "t3.refused.natural")) for key in found)
    assert found[t3_key("refused.prohibited_by_law", "total")] == 0


def test_table_2_text_signed_changes_and_empty_rows():
    text = (
        "二、主动公开政府信息情况第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量"
        "规章规范性文件5 5 40第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量"
        "行政许可120 -3 4500其他对外管理服务事项14-217\n三、收到和处理政府信息公开申请情况"
    )
    tables = read_standard_tables(text, [])
    assert tables.version == "2019"
    assert values(tables) == {
        # 规章 is followed straight by the next label: a row of empty cells, not applicable
        t2_key("s20_1", "rules", "made"): None,
        t2_key("s20_1", "rules", "published"): None,
        t2_key("s20_1", "rules", "total"): None,
        t2_key("s20_1", "normative_documents", "made"): D(5),
        t2_key("s20_1", "normative_documents", "published"): D(5),
        t2_key("s20_1", "normative_documents", "total"): D(40),
        # spaced, "-3" can only be a negative 本年增/减
        t2_key("s20_5", "licensing", "last_year"): D(120),
        t2_key("s20_5", "licensing", "change"): D(-3),
        t2_key("s20_5", "licensing", "decisions"): D(4500),
    }
    # "14-217" is 14,—,217 or 14,-2,17 or 14,-21,7: flagged, not read as 14, not applicable, 217
    (flag,) = tables.flagged
    assert "t2.s20_5.other_services.*" in flag and "'14-217' has 3 readings" in flag


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_every_table_cell_has_a_readable_label(version):
    from ingest.standard import all_keys, cell_label

    labels = {key: cell_label(key) for key in all_keys(version)}

    assert all(label != key and label.startswith("表") for key, label in labels.items())
    assert cell_label("t9.nothing.here") == "t9.nothing.here"
