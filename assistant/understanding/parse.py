"""Question → what it asks: intent, years, agency, the unit it counts in, and its topic terms."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.tokens import word_tokens
from assistant.understanding.agencies import resolve_agency
from assistant.understanding.directory import directory
from assistant.understanding.metrics import MetricAsk, metric_for, says
from ingest.model import ReportMeta
from ingest.numbers import UNITS, find_years

# Topics and the words the public and the reports use for each. A figure answers a question only
# when it is about the same topics. (依申请 request for disclosure, 咨询 enquiry, 行政复议
# reconsideration, 行政诉讼 lawsuit, 举报投诉 complaint, 收费 fees …)
CONCEPTS: dict[str, tuple[str, ...]] = {
    "申请": ("依申请", "信息公开申请", "公开申请", "申请公开", "申请"),
    "咨询": ("咨询", "留言", "提问", "问询"),
    "复议": ("行政复议", "复议"),
    "诉讼": ("行政诉讼", "诉讼", "应诉", "起诉", "被告", "打官司", "官司", "告上法庭", "被人告", "告了"),
    "投诉": ("举报投诉", "投诉", "举报", "申诉"),
    "收费": ("收费", "费用", "收取", "收钱", "付费", "交钱", "钱", "减免", "处理费"),
    "培训": ("培训", "授课", "讲课", "培训班"),
    "微信": ("微信", "公众号"),
    "关注": ("关注", "粉丝", "订阅", "关注者", "涨粉", "粉"),
    "媒体": ("媒体", "报道", "报纸", "新闻", "日报", "报刊"),
    "网站": ("门户网站", "网站", "官网"),
    "网络": ("网络", "网上", "在线", "线上", "互联网"),
    "专栏": ("专栏", "栏目", "栏"),  # 价格详情栏188条
    "规范性文件": ("规范性文件",),
    "法规政策": ("法规政策", "法规", "政策文件"),
    "机构职能": ("机构职能", "职能"),
    "财政": ("财政预决算", "预决算", "预算", "决算"),
    "规划": ("发展规划", "规划"),
    "许可": ("行政许可", "许可", "审批"),
    "会议": ("会议", "开会"),
    "年报": ("信息公开年报", "年报", "年度报告"),
    "工作报告": ("工作报告",),
    "不予公开": ("不予公开", "拒绝公开", "不公开", "驳回"),
    "予以公开": ("予以公开", "同意公开", "全部公开"),
    "部分公开": ("部分公开",),
    "无法提供": ("无法提供",),
    "不予处理": ("不予处理",),
    "其他处理": ("其他处理",),
    "答复": ("答复", "回复", "办结"),
    "信息": ("信息", "消息", "内容", "东西"),
    "发布": ("发布", "发送", "发了", "推送", "放了", "公布", "发出"),
    "微博": ("微博",),
    # Reasons an application is refused or cannot be met (table 三 sub-rows).
    "国家秘密": ("国家秘密", "涉密", "保密"),
    "商业秘密": ("商业秘密",),
    "第三方": ("第三方", "个人隐私", "隐私"),
    "信息不存在": ("信息不存在", "不掌握", "不存在"),
    "非本机关": ("不属于本机关", "非本机关", "职责范围"),
    "内部事务": ("内部事务",),
    "过程性信息": ("过程性信息",),
    "执法案卷": ("执法案卷",),
    "发布会": ("新闻发布会", "发布会"),
    "访问": ("访问量", "访问", "浏览量", "浏览", "点击量", "点击率"),
    "解读": ("政策解读", "解读"),
    "热线": ("热线", "公开电话"),
}
# Topics that decide what a figure counts; a figure about one of these never answers a
# question about another (a reconsideration count is no request count).
DECISIVE = frozenset({"无法提供", "不予处理", "其他处理", "国家秘密", "商业秘密", "第三方", "信息不存在", "非本机关", "内部事务", "过程性信息", "执法案卷", "微博", "微信", "发布会", "访问", "解读", "热线", "申请", "咨询", "复议", "诉讼", "投诉", "收费", "培训", "关注", "媒体", "不予公开", "予以公开", "部分公开", "规范性文件", "法规政策", "机构职能", "财政", "规划", "许可", "会议", "年报", "工作报告", "专栏"})

_COUNTED_WITHIN_REQUESTS = frozenset({"无法提供", "不予处理", "其他处理", "复议", "诉讼", "收费", "投诉", "答复", "予以公开", "部分公开", "不予公开",
                                      "国家秘密", "商业秘密", "第三方", "信息不存在", "非本机关", "内部事务",
                                      "过程性信息", "执法案卷"})
_FIGURE_WORDS = re.compile(r"多少|几[件条个次回人篇项场期家份位天批起名]|数量|数目|总数|总共|共计|金额|多大|几多|百分之几|占比|比例")
_PASSAGE_WORDS = re.compile(r"电话|号码|地址|邮编|邮政编码|传真|网址|邮箱")
# 传真的有多少, 电子邮箱申请的: requests counted by the channel they came through, not a fax number
_COUNTED_CHANNEL = re.compile(r"(?:传真|邮箱|电话|网址)(?:的?申请|的有|的呢|提交|来的|寄来)")
# 收不收费, 要不要交钱: a verb, 不, the verb again
_YESNO_WORDS = re.compile(r"是否|有没有|有无|是不是|能否|可否|有过|([\u4e00-\u9fff])不\1|吗呢?[?？。]?$|没有呢?[?？。]?$")
_UNIT_WORDS = re.compile(r"(?:多少|几)(" + "|".join(u for u in UNITS if not u.startswith("余") and u != "%") + ")")
# 几个人 / 管这事的人有几个 count people, not items
_PEOPLE_COUNT = re.compile(r"(?:几个|几位|几名|多少个?|几)(人)(?![次数])|(人)员?(?:有|是|一共|总共|共)*(?:几个|几位|几名|多少个?)")
_MONEY = re.compile(r"多少钱|多少费用|费用多少|金额|收费多少|收了多少")
_RATE = re.compile(r"率|比例|百分之|占比")
_COUNT_NOUN = re.compile(r"(人|条|件|篇|次|场|个)数")
YEARS_RE = re.compile(r"(?:19|20)\d{2}\s*年度?|[〇零一二三四五六七八九]{4}\s*年度?")
_QUESTION_NOISE = set("的了吗呢啊吧么是在和与及共总")


_ASKING = re.compile(r"多少|是否|有没有|有无|是不是|几[件条个次人篇项场期家份位]?|吗|呢|请问|一共|总共|共计|那一年|这一年|那年|[?？。！!]")


_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?度?\s*(?:到|至|-|—|~|～)\s*((?:19|20)\d{2})\s*年")
_EACH_YEAR = re.compile(r"每年|历年|各年|每一年|逐年|这几年|近几年|哪一?年")
_RUNNING_TOTAL = re.compile(r"历年来?(?:加起来|累计|一共|总共|合计)|截至|截止|为止|累计")
_COMPARE = re.compile(r"[多增涨升高]了?还是[少减降跌低]|[少减降跌低]了?还是[多增涨升高]|增加还是减少|相比|对比|比.{0,16}(多|少|增|减|高|低)|变化")
_COMPARED_WITH = re.compile(r"(?:与|和|同|跟|相比|较|比起)\s*((?:19|20)\d{2})\s*年度?\s*(?:相比|比较|对比)?")
_EXTREME = re.compile(r"(最多|最高|最大|最少|最低|最小)")


@dataclass(frozen=True)
class Question:
    text: str
    intent: str  # figure | yesno | passage
    years: tuple[int, ...]
    agencies: tuple[str, ...]
    agencies_loose: tuple[str, ...]
    unknown_agency: str | None
    unit: str | None
    concepts: frozenset[str]
    terms: tuple[str, ...] = field(default=())
    search_text: str = ""  # what retrieval looks for: the topic, without the report's identity
    metric: MetricAsk | None = None  # the standard-table cell(s) asked for
    mode: str = "single"  # single | series (several years) | compare (two years) | extreme (which year most/least)
    each_year: bool = False  # 每年 / 历年: every year there is, not only the years named
    extreme: str = ""  # "max" or "min" in extreme mode
    ambiguous_agencies: tuple[str, ...] = ()  # the bodies a name fits equally well (refused, naming them)
    topic: str = ""  # the question without the agency's name


def concepts_in(text: str) -> set[str]:
    return set(_concepts_in(text))


@functools.lru_cache(maxsize=16384)  # the matcher asks it of the same clauses question after question
def _concepts_in(text: str) -> frozenset[str]:
    text = YEARS_RE.sub("", text)  # "2017年报纸" holds 年报 (annual report) only by accident
    found = set()
    for name, words in CONCEPTS.items():
        if any(says(text, w, 3) for w in words):
            found.add(name)
    # In 申请复议, 依申请公开收费, 不予公开的申请 … the request is context, the other topic is
    # what is counted.
    if found & _COUNTED_WITHIN_REQUESTS:
        found.discard("申请")
    return frozenset(found)


def understand(text: str, reports: Sequence[ReportMeta]) -> Question:
    text = text.strip()
    years = [y for y in find_years(text) if not re.search(rf"(?:拖|转|留|推|延)到\s*{y}", text)]  # 拖到2026年接着办: no year asked
    span = _RANGE.search(text)
    if span:
        first, last = sorted((int(span.group(1)), int(span.group(2))))
        years = sorted(set(years) | set(range(first, last + 1)))
    # 截至2017年底历年加起来: the running total one report prints, not every year's figure
    each_year = bool(_EACH_YEAR.search(text)) and not (len(years) == 1 and _RUNNING_TOTAL.search(text))
    extreme = _EXTREME.search(text) if each_year or len(years) > 1 else None
    if extreme:
        mode = "extreme"
    elif _COMPARE.search(text) and len(years) == 2:
        mode = "compare"
        base = _COMPARED_WITH.search(text)
        if base and int(base.group(1)) == years[0]:
            years = [years[1], years[0]]  # 与2021年相比，2023年…: 2023 is the subject
    elif len(years) > 1 or each_year:
        mode = "series"
    else:
        mode = "single"
    if _PASSAGE_WORDS.search(text) and not _COUNTED_CHANNEL.search(text) and mode == "single":
        intent = "passage"  # 电话多少 asks for a number to call, not a count
    elif _FIGURE_WORDS.search(text) or mode != "single":
        intent = "figure"
    elif _YESNO_WORDS.search(text):
        intent = "yesno"
    else:
        intent = "passage"
    unit_match = _PEOPLE_COUNT.search(text) or _UNIT_WORDS.search(text)
    unit = next(g for g in unit_match.groups() if g) if unit_match else ("元" if _MONEY.search(text) else "%" if _RATE.search(text) else None)
    if unit is None:
        # 人数 "number of people", 条数 "number of items" … name the unit without 多少X.
        implied = _COUNT_NOUN.search(text)
        unit = implied.group(1) if implied else None
    named = resolve_agency(text, reports)
    # What the question asks about, without the name of the body it asks (市监局 says which report).
    topic = text[: named.span[0]] + " " + text[named.span[1]:] if named.span else text
    if mode != "single":
        topic = _COMPARE.sub(" ", topic)  # 增加还是减少, 有什么变化: how to compare, not what is counted
    terms = tuple(t for t in word_tokens(text) if not (len(t) == 1 and t in _QUESTION_NOISE))
    concepts = concepts_in(text)
    return Question(
        text=text,
        intent=intent,
        years=tuple(years),
        agencies=named.agencies,
        agencies_loose=named.loose,
        unknown_agency=named.unknown,
        ambiguous_agencies=named.ambiguous,
        unit=unit,
        concepts=frozenset(concepts),
        terms=terms,
        search_text=search_text(topic, concepts, reports),
        metric=metric_for(YEARS_RE.sub(" ", topic)),
        topic=topic,
        mode=mode,
        each_year=each_year,
        extreme=("max" if extreme.group(1) in "最多最高最大" else "min") if extreme else "",
    )


def search_text(text: str, concepts: set[str], reports: Sequence[ReportMeta]) -> str:
    """The question as retrieval should see it: agency names, years and asking words removed (the
    filters already choose the report, and these words would favour its introduction), plus the
    reports' own words for each topic asked about (起诉 → 行政诉讼 应诉)."""
    for alias in directory(reports).names_in(text):
        text = text.replace(alias, " ")
    text = _ASKING.sub(" ", YEARS_RE.sub(" ", text))
    expansion = " ".join(" ".join(CONCEPTS[c][:3]) for c in sorted(concepts))
    return " ".join(f"{text} {expansion}".split()) or text
