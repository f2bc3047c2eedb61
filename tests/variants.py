"""Mechanical rewordings of a question, for the robustness test (tests/test_robustness.py).

Every variant asks the same thing as the question it comes from: a filler word, other punctuation,
the year and the agency in the other order, the agency's usual abbreviation, or a synonym. The
generators are deterministic; :func:`variants` keeps 5–8 of them, taking the kinds in turn so
that every kind that applies is represented.
"""

from __future__ import annotations

import re
import zlib

CJK = "\u4e00-\u9fff"
# A year as a word of its own: not 2023年底 / 2023年度 / 2022年报 (moving those changes the meaning).
YEAR = r"20\d\d年(?![底初末度报中内])"
# The agency as the question names it: the shortest run of CJK characters ending in 局/委/厅/片区.
AGENCY = rf"[{CJK}]{{1,12}}?(?:局|委|厅|片区)"
# Characters no agency name of these reports holds: a run with one of them is a clause that ends in
# an agency (找交建局, 到市监局, 有没有公益组织找自然资源局), not the agency.
_NOT_IN_NAME = "找到跟向给在对有没因为的说里了是要那这"
_END = "?？"
_PUNCT = "，,。、；;：:!！?？（）()"

KINDS = ("fillers", "punctuation", "word_order", "abbreviation", "synonyms")
MIN_VARIANTS, MAX_VARIANTS = 5, 8

ABBREVIATIONS = (
    ("市场监督管理局", "市监局"),
    ("市场监管局", "市监局"),
    ("交通与建设局", "交建局"),
    ("社会事业局", "社事局"),
    ("自然资源与生态环境局", "自然资源局"),
    ("农业农村局", "农业局"),
    ("农村发展局", "农发局"),
)
PLACE_PREFIXES = ("平潭", "实验区")


def _split_end(question: str) -> tuple[str, str]:
    """The question without its final question mark, and the mark ('' when there is none)."""
    if question and question[-1] in _END:
        return question[:-1], question[-1]
    return question, ""


def _agency_run(text: str) -> str | None:
    """The agency a run of CJK characters at the start of ``text`` names, or None."""
    match = re.match(AGENCY, text)
    if match is None:
        return None
    run = match.group(0)
    if any(c in _NOT_IN_NAME for c in run):
        return None
    return run


def fillers(question: str) -> list[str]:
    body, mark = _split_end(question)
    out = [prefix + question for prefix in ("请问", "我想问一下", "麻烦问下") if not question.startswith(prefix)]
    if mark and body and body[-1] not in "呢吗吧么嘛":
        out.append(body + "呢" + mark)
    if "一共" not in question and "总共" not in question and "平均" not in question:
        # Before the count the question asks for (the last 多少/几 followed by a word: not 那几份,
        # not 电话是多少).
        counts = [m for m in re.finditer(rf"(?<![那这好十是])(?:多少|几)(?=[{CJK}])", question)]
        if counts:
            at = counts[-1].start()
            if at and question[at - 1] == "有":
                at -= 1  # 有几件 → 一共有几件
            out.append(question[:at] + "一共" + question[at:])
    return out


def punctuation(question: str) -> list[str]:
    body, mark = _split_end(question)
    out = []
    if "?" in question:
        out.append(question.replace("?", "？"))
    if "？" in question:
        out.append(question.replace("？", "?"))
    if mark:
        out.append(body)
    else:
        out.append(question + "？")
    spaced = _space_year_agency(question)
    if spaced:
        out.append(spaced)
    return out


def _space_year_agency(question: str) -> str | None:
    """A space between the year and the agency next to it (市监局 2023年, 2017年 市监局)."""
    match = re.search(rf"(局|委|厅|片区)({YEAR})", question)
    if match:
        return question[: match.end(1)] + " " + question[match.end(1):]
    match = re.search(rf"({YEAR})", question)
    if match and _agency_run(question[match.end():]):
        return question[: match.end()] + " " + question[match.end():]
    return None


def word_order(question: str) -> list[str]:
    """The year and the agency in the other order; nothing when the agency cannot be found."""
    match = re.match(rf"({YEAR})", question)
    if match:  # 2017年市监局收到… → 市监局2017年收到…
        rest = question[match.end():]
        agency = _agency_run(rest)
        return [agency + match.group(1) + rest[len(agency):]] if agency else []
    agency = _agency_run(question)
    if agency:  # 市监局2023年作出… → 2023年市监局作出…; 交建局公众号2023年… → 2023年交建局公众号…
        rest = question[len(agency):]
        year = re.search(YEAR, rest)
        if year and year.start() <= 6 and not any(c in _PUNCT for c in rest[: year.start()]):
            return [year.group(0) + agency + rest[: year.start()] + rest[year.end():]]
    return []


def abbreviation(question: str) -> list[str]:
    out = [question.replace(long, short) for long, short in ABBREVIATIONS if long in question]
    for prefix in PLACE_PREFIXES:
        if question.startswith(prefix) and len(question) > len(prefix):
            out.append(question[len(prefix):])
    return out


def synonyms(question: str) -> list[str]:
    out = []
    if re.search("多少(?=[件条])", question):
        out.append(re.sub("多少(?=[件条])", "几", question))
    if "收到" in question:
        out.append(question.replace("收到", "接到"))
    if "一共" in question:
        out.append(question.replace("一共", "总共"))
    return out


GENERATORS = {
    "fillers": fillers,
    "punctuation": punctuation,
    "word_order": word_order,
    "abbreviation": abbreviation,
    "synonyms": synonyms,
}


def labelled_variants(question: str) -> list[tuple[str, str]]:
    """(kind, variant) pairs, 5–8 of them, distinct and different from the question.

    The kinds are taken in turn (one of each that applies, then a second of each, …) so that a
    question with many applicable rewordings still gets every kind."""
    question = question.strip()
    pools: dict[str, list[str]] = {kind: [] for kind in KINDS}
    seen = {question}
    for kind in KINDS:
        for text in GENERATORS[kind](question):
            if text and text not in seen:
                seen.add(text)
                pools[kind].append(text)
    # Start each kind's turn at a place fixed by the question, so that over a dataset every
    # rewording of a kind is used, not only the first few.
    turn = zlib.crc32(question.encode("utf-8"))
    for kind, pool in pools.items():
        if pool:
            start = turn % len(pool)
            pools[kind] = pool[start:] + pool[:start]
    chosen: list[tuple[str, str]] = []
    depth = 0
    while len(chosen) < MAX_VARIANTS and any(len(pool) > depth for pool in pools.values()):
        for kind in KINDS:
            if depth < len(pools[kind]) and len(chosen) < MAX_VARIANTS:
                chosen.append((kind, pools[kind][depth]))
        depth += 1
    return chosen


def variants(question: str) -> list[str]:
    """5–8 mechanical rewordings of ``question`` (deterministic)."""
    return [text for _, text in labelled_variants(question)]
