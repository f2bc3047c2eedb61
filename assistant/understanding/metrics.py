"""Question → the standard-table cell it asks for (ingest.standard keys).

The public asks in its own words (被起诉 / 打官司 for 行政诉讼, 驳回 for 不予公开, 企业 for
商业企业); each table row and column has the words that name it. A question names a table cell only
when it names the row's topic; the column defaults to 总计 (the total) when none is named.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ingest.standard import t2_key, t3_key, t4_key

# Table 三 rows: the words that name each row, most specific first (a sub-row wins over its group).
T3_ROW_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("refused.state_secret", ("国家秘密", "涉密")),
    ("refused.prohibited_by_law", ("法律行政法规禁止", "法律法规禁止")),
    ("refused.three_safeties", ("三安全一稳定", "危及")),
    ("refused.third_party", ("第三方合法权益", "第三方", "个人隐私")),
    ("refused.internal_affairs", ("内部事务",)),
    ("refused.process_info", ("过程性信息",)),
    ("refused.enforcement_file", ("执法案卷",)),
    ("refused.inquiry", ("行政查询",)),
    ("unable.not_held", ("不掌握", "信息不存在")),
    ("unable.needs_creation", ("另行制作", "没有现成")),
    ("unable.unclear", ("内容仍不明确", "补正后", "不明确")),
    ("not_processed.complaint", ("信访举报投诉类", "信访")),
    ("not_processed.repeated", ("重复申请",)),
    ("not_processed.publication", ("公开出版物", "出版物")),
    ("not_processed.excessive", ("大量反复",)),
    ("not_processed.confirmation", ("确认或重新出具", "重新出具")),
    ("other.no_correction", ("逾期不补正", "不补正")),
    ("other.unpaid_fee", ("未按收费通知", "缴纳费用")),
    ("partly_granted", ("部分公开",)),
    ("granted", ("予以公开", "同意公开", "全部公开")),
    ("refused", ("不予公开", "拒绝公开", "驳回", "不公开")),
    ("unable", ("无法提供",)),
    ("not_processed", ("不予处理",)),
    ("other", ("其他处理",)),
    ("carried_forward", ("结转下年", "转入下年", "下年度继续", "转到下一年", "下一年继续", "转入下一年", "没办完", "未办结")),
    ("carried_over", ("上年结转", "上一年结转", "去年结转")),
    ("result_total", ("办理结果", "办结", "处理了", "办理了", "答复了", "办完", "处理完", "答复完")),
    ("new", ("新收", "收到", "受理", "提出", "申请数量", "多少件申请", "多少申请", "几件申请")),
)
# Table 三 columns (who applied).
T3_COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("natural_person", ("自然人", "个人", "群众", "公民")),
    ("commercial", ("商业企业", "企业", "公司")),
    ("research", ("科研机构",)),
    ("public_welfare", ("社会公益组织", "公益组织")),
    ("legal_service", ("法律服务机构", "律师")),
    ("other_org", ("其他组织",)),
)

# Table 四: which procedure, which outcome.
T4_GROUP_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("litigation_after_reconsideration", ("复议后起诉", "复议后再起诉", "复议后提起诉讼")),
    ("litigation_direct", ("未经复议", "直接起诉")),
    ("reconsideration", ("行政复议", "复议")),
)
_LITIGATION = ("行政诉讼", "诉讼", "起诉", "被告", "官司", "告上法庭", "应诉")
T4_OUTCOME_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("upheld", ("结果维持", "维持")),
    ("corrected", ("结果纠正", "纠正", "撤销", "败诉")),
    ("other", ("其他结果",)),
    ("pending", ("尚未审结", "未审结", "没审结", "没有审结", "未结")),
)

# Table 二 (§20 items): row words and column words per format version.
T2_ROW_WORDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("s20_1", "rules", ("规章",)),
    ("s20_1", "normative_documents", ("规范性文件",)),
    ("s20_5", "licensing", ("行政许可", "许可")),
    ("s20_5", "other_services", ("其他对外管理服务",)),
    ("s20_6", "penalty", ("行政处罚", "处罚")),
    ("s20_6", "enforcement", ("行政强制", "强制")),
    ("s20_8", "fees", ("行政事业性收费", "事业性收费", "收费金额")),
    ("s20_9", "procurement", ("政府集中采购", "集中采购", "采购")),
)
T2_COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("made", ("制发", "新制作", "制定", "出台")),
    ("repealed", ("废止",)),
    ("in_force", ("现行有效", "有效")),
    ("published", ("新公开",)),
    ("total", ("对外公开总数", "总数量")),
    ("decisions", ("处理决定", "决定")),
    ("last_year", ("上一年项目", "上年项目")),
    ("change", ("增减", "增/减", "增加", "减少")),
    ("amount", ("金额", "多少钱", "万元")),
    ("count", ("项目数量", "多少个项目", "几个项目", "多少项目")),
)
_T2_DEFAULT_COLUMN = {"s20_1": "made", "s20_5": "decisions", "s20_6": "decisions", "s20_8": "amount", "s20_9": "amount"}

# How people say a row or an outcome in their own words, as patterns over its parts (a negation and
# what is missing, a move and the year it moves to), tried after the table's own words: 手上没有这个信息
# is 本机关不掌握相关政府信息, 拖到2026年接着办 is 结转下年度继续办理, 还没审完 is 尚未审结.
_NEXT_YEAR = r"(?:下一?年|明年|次年|第二年|\d{4}年|\s)"  # \s: the question's years are blanked before matching
T3_ROW_FRAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("unable.needs_creation", re.compile(r"没有现成|(?:需要|得|要)(?:重新|另外|专门)?(?:制作|加工|整理|汇总|统计)")),
    ("unable.not_held", re.compile(r"(?<!有)(?:没有|没|无|不掌握|不存在)(?:这个|这份|这些|这项|相关|此|该|那个)?"
                                    r"(?:信息|材料|资料|文件|档案)(?!公开)|(?:信息|材料|资料)(?:根本)?不存在")),
    ("unable.unclear", re.compile(r"补正.{0,6}(?:不明确|不清楚|没讲清|没说清|没讲明白|没说明白|还是不明)")),
    ("partly_granted", re.compile(r"公开了?一?部分|一?部分(?:给|予以|予)?公开|只公开了?一些")),
    ("granted", re.compile(r"(?:全部|完全|全|都|同意|照单|批准|准予|准许)(?:给|予以|予)?公开")),
    ("unable", re.compile(r"(?:没法|无法|不能|没办法)(?:提供|给)|(?:给不了|提供不了)")),
    ("carried_forward", re.compile(rf"(?:拖|转|留|延|放|挪|推)(?:到|至|入){_NEXT_YEAR}|{_NEXT_YEAR}度?(?:接着|继续|再)(?:办|处理)")),
)
T3_COLUMN_FRAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("legal_service", re.compile(r"律师(?:事务所)?|律所|法律服务(?:机构)?")),
)
# 没经过复议就直接被告上法院: a lawsuit without reconsideration, though it says 复议.
_DIRECT_LITIGATION = re.compile(r"(?:没|未|不)(?:有)?(?:经过?|走)(?:行政)?复议|直接(?:被)?(?:起诉|告|上法院|打官司)")
T4_OUTCOME_FRAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("pending", re.compile(r"(?:没|未|尚未|还没|没有)(?:有)?(?:审|判|结)(?:完|结|决|案|下来)?|还在审|审理中|正在审")),
    ("corrected", re.compile(r"纠正|撤销|败诉|判.{0,2}输")),
    ("upheld", re.compile(r"维持|胜诉|判.{0,2}赢")),
)

_REQUEST = re.compile(r"申请")
# Enquiries, complaints and messages are not disclosure requests, whatever verb they come with.
_NOT_REQUESTS = re.compile(r"咨询|投诉|举报|留言|信箱|来信|来电|费|收钱|收取")
_GENERIC_ROWS = frozenset({"new", "result_total", "carried_over", "carried_forward"})


@dataclass(frozen=True)
class MetricAsk:
    """The cells a question asks for (several when the tables split what it names)."""

    keys: tuple[str, ...]
    label: str  # how to name the metric in an answer
    words: tuple[str, ...] = ()  # the words that name it; a sentence stating it must use one of them


def says(text: str, word: str, shortest: int = 4) -> bool:
    """``word`` in ``text``, also with one character put in (直接被起诉 says 直接起诉, 打过官司 打官司)
    when the word has ``shortest`` characters or more."""
    if word in text:
        return True
    return len(word) >= shortest and _gapped(word).search(text) is not None


@functools.lru_cache(maxsize=8192)
def _gapped(word: str) -> re.Pattern[str]:
    return re.compile(".?".join(map(re.escape, word)))


def _first(text: str, table: tuple[tuple[str, tuple[str, ...]], ...],
           frames: tuple[tuple[str, re.Pattern[str]], ...] = ()) -> str | None:
    for key, words in table:
        if any(says(text, w) for w in words):
            return key
    return next((key for key, frame in frames if frame.search(text)), None)


def metric_for(text: str) -> MetricAsk | None:
    """The table cell(s) the question asks for, or None when it names no table metric."""
    litigation = any(w in text for w in _LITIGATION)
    group = "litigation_direct" if _DIRECT_LITIGATION.search(text) else _first(text, T4_GROUP_WORDS)
    if litigation or group:
        outcome = _first(text, T4_OUTCOME_WORDS, T4_OUTCOME_FRAMES) or "total"
        frames = [_DIRECT_LITIGATION, *(f for key, f in T4_OUTCOME_FRAMES if key == outcome)]
        said = tuple(m.group() for frame in frames if (m := frame.search(text)))  # its words as the question says them
        if group is None or (litigation and group == "reconsideration" and not re.search(r"复议后", text)):
            if group == "reconsideration" and not litigation:
                groups: tuple[str, ...] = ("reconsideration",)
            else:
                groups = ("litigation_direct", "litigation_after_reconsideration")
        else:
            groups = (group,)
        named = dict(T4_GROUP_WORDS)
        words = tuple(w for g in groups for w in named.get(g, ())) + (_LITIGATION if litigation else ()) \
            + dict(T4_OUTCOME_WORDS).get(outcome, ()) + said
        return MetricAsk(tuple(t4_key(g, outcome) for g in groups), "行政诉讼" if litigation else "行政复议", words)

    for block, row, words in T2_ROW_WORDS:
        if any(w in text for w in words) and not _REQUEST.search(text):
            column = _first(text, T2_COLUMN_WORDS) or _T2_DEFAULT_COLUMN[block]
            if block == "s20_9" and re.search(r"(多少|几)个", text):
                column = "count"  # 多少个…采购项目 asks for the number of projects, not the amount
            return MetricAsk((t2_key(block, row, column),), words[0], words + dict(T2_COLUMN_WORDS).get(column, ()))

    # The generic rows (收到, 办结 …) need the question to be about disclosure requests; the specific
    # ones (不掌握相关政府信息, 信访举报投诉类申请 …) name themselves.
    row = _first(text, T3_ROW_WORDS)
    framed = next(((key, m.group()) for key, frame in T3_ROW_FRAMES if (m := frame.search(text))), None)
    said: tuple[str, ...] = ()
    if framed and (row is None or row in _GENERIC_ROWS):
        row, said = framed[0], (framed[1],)  # 收到的申请里没有这份材料的: the row in other words, over 收到
    if row in _GENERIC_ROWS and (not _REQUEST.search(text) or _NOT_REQUESTS.search(text)):
        row = None
    if row is None and _REQUEST.search(text) and not _NOT_REQUESTS.search(text):
        row = "new"  # a request count with no other row named: 自然人申请了多少件
    if row is None:
        return None
    # Look for the applicant type outside the row's own words: 个人隐私 names a reason, not 个人.
    rest = text
    for word in dict(T3_ROW_WORDS)[row]:
        rest = rest.replace(word, " ")
    column = _first(rest, T3_COLUMN_WORDS, T3_COLUMN_FRAMES) or "total"
    said += tuple(m.group() for key, frame in T3_COLUMN_FRAMES if key == column and (m := frame.search(rest)))
    words = dict(T3_ROW_WORDS)[row] + dict(T3_COLUMN_WORDS).get(column, ()) + said
    return MetricAsk((t3_key(row, column),), row, words)
