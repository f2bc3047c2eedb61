"""Who published a report and for which year: read from its title, with the names people use."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.numbers import find_years

_TITLE_WORDS = ("年度报告", "年报")
_AGENCY_BEFORE_YEAR = re.compile(r"^(?P<agency>.+?)\s*(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年")

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


def find_title(blocks: Sequence[str], hint: str = "") -> str:
    if hint:
        return hint
    for block in blocks[:10]:
        if any(word in block for word in _TITLE_WORDS) and len(block) <= 60:
            return block.strip()
    return ""


def agency_from_title(title: str) -> str:
    match = _AGENCY_BEFORE_YEAR.match(title)
    return match["agency"].strip() if match else ""


def year_from_title(title: str) -> int | None:
    years = find_years(title)
    return years[0] if years else None


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
