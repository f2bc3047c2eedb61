"""Follow-up questions: “那2018年呢?”, “上一年呢?”, “其中予以公开的有多少?”, “换成科技厅呢?”
read against the session's previous question, and rewritten into the full question they ask.

The rewrite is plain text, so the answer can show how the question was understood, and the
whole pipeline (filters, metric, retrieval) runs on it unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import jieba

from assistant.understanding.agencies import resolve_agency
from assistant.understanding.metrics import metric_for
from assistant.understanding.parse import YEARS_RE, concepts_in, understand
from ingest.model import ReportMeta
from ingest.numbers import find_years

# Words that mark a question as continuing the previous one (那 "then", 其中 "of which",
# 另外/还有 "and also") or asking "what about …?" (…呢).
_LEADING = re.compile(r"^(?:(?:那么|那|其中|另外|还有|再问一下|再问|请问|换成|改成|换作|如果是|要是)[，,、：:\s]*)+")
_TRAILING_NE = re.compile(r"呢\s*[?？。！!]*\s*$")
_AGAIN = re.compile(r"又")  # “2018年又是多少?”
# A year named relative to the previous question's (上年 alone is a table row: 上年结转).
_RELATIVE_YEAR = re.compile(r"(上一年度?|前一年度?|下一年度?|后一年度?|次年|第二年)")
_STEP = {"上": -1, "前": -1, "下": 1, "后": 1, "次": 1, "第": 1}
# What is left when a follow-up only asks again: 多少, 几件 …
_ASKING_ONLY = re.compile(r"^(?:多少|几)?[件条个次人篇项场位家]?数?$")
_ASKING = re.compile(r"多少|几")
# What is left of an elliptical follow-up once its years and agency are taken out.
_FILLER = re.compile(r"[那么其中另外还有呢的情况又是怎样如何样请问再一下年度份，,、。？?！!：:\s]")
_RANGE_JOINERS = re.compile(r"^[\s到至和与及、,，\-—~～]*$")


# A place named just before an agency's short alias (青石市 + 交通运输局), even a wrong one.
_PLACE_BEFORE = re.compile(r"(?:^|[年的在和与及，,\s])([\u4e00-\u9fa5]{2,3}?(?:省|市|县|区|自治州))$")


def _agency_mention(text: str, reports: Sequence[ReportMeta]) -> tuple[int, int] | None:
    """Where the question names an agency (with the place before it), even one no report has."""
    span = resolve_agency(text, reports).span
    if span is None:
        return None
    place = _PLACE_BEFORE.search(text[: span[0]])
    return (place.start(1), span[1]) if place else span


def _years_span(text: str) -> tuple[int, int] | None:
    """The stretch of the question that names its years (2017年, 2017年到2019年, 2017年和2018年)."""
    matches = list(YEARS_RE.finditer(text))
    if not matches:
        return None
    start, end = matches[0].start(), matches[0].end()
    for match in matches[1:]:
        if not _RANGE_JOINERS.match(text[end:match.start()]):
            break
        end = match.end()
    return start, end


def _splice(text: str, span: tuple[int, int], replacement: str) -> str:
    return text[: span[0]] + replacement + text[span[1]:]


def _without_report(text: str, years: tuple[int, int] | None, agency: tuple[int, int] | None) -> str:
    """What a question asks besides its year and agency, filler and asking-again words taken out."""
    for span in sorted(filter(None, [years, agency]), reverse=True):
        text = _splice(text, span, " ")
    rest = _FILLER.sub("", text)
    return "" if _ASKING_ONLY.match(rest) else rest


def _marked(text: str) -> bool:
    return bool(_LEADING.match(text) or _TRAILING_NE.search(text) or _AGAIN.search(text))


def needs_previous(text: str, reports: Sequence[ReportMeta]) -> bool:
    """Whether ``text`` only makes sense after another question (“那2018年呢?”, “科技厅呢?”,
    “2017年是多少?”, “上一年呢?”)."""
    text = text.strip()
    if _RELATIVE_YEAR.search(text) and not _years_span(text):
        return True
    body = _LEADING.sub("", text)
    if _without_report(body, _years_span(body), _agency_mention(body, reports)):
        return False
    return _marked(text) or bool(_ASKING.search(body))


def _absolute_years(text: str, previous: str) -> str:
    """“上一年呢?” after a question about 2018 → “2017年呢?”."""
    match = _RELATIVE_YEAR.search(text)
    named = YEARS_RE.findall(previous)
    if not match or _years_span(text) or len(set(find_years(previous))) != 1 or not named:
        return text
    year = find_years(previous)[0] + _STEP[match.group(1)[0]]
    return _splice(text, match.span(), f"{year}年")


def _only_repeats(rest: str, previous: str) -> bool:
    """Whether what a follow-up asks besides its year is said by the previous question already
    (收到几件 after 共收到政府信息公开申请多少件): it asks the same again."""
    words = [w for w in jieba.lcut(_ASKING.sub(" ", rest)) if len(w.strip()) >= 2]
    return bool(words) and all(w in previous for w in words)


def resolve_followup(text: str, previous: str | None, reports: Sequence[ReportMeta]) -> str | None:
    """The full question a follow-up asks, or None when ``text`` stands on its own."""
    if not previous:
        return None
    text = _absolute_years(text.strip(), previous)
    marked = _marked(text)
    text = _LEADING.sub("", text)
    years = _years_span(text)
    agency = _agency_mention(text, reports)
    rest = _without_report(text, years, agency)
    if not rest or (marked and (years or agency) and _only_repeats(rest, previous)):
        # “那2018年呢?” / “科技厅呢?” / “2017年是多少?” / “2018年又收到几件?”: the previous question with its
        # year or agency swapped.
        if not (years or agency):
            return None
        resolved = previous
        if agency:
            named = text[agency[0]:agency[1]]
            previous_agency = _agency_mention(resolved, reports)
            resolved = _splice(resolved, previous_agency, named) if previous_agency else named + resolved
        if years:
            year_text = text[years[0]:years[1]]
            previous_years = _years_span(resolved)
            resolved = _splice(resolved, previous_years, year_text) if previous_years else year_text + resolved
        return resolved
    if not marked and (years or agency):
        return None  # names its own year or agency and asks something: a new question
    if not marked and not (concepts_in(text) or metric_for(text) or _ASKING.search(text)):
        return None  # says nothing a previous question could complete
    # “其中予以公开的有多少?”: a new topic about the previous question's report.
    if understand(text, reports).intent == "passage" and understand(previous, reports).intent == "figure":
        text = _TRAILING_NE.sub("", text).rstrip("?？。 ") + "有多少？"  # “那么行政复议呢?” asks the same count
    prefix = ""
    if not years and (previous_years := _years_span(previous)):
        prefix += previous[previous_years[0]:previous_years[1]]
    if not agency and (previous_agency := _agency_mention(previous, reports)):
        prefix += previous[previous_agency[0]:previous_agency[1]]
    return prefix + text if prefix else None
