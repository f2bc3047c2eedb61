"""The standard tables of reports since 2019 (国办公开办函〔2019〕60号, revised by 〔2021〕30号).

One canonical key per table cell: ``<table>.<row>.<column>``, e.g. ``t3.new.natural_person``
(table 三, 本年新收 row, 自然人 column) or ``t4.litigation_direct.total``. Labels stay in Chinese
as the reports print them; the keys are what figures are stored and asked by.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # canonical label as printed in the template
    group: str = ""  # key of the group row this row is a sub-row of (sub-rows add up to it)
    variants: tuple[str, ...] = ()  # other spellings and typos seen in real reports


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str = "件"


# ---- Table 三: 收到和处理政府信息公开申请情况 (requests received and handled) -------------------

T3_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("public_welfare", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other_org", "其他"),
    Column("total", "总计"),
)

T3_ROWS: tuple[Row, ...] = (
    Row("new", "一、本年新收政府信息公开申请数量", variants=("本年度新收", "本年新收")),
    Row("carried_over", "二、上年结转政府信息公开申请数量", variants=("上年结转",)),
    Row("granted", "（一）予以公开", group="result_total"),
    Row("partly_granted", "（二）部分公开", group="result_total"),
    Row("refused", "（三）不予公开", group="result_total"),
    Row("refused.state_secret", "1.属于国家秘密", group="refused"),
    Row("refused.prohibited_by_law", "2.其他法律行政法规禁止公开", group="refused"),
    Row("refused.three_safeties", "3.危及“三安全一稳定”", group="refused"),
    Row("refused.third_party", "4.保护第三方合法权益", group="refused"),
    Row("refused.internal_affairs", "5.属于三类内部事务信息", group="refused", variants=("三类内容事务信息",)),
    Row("refused.process_info", "6.属于四类过程性信息", group="refused"),
    Row("refused.enforcement_file", "7.属于行政执法案卷", group="refused"),
    Row("refused.inquiry", "8.属于行政查询事项", group="refused"),
    Row("unable", "（四）无法提供", group="result_total"),
    Row("unable.not_held", "1.本机关不掌握相关政府信息", group="unable"),
    Row("unable.needs_creation", "2.没有现成信息需要另行制作", group="unable"),
    Row("unable.unclear", "3.补正后申请内容仍不明确", group="unable"),
    Row("not_processed", "（五）不予处理", group="result_total"),
    Row("not_processed.complaint", "1.信访举报投诉类申请", group="not_processed"),
    Row("not_processed.repeated", "2.重复申请", group="not_processed"),
    Row("not_processed.publication", "3.要求提供公开出版物", group="not_processed"),
    Row("not_processed.excessive", "4.无正当理由大量反复申请", group="not_processed"),
    Row("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息", group="not_processed"),
    Row("other", "（六）其他处理", group="result_total"),
    # 2021 revision: （六） may be split into three sub-rows.
    Row("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", group="other"),
    Row("other.unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", group="other"),
    Row("other.other", "3.其他", group="other"),
    Row("result_total", "（七）总计"),
    Row("carried_forward", "四、结转下年度继续办理"),
)

# ---- Table 四: 行政复议、行政诉讼 (reconsiderations and lawsuits) -----------------------------

T4_OUTCOMES: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
T4_GROUPS: tuple[Row, ...] = (
    Row("reconsideration", "行政复议"),
    Row("litigation_direct", "行政诉讼 未经复议直接起诉"),
    Row("litigation_after_reconsideration", "行政诉讼 复议后起诉"),
)

# ---- Table 二: 主动公开 (proactive disclosure, items of 条例 §20) -----------------------------

T2_2021: tuple[tuple[str, str, tuple[Column, ...], tuple[Row, ...]], ...] = (
    ("s20_1", "第二十条第（一）项",
     (Column("made", "本年制发件数"), Column("repealed", "本年废止件数"), Column("in_force", "现行有效件数")),
     (Row("rules", "规章"), Row("normative_documents", "行政规范性文件", variants=("规范性文件",)))),
    ("s20_5", "第二十条第（五）项", (Column("decisions", "本年处理决定数量"),), (Row("licensing", "行政许可"),)),
    ("s20_6", "第二十条第（六）项", (Column("decisions", "本年处理决定数量"),),
     (Row("penalty", "行政处罚"), Row("enforcement", "行政强制"))),
    ("s20_8", "第二十条第（八）项", (Column("amount", "本年收费金额（单位：万元）", unit="万元"),),
     (Row("fees", "行政事业性收费"),)),
)
T2_2019: tuple[tuple[str, str, tuple[Column, ...], tuple[Row, ...]], ...] = (
    ("s20_1", "第二十条第（一）项",
     (Column("made", "本年新制作数量"), Column("published", "本年新公开数量"), Column("total", "对外公开总数量")),
     (Row("rules", "规章"), Row("normative_documents", "规范性文件"))),
    ("s20_5", "第二十条第（五）项",
     (Column("last_year", "上一年项目数量"), Column("change", "本年增/减"), Column("decisions", "处理决定数量")),
     (Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项"))),
    ("s20_6", "第二十条第（六）项",
     (Column("last_year", "上一年项目数量"), Column("change", "本年增/减"), Column("decisions", "处理决定数量")),
     (Row("penalty", "行政处罚"), Row("enforcement", "行政强制"))),
    ("s20_8", "第二十条第（八）项",
     (Column("last_year", "上一年项目数量"), Column("change", "本年增/减")), (Row("fees", "行政事业性收费"),)),
    ("s20_9", "第二十条第（九）项",
     (Column("count", "采购项目数量", unit="个"), Column("amount", "采购总金额", unit="万元")),
     (Row("procurement", "政府集中采购"),)),
)


def t3_key(row: str, column: str) -> str:
    return f"t3.{row}.{column}"


def t4_key(group: str, outcome: str) -> str:
    return f"t4.{group}.{outcome}"


def t2_key(block: str, row: str, column: str) -> str:
    return f"t2.{block}.{row}.{column}"


def all_keys(version: str = "2021") -> list[str]:
    """Every cell key of the three tables in the given format version ("2019" or "2021")."""
    keys = [t3_key(r.key, c.key) for r in T3_ROWS for c in T3_COLUMNS]
    keys += [t4_key(g.key, o.key) for g in T4_GROUPS for o in T4_OUTCOMES]
    blocks = T2_2021 if version == "2021" else T2_2019
    keys += [t2_key(b, r.key, c.key) for b, _, cols, rows in blocks for r in rows for c in cols]
    return keys


def cell_label(key: str) -> str:
    """A cell key as people read it: t3.new.total → 表三 一、本年新收政府信息公开申请数量 · 总计
    (the key itself when it names no cell)."""
    table, _, rest = key.partition(".")
    if table == "t3":
        row, _, column = rest.rpartition(".")
        rows, columns = {r.key: r.label for r in T3_ROWS}, {c.key: c.label for c in T3_COLUMNS}
        if row in rows and column in columns:
            return f"表三 {rows[row]} · {columns[column]}"
    elif table == "t4":
        group, _, outcome = rest.rpartition(".")
        groups, outcomes = {g.key: g.label for g in T4_GROUPS}, {o.key: o.label for o in T4_OUTCOMES}
        if group in groups and outcome in outcomes:
            return f"表四 {groups[group]} · {outcomes[outcome]}"
    elif table == "t2":
        block, row, column = (rest.split(".") + ["", ""])[:3]
        for blocks in (T2_2021, T2_2019):
            for name, title, cols, rows in blocks:
                labels = {r.key: r.label for r in rows}
                headers = {c.key: c.label for c in cols}
                if name == block and row in labels and column in headers:
                    return f"表二 {title} {labels[row]} · {headers[column]}"
    return key
