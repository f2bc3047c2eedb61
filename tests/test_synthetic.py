"""The synthetic report generator (eval/synthetic.py): its figures keep every identity of the
standard tables, and each rendering (page, Word document, archive text) prints them and reads back
as the right agency and year."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

import ingest
from eval.synthetic import SyntheticReport, generate
from ingest.standard import T2_2019, T2_2021, T3_COLUMNS, T3_ROWS, T4_GROUPS, T4_OUTCOMES, all_keys, t3_key, t4_key

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
REPORTS = generate(200, seed=0)
# Rendering and reading back a Word document takes ~0.1 s: every fourth report covers all layouts.
RENDERED = REPORTS[::4]
NOT_APPLICABLE = ("/", "—", "")
PORTAL_WORDS = ("当前位置", "字号", "责任编辑", "扫一扫", "打印本页", "关闭窗口", "版权所有", "网站标识码", "主办单位",
                "来源：", "浏览次数", "-->", "首页", "无障碍")  # fmt: skip
# Labels as the template prints them where the schema's canonical label is shorter.
PRINTED_LABELS = {"partly_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"}


def _value(report: SyntheticReport, key: str) -> Decimal:
    value = report.expected[key]
    assert value is not None, key
    return value


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.slug)
def test_identities(report: SyntheticReport) -> None:
    assert set(report.expected) == set(all_keys(report.version))
    applicants = [c.key for c in T3_COLUMNS if c.key != "total"]
    groups = [r for r in T3_ROWS if r.group == "result_total"]
    for row in T3_ROWS:
        if row.group == "other" and not report.split_other:
            assert all(report.expected[t3_key(row.key, c.key)] is None for c in T3_COLUMNS)
            continue
        total = _value(report, t3_key(row.key, "total"))
        assert total == sum(_value(report, t3_key(row.key, c)) for c in applicants), row.key
    for column in T3_COLUMNS:
        def v(row: str) -> Decimal:
            return _value(report, t3_key(row, column.key))

        for group in {r.group for r in T3_ROWS if r.group not in ("", "result_total")}:
            if group != "other" or report.split_other:
                assert v(group) == sum(v(r.key) for r in T3_ROWS if r.group == group), (group, column.key)
        assert v("result_total") == sum(v(r.key) for r in groups)
        assert v("new") + v("carried_over") == v("result_total") + v("carried_forward"), column.key
    for group in T4_GROUPS:
        outcomes = [_value(report, t4_key(group.key, o.key)) for o in T4_OUTCOMES]
        assert outcomes[-1] == sum(outcomes[:-1])
    assert all(v >= 0 for k, v in report.expected.items() if v is not None and ".change" not in k)


def test_the_mix_is_realistic() -> None:
    layouts = {(r.version, r.split_other) for r in REPORTS}
    assert layouts == {("2019", False), ("2021", False), ("2021", True)}
    assert {(r.version, r.split_other) for r in RENDERED} == layouts
    assert {r.charset for r in RENDERED} == {"utf-8", "gbk"}
    assert {r.year for r in REPORTS} == set(range(2019, 2025))
    assert all(r.version == "2019" for r in REPORTS if r.year < 2021)
    assert {r.charset for r in REPORTS} == {"utf-8", "gbk"}
    assert len({(r.agency, r.year) for r in REPORTS}) == len(REPORTS)
    cells = [v for r in REPORTS for k, v in r.expected.items() if k.startswith("t3.")]
    numbers = [v for v in cells if v is not None]
    assert sum(v == 0 for v in numbers) > 0.6 * len(numbers)  # mostly zeros
    assert any(v >= 100 for v in numbers)
    natural = sum(_value(r, "t3.new.natural_person") for r in REPORTS)
    assert natural > Decimal("0.6") * sum(_value(r, "t3.new.total") for r in REPORTS)
    t2 = [v for r in REPORTS for k, v in r.expected.items() if k.startswith("t2.")]
    assert any(v is None for v in t2)
    assert any(v is not None and v.as_tuple().exponent == -2 for v in t2)  # 万元 with two decimals


def test_same_seed_same_reports() -> None:
    again = generate(5, seed=0)
    assert again == REPORTS[:5]
    assert [r.text() for r in again] == [r.text() for r in REPORTS[:5]]
    assert generate(5, seed=1) != again


def _printed_rows(report: SyntheticReport) -> Iterator[tuple[tuple[str, ...], list[Decimal | None], int]]:
    """Each table row the report prints: the labels it may carry, its values, and how many grid
    columns they fill (in table 二 the last value spans what is left of the 3 value columns)."""
    blocks = T2_2021 if report.version == "2021" else T2_2019
    for block, _, columns, rows in blocks:
        for row in rows:
            yield (row.label, *row.variants), [report.expected[f"t2.{block}.{row.key}.{c.key}"] for c in columns], 3
    for row in T3_ROWS:
        if t3_key(row.key, "total") in report.printed:
            labels = (PRINTED_LABELS.get(row.key, row.label), *row.variants)
            yield labels, [report.expected[t3_key(row.key, c.key)] for c in T3_COLUMNS], 7
    yield (), [report.expected[t4_key(g.key, o.key)] for g in T4_GROUPS for o in T4_OUTCOMES], 15


def _same(printed: str, value: Decimal | None) -> bool:
    return printed in NOT_APPLICABLE if value is None else printed == str(value)


def _assert_tables_print(report: SyntheticReport, tables: list[tuple[str, ...]]) -> None:
    """Some row of the read tables (spans expanded) has the row's label and, after it, its values."""
    for labels, values, width in _printed_rows(report):
        values = values + values[-1:] * (width - len(values))
        found = [
            row
            for row in tables
            if len(row) >= width
            and (any(label in " ".join(row[:-width]) for label in labels) if labels else len(row) == width)
            and all(_same(cell, value) for cell, value in zip(row[-width:], values, strict=True))
        ]
        assert found, (labels, values)


def _assert_text_prints(body: str, report: SyntheticReport) -> None:
    """Each row runs together as label + cells ("/" for not applicable)."""
    body = body.replace(" ", "")  # stray spaces between cells
    for labels, values, _ in _printed_rows(report):
        cells = "".join("/" if v is None else str(v) for v in values)
        # a variant may be part of the printed label: the rest of the label runs on to the cells
        assert any(re.search(re.escape(label) + r"[^\d/]*" + re.escape(cells), body) for label in labels or ("",)), (
            labels,
            cells,
        )


@pytest.mark.parametrize("report", RENDERED, ids=lambda r: r.slug)
def test_renderings_print_the_figures_and_name_the_report(report: SyntheticReport) -> None:
    html, word, text = report.html_bytes(), report.docx(), report.text()
    for data, filename in ((html, "r.html"), (word, "r.docx"), (text.encode("utf-8"), "r.txt")):
        read = ingest.read_bytes(data, filename=filename)
        assert (read.meta.agency, read.meta.year) == (report.agency, report.year), filename
        assert [word for word in PORTAL_WORDS if word in read.text] == [], filename  # the chrome is removable
        if filename != "r.txt":
            _assert_tables_print(report, [t for table in read.tables for t in table.rows])
    _assert_text_prints(text.split("正文 ====================\n", 1)[1], report)
    figures = {f.value for f in ingest.read_bytes(text.encode("utf-8"), filename="r.txt").figures}
    assert set(report.prose.values()) <= figures
    if report.charset == "gbk":
        with pytest.raises(UnicodeDecodeError):
            html.decode("utf-8")


def _load_make_samples():  # samples/ is no package: load the script by path
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("name", "agency", "year"),
    [("qingshi-jtj-2021.html", "青石县交通运输局", 2021), ("mochuan-mzj-2020.txt", "墨川市民政局", 2020)],
)
def test_standard_samples(tmp_path: Path, name: str, agency: str, year: int) -> None:
    report = ingest.read_path(SAMPLES / name)
    assert (report.meta.agency, report.meta.year) == (agency, year)
    _load_make_samples().make_standard_samples(tmp_path)
    assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes()
