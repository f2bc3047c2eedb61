"""Reading numbers as Chinese reports print them: numerals, units, qualifiers, years.

Shared by ingestion (figures in report text) and the assistant (years and units in questions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an

# Units the reports count in, longest first so 篇次 wins over 篇 and 万元 over 元.
UNITS: tuple[str, ...] = (
    "人次", "篇次", "批次", "万元", "亿元", "余件",
    "工作日", "件", "条", "篇", "人", "次", "个", "元", "%", "项", "场", "期", "家", "份", "起", "批", "位", "名", "天",
)
_UNIT_RE = "|".join(re.escape(u) for u in UNITS if not u.startswith("余"))

# Qualifiers that make a figure an approximation (多 "more than", 余 "over", 超过 "exceeding",
# 约 "about", 近 "nearly", 逾 "over", 左右 "around", 以上 "and above").
PREFIX_QUALIFIERS = ("超过", "大约", "将近", "约", "近", "逾", "达")
APPROXIMATE_PREFIXES = ("超过", "大约", "将近", "约", "近", "逾")
SUFFIX_QUALIFIERS = ("多", "余")

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_NUMBER = rf"(?:\d+(?:\.\d+)?(?:(?:万|亿)(?!元))?|[{_CN_DIGITS}]+)"

FIGURE_RE = re.compile(
    rf"(?P<prefix>{'|'.join(PREFIX_QUALIFIERS)})?"
    rf"(?P<number>{_NUMBER})"
    rf"(?P<suffix>多|余)?"
    rf"(?P<unit>{_UNIT_RE})"
)

YEAR_RE = re.compile(r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年")


@dataclass(frozen=True)
class NumberMatch:
    value: Decimal
    unit: str
    qualifier: str
    as_printed: str
    start: int
    end: int


def parse_number(text: str) -> Decimal | None:
    """'1300' → 1300, '一千三百' → 1300, '两' → 2, '1.5万' → 15000; None when it is no number."""
    text = text.strip()
    if not text:
        return None
    multiplier = Decimal(1)
    if text[-1] in "万亿" and re.fullmatch(r"\d+(?:\.\d+)?[万亿]", text):
        multiplier = Decimal(10_000) if text[-1] == "万" else Decimal(100_000_000)
        text = text[:-1]
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Decimal(text) * multiplier
    try:
        return Decimal(str(cn2an.cn2an(text.replace("两", "二"), "smart")))
    except (ValueError, KeyError, IndexError):
        return None


def find_numbers(text: str) -> list[NumberMatch]:
    """Every counted figure in ``text``: a number followed by a unit, with its qualifier."""
    found: list[NumberMatch] = []
    for match in FIGURE_RE.finditer(text):
        number = match["number"]
        before = text[match.start("number") - 1] if match.start("number") > 0 else ""
        if before == "第" or before.isdigit():
            continue  # 第十四个 is an ordinal, not a count; a digit before means we are mid-number
        value = parse_number(number)
        if value is None:
            continue
        prefix = match["prefix"] or ""
        qualifier = prefix if prefix in APPROXIMATE_PREFIXES else ""
        if match["suffix"]:
            qualifier = match["suffix"]
        tail = text[match.end() : match.end() + 2]
        for trailing in ("左右", "以上"):
            if tail.startswith(trailing):
                qualifier = trailing
        printed_start = match.start() if qualifier == prefix and prefix else match.start("number")
        printed_end = match.end() + (2 if qualifier in ("左右", "以上") else 0)
        found.append(
            NumberMatch(
                value=value,
                unit=match["unit"],
                qualifier=qualifier,
                as_printed=text[printed_start:printed_end],
                start=printed_start,
                end=printed_end,
            )
        )
    return found


def find_years(text: str) -> list[int]:
    """Years named in ``text`` (2017年, 二〇一七年), in order, without repeats."""
    years: list[int] = []
    for match in YEAR_RE.finditer(text):
        raw = match.group(1)
        if raw.isdigit():
            year = int(raw)
        else:
            year = int("".join(str("〇一二三四五六七八九".index(c) if c != "零" else 0) for c in raw))
        if year not in years:
            years.append(year)
    return years
