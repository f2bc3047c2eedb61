"""The words a question's answer must be about, and whether a passage covers them.

A figure answers a question only when its own words (clause, sentence, section, table row and
column) cover what the question names: 当面 in “几件是当面交的” is not covered by “共收到申请18件”, so
that total does not answer it. Coverage is loose where people's words are loose — an abbreviation
covers its long form when its characters appear in order (快检 ↔ 快速检测), a topic's synonyms cover
each other (起诉 ↔ 行政诉讼) — and strict where it matters: a number in the question (60岁以上) must be
printed there too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jieba import posseg

from assistant.understanding.parse import CONCEPTS, YEARS_RE
from ingest.numbers import UNITS

# Parts of speech that never carry the topic (jieba's tags): particles, prepositions, conjunctions,
# pronouns, numerals and measure words, adverbs, localisers, time words, modal particles, punctuation.
_FUNCTION_TAGS = ("u", "p", "c", "r", "m", "q", "y", "e", "o", "w")
# Nouns, names, abbreviations, idioms and time words: a question naming one the report never uses asks
# about something else (年纪, 平均, 60岁), while a verb of its own (给不了, 寄过来) is only its wording.
_NOUN_TAGS = ("n", "j", "l", "t", "s", "i", "eng", "x")  # x: the domain's own words (政务短视频), added untagged
_VERB_TAGS = frozenset({"v", "vd", "vi", "vq", "vg", "vf", "vx"})
# Words of asking and filler, and complements, that say nothing of what is counted (hand list; a feature,
# not the gate: the gate is coverage by the figure's own words).
_NOT_TOPIC = frozenset({
    "多少", "一共", "总共", "共计", "合计", "哪些", "什么", "情况", "全年", "今年", "去年", "那年", "一年", "哪一年", "每年",
    "历年", "有没有", "是否", "是不是", "数量", "数目", "总数", "分别", "各有", "请问", "一下", "问下", "知道", "想知道",
    "告诉", "麻烦", "了解", "查询", "起来", "加起来", "下来", "出来", "过来", "出去", "进来", "上去", "已经", "大概", "大约",
    "左右", "差不多", "多大", "到底", "究竟", "真的", "确实", "一直", "还是", "一般", "通常", "一起", "其实", "还有", "也是",
    "都是", "是不是", "有没有", "没有", "能不能", "可以", "一些", "主要", "怎么", "怎样", "如何", "为什么", "哪里", "哪个", "哪儿", "方面", "东西", "事情", "时候", "有关",
    "相关", "这些", "那些", "这个", "那个", "其中", "里面", "当中", "之中", "之间", "以来", "到底", "究竟", "呢", "吗",
    "报告", "年报", "年度报告", "上面", "说", "提到", "显示", "统计", "都", "所有", "给", "拿",
    "干", "做", "搞", "办", "弄", "人", "一", "件", "条", "个", "份", "次", "项", "政府", "信息", "公开", "政府信息",
    "信息公开", "政务公开", "政府信息公开", "依申请公开", "信息公开申请", "政府信息公开申请", "公开申请", "申请公开", "工作", "我们", "他们", "单位", "局里", "部门", "本局", "机关", "有", "是", "在", "收到",
    "年底", "年初", "目前", "现在", "当年", "全年", "今年", "去年", "明年", "近年", "天天", "年中", "以后", "今后", "之前",
    "时间", "期间", "一年到头", "截至", "截止", "变化", "相比", "对比", "比较", "老百姓", "群众", "公众", "市民", "居民",
    "网友", "大家", "别人", "人家", "社会公众", "以上", "以下", "以内", "之间", "之后", "之前", "当中", "之中", "里面", "上面", "案件", "案子", "件数", "数字", "数据", "方式", "措施", "决定", "事项",
    "普通", "一般", "办理", "处理", "行政", "年度", "各年", "各年度", "每年", "历年", "分别", "各自",
    "百分之几", "百分比", "占比", "比例", "全都", "全部", "都是", "大概", "大约", "左右",
    "手上", "手里", "手头", "那里", "这里", "那边", "这边", "根本", "法院", "案子里", "最后", "结果",
})
# What a figure counts, against its opposite: a count of accounts closed never answers accounts opened.
OPPOSITES: tuple[tuple[str, str], ...] = (
    ("开设", "关停"), ("开设", "注销"), ("开通", "关停"), ("开通", "注销"), ("新增", "取消"), ("新增", "减少"),
    ("增加", "减少"), ("新收", "结转"), ("收到", "办结"), ("关注", "取消关注"), ("新制", "废止"), ("制发", "废止"),
    ("合格", "不合格"), ("维持", "纠正"), ("公开", "不予公开"),
)
# Words that say the same thing for whether a figure covers a question, without being a topic of
# their own: 在网上公开 is said 在门户网站公开, 写信寄来 is 信函, 公文 are 文件.
_SAME_THING: tuple[tuple[str, ...], ...] = (
    ("网上", "网站", "网络", "门户", "在线", "线上", "互联网", "网页"),
    ("写信", "信函", "来信", "寄信", "邮寄", "信件"),
    ("公文", "文件"),
    ("印发", "制发", "发布", "下发"),
    ("按时", "按期", "如期", "及时", "法定时限", "规定时限", "法定期限", "规定期限", "规定时间", "时限内"),
)
_SYNONYMS = (*CONCEPTS.values(), *_SAME_THING)
_LEADING_UNIT = re.compile(r"^[篇条件个项份次名位期场家批起]")  # jieba's 篇文章, 条信息: the unit is no part of the noun
# An ASCII run with a letter in it: markup, code, an identifier such as 52389d (digits included).
_LATIN_RUN = re.compile(r"[0-9A-Za-z_.=/:#-]*[A-Za-z_][0-9A-Za-z_.=/:#-]*")
_HOW_TAILS = frozenset({"措施", "方式", "情况"})
_RANGE_START = re.compile(r"(?:19|20)\d{2}(?=\s*[-—~～到至])")  # the 2016 of 2016-2023年
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


@dataclass(frozen=True)
class Term:
    word: str
    strict: bool  # a noun or a number: a report that never says it cannot answer about it


@lru_cache(maxsize=4096)
def topic_terms(topic: str) -> tuple[Term, ...]:
    """The words of a question (its agency name already taken out) that say what it asks about, and
    the numbers it names other than years."""
    # Years say which report; Latin runs (markup, code: window.__pwned=1) hold no number of a figure.
    text = _LATIN_RUN.sub(" ", _RANGE_START.sub(" ", YEARS_RE.sub(" ", topic)))
    terms: dict[str, Term] = {}
    # Without jieba's guesses for unknown words (HMM): 因本机关 must not yield the artefact 因本.
    for token in posseg.lcut(text, HMM=False):
        word = token.word.strip()
        if len(word) >= 3 and _LEADING_UNIT.match(word) and word[:1] in UNITS:
            word = word[1:]
        if len(word) >= 4 and word not in _NOT_TOPIC and word[-2:] in _HOW_TAILS:
            word = word[:-2]  # 强制措施, 处理方式: the head says what; 措施, 方式 only how
        if _NUMBER.fullmatch(word):
            terms.setdefault(word, Term(word, True))
            continue
        if len(word) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", word) or word in _NOT_TOPIC or word in UNITS:
            continue
        if token.flag.startswith(_FUNCTION_TAGS) or word.startswith(("几", "多少")):
            continue
        if token.flag in _VERB_TAGS and len(word) < 4 and not _same_thing(word):
            continue  # 作出, 推行, 寄过来: how the question says it (opposites are checked apart); 土地划拨 is content
        terms.setdefault(word, Term(word, token.flag.startswith(_NOUN_TAGS)))
    return tuple(terms.values())


def _same_thing(word: str) -> bool:
    """A verb that names a thing the reports count under another word (写信 → 信函, 印发 → 制发)."""
    return any(word in group for group in _SAME_THING)


def part_words(part: str) -> tuple[str, ...]:
    """What names a part asked for (里面通过写信申请的: 写信), verbs included: 写信 and 寄信 are how
    people say 信函, though jieba tags them as verbs."""
    words = [t.word for t in topic_terms(part)]
    for token in posseg.lcut(part, HMM=False):
        word = token.word
        if token.flag in _VERB_TAGS and len(word) >= 2 and word not in _NOT_TOPIC and word not in words and _same_thing(word):
            words.append(word)
    return tuple(words)


def opposite_in(word: str, text: str) -> bool:
    """Whether ``text`` counts the opposite of ``word`` (关停 for 开设) and not ``word`` itself."""
    return any(asked in word and other in text and asked not in text
               for a, b in OPPOSITES for asked, other in ((a, b), (b, a)))


def _fuzzy(term: str) -> re.Pattern[str]:
    """快检 → 快.{0,2}检: an abbreviation's characters in order, a little apart."""
    return re.compile(".{0,2}".join(map(re.escape, term)))


@lru_cache(maxsize=8192)
def _pattern(term: str) -> re.Pattern[str]:
    return _fuzzy(term) if len(term) <= 4 else re.compile(re.escape(term))


def covers(text: str, term: str) -> bool:
    """Whether ``text`` says ``term``: itself, its characters in order (an abbreviation), or a word
    of the same topic (起诉 ↔ 诉讼, 粉丝 ↔ 关注)."""
    if _NUMBER.fullmatch(term):
        return bool(re.search(rf"(?<![\d.]){re.escape(term)}(?![\d.])", text))
    if term in text or _pattern(term).search(text):
        return True
    return any(any(w in text for w in words) for words in _synonym_groups(term))


@lru_cache(maxsize=8192)
def _synonym_groups(term: str) -> tuple[tuple[str, ...], ...]:
    """The groups of same-topic words ``term`` belongs to (it says one of them, or is part of one)."""
    return tuple(tuple(words) for words in _SYNONYMS
                 if any(w in term or (len(term) >= 2 and term in w) for w in words))


def uncovered(terms: tuple[Term, ...], text: str) -> list[Term]:
    return [t for t in terms if not covers(text, t.word)]
