"""Who published a report and for which year: read from its title, with the names people use."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.numbers import find_years

# --- what a title looks like --------------------------------------------------------------------
#
# "<agency><year>年[度]<政府信息公开…报告>" or "<year>年[度]<agency><政府信息公开…报告>", as a line of its
# own, at the start of a line that runs on into the first sentence, in the page's <title> before
# the portal's name, or inside the opening sentence ("现将<agency><year>年…年度报告予以公布").

_YEAR = r"(?:19|20)\d{2}|[〇零一二三四五六七八九]{4}"
# Characters of an agency name: no digits (a year), punctuation, quotes, or separators of
# breadcrumbs and portal suffixes ("_", "|", ">", "-").
_NAME = r"[^\s\d，。；：、,;:！？!?《》“”\"'_|｜<>«»›＞/\\\-–—…·]"
_KIND = r"(?:政府|政务)?(?:信息)?公开[^\s\d，。；：、,;:！？!?《》]{0,12}?(?:报告|年报)"
# A title line (spaces allowed inside: "某局 2022年度…"); it may run on after 报告.
_TITLE_AT_START = re.compile(
    rf"^(?P<before>(?:{_NAME}|[ \t]){{0,40}}?)[ \t]*(?P<year>{_YEAR})[ \t]*年[ \t]*度?"
    rf"(?P<middle>(?:{_NAME}|[ \t]){{0,40}}?)[ \t]*(?P<kind>{_KIND})"
)
# The same inside a sentence (no spaces: a clause boundary ends the agency).
_TITLE_IN_TEXT = re.compile(
    rf"(?P<before>{_NAME}{{0,40}}?)(?P<year>{_YEAR})\s*年\s*度?(?P<middle>{_NAME}{{0,40}}?)(?P<kind>{_KIND})"
)
# The verb that introduces the report in an opening sentence: 现将 / 特发布 / 现公布 / 编制完成 …
_VERB = r"(?:(?:现|特|兹|今)将|(?:现|特|兹|今)?(?:予以)?(?:向社会)?(?:公开发布|发布|公布|印发|编制完成|编制|形成|报送|呈报)了?)"
_LEADING_VERBS = re.compile(rf"^(?:{_VERB})+")
_FIRST_VERB = re.compile(_VERB)
# "本机关", "我局": the report names its agency elsewhere (the page's source line).
_PRONOUN = re.compile(r"^(?:本|我)(?:机关|单位|部门|级|局|委|办|厅|院|府|区|县|市|镇|乡|街道)?$")
# A line that is only an agency name ends like one: 局 厅 委 会 办 府 … 中心 街道, or a place.
_ORGAN_END = re.compile(r"(?:[局厅委会办室府院部署处所站队区县市省州盟旗镇乡馆团行司社]|中心|街道)$")
_ORGAN_LINE = re.compile(rf"^{_NAME}{{2,40}}$")
# A place alone stands for its government (2022年青石市政府信息公开… → 青石市人民政府); zones run by
# a management committee (实验区, 开发区, 新区 …) have no 人民政府.
_BARE_PLACE = re.compile(r"^(?:[\u4e00-\u9fa5]{1,5}?(?:自治区|自治州|自治县|省|市|县|旗|盟|区))+$")
_ZONE = re.compile(r"(?:新|开发|实验|试验|示范|园|片|管理|保税|合作|综合|高新|工业|经济|景)区$")
# A breadcrumb ("当前位置：首页 >> 政务公开 >> 政府信息公开年报") is never a title; nor is a sentence or
# a citation.
_CRUMB_PATTERN = r"^\s*(?:当前|您的|您现在的|你的|你现在的|所在)?位置\s*[:：]|[>»›＞]"
_CRUMB = re.compile(_CRUMB_PATTERN)
_NO_TITLE = re.compile(rf"{_CRUMB_PATTERN}|[。；！？《]")
# A page title ends with the portal's name after one of these.
_PORTAL_SEPARATOR = re.compile(r"\s*[_|｜]\s*|\s+[-–—－]+\s+")
_TITLE_BLOCKS = 15  # the title is near the top …
_SENTENCE_BLOCKS = 5  # … and so is the opening sentence that may name the report
_SENTENCE_CHARS = 600

_TITLE_WORDS = ("年度报告", "年报")

# Official names and the short forms the public uses for them (科学技术厅 "department of science
# and technology" → 科技厅).
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("科学技术", "科技"),
    ("人力资源和社会保障", "人社"),
    ("发展和改革委员会", "发改委"),
    ("住房和城乡建设", "住建"),
    ("自然资源", "自然资源"),
    ("生态环境", "环保"),
    ("市场监督管理局", "市场监管局"),
    ("卫生健康委员会", "卫健委"),
    ("教育局", "教育局"),
    ("人民政府", "政府"),
    ("综合实验区", "实验区"),
    ("税务局", "税务局"),
)
_PLACE_PREFIX = re.compile(r"^(?P<place>[\u4e00-\u9fa5]{2,3}?)(?P<kind>省|市|县|区|自治区|自治州)")
_PLACE_SUFFIX = re.compile(r"^(?P<place>[\u4e00-\u9fa5]{2})(?:综合实验区|新区|开发区|县人民政府|市人民政府)$")


# Names that fit every government, so they identify none.
_TOO_GENERIC = frozenset({"政府", "人民政府", "县政府", "市政府", "区政府", "省政府", "县人民政府", "市人民政府", "区人民政府"})


@dataclass(frozen=True)
class _Title:
    text: str  # the title as it should be shown
    agency: str
    year: int | None


def find_title(blocks: Sequence[str], hint: str = "") -> str:
    """The report's title: a title line of the body, else the stated title ``hint`` (a page's
    <title>, an archive's 标题), else the opening sentence that names the report.

    The first of these that names both an agency and a year wins; failing that, the first that
    names a year; failing that, a short line with 年度报告/年报 or the hint, as printed.
    """
    lines = [title for i, block in enumerate(blocks[:_TITLE_BLOCKS]) if (title := _title_line(blocks, i))]
    stated = [title for part in _PORTAL_SEPARATOR.split(hint) if (title := _stated_title(part))]
    sentences = [title for block in blocks[:_SENTENCE_BLOCKS] if (title := _title_in_sentence(block))]
    found = [*lines, *stated, *sentences]
    for title in found:
        if title.agency and title.year:
            return title.text
    for title in found:
        if title.year:
            return title.text
    if hint and not _CRUMB.search(hint):
        return hint.strip()
    for block in blocks[:10]:
        if any(word in block for word in _TITLE_WORDS) and len(block) <= 60 and not _NO_TITLE.search(block):
            return block.strip()
    return ""


def agency_from_title(title: str) -> str:
    """The agency a title names: before the year (某局2023年…) or after it (2023年某局…)."""
    parsed = _parse(_squeeze(title), anchored=True) or _parse(title, anchored=False)
    return parsed.agency if parsed else ""


def year_from_title(title: str) -> int | None:
    parsed = _parse(_squeeze(title), anchored=True) or _parse(title, anchored=False)
    if parsed and parsed.year:
        return parsed.year
    years = find_years(title)
    return years[0] if years else None


def _title_line(blocks: Sequence[str], index: int) -> _Title | None:
    """A title at the start of block ``index``; its agency may be the line before it."""
    block = blocks[index]
    if _CRUMB.search(block):
        return None
    title = _parse(block, anchored=True)
    if title is None or not index:
        return title
    previous = _squeeze(blocks[index - 1])
    if _CRUMB.search(blocks[index - 1]) or not _ORGAN_LINE.match(previous) or not _ORGAN_END.search(previous):
        return title
    # "某某局" / "2020年政府信息公开工作年度报告", or a name broken in two ("…片区" / "管理局2022年…")
    if not title.agency or len(title.agency) <= 4:
        return _parse(previous + title.text, anchored=True) or title
    return title


def _stated_title(text: str) -> _Title | None:
    text = text.strip()
    if not text or _CRUMB.search(text):
        return None
    return _parse(text, anchored=True) or _parse(text, anchored=False)


def _title_in_sentence(block: str) -> _Title | None:
    """'现将某某县人民政府2024年政府信息公开工作年度报告予以公布' → that title: only after a verb that
    introduces the report, never inside 《…》 (a notice about how to write reports is no report)."""
    head = block[:_SENTENCE_CHARS]
    for match in _TITLE_IN_TEXT.finditer(head):
        if _inside_quotes(head, match.start()):
            continue
        verb = _FIRST_VERB.search(match["before"])
        if verb is not None:
            return _from_match(match, match.start("before") + verb.end())
    return None


def _parse(text: str, *, anchored: bool) -> _Title | None:
    if anchored:
        match = _TITLE_AT_START.match(text)
    else:  # not inside 《…》: a cited document's title
        match = next((m for m in _TITLE_IN_TEXT.finditer(text) if not _inside_quotes(text, m.start())), None)
    return _from_match(match, match.start("before")) if match else None


def _inside_quotes(text: str, position: int) -> bool:
    return text.count("《", 0, position) > text.count("》", 0, position)


def _from_match(match: re.Match[str], named_from: int) -> _Title:
    """The title from where its agency (or year) starts to 报告/年报, without verbs or pronouns."""
    before = _LEADING_VERBS.sub("", _squeeze(match.string[named_from : match.start("year")]))
    middle = _squeeze(match["middle"])
    before, middle = ("" if _PRONOUN.match(before) else before), ("" if _PRONOUN.match(middle) else middle)
    year_words = _squeeze(match.string[match.start("year") : match.start("middle")])  # 2023年度
    years = find_years(year_words)
    return _Title(
        text=before + year_words + middle + _squeeze(match["kind"]),
        agency=_clean_agency(before) or _clean_agency(middle),
        year=years[0] if years else None,
    )


def _clean_agency(raw: str) -> str:
    name = _LEADING_VERBS.sub("", _squeeze(raw)).removesuffix("的")
    if len(name) < 2 or _PRONOUN.match(name):
        return ""
    if name.endswith("人民"):  # 2022年某某市人民政府信息公开…: 政府 went to 政府信息公开
        return name + "政府"
    if _BARE_PLACE.match(name) and not _ZONE.search(name):
        return name + "人民政府"
    return name


def _squeeze(text: str) -> str:
    """Chinese titles and names have no spaces: '某局 2022年度…' → '某局2022年度…'."""
    return re.sub(r"\s+", "", text)


def agency_aliases(agency: str) -> tuple[str, ...]:
    """Names a question may use for ``agency``: without its place, abbreviated, or both."""
    names = {agency}
    place = _PLACE_PREFIX.match(agency)
    if place:
        rest = agency[place.end() :]
        if rest:
            names.add(rest)
            # 河南省科学技术厅 → 省科技厅 (how a province's own portal refers to it)
            names.add(place["kind"] + rest)
            names.add(place["place"] + rest)
        if not rest or "政府" in rest:
            # Only a government is named by its place alone: 河南 is not the science department.
            names.add(place["place"] + place["kind"])
            names.add(place["place"])
    short = _PLACE_SUFFIX.match(agency)
    if short:
        names.add(short["place"])
    for name in list(names):  # names grows inside the loop
        for long, abbreviated in ABBREVIATIONS:
            if long in name:
                names.add(name.replace(long, abbreviated))
    names = {n for n in names if len(n) >= 2 and n not in _TOO_GENERIC}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))
