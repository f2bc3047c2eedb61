"""Write the synthetic evaluation dataset: generated reports with known figures, and questions about them.

    .venv/bin/python scripts/make_synthetic_dataset.py [--seed 2024] [--out eval/datasets]

Five invented agencies × five years (2019–2023) of standard-format reports (eval/synthetic.py): the
2019 tables for 2019/2020 (and for one agency that kept them in 2021), the 2021 tables after. Each
report is written as a portal page (.html) or as the archive's flattened export (.txt, table cells
run together) into ``<out>/synthetic/``; ``<out>/synthetic.yaml`` asks about the figures the
generator put there:

- table_figure: a table cell asked in the table's own words (予以公开, 行政许可处理决定 …)
- paraphrased: the same cells asked as the public asks (同意公开, 打官司, 个人申请 …)
- cross_year: one figure over several years (values per year, missing years named)
- comparison: two years compared (多N件 / 少N件 / 持平) or the year with the most / least
- unanswerable: years and agencies with no report, and figures no report states (网站访问量 …)

Only cells the report prints with a value are asked: never "/" (not applicable), never the group rows
the template prints no cells for (（三）不予公开 as a whole), never table 二 of a flattened .txt
report (its run-together rows may have several readings), and never a row the table reader flags as
undecodable. Everything is drawn from ``random.Random(seed)``: the same seed writes the same files.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

import ingest
from eval.synthetic import KINDS, SyntheticReport, make_report
from ingest.metadata import agency_aliases

REPO = Path(__file__).resolve().parents[1]
YEARS = (2019, 2020, 2021, 2022, 2023)


@dataclass(frozen=True)
class Agency:
    place: str
    slug: str
    level: str
    kind: str
    names: tuple[str, ...]  # full name first, then short names a question may use (each must resolve)
    keeps_2019_tables: tuple[int, ...] = ()  # years after 2020 still reported in the 2019 layout

    @property
    def full(self) -> str:
        return self.names[0]


AGENCIES: tuple[Agency, ...] = (
    Agency("霁川", "jichuan", "市", "人民政府", ("霁川市人民政府", "霁川市政府", "霁川")),
    Agency("鹭汀", "luting", "县", "交通运输局", ("鹭汀县交通运输局", "鹭汀交通运输局")),
    Agency("槐川", "huaichuan", "区", "市场监督管理局", ("槐川区市场监督管理局", "槐川区市场监管局", "槐川市场监管局")),
    Agency("梧汀", "wuting", "市", "人力资源和社会保障局", ("梧汀市人力资源和社会保障局", "梧汀市人社局", "梧汀人社局")),
    Agency("茗溪", "mingxi", "县", "卫生健康委员会", ("茗溪县卫生健康委员会", "茗溪县卫健委", "茗溪卫健委"), keeps_2019_tables=(2021,)),
)


def is_text(index: int, year: int) -> bool:
    """Two of each agency's five years come as the flattened .txt export, the rest as portal pages."""
    return (index + year) % 5 in (0, 2)


# --- metrics: what is asked, in which words -----------------------------------------------------


@dataclass(frozen=True)
class Metric:
    name: str
    keys: tuple[str, ...]  # cells whose sum answers the question
    evidence: str | tuple[str, ...]  # the row label as printed (any one of several)
    table: tuple[str, ...] = ()  # questions in the table's words ({y} year, {a} agency)
    para: tuple[str, ...] = ()  # questions in the public's words
    unit: str = "件"
    html_only: bool = False  # table 二: only asked of portal pages
    noun: str = ""  # for cross-year and comparison questions: "收到的政府信息公开申请"
    measure: str = "多少件"  # how that noun is counted in a question


def _t3(row: str, column: str = "total") -> str:
    return f"t3.{row}.{column}"


METRICS: tuple[Metric, ...] = (
    # ---- table 三: requests received ------------------------------------------------------------
    Metric("new", (_t3("new"),), ("本年新收", "本年度新收", "共收到政府信息公开申请"),
           table=("{y}年{a}本年新收政府信息公开申请数量是多少?", "{y}年{a}共收到多少件政府信息公开申请?",
                  "{a}{y}年收到政府信息公开申请多少件?"),
           para=("{y}年{a}一共接到几件公开申请?", "{a}{y}年新收的信息公开申请有多少?", "{y}年大家向{a}申请公开政府信息的有多少件?",
                 "{y}年{a}收到了几份信息公开申请?", "{y}年{a}受理了多少件政府信息公开申请?"),
           noun="收到的政府信息公开申请"),
    Metric("new.natural_person", (_t3("new", "natural_person"),), ("本年新收", "本年度新收"),
           table=("{y}年{a}本年新收的申请中自然人申请多少件?", "{y}年{a}收到自然人提出的政府信息公开申请多少件?"),
           para=("{y}年{a}有多少件信息公开申请是个人提出的?", "{y}年群众向{a}申请公开政府信息多少件?",
                 "{y}年普通公民向{a}提了几件信息公开申请?"),
           noun="自然人提出的政府信息公开申请"),
    Metric("new.commercial", (_t3("new", "commercial"),), ("本年新收", "本年度新收"),
           table=("{y}年{a}收到商业企业的政府信息公开申请多少件?",),
           para=("{y}年企业向{a}提出了多少件信息公开申请?", "{y}年{a}收到的公开申请里有几件是公司申请的?")),
    Metric("new.legal_service", (_t3("new", "legal_service"),), ("本年新收", "本年度新收"),
           table=("{y}年{a}收到法律服务机构的政府信息公开申请多少件?",),
           para=("{y}年律师向{a}申请信息公开有多少件?",)),
    Metric("carried_over", (_t3("carried_over"),), "上年结转",
           table=("{y}年{a}上年结转政府信息公开申请数量是多少?",),
           para=("{y}年{a}有几件信息公开申请是去年结转过来的?",)),
    # ---- table 三: outcomes ---------------------------------------------------------------------
    Metric("granted", (_t3("granted"),), "予以公开",
           table=("{y}年{a}予以公开的申请有多少件?", "{a}{y}年政府信息公开申请予以公开多少件?"),
           para=("{y}年{a}同意公开了多少件申请?", "{y}年{a}全部公开的信息公开申请有几件?", "{a}{y}年有多少件申请是同意公开的?"),
           noun="予以公开的申请"),
    Metric("partly_granted", (_t3("partly_granted"),), "部分公开",
           table=("{y}年{a}部分公开的申请有多少件?",),
           para=("{a}{y}年有几件信息公开申请只是部分公开?",),
           noun="部分公开的申请"),
    Metric("refused.state_secret", (_t3("refused.state_secret"),), "属于国家秘密",
           table=("{y}年{a}因属于国家秘密不予公开的申请有几件?",),
           para=("{y}年{a}因为涉密不公开的申请有多少件?",)),
    Metric("refused.prohibited_by_law", (_t3("refused.prohibited_by_law"),), "其他法律行政法规禁止公开",
           table=("{y}年{a}因其他法律行政法规禁止公开而不予公开的有几件?",),
           para=("{y}年{a}有多少件申请因为法律法规禁止公开被拒绝?",)),
    Metric("refused.three_safeties", (_t3("refused.three_safeties"),), "三安全一稳定",
           table=("{y}年{a}因危及“三安全一稳定”不予公开多少件?",),
           para=("{y}年{a}以危及“三安全一稳定”为由拒绝公开的申请有几件?",)),
    Metric("refused.third_party", (_t3("refused.third_party"),), "保护第三方合法权益",
           table=("{y}年{a}因保护第三方合法权益不予公开的申请有多少件?",),
           para=("{y}年{a}因为涉及第三方合法权益没有公开的申请有几件?", "{y}年{a}以保护个人隐私为由不公开的申请有多少件?")),
    Metric("refused.internal_affairs", (_t3("refused.internal_affairs"),), ("三类内部事务信息", "三类内容事务信息"),
           table=("{y}年{a}因属于三类内部事务信息不予公开的有几件?",),
           para=("{y}年{a}有多少件申请因为是内部事务信息没给公开?",)),
    Metric("refused.process_info", (_t3("refused.process_info"),), "四类过程性信息",
           table=("{y}年{a}因属于四类过程性信息不予公开多少件?",),
           para=("{y}年{a}因为是过程性信息而不公开的申请有几件?",)),
    Metric("refused.enforcement_file", (_t3("refused.enforcement_file"),), "行政执法案卷",
           table=("{y}年{a}因属于行政执法案卷不予公开的有几件?",),
           para=("{y}年{a}有多少件申请因为要的是执法案卷被拒绝公开?",)),
    Metric("refused.inquiry", (_t3("refused.inquiry"),), "行政查询事项",
           table=("{y}年{a}因属于行政查询事项不予公开多少件?",),
           para=("{y}年{a}有几件申请因为属于行政查询事项没有公开?",)),
    Metric("unable.not_held", (_t3("unable.not_held"),), "本机关不掌握相关政府信息",
           table=("{y}年{a}因本机关不掌握相关政府信息无法提供的有多少件?", "{y}年{a}本机关不掌握相关政府信息的申请有几件?"),
           para=("{y}年{a}有多少件申请因为信息不存在没法提供?", "{y}年{a}说自己不掌握相关信息的申请有几件?"),
           noun="因本机关不掌握相关政府信息而无法提供的申请"),
    Metric("unable.needs_creation", (_t3("unable.needs_creation"),), "没有现成信息需要另行制作",
           table=("{y}年{a}因没有现成信息需要另行制作而无法提供的有几件?",),
           para=("{y}年{a}有多少件申请因为要另行制作信息所以无法提供?",)),
    Metric("unable.unclear", (_t3("unable.unclear"),), "补正后申请内容仍不明确",
           table=("{y}年{a}因补正后申请内容仍不明确无法提供多少件?",),
           para=("{y}年{a}有几件申请补正以后内容还是不明确、没法提供?",)),
    Metric("not_processed.complaint", (_t3("not_processed.complaint"),), "信访举报投诉类申请",
           table=("{y}年{a}因属于信访举报投诉类申请不予处理的有几件?",),
           para=("{y}年{a}有多少件申请其实是信访举报投诉所以没处理?",)),
    Metric("not_processed.repeated", (_t3("not_processed.repeated"),), "重复申请",
           table=("{y}年{a}因重复申请不予处理多少件?",),
           para=("{y}年{a}收到的重复申请有几件没处理?",)),
    Metric("not_processed.publication", (_t3("not_processed.publication"),), "要求提供公开出版物",
           table=("{y}年{a}因要求提供公开出版物不予处理的有几件?",),
           para=("{y}年{a}有多少件申请是要公开出版物而不予处理的?",)),
    Metric("not_processed.excessive", (_t3("not_processed.excessive"),), "无正当理由大量反复申请",
           table=("{y}年{a}无正当理由大量反复申请不予处理的有多少件?",),
           para=("{y}年{a}因为有人大量反复申请而不予处理的有几件?",)),
    Metric("not_processed.confirmation", (_t3("not_processed.confirmation"),), "要求行政机关确认或重新出具已获取信息",
           table=("{y}年{a}因要求行政机关确认或重新出具已获取信息不予处理多少件?",),
           para=("{y}年{a}有几件申请是要求重新出具已获取信息而没有处理的?",)),
    Metric("other", (_t3("other"),), "其他处理",
           table=("{y}年{a}政府信息公开申请其他处理的有几件?",),
           para=("{y}年{a}按其他处理方式办理的申请有多少件?",)),
    Metric("other.no_correction", (_t3("other.no_correction"),), "逾期不补正",
           table=("{y}年{a}因申请人无正当理由逾期不补正而不再处理的申请有几件?",),
           para=("{y}年{a}有多少件申请因为申请人逾期不补正就不再处理了?",)),
    Metric("result_total", (_t3("result_total"),), ("（七）总计", "办结"),
           table=("{y}年{a}政府信息公开申请的办理结果总计多少件?", "{y}年{a}办结了多少件政府信息公开申请?"),
           para=("{y}年{a}一共答复了多少件信息公开申请?",),
           noun="办结的政府信息公开申请"),
    Metric("carried_forward", (_t3("carried_forward"),), "结转下年度继续办理",
           table=("{y}年{a}结转下年度继续办理的申请有几件?",),
           para=("{y}年{a}有几件信息公开申请没办完、转到下一年继续办理?",)),
    # ---- table 四: reconsiderations and lawsuits -------------------------------------------------
    Metric("reconsideration", ("t4.reconsideration.total",), "行政复议",
           table=("{y}年{a}因政府信息公开被申请行政复议多少件?", "{y}年{a}政府信息公开行政复议总计多少件?"),
           para=("{y}年有几件针对{a}信息公开的复议案件?", "{y}年{a}因为信息公开被人申请复议了几次?"),
           noun="因政府信息公开被申请行政复议的案件"),
    Metric("reconsideration.upheld", ("t4.reconsideration.upheld",), "行政复议",
           table=("{y}年{a}行政复议结果维持的有几件?",),
           para=("{y}年{a}的信息公开复议案件中维持原决定的有多少件?",)),
    Metric("reconsideration.corrected", ("t4.reconsideration.corrected",), "行政复议",
           table=("{y}年{a}行政复议结果纠正的有几件?",),
           para=("{y}年{a}信息公开复议被纠正了几件?",)),
    Metric("reconsideration.pending", ("t4.reconsideration.pending",), "行政复议",
           table=("{y}年{a}行政复议尚未审结的有几件?",),
           para=("{y}年{a}还有几件信息公开复议案件没审结?",)),
    Metric("litigation", ("t4.litigation_direct.total", "t4.litigation_after_reconsideration.total"), ("行政诉讼", "行政复议"),
           table=("{y}年{a}因政府信息公开被提起行政诉讼多少件?",),
           para=("{y}年{a}因为信息公开被起诉了几次?", "{y}年{a}因为信息公开打了几场官司?", "{y}年{a}因信息公开被告上法庭多少件?")),
    Metric("litigation_direct", ("t4.litigation_direct.total",), ("行政诉讼", "行政复议"),
           table=("{y}年{a}未经复议直接起诉的行政诉讼有多少件?",),
           para=("{y}年有几件没经过复议就直接起诉{a}的信息公开案子?",)),
    Metric("litigation_after", ("t4.litigation_after_reconsideration.total",), ("行政诉讼", "行政复议"),
           table=("{y}年{a}复议后起诉的行政诉讼有多少件?",),
           para=("{y}年{a}有几件信息公开案子是复议后再起诉的?",)),
    # ---- table 二: proactive disclosure (portal pages only) ---------------------------------------
    Metric("licensing", ("t2.s20_5.licensing.decisions",), "行政许可", html_only=True,
           table=("{y}年{a}行政许可处理决定数量是多少?", "{y}年{a}行政许可本年处理决定多少件?"),
           para=("{y}年{a}作出了多少件行政许可决定?", "{y}年{a}一共办了多少件行政许可?"),
           noun="作出的行政许可处理决定"),
    Metric("penalty", ("t2.s20_6.penalty.decisions",), "行政处罚", html_only=True,
           table=("{y}年{a}行政处罚处理决定数量是多少?", "{y}年{a}行政处罚决定有多少件?"),
           para=("{y}年{a}作出了多少个行政处罚决定?", "{y}年{a}一共处罚了多少件?"),
           noun="作出的行政处罚决定"),
    Metric("enforcement", ("t2.s20_6.enforcement.decisions",), "行政强制", html_only=True,
           table=("{y}年{a}行政强制处理决定数量是多少?",),
           para=("{y}年{a}采取了多少件行政强制措施?", "{y}年{a}作出的行政强制决定有几件?")),
    Metric("rules.made", ("t2.s20_1.rules.made",), "规章", html_only=True,
           table=("{y}年{a}本年制发规章多少件?",),
           para=("{y}年{a}新出台了几件规章?",)),
    Metric("normative.made", ("t2.s20_1.normative_documents.made",), ("行政规范性文件", "规范性文件"), html_only=True,
           table=("{y}年{a}本年制发行政规范性文件多少件?", "{y}年{a}新制作规范性文件数量是多少?"),
           para=("{y}年{a}新发了几个规范性文件?", "{y}年{a}出台了多少件规范性文件?"),
           noun="制发的规范性文件"),
    Metric("normative.in_force", ("t2.s20_1.normative_documents.in_force",), ("行政规范性文件", "规范性文件"), html_only=True,
           table=("{y}年{a}现行有效的行政规范性文件有多少件?",),
           para=("截至{y}年底{a}还有效的规范性文件有几件?",)),
    Metric("normative.repealed", ("t2.s20_1.normative_documents.repealed",), ("行政规范性文件", "规范性文件"), html_only=True,
           table=("{y}年{a}本年废止行政规范性文件多少件?",),
           para=("{y}年{a}废止了几件规范性文件?",)),
    Metric("fees", ("t2.s20_8.fees.amount",), "行政事业性收费", unit="万元", html_only=True,
           table=("{y}年{a}行政事业性收费金额是多少?", "{y}年{a}本年行政事业性收费金额多少万元?"),
           para=("{y}年{a}收了多少钱的行政事业性收费?", "{y}年{a}行政事业性收费一共收了多少万元?")),
    Metric("procurement.amount", ("t2.s20_9.procurement.amount",), "政府集中采购", unit="万元", html_only=True,
           table=("{y}年{a}政府集中采购总金额是多少?",),
           para=("{y}年{a}集中采购一共花了多少钱?",)),
    Metric("procurement.count", ("t2.s20_9.procurement.count",), "政府集中采购", unit="个", html_only=True,
           table=("{y}年{a}政府集中采购项目数量是多少?",),
           para=("{y}年{a}搞了多少个政府集中采购项目?",)),
)
BY_NAME = {m.name: m for m in METRICS}
# What the public asks most: asked about three times as often as the rest.
CORE = frozenset({"new", "new.natural_person", "granted", "unable.not_held", "reconsideration", "litigation",
                  "licensing", "penalty", "fees", "normative.made"})


# --- the reports --------------------------------------------------------------------------------


@dataclass
class Written:
    agency: Agency
    report: SyntheticReport
    fmt: str  # "html" or "txt"
    file: str
    flagged_rows: frozenset[str] = field(default_factory=frozenset)  # rows the reader cannot decode

    def value(self, metric: Metric) -> Decimal | None:
        """The metric's figure in this report, or None when it cannot be asked of it."""
        if metric.html_only and self.fmt != "html":
            return None
        values = []
        for key in metric.keys:
            if key not in self.report.printed or self.report.expected.get(key) is None:
                return None
            if key.rsplit(".", 1)[0] in self.flagged_rows:
                return None
            values.append(self.report.expected[key])
        return sum(values, Decimal(0))


def make_reports(seed: int, folder: Path) -> list[Written]:
    kinds = {k.name: k for k in KINDS}
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    written = []
    for index, agency in enumerate(AGENCIES):
        assert all(n in agency_aliases(agency.full) for n in agency.names), agency
        for year in YEARS:
            rng = random.Random(f"{seed}:{agency.slug}:{year}")
            version = "2019" if year < 2021 or year in agency.keeps_2019_tables else "2021"
            report = make_report(
                rng, place=(agency.place, agency.slug), level=agency.level, kind=kinds[agency.kind], year=year,
                version=version, split_other=version == "2021" and rng.random() < 0.6,
                charset="gbk" if rng.random() < 0.2 else "utf-8",
            )  # fmt: skip
            assert report.agency == agency.full
            fmt = "txt" if is_text(index, year) else "html"
            data = report.text().encode("utf-8") if fmt == "txt" else report.html_bytes()
            name = f"{report.slug}.{fmt}"
            (folder / name).write_bytes(data)
            read = ingest.read_bytes(data, filename=name)
            rows = (m.group(1) for issue in read.table_issues for m in re.finditer(r"(t[234]\.[\w.]+)\.\*", issue))
            flagged = frozenset(rows)
            written.append(Written(agency, report, fmt, name, flagged))
    return written


# --- questions ----------------------------------------------------------------------------------


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _entry(question: str, expect: dict | str, category: str, evidence: str | tuple[str, ...] | None = None) -> dict:
    entry: dict = {"question": question, "expect": expect}
    if evidence:
        entry["evidence"] = list(evidence) if isinstance(evidence, tuple) else evidence
    entry["category"] = category
    return entry


class Asker:
    def __init__(self, written: list[Written], rng: random.Random) -> None:
        self.written = written
        self.rng = rng
        self.by_agency = {a.full: {w.report.year: w for w in written if w.agency == a} for a in AGENCIES}

    def name(self, agency: Agency) -> str:
        return agency.full if self.rng.random() < 0.5 else self.rng.choice(agency.names[1:])

    def single(self, per_report: int, category: str, uses: dict[str, float]) -> list[dict]:
        """``per_report`` questions of each report, on the metrics asked least so far (``uses``, shared
        across categories), mostly of non-zero cells: an assistant answering 0 to everything must not pass."""
        out = []
        for w in self.written:
            candidates = []
            for metric in METRICS:
                value = w.value(metric)
                templates = metric.table if category == "table_figure" else metric.para
                if value is not None and templates:
                    weight = uses.get(metric.name, 0) + (1.5 if value == 0 else 0) + self.rng.random()
                    candidates.append((weight, metric.name, metric, value, templates))
            candidates.sort(key=lambda c: c[:2])
            for _, _, metric, value, templates in candidates[:per_report]:
                uses[metric.name] = uses.get(metric.name, 0) + (0.35 if metric.name in CORE else 1)
                text = self.rng.choice(templates).format(y=w.report.year, a=self.name(w.agency))
                out.append(_entry(text, {"value": _num(value), "unit": metric.unit}, category, metric.evidence))
        return out

    def _series(self, agency: Agency, metric: Metric, years: Sequence[int]) -> list[tuple[int, Decimal]] | None:
        """The metric's value in every generated year among ``years``, or None if any cannot be asked."""
        reports = self.by_agency[agency.full]
        values = []
        for year in years:
            if year in reports:
                value = reports[year].value(metric)
                if value is None:
                    return None
                values.append((year, value))
        return values

    def cross_year(self) -> list[dict]:
        out = []
        plans = [  # (metric, first year, last year, form)
            ("new", 2019, 2023, "range"), ("granted", 2019, 2023, "each"), ("result_total", 2020, 2022, "range"),
            ("unable.not_held", 2021, 2023, "range"), ("reconsideration", 2019, 2021, "range"),
            ("new", 2018, 2020, "range"), ("granted", 2022, 2024, "range"), ("new.natural_person", 2021, 2022, "pair"),
            ("licensing", 2019, 2023, "pair"), ("partly_granted", 2019, 2020, "pair"), ("penalty", 2019, 2023, "pair"),
            ("normative.made", 2019, 2023, "pair"), ("new", 2017, 2019, "range"), ("result_total", 2019, 2023, "each"),
        ]
        for agency in AGENCIES:
            for metric_name, first, last, form in plans:
                metric = BY_NAME[metric_name]
                years = list(range(first, last + 1))
                if form == "pair":
                    # two years both present and askable
                    present = [y for y in YEARS if self._series(agency, metric, [y])]
                    if len(present) < 2:
                        continue
                    years = sorted(self.rng.sample(present, 2))
                values = self._series(agency, metric, years)
                if not values or len(values) < 2:
                    continue
                missing = [y for y in years if y not in self.by_agency[agency.full]]
                a = self.name(agency)
                if form == "range":
                    text = self.rng.choice((
                        f"{first}年到{last}年{a}每年{metric.noun}有{metric.measure}?",
                        f"{a}{first}年至{last}年{metric.noun}每年各有{metric.measure}?",
                    ))
                elif form == "each":
                    text = f"{a}历年{metric.noun}各有{metric.measure}?"
                else:
                    text = self.rng.choice((
                        f"{years[0]}年和{years[1]}年{a}{metric.noun}分别是{metric.measure}?",
                        f"{a}{years[0]}年、{years[1]}年{metric.noun}各有{metric.measure}?",
                    ))
                expect: dict = {"values": [{"year": y, "value": _num(v)} for y, v in values]}
                if missing:
                    expect["missing_years"] = missing
                out.append(_entry(text, expect, "cross_year"))
        # keep the plan's spread but not every agency × every plan
        self.rng.shuffle(out)
        return sorted(out[:30], key=lambda e: e["question"])

    def comparison(self) -> list[dict]:
        out = []
        metrics = ["new", "granted", "result_total", "unable.not_held", "reconsideration", "licensing", "penalty",
                   "new.natural_person", "partly_granted", "normative.made"]
        for agency in AGENCIES:
            for metric_name in metrics:
                metric = BY_NAME[metric_name]
                present = [y for y in YEARS if self._series(agency, metric, [y])]
                if len(present) < 2:
                    continue
                earlier, later = sorted(self.rng.sample(present, 2))
                (_, v1), (_, v2) = self._series(agency, metric, [earlier, later])  # type: ignore[misc]
                a = self.name(agency)
                form = self.rng.random()
                if form < 0.4:
                    text, subject, other = f"{later}年{a}{metric.noun}比{earlier}年多还是少?", v2, v1
                elif form < 0.6:
                    text, subject, other = f"与{earlier}年相比，{later}年{a}{metric.noun}增加还是减少了?", v2, v1
                elif form < 0.75:
                    text, subject, other = f"{a}{earlier}年{metric.noun}比{later}年多了还是少了?", v1, v2
                else:
                    # which year most / least, over every year there is
                    series = self._series(agency, metric, YEARS) or []
                    if len(series) < 3:
                        continue
                    most = self.rng.random() < 0.6
                    target = (max if most else min)(v for _, v in series)
                    winners = [y for y, v in series if v == target]
                    if len(winners) > 1:
                        continue
                    word = "最多" if most else "最少"
                    text = self.rng.choice((f"{a}哪一年{metric.noun}{word}?", f"{a}历年中哪一年{metric.noun}{word}?"))
                    values = [{"year": winners[0], "value": _num(target)}]
                    expect = {"values": values, "verdict": f"{winners[0]}年{word}"}
                    out.append(_entry(text, expect, "comparison"))
                    continue
                if subject == other:
                    verdict = "持平"
                else:
                    verdict = f"{'多' if subject > other else '少'}{_fmt(abs(subject - other))}{metric.unit}"
                values = [{"year": earlier, "value": _num(v1)}, {"year": later, "value": _num(v2)}]
                expect = {"values": values, "verdict": verdict}
                out.append(_entry(text, expect, "comparison"))
        self.rng.shuffle(out)
        return sorted(out[:30], key=lambda e: e["question"])

    def unanswerable(self) -> list[dict]:
        jichuan, luting, huaichuan, wuting, mingxi = AGENCIES
        n = self.name
        questions = [
            # years with no report
            f"2018年{n(jichuan)}收到多少件政府信息公开申请?",
            f"2024年{n(luting)}予以公开的申请有多少件?",
            f"2017年{n(huaichuan)}行政许可处理决定数量是多少?",
            f"2024年{n(wuting)}因政府信息公开被申请行政复议多少件?",
            f"2018年{n(mingxi)}本机关不掌握相关政府信息的申请有几件?",
            f"2016年{n(jichuan)}被起诉了几次?",
            f"2024年{n(huaichuan)}行政处罚决定有多少件?",
            f"2018年{n(luting)}办结了多少件政府信息公开申请?",
            f"2024年{n(wuting)}收到的信息公开申请比2023年多还是少?",
            f"2018年{n(mingxi)}收到的政府信息公开申请比2019年多还是少?",
            # agencies with no report
            "2021年柘川县财政局收到多少件政府信息公开申请?",
            "2022年岫川市教育局予以公开的申请有多少件?",
            "2020年兰渚区生态环境局因政府信息公开被起诉了几件?",
            "2023年霁川市教育局收到多少件政府信息公开申请?",
            "2021年槐川区人社局予以公开的申请有几件?",
            "2022年鹭汀县人民政府收到多少件信息公开申请?",
            "2021年茗溪县统计局行政复议有几件?",
            "2019年棠汀县交通运输局行政许可处理决定有多少件?",
            # figures no report states
            f"2021年{n(jichuan)}门户网站的访问量是多少?",
            f"2022年{n(luting)}召开了多少场新闻发布会?",
            f"2020年{n(huaichuan)}政务微博有多少粉丝?",
            f"2023年{n(wuting)}信息公开咨询电话接听了多少次?",
            f"2019年{n(mingxi)}办理一件信息公开申请平均要多少天?",
            f"2021年{n(jichuan)}有多少名专职信息公开工作人员?",
            f"2022年{n(huaichuan)}办理人大代表建议多少件?",
            f"2023年{n(luting)}政府信息公开专栏被点击了多少次?",
            f"2020年{n(wuting)}收到多少件政务咨询留言?",
            f"2022年{n(mingxi)}开展了多少次政府开放日活动?",
            f"2021年{n(jichuan)}发布了多少条政务短视频?",
            f"2023年{n(huaichuan)}信息公开申请的答复满意率是多少?",
        ]
        return [_entry(q, "unanswerable", "unanswerable") for q in questions]


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", type=Path, default=REPO / "eval" / "datasets")
    args = parser.parse_args()

    folder = args.out / "synthetic"
    written = make_reports(args.seed, folder)
    asker = Asker(written, random.Random(f"{args.seed}:questions"))
    uses: dict[str, float] = {}
    questions = (
        asker.single(4, "table_figure", uses)
        + asker.single(3, "paraphrased", uses)
        + asker.cross_year()
        + asker.comparison()
        + asker.unanswerable()
    )
    lines = [
        "# Generated by scripts/make_synthetic_dataset.py from eval/synthetic.py: rerun it rather than edit by hand.",
        "# Five invented agencies × 2019–2023, standard tables (2019 and 2021 layouts) as portal pages (.html) and",
        "# flattened archive exports (.txt); every expected figure is the one the generator printed. Reports:",
        *(f"#   {w.file}: {w.report.version} tables{', （六） split' if w.report.split_other else ''}" for w in written),
        "name: synthetic",
        "description: 25 generated standard-format reports (5 invented agencies × 2019–2023), table figures asked in",
        "  the tables' words and the public's, across years, compared, and questions no report answers",
        "files: [eval/datasets/synthetic/]",
        "thresholds:",
        "  figure_accuracy: 0.95",
        "  refusal_accuracy: 1.0",
        "questions:",
    ]
    category = ""
    for q in questions:
        if q["category"] != category:
            category = q["category"]
            lines.append(f"  # {category}")
        flow = yaml.safe_dump(q, allow_unicode=True, sort_keys=False, default_flow_style=True, width=10**6)
        lines.append("  - " + flow.strip())
    (args.out / "synthetic.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    for q in questions:
        counts[q["category"]] = counts.get(q["category"], 0) + 1
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"{len(written)} reports ({size / 1024:.0f} KB) in {folder}; {len(questions)} questions: {counts}")
    for w in written:
        if w.flagged_rows:
            print(f"  {w.file}: not asked (undecodable rows): {', '.join(sorted(w.flagged_rows))}")


if __name__ == "__main__":
    main()
