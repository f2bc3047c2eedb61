"""The grounding check: a model's text reaches a user only if every number in it is printed in the
passages it cites (or is the figure chosen from the figure store), and every passage it cites was
offered to it. Numbers are compared by value, Arabic or Chinese (“6件” and “六件” are the same).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

# Chinese numerals with their place words; 两 counts (两件), 几 does not (it asks).
_CHINESE = "零〇一二两三四五六七八九十百千万亿"
_NUMBER = re.compile(rf"\d+(?:,\d{{3}})*(?:\.\d+)?[万亿]?|[{_CHINESE}]+")
# A lone 一 is a number only before a measure word (一件, 一次): 统一, 进一步, 一是, 一直 say no amount.
_MEASURE = re.compile(r"[个件条项次人名位家份篇年月日天元期批场起所类宗封台部套例%]")
# How a model cites the passages it was given, inside its text: [S1], 【S2】, (S3).
CITATION_MARK = re.compile(r"\s*[\[【(（]\s*([SF]\d+)\s*[\]】)）]")


@dataclass(frozen=True)
class Number:
    text: str
    value: Decimal | None  # None: compared as written


def numbers_in(text: str) -> list[Number]:
    """Every number written in ``text``, with its value (years, dates, counts, percentages alike)."""
    text = unicodedata.normalize("NFKC", CITATION_MARK.sub("", text))
    found = []
    for match in _NUMBER.finditer(text):
        written = match.group()
        if written == "一" and not _MEASURE.match(text, match.end()):
            continue
        found.append(Number(written, _value(written)))
    return found


def _value(written: str) -> Decimal | None:
    """The value written, or None for a run of numerals that is no well-formed number (十百)."""
    plain = written.replace(",", "")
    try:
        return Decimal(plain)
    except InvalidOperation:
        pass
    try:
        return Decimal(str(cn2an.cn2an(plain, "smart")))
    except (ValueError, KeyError, IndexError, InvalidOperation):
        return None


@dataclass(frozen=True)
class Grounding:
    """The check's verdict: ``reason`` says what failed, in a sentence the staff console shows."""

    ok: bool
    reason: str = ""


def check_grounding(text: str, cited: Iterable[str], offered: Mapping[str, str],
                    figures: Iterable[Decimal] = ()) -> Grounding:
    """Whether ``text`` may be shown: it cites at least one passage, every cited id is one of
    ``offered`` (id → passage text), and every number in it is printed in a cited passage or is one
    of ``figures`` (values from the figure store)."""
    cited = [c.strip() for c in cited]
    cited += [m for m in CITATION_MARK.findall(text) if m not in cited]
    if not cited:
        return Grounding(False, "the text cites no passage")
    unknown = [c for c in cited if c not in offered]
    if unknown:
        return Grounding(False, f"it cites {', '.join(unknown)}, which it was not given")
    printed = [numbers_in(offered[c]) for c in cited]
    values = {n.value for numbers in printed for n in numbers if n.value is not None} | set(figures)
    written = {n.text for numbers in printed for n in numbers}
    invented = [n.text for n in numbers_in(text) if (n.value not in values if n.value is not None else n.text not in written)]
    if invented:
        return Grounding(False, f"it states {'、'.join(dict.fromkeys(invented))}, which no cited passage prints")
    if not text.strip():
        return Grounding(False, "the text is empty")
    return Grounding(True)
