"""Follow-up questions: “那2018年呢?”, “其中予以公开的有多少?”, “科技厅呢?” read against the
session's previous question, and rewritten into the full question they ask.

The rewrite is plain text, so the answer can show how the question was understood, and the
whole pipeline (filters, metric, retrieval) runs on it unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.metrics import metric_for
from assistant.question import YEARS_RE, concepts_in, resolve_agency, understand
from ingest.model import ReportMeta

# Words that mark a question as continuing the previous one (那 "then", 其中 "of which",
# 另外/还有 "and also") or asking "what about …?" (…呢).
_LEADING = re.compile(r"^(?:那么|那|其中|另外|还有|再问一下|再问|那请问|请问)[，,、：:\s]*")
_TRAILING_NE = re.compile(r"呢\s*[?？。！!]*\s*$")
# What is left of an elliptical follow-up once its years and agency are taken out.
_FILLER = re.compile(r"[那么其中另外还有呢的情况又是怎样如何样请问再一下年度份，,、。？?！!：:\s]")
_RANGE_JOINERS = re.compile(r"^[\s到至和与及、,，\-—~～]*$")


# A place named just before an agency's short alias (青石市 + 交通运输局), even a wrong one.
_PLACE_BEFORE = re.compile(r"(?:^|[年的在和与及，,\s])([\u4e00-\u9fa5]{2,3}?(?:省|市|县|区|自治州))$")


def _agency_mention(text: str, reports: Sequence[ReportMeta]) -> tuple[int, int] | None:
    """Where the question names an agency (with the place before it): its longest alias, or a
    name no report has."""
    aliases = sorted({a for m in reports for a in (m.agency, *m.aliases) if a}, key=len, reverse=True)
    found = [m.span() for a in aliases for m in [re.search(re.escape(a), text)] if m]
    if not found:
        _, _, unknown = resolve_agency(text, reports)
        match = re.search(re.escape(unknown), text) if unknown else None
        return match.span() if match else None
    start, end = max(found, key=lambda span: (span[1] - span[0], -span[0]))
    place = _PLACE_BEFORE.search(text[:start])
    return (place.start(1), end) if place else (start, end)


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
    """What a question asks besides its year and agency, filler words taken out."""
    for span in sorted(filter(None, [years, agency]), reverse=True):
        text = _splice(text, span, " ")
    return _FILLER.sub("", text)


def needs_previous(text: str, reports: Sequence[ReportMeta]) -> bool:
    """Whether ``text`` only makes sense after another question (“那2018年呢?”, “科技厅呢?”)."""
    text = text.strip()
    marked = bool(_LEADING.match(text) or _TRAILING_NE.search(text))
    return marked and not _without_report(text, _years_span(text), _agency_mention(text, reports))


def resolve_followup(text: str, previous: str | None, reports: Sequence[ReportMeta]) -> str | None:
    """The full question a follow-up asks, or None when ``text`` stands on its own."""
    if not previous:
        return None
    text = text.strip()
    years = _years_span(text)
    agency = _agency_mention(text, reports)
    marked = bool(_LEADING.match(text) or _TRAILING_NE.search(text))
    if not marked and (years or agency):
        return None  # names its own year or agency: a new question
    if not _without_report(text, years, agency):
        # “那2018年呢?” / “科技厅呢?”: the previous question with its year or agency swapped.
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
    if not marked and not (concepts_in(text) or metric_for(text)):
        return None  # says nothing a previous question could complete
    # “其中予以公开的有多少?”: a new topic about the previous question's report.
    body = _LEADING.sub("", text)
    if understand(body, reports).intent == "passage" and understand(previous, reports).intent == "figure":
        body = _TRAILING_NE.sub("", body).rstrip("?？。 ") + "有多少？"  # “那么行政复议呢?” asks the same count
    prefix = ""
    if not years and (previous_years := _years_span(previous)):
        prefix += previous[previous_years[0]:previous_years[1]]
    if not agency and (previous_agency := _agency_mention(previous, reports)):
        prefix += previous[previous_agency[0]:previous_agency[1]]
    return prefix + body if prefix else None
