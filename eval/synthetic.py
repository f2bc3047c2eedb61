"""Synthetic standard-format reports (2019 and 2021 versions) whose every table figure is known.

``generate(n, seed)`` invents ``n`` reports of invented agencies (invented place names, real kinds of
agency) for 2019–2024. Each :class:`SyntheticReport` holds its figures by standard cell key
(``ingest.standard``) and renders the same report three ways: a portal page (``html``), a Word
document (``docx``) and the flattened text of a public archive export (``text``), so a table reader
can be scored per format against ``expected``.

The figures satisfy every identity of the template: table 三's 总计 column is the sum of the six
applicant columns; sub-rows add up to their group; （一）…（六） add up to （七）总计;
一 + 二 = 三(七) + 四 per column; table 四's 总计 is the sum of its four outcomes. Group rows that the
template prints no cells for (（三）（四）（五）, and a split （六）) are expected as the sum of their
sub-rows; the sub-rows of an unsplit （六） are expected as None (the layout has no such cells).

Everything is drawn from ``random.Random``: the figures from the generator's seed, the page layout
from a per-report seed, so the same seed gives the same reports and the same pages.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from html import escape

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from ingest.standard import (
    T2_2019,
    T2_2021,
    T3_COLUMNS,
    T3_ROWS,
    T4_GROUPS,
    T4_OUTCOMES,
    t2_key,
    t3_key,
    t4_key,
)

# --- invented agencies --------------------------------------------------------------------------

# Place names made up for this project: no county, city or district of China bears them.
PLACES: tuple[tuple[str, str], ...] = (
    ("青石", "qingshi"), ("墨川", "mochuan"), ("霁川", "jichuan"), ("鹭汀", "luting"),
    ("槐川", "huaichuan"), ("梧汀", "wuting"), ("茗溪", "mingxi"), ("榆汀", "yuting"),
    ("杏湾", "xingwan"), ("漾川", "yangchuan"), ("苇塘", "weitang"), ("桐汀", "tongting"),
    ("蓼洲", "liaozhou"), ("鹤汀", "heting"), ("竹岚", "zhulan"), ("霞汀", "xiating"),
    ("柘川", "zhechuan"), ("岫川", "xiuchuan"), ("棠汀", "tangting"), ("兰渚", "lanzhu"),
)  # fmt: skip
LEVELS = {"市": "shi", "县": "xian", "区": "qu"}


@dataclass(frozen=True)
class AgencyKind:
    name: str
    slug: str
    licensing: int  # rough ceiling of its yearly 行政许可 decisions (0: it grants none)
    penalties: int  # rough ceiling of its yearly 行政处罚 decisions


# Real kinds of agency; the workloads shape table 二 (a statistics bureau grants no licences).
KINDS: tuple[AgencyKind, ...] = (
    AgencyKind("人民政府", "rmzf", 3000, 3000),
    AgencyKind("人民政府办公室", "zfb", 0, 0),
    AgencyKind("发展和改革委员会", "fgw", 300, 50),
    AgencyKind("教育局", "jyj", 200, 20),
    AgencyKind("民政局", "mzj", 300, 10),
    AgencyKind("财政局", "czj", 20, 10),
    AgencyKind("人力资源和社会保障局", "rsj", 800, 100),
    AgencyKind("自然资源局", "zrzyj", 1500, 300),
    AgencyKind("生态环境局", "sthjj", 400, 200),
    AgencyKind("住房和城乡建设局", "zjj", 1500, 300),
    AgencyKind("交通运输局", "jtj", 3000, 2500),
    AgencyKind("水利局", "slj", 300, 50),
    AgencyKind("农业农村局", "nyncj", 800, 150),
    AgencyKind("商务局", "swj", 200, 30),
    AgencyKind("文化和旅游局", "wlj", 300, 100),
    AgencyKind("卫生健康委员会", "wjw", 2000, 400),
    AgencyKind("应急管理局", "yjj", 200, 200),
    AgencyKind("市场监督管理局", "scjgj", 5000, 1500),
    AgencyKind("统计局", "tjj", 0, 10),
    AgencyKind("司法局", "sfj", 100, 5),
    AgencyKind("医疗保障局", "ybj", 50, 40),
    AgencyKind("退役军人事务局", "tyjrj", 0, 0),
    AgencyKind("林业局", "lyj", 600, 100),
    AgencyKind("审计局", "sjj", 0, 0),
)

# --- the report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyntheticReport:
    agency: str
    year: int
    version: str  # "2019" or "2021": the layout of table 二 (and the format notice the report cites)
    expected: dict[str, Decimal | None]  # every cell by standard key; None = not applicable
    prose: dict[str, Decimal]  # figures stated in 一、总体情况, by a short name
    split_other: bool  # （六）其他处理 split into three sub-rows (2021 layout only)
    title: str
    published: str  # "YYYY-MM-DD HH:MM"
    slug: str  # file-name stem: place and level, kind of agency, year (qingshixian-jtj-2021)
    charset: str  # the page's encoding: "utf-8" or "gbk"
    layout_seed: int  # draws the wording and page layout, the same for every rendering

    @cached_property
    def printed(self) -> frozenset[str]:
        """Keys the tables print a cell for ("/" included); the rest are derived group rows or
        sub-rows the layout lacks."""
        absent = {"refused", "unable", "not_processed"}
        absent |= {"other"} if self.split_other else {r.key for r in T3_ROWS if r.group == "other"}
        return frozenset(k for k in self.expected if not (k.startswith("t3.") and k[3 : k.rindex(".")] in absent))

    def html(self) -> str:
        """The portal page; its <meta> declares ``charset``, which ``html_bytes`` encodes it in."""
        return _render_html(self, _content(self))

    def html_bytes(self) -> bytes:
        return self.html().encode(self.charset)

    def docx(self) -> bytes:
        return _render_docx(self, _content(self))

    def text(self) -> str:
        return _render_text(self, _content(self))


def generate(n: int, seed: int = 0, *, first_year: int = 2019) -> list[SyntheticReport]:
    """``n`` reports of distinct (agency, year), the same ones for the same seed; years from
    ``first_year`` to 2024 (earlier years for corpora larger than 8,640 reports, in the 2019 layout)."""
    capacity = len(PLACES) * len(LEVELS) * len(KINDS) * (2025 - first_year)
    if n > capacity:
        raise ValueError(f"{n} reports of distinct agency and year need first_year ≤ {2025 - -(-n // (capacity // (2025 - first_year)))}")
    rng = random.Random(seed)
    reports: list[SyntheticReport] = []
    seen: set[tuple[str, int]] = set()
    while len(reports) < n:
        place, level, kind = rng.choice(PLACES), rng.choice(list(LEVELS)), rng.choice(KINDS)
        year = rng.randint(first_year, 2024)
        if (place[0] + level + kind.name, year) in seen:
            continue
        # the 2021 revision applies from the 2021 reports on; some agencies kept the 2019 tables
        version = "2019" if year < 2021 or rng.random() < 0.15 else "2021"
        report = make_report(
            rng,
            place=place,
            level=level,
            kind=kind,
            year=year,
            version=version,
            split_other=version == "2021" and rng.random() < 0.6,
            charset="gbk" if rng.random() < 0.2 else "utf-8",
        )
        seen.add((report.agency, year))
        reports.append(report)
    return reports


def make_report(
    rng: random.Random,
    *,
    place: tuple[str, str],
    level: str,
    kind: AgencyKind,
    year: int,
    version: str,
    split_other: bool,
    charset: str = "utf-8",
) -> SyntheticReport:
    """One report of a given agency and year, its figures drawn from ``rng``."""
    if split_other and version != "2021":
        raise ValueError("only the 2021 layout splits （六）其他处理")
    agency = f"{place[0]}{level}{kind.name}"
    t3 = _t3_figures(rng, split_other)
    expected: dict[str, Decimal | None] = {
        **t3,
        **_t4_figures(rng, int(t3[t3_key("new", "total")] or 0)),
        **_t2_figures(rng, version, kind, level),
    }
    prose = {
        "主动公开信息": Decimal(_skewed(rng, 20, 3000)),
        "政策解读": Decimal(_skewed(rng, 1, 40)),
        "新媒体信息": Decimal(_skewed(rng, 10, 2000)),
        "培训": Decimal(rng.randint(1, 6)),
        "新收申请": t3[t3_key("new", "total")] or Decimal(0),
    }
    month = rng.choice((1, 1, 1, 2, 3))
    published = f"{year + 1}-{month:02d}-{rng.randint(5, 28):02d} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
    return SyntheticReport(
        agency=agency,
        year=year,
        version=version,
        expected=expected,
        prose=prose,
        split_other=split_other,
        title=f"{agency}{year}年{'度' if rng.random() < 0.2 else ''}政府信息公开工作年度报告",
        published=published,
        slug=f"{place[1]}{LEVELS[level]}-{kind.slug}-{year}",
        charset=charset,
        layout_seed=rng.getrandbits(32),
    )


# --- figures ------------------------------------------------------------------------------------


def _multinomial(rng: random.Random, n: int, weights: Sequence[float]) -> list[int]:
    counts = [0] * len(weights)
    if n and any(weights):
        for index in rng.choices(range(len(weights)), weights=weights, k=n):
            counts[index] += 1
    return counts


def _skewed(rng: random.Random, low: int, high: int) -> int:
    """Mostly near ``low``, sometimes up to ``high``: how counts spread across agencies."""
    return low + int((high - low) * rng.random() ** 3)


_APPLICANTS = [c.key for c in T3_COLUMNS if c.key != "total"]
_ORG_WEIGHTS = (0.6, 0.03, 0.04, 0.13, 0.2)  # 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他

# How outcomes of requests spread: most are granted or the information is not held.
_OUTCOME_WEIGHTS = {
    "granted": 0.35, "partly_granted": 0.1,
    "refused.state_secret": 0.005, "refused.prohibited_by_law": 0.01, "refused.three_safeties": 0.01,
    "refused.third_party": 0.03, "refused.internal_affairs": 0.02, "refused.process_info": 0.03,
    "refused.enforcement_file": 0.01, "refused.inquiry": 0.02,
    "unable.not_held": 0.25, "unable.needs_creation": 0.03, "unable.unclear": 0.03,
    "not_processed.complaint": 0.04, "not_processed.repeated": 0.03, "not_processed.publication": 0.005,
    "not_processed.excessive": 0.005, "not_processed.confirmation": 0.01,
    "other": 0.08, "other.no_correction": 0.04, "other.unpaid_fee": 0.005, "other.other": 0.035,
}  # fmt: skip
_ALWAYS_LIKELY = ("granted", "unable.not_held")


def _t3_figures(rng: random.Random, split_other: bool) -> dict[str, Decimal | None]:
    low, high = rng.choices([(0, 0), (1, 10), (11, 60), (61, 300), (301, 1500)], weights=[15, 45, 25, 12, 3])[0]
    received = rng.randint(low, high)
    natural = rng.choices([(0.8, 1.0), (0.5, 0.8), (0.1, 0.5)], weights=[70, 25, 5])[0]
    share = rng.uniform(*natural)
    column_weights = [share] + [w * (1 - share) for w in _ORG_WEIGHTS]
    new = _multinomial(rng, received, column_weights)
    carried_in = rng.randint(1, received // 8 + 1) if rng.random() < 0.3 else 0
    carried = _multinomial(rng, carried_in, column_weights)
    pending = rng.uniform(0.02, 0.12) if rng.random() < 0.4 else 0.0
    forward = [sum(rng.random() < pending for _ in range(n + c)) for n, c in zip(new, carried, strict=True)]

    # the rows requests are counted in: （六） itself, or its three sub-rows when split
    leaves = [k for k in _OUTCOME_WEIGHTS if not k.startswith("other") or (k == "other") != split_other]
    weights = [
        _OUTCOME_WEIGHTS[k] * rng.uniform(0.3, 2.0) * (k in _ALWAYS_LIKELY or rng.random() < 0.4) for k in leaves
    ]
    values: dict[str, list[int]] = {r.key: [0] * len(_APPLICANTS) for r in T3_ROWS}
    values["new"], values["carried_over"], values["carried_forward"] = new, carried, forward
    for c in range(len(_APPLICANTS)):
        handled = new[c] + carried[c] - forward[c]
        for key, count in zip(leaves, _multinomial(rng, handled, weights), strict=True):
            values[key][c] = count
    for row in T3_ROWS:  # groups are the sums of their sub-rows, （七）总计 the sum of the groups
        if row.group and row.group != "result_total":
            for c in range(len(_APPLICANTS)):
                values[row.group][c] += values[row.key][c]
    for row in T3_ROWS:
        if row.group == "result_total":
            for c in range(len(_APPLICANTS)):
                values["result_total"][c] += values[row.key][c]

    figures: dict[str, Decimal | None] = {}
    for row in T3_ROWS:
        absent = row.group == "other" and not split_other
        for c, column in enumerate(_APPLICANTS):
            figures[t3_key(row.key, column)] = None if absent else Decimal(values[row.key][c])
        figures[t3_key(row.key, "total")] = None if absent else Decimal(sum(values[row.key]))
    return figures


def _t4_figures(rng: random.Random, received: int) -> dict[str, Decimal | None]:
    busy = 1.0 if received > 10 else 0.5 if received else 0.15  # disputes follow requests
    figures: dict[str, Decimal | None] = {}
    for group, chance, most in zip(T4_GROUPS, (0.45, 0.25, 0.15), (12, 6, 4), strict=True):
        cases = rng.randint(1, most if received < 100 else most * 4) if rng.random() < chance * busy else 0
        outcomes = _multinomial(rng, cases, (0.55, 0.12, 0.18, 0.15))
        for outcome, count in zip(T4_OUTCOMES, [*outcomes, cases], strict=True):
            figures[t4_key(group.key, outcome.key)] = Decimal(count)
    return figures


def _money(rng: random.Random) -> Decimal:
    """万元 with two decimals, from a few hundred yuan to hundreds of millions."""
    return Decimal(int(10 ** rng.uniform(0, 7))).scaleb(-2)


def _t2_figures(rng: random.Random, version: str, kind: AgencyKind, level: str) -> dict[str, Decimal | None]:
    makes_rules = kind.name == "人民政府" and level == "市"  # only cities' governments make 规章

    def decisions(ceiling: int) -> Decimal | None:
        if not ceiling:
            return None if rng.random() < 0.6 else Decimal(0)
        return None if rng.random() < 0.08 else Decimal(_skewed(rng, 0, ceiling))

    def change() -> Decimal:
        return Decimal(0) if rng.random() < 0.7 else Decimal(rng.randint(-5, 8))

    rows: dict[tuple[str, str], list[Decimal | None]] = {}
    made = _skewed(rng, 0, 15) if rng.random() < 0.7 else 0
    if makes_rules:
        rules = [Decimal(rng.randint(0, 3)), Decimal(rng.randint(0, 2)), Decimal(rng.randint(5, 60))]
    else:
        rules = [None] * 3 if rng.random() < 0.3 else [Decimal(0)] * 3
    if version == "2021":
        rows["s20_1", "rules"] = rules
        rows["s20_1", "normative_documents"] = [
            Decimal(made),
            Decimal(_skewed(rng, 0, 8) if rng.random() < 0.5 else 0),
            Decimal(made + _skewed(rng, 0, 80)),
        ]
        rows["s20_5", "licensing"] = [decisions(kind.licensing)]
        rows["s20_6", "penalty"] = [decisions(kind.penalties)]
        rows["s20_6", "enforcement"] = [decisions(kind.penalties // 10)]
        fee = rng.random()
        rows["s20_8", "fees"] = [None if fee < 0.2 else Decimal(0) if fee < 0.5 else _money(rng)]
    else:
        rows["s20_1", "rules"] = [rules[0], rules[0], rules[2]]
        rows["s20_1", "normative_documents"] = [Decimal(made), Decimal(made), Decimal(made + _skewed(rng, 0, 80))]
        for block, key, ceiling in (
            ("s20_5", "licensing", kind.licensing),
            ("s20_5", "other_services", kind.licensing // 3),
            ("s20_6", "penalty", kind.penalties),
            ("s20_6", "enforcement", kind.penalties // 10),
        ):
            count = decisions(ceiling)
            items = None if count is None else Decimal(_skewed(rng, 0, 40 + ceiling // 10))
            rows[block, key] = [items, None if count is None else change(), count]
        fees = Decimal(rng.randint(0, 12)) if rng.random() < 0.85 else None
        rows["s20_8", "fees"] = [fees, None if fees is None else change()]
        bought = rng.random()
        rows["s20_9", "procurement"] = (
            [None, None] if bought < 0.2 else [Decimal(0), Decimal(0)] if bought < 0.35
            else [Decimal(_skewed(rng, 1, 80)), _money(rng)]
        )  # fmt: skip
    figures: dict[str, Decimal | None] = {}
    for block, _, columns, block_rows in _T2[version]:
        for row in block_rows:
            cells = rows[block, row.key]
            if any(v is not None for v in cells) and rng.random() < 0.04:
                cells[rng.randrange(len(cells))] = None  # a single "/" in an otherwise filled row
            for column, value in zip(columns, cells, strict=True):
                figures[t2_key(block, row.key, column.key)] = value
    return figures


_T2 = {"2021": T2_2021, "2019": T2_2019}

# --- content: what every rendering shows --------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    head: bool = False  # a header cell (a <th> on some pages)
    na: bool = False  # a "not applicable" value cell: each rendering prints its own mark


@dataclass(frozen=True)
class _Block:
    kind: str  # "heading" (一、…), "subheading" (（一）…), "para", "table", "t2table" (one §20 item of table 二)
    text: str = ""
    rows: tuple[tuple[_Cell, ...], ...] = ()


def _printed(value: Decimal | None) -> _Cell:
    if value is None:
        return _Cell(na=True)
    return _Cell(str(value))  # money keeps its two decimals: Decimal("1.50") prints "1.50"


def _t2_tables(report: SyntheticReport, rng: random.Random) -> list[tuple[tuple[_Cell, ...], ...]]:
    """Table 二 as one table per §20 item (each a 4-column grid: 信息内容 + 3 value columns)."""
    tables = []
    for block, title, columns, block_rows in _T2[report.version]:
        spans = [1] * (len(columns) - 1) + [4 - len(columns)]  # the last column fills the grid
        grid: list[tuple[_Cell, ...]] = [(_Cell(title, colspan=4, head=True),)]
        grid.append(
            (_Cell("信息内容", head=True),)
            + tuple(_Cell(c.label, colspan=s, head=True) for c, s in zip(columns, spans, strict=True))
        )
        for row in block_rows:
            label = row.label
            if row.variants and report.version == "2021" and rng.random() < 0.1:
                label = row.variants[0]
            values = [_printed(report.expected[t2_key(block, row.key, c.key)]) for c in columns]
            grid.append(
                (_Cell(label),)
                + tuple(_Cell(v.text, colspan=s, na=v.na) for v, s in zip(values, spans, strict=True))
            )
        tables.append(tuple(grid))
    return tables


_T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_T3_LABEL_VARIANTS = {  # typos and variants seen in real reports (ingest.standard's Row.variants)
    "new": "一、本年度新收政府信息公开申请数量",
    "refused.internal_affairs": "5.属于三类内容事务信息",
}
_GROUP_LABELS = {"refused": "（三）不予公开", "unable": "（四）无法提供", "not_processed": "（五）不予处理", "other": "（六）其他处理"}


def _t3_table(report: SyntheticReport, rng: random.Random, note_in_table: bool) -> tuple[tuple[_Cell, ...], ...]:
    """Table 三 laid out as the template: 3 label columns (rowspans for 三、 and the groups) + 7 values."""
    organisations = "法人或者其他组织" if rng.random() < 0.05 else "法人或其他组织"
    grid: list[tuple[_Cell, ...]] = [
        (_Cell(_T3_NOTE if note_in_table else "", rowspan=3, colspan=3, head=True), _Cell("申请人情况", colspan=7, head=True)),
        (_Cell("自然人", rowspan=2, head=True), _Cell(organisations, colspan=5, head=True), _Cell("总计", rowspan=2, head=True)),
        tuple(_Cell(c.label, head=True) for c in T3_COLUMNS[1:6]),
    ]
    shown = [r for r in T3_ROWS if t3_key(r.key, "total") in report.printed]
    results = [r for r in shown if r.key not in ("new", "carried_over", "carried_forward")]
    for row in shown:
        label = row.label
        if row.key == "partly_granted":
            label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
        if row.key in _T3_LABEL_VARIANTS and rng.random() < 0.08:
            label = _T3_LABEL_VARIANTS[row.key]
        values = tuple(_printed(report.expected[t3_key(row.key, c.key)]) for c in T3_COLUMNS)
        lead: tuple[_Cell, ...]
        if row.key in ("new", "carried_over", "carried_forward"):
            lead = (_Cell(label, colspan=3),)
        elif row.group in _GROUP_LABELS:
            siblings = [r for r in results if r.group == row.group]
            group = (_Cell(_GROUP_LABELS[row.group], rowspan=len(siblings)),) if row is siblings[0] else ()
            lead = group + (_Cell(label),)
        else:
            lead = (_Cell(label, colspan=2),)
        if row is results[0]:
            lead = (_Cell("三、本年度办理结果", rowspan=len(results)),) + lead
        grid.append(lead + values)
    return tuple(grid)


def _t4_table(report: SyntheticReport) -> tuple[tuple[_Cell, ...], ...]:
    outcomes = [o.label for o in T4_OUTCOMES]
    return (
        (_Cell("行政复议", colspan=5, head=True), _Cell("行政诉讼", colspan=10, head=True)),
        tuple(_Cell(o, rowspan=2, head=True) for o in outcomes)
        + (_Cell("未经复议直接起诉", colspan=5, head=True), _Cell("复议后起诉", colspan=5, head=True)),
        tuple(_Cell(o, head=True) for o in outcomes * 2),
        tuple(_printed(report.expected[t4_key(g.key, o.key)]) for g in T4_GROUPS for o in T4_OUTCOMES),
    )


_CN_SMALL = "零一两三四五六七八九"


def _content(report: SyntheticReport) -> list[_Block]:
    """The report's text and tables, worded by its layout seed (the same for every rendering)."""
    rng = random.Random(f"{report.layout_seed}:content")
    y, agency, prose = report.year, report.agency, report.prose
    if agency.endswith("人民政府"):
        we = "我" + agency[2]  # 我县, 我市, 我区
    elif agency.endswith("局"):
        we = rng.choice(("我局", "本机关"))
    else:
        we = "我委" if agency.endswith("委员会") else "本机关"
    t3 = report.expected
    new, carried = t3["t3.new.total"] or 0, t3["t3.carried_over.total"] or 0
    done, forward = t3["t3.result_total.total"] or 0, t3["t3.carried_forward.total"] or 0
    refused = t3["t3.refused.total"] or 0
    fmt = "（国办公开办函〔2021〕30号）" if report.version == "2021" else "（国办公开办函〔2019〕60号）"
    training = int(prose["培训"])
    office = agency if agency.endswith("办公室") else f"{agency}办公室"
    blocks = [
        _Block(
            "para",
            f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》"
            f"{fmt}要求编制。本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。本报告电子版可在{agency}"
            f"门户网站“政府信息公开”专栏下载。如对本报告有疑问，请与{office}联系。",
        ),
        _Block("heading", "一、总体情况"),
        _Block(
            "para",
            f"{y}年，{we}认真贯彻落实《条例》和上级关于政务公开工作的部署要求，坚持以公开为常态、不公开为例外，"
            "持续推进决策、执行、管理、服务、结果公开，政府信息公开工作取得新成效。",
        ),
        _Block("subheading", "（一）主动公开"),
        _Block(
            "para",
            f"全年通过门户网站主动公开政府信息{prose['主动公开信息']}条，发布政策解读{prose['政策解读']}篇，"
            f"通过政务新媒体发布信息{prose['新媒体信息']}条，重点公开了财政预决算、重大建设项目和民生保障等领域信息。",
        ),
        _Block("subheading", "（二）依申请公开"),
        _Block(
            "para",
            (
                f"全年共收到政府信息公开申请{new}件，上年结转{carried}件，办结{done}件，结转下年度继续办理{forward}件。"
                + (f"因涉及第三方合法权益等原因不予公开{refused}件，均依法告知理由。" if refused else "")
                if new
                else f"{y}年，{we}未收到政府信息公开申请。"
            ),
        ),
        _Block("subheading", "（三）政府信息管理"),
        _Block(
            "para",
            "严格落实信息发布审核和保密审查制度，坚持“先审查、后公开”和“一事一审”，动态更新政府信息公开指南和目录，"
            "对本机关制发的规范性文件开展清理，及时公布清理结果。",
        ),
        _Block("subheading", "（四）平台建设"),
        _Block(
            "para",
            "持续优化门户网站政府信息公开专栏栏目设置，规范政务新媒体运行管理，"
            "在政务服务大厅设置政府信息公开查阅点，方便群众就近查阅。",
        ),
        _Block("subheading", "（五）监督保障"),
        _Block(
            "para",
            f"将政务公开工作纳入年度绩效考核，全年组织政务公开业务培训"
            f"{_CN_SMALL[training] if rng.random() < 0.3 else training}次，"
            "对照上级检查指标逐项开展自查整改。",
        ),
        _Block("heading", "二、主动公开政府信息情况"),
    ]
    blocks += [_Block("t2table", rows=t) for t in _t2_tables(report, rng)]
    note_in_table = rng.random() < 0.75
    blocks.append(_Block("heading", "三、收到和处理政府信息公开申请情况"))
    if not note_in_table:
        blocks.append(_Block("para", _T3_NOTE))
    blocks.append(_Block("table", rows=_t3_table(report, rng, note_in_table)))
    blocks.append(
        _Block(
            "heading",
            rng.choice(("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开申请行政复议、提起行政诉讼的情况")),
        )
    )
    blocks.append(_Block("table", rows=_t4_table(report)))
    blocks += [
        _Block("heading", "五、存在的主要问题及改进情况"),
        _Block(
            "para",
            "一是政策解读形式还比较单一，图解、视频等解读方式运用不够；二是部分栏目信息更新不够及时。"
            f"{y + 1}年，{we}将丰富政策解读形式，建立栏目更新巡查机制，进一步提升政务公开质量。",
        ),
        _Block("heading", "六、其他需要报告的事项"),
        _Block(
            "para",
            rng.choice(
                (
                    f"{y}年，{we}未收取信息处理费。",
                    f"本年度{we}依申请公开政府信息未收取任何费用。",
                    "无其他需要报告的事项。",
                )
            ),
        ),
    ]
    return blocks


# --- renderings ---------------------------------------------------------------------------------


def _positions(rows: Sequence[Sequence[_Cell]]) -> Iterator[tuple[int, int, _Cell]]:
    """Each cell's top-left grid position, rowspans from above pushing cells to the right."""
    taken: set[tuple[int, int]] = set()
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            yield r, c, cell
            taken |= {(r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)}
            c += cell.colspan


_HTML_PAGE = """<!DOCTYPE html>
<html>
<head>
{charset}
<meta name="PubDate" content="{published}">
<title>{title}_{site}</title>
<style>body {{ font-family: SimSun; }} table {{ border-collapse: collapse; }}</style>
<script>function fontSize(s) {{ document.getElementById("zoom").style.fontSize = s; }}</script>
</head>
<body>
{header}
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/xxgknb/">政府信息公开年报</a></div>
<div class="article">
{heading}
<div class="info">发布时间：{published} 来源：{agency} 浏览次数：{views} 字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
<div id="zoom" class="{body_class}">
{body}
</div>
<div class="tools">【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】</div>
</div>
{footer}
</body>
</html>
"""


def _render_html(report: SyntheticReport, blocks: list[_Block]) -> str:
    rng = random.Random(f"{report.layout_seed}:html")
    na = rng.choices(("/", "—", ""), weights=(6, 3, 1))[0]
    cell_style = rng.choice(("plain", "p", "word"))
    th = rng.random() < 0.3  # header cells as <th>
    h3 = rng.random() < 0.5  # section headings as <h3>, else bold paragraphs
    site = f"{report.agency[:3]}人民政府" if "人民政府" not in report.agency else report.agency
    if rng.random() < 0.5:
        header = f'<header><div class="logo">{site}</div><div class="links">无障碍浏览 | 繁体版</div></header>'
        header += '\n<nav><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a></nav>'
        footer = f"<footer><p>主办单位：{site}办公室</p><p>版权所有 {site} 网站标识码：0000000000</p></footer>"
    else:
        header = '<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
        header += '<li><a href="/bsfw/">办事服务</a></li></ul></div>'
        footer = f'<div class="footer"><p>主办单位：{site}办公室 版权所有 ICP备00000000号</p></div>'

    def cell_html(cell: _Cell) -> str:
        text = escape(na if cell.na else cell.text)
        if cell_style == "p":
            text = f"<p>{text}</p>"
        elif cell_style == "word":
            text = (
                '<p class="MsoNormal" align="center" style="text-align:center">'
                f'<span style="font-size:10.5pt;font-family:宋体">{text}</span></p>'
            )
        tag = "th" if th and cell.head else "td"
        spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
            f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
        )
        return f"<{tag}{spans}>{text}</{tag}>"

    def table_html(rows: Sequence[Sequence[_Cell]]) -> str:
        body = "\n".join("<tr>" + "".join(cell_html(c) for c in row) + "</tr>" for row in rows)
        return f'<table border="1" cellspacing="0" cellpadding="0" width="100%">\n<tbody>\n{body}\n</tbody>\n</table>'

    parts: list[str] = []
    t2_tables: list[tuple[tuple[_Cell, ...], ...]] = []
    one_t2_table = rng.random() < 0.6  # many portals print table 二 as one table of all §20 items
    for block in blocks:
        if block.kind == "t2table" and one_t2_table:
            t2_tables.append(block.rows)
            continue
        if t2_tables:
            parts.append(table_html([row for t in t2_tables for row in t]))
            t2_tables = []
        if block.kind in ("table", "t2table"):
            parts.append(table_html(block.rows))
        elif block.kind == "heading":
            parts.append(f"<h3>{escape(block.text)}</h3>" if h3 else f"<p><strong>{escape(block.text)}</strong></p>")
        else:
            parts.append(f"<p>{escape(block.text)}</p>")
    if report.charset == "gbk":
        charset = rng.choice(('<meta charset="gbk">', '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'))
    else:
        charset = '<meta charset="utf-8">'
    heading = f"<h1>{escape(report.title)}</h1>" if rng.random() < 0.7 else f'<div class="title">{escape(report.title)}</div>'
    return _HTML_PAGE.format(
        charset=charset,
        published=report.published,
        title=escape(report.title),
        site=site,
        header=header,
        heading=heading,
        agency=report.agency,
        views=rng.randint(50, 5000),
        body_class=rng.choice(("TRS_Editor", "article-content", "content")),
        body="\n".join(parts),
        footer=footer,
    )


def _render_docx(report: SyntheticReport, blocks: list[_Block]) -> bytes:
    rng = random.Random(f"{report.layout_seed}:docx")
    na = rng.choices(("/", "—", ""), weights=(6, 3, 1))[0]
    document = docx.Document()
    if rng.random() < 0.5:
        document.add_heading(report.title, level=0)
    else:
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.add_run(report.title).bold = True
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=1)
        elif block.kind == "subheading":
            document.add_paragraph().add_run(block.text).bold = True
        elif block.kind == "para":
            document.add_paragraph(block.text)
        else:
            _docx_table(document, block.rows, na)
    year, month, day = (int(p) for p in report.published[:10].split("-"))
    document.add_paragraph(report.agency)
    document.add_paragraph(f"{year}年{month}月{day}日")
    if rng.random() < 0.7:
        document.core_properties.title = report.title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document: DocxDocument, rows: Sequence[Sequence[_Cell]], na: str) -> None:
    """A Word table with merged cells as Word writes them: gridSpan across, vMerge down.

    Written as one piece of markup: python-docx's cell()/merge() rescan the table on every call.
    """
    placed = list(_positions(rows))
    width = max(c + cell.colspan for _, c, cell in placed)
    # each row's cells by column: a vertically merged cell continues in the rows below its top
    grid: list[dict[int, tuple[_Cell, bool]]] = [{} for _ in rows]
    for r, c, cell in placed:
        for dr in range(cell.rowspan):
            grid[r + dr][c] = (cell, dr == 0)
    xml = [
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
        f"<w:tblGrid>{'<w:gridCol/>' * width}</w:tblGrid>"
    ]
    for cells in grid:
        xml.append("<w:tr>")
        for c in sorted(cells):
            cell, top = cells[c]
            span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            merge = f'<w:vMerge w:val="{"restart" if top else "continue"}"/>' if cell.rowspan > 1 else ""
            text = (na if cell.na else cell.text) if top else ""
            run = f"<w:r><w:t>{escape(text, quote=False)}</w:t></w:r>" if text else ""
            xml.append(f"<w:tc><w:tcPr>{span}{merge}</w:tcPr><w:p>{run}</w:p></w:tc>")
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    document.element.body._insert_tbl(parse_xml("".join(xml)))


def _render_text(report: SyntheticReport, blocks: list[_Block]) -> str:
    """The archive export: header lines, then the page body on one line, table cells run together."""
    rng = random.Random(f"{report.layout_seed}:text")
    pieces: list[str] = []
    for block in blocks:
        if block.kind not in ("table", "t2table"):
            pieces.append(block.text + (" " if rng.random() < 0.2 else ""))
            continue
        for row in block.rows:
            for cell in row:
                text = "/" if cell.na else cell.text
                # the export drops cell borders; now and then a space survives between two cells
                pieces.append(text + (" " if text and rng.random() < 0.03 else ""))
    body = "".join(pieces).strip()
    prefix = rng.choice(
        (
            f"当前位置： 首页政务公开政府信息公开政府信息公开年报 {report.title} 来源：{report.agency} "
            f"时间：{report.published} 微信 微博 QQ空间 字号 大中小 相关链接： --> ",
            "",
        )
    )
    suffix = rng.choice((" 附件下载", " 责任编辑：办公室 扫一扫在手机打开当前页 打印本页 关闭窗口", ""))
    place = report.slug.split("-")[0]
    stamp = report.published[:10].replace("-", "")
    page = f"{stamp[:6]}/t{stamp}_{report.layout_seed % 100000}"
    return (
        f"标题: {report.title}\n"
        f"发布时间: {report.published}\n"
        "文号: \n"
        f"发布机构: {report.agency if rng.random() < 0.7 else ''}\n"
        "栏目: 政府信息公开年报\n"
        f"原文链接: https://www.{place}.example/zwgk/xxgknb/{page}.htm\n"
        f"本地目录: zwgk/xxgknb/{page}_{report.title}\n"
        "页面链接与图片详见 links.tsv(同目录)\n"
        "==================== 正文 ====================\n"
        f"{prefix}{body}{suffix}\n"
    )
