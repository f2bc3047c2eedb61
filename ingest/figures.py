"""Figures stated in prose, each with the clause that says what it counts and its exact span."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from ingest.model import Figure, Paragraph
from ingest.numbers import find_numbers

# 、 and brackets too: "法规政策40条(其中规范性文件9条)、科技工作报告1条" is three labelled figures.
_CLAUSE_BREAKS = "。；;！？!?，,：:、（）()\n"

# A stated absence is a figure too: 未收到…申请 (received none), 未收取任何费用 (charged nothing).
# 未 / 没有 / 无 "not, none" followed by a verb of receiving, charging or happening.
_ZERO_RE = re.compile(
    r"(?:均|都|全年)?(?:未|没有|无|暂无|尚未)(?P<verb>收到|收取|接到|受理|发生|产生|出现|发现|有)"
    r"(?P<object>[^。；;，,！？]{0,30})"
)
_FEE_WORDS = ("费", "收取")


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around text[start:end]: from the previous clause break to the next one."""
    left = max((text.rfind(ch, 0, start) for ch in _CLAUSE_BREAKS), default=-1) + 1
    if "”" in text[left:start] and "“" not in text[left:start]:
        # the clause starts inside a quoted label (“非政府信息、政府信息不存在、非本机关政府信息”的件数):
        # the label is one, its 、 do not break it
        opening = text.rfind("“", 0, left)
        if opening != -1:
            left = max((text.rfind(ch, 0, opening) for ch in _CLAUSE_BREAKS), default=-1) + 1
    rights = [i for i in (text.find(ch, end) for ch in _CLAUSE_BREAKS) if i != -1]
    right = min(rights) if rights else len(text)
    return left, right


def _zero_figures(paragraph: Paragraph) -> Iterable[Figure]:
    text = paragraph.text
    for match in _ZERO_RE.finditer(text):
        phrase = match.group().rstrip("的")
        obj = match["object"]
        if match["verb"] == "有" and not obj:
            continue
        if re.search(r"\d{4,}", obj or ""):
            continue  # 未收到申请人查询号为5113…的…: an identifier follows, not a stated absence
        unit = "元" if any(w in phrase for w in _FEE_WORDS) else "件"
        left, right = clause_bounds(text, match.start(), match.end())
        yield Figure(
            value=Decimal(0),
            unit=unit,
            as_printed=phrase,
            paragraph_id=paragraph.id,
            start=paragraph.start + match.start(),
            end=paragraph.start + match.start() + len(phrase),
            context=text[left:right],
        )


def prose_figures(paragraphs: Iterable[Paragraph]) -> tuple[Figure, ...]:
    """Every figure in the body paragraphs (headings state none)."""
    figures: list[Figure] = []
    for paragraph in paragraphs:
        if paragraph.is_heading:
            continue
        text = paragraph.text
        for number in find_numbers(text):
            left, right = clause_bounds(text, number.start, number.end)
            figures.append(
                Figure(
                    value=number.value,
                    unit=number.unit,
                    as_printed=number.as_printed,
                    paragraph_id=paragraph.id,
                    start=paragraph.start + number.start,
                    end=paragraph.start + number.end,
                    context=text[left:right],
                    qualifier=number.qualifier,
                )
            )
        figures.extend(_zero_figures(paragraph))
    figures.sort(key=lambda f: f.start)
    return tuple(figures)
