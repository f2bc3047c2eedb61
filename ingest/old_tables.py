"""The statistics table of reports before 2019 (政府信息公开情况统计表, the provincial template).

Rows are 指标名称 (what is counted), 计量单位 (unit) and two numbers: the report's year and 历年累计
(the running total since records began). Text exports run a row together: ``2.网络申请数条33`` is
3 this year and 3 in all, ``主动公开文件数条457837`` 457 and 837 — or 4 and 57837. A row is read
only when its digits allow one reading: a single split without leading zeros, or the one that makes
the 其中 (of which) rows add up to their total in both columns. Any other row is flagged, never guessed.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ingest.model import Table
from ingest.tables import TableFigure

TITLE = "政府信息公开情况统计表"
YEAR, CUMULATIVE = "year", "cumulative"

# Row label → key, first match wins (申诉、举报 before 诉讼; 部分公开 before 同意公开).
ROW_KEYS: tuple[tuple[str, str], ...] = (
    ("proactive.website", r"网站公开"),
    ("proactive.gazette", r"公报"),
    ("proactive.total", r"主动公开"),
    ("requests.in_person", r"当面"),
    ("requests.online", r"网上|网络"),
    ("requests.letter_fax", r"信函.?传真"),
    ("requests.fax", r"传真"),
    ("requests.email", r"电子邮件"),
    ("requests.letter", r"信函"),
    ("requests.other", r"其[它他]形式"),
    ("replies.partly", r"部分公开"),
    ("replies.granted", r"同意公开"),
    ("replies.refused", r"不予公开|否决公开"),
    ("replies.other", r"其[它他]类型"),
    ("replies.total", r"答复"),
    ("requests.total", r"申请"),
    ("fees", r"收费|减免"),
    ("complaints", r"申诉|举报"),
    ("reconsideration", r"复议"),
    ("litigation", r"诉讼"),
)

_HEADER = re.compile(r"指\s*标\s*名\s*称\s*(?:计\s*量\s*)?单\s*位\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*历\s*年\s*累\s*计")
_ROW = re.compile(
    r"\s*(?P<of_which>其中\s*[：:]?\s*)?(?:(?P<number>\d)\s*[.、．]\s*)?"
    r"(?P<label>[\u4e00-\u9fff][\u4e00-\u9fff、，,“”（）()\s]*?)\s*(?P<unit>条|件|元|个|项)\s*(?P<digits>\d+)"
)
_NUMBERING_AFTER = re.compile(r"\s*[.、．]\s*[\u4e00-\u9fff]")
_MAX_READINGS = 4096  # readings of one 其中 group tried before its rows are flagged


@dataclass(frozen=True)
class OldTable:
    figures: tuple[TableFigure, ...]
    flagged: tuple[str, ...]


@dataclass
class _Row:
    key: str
    label: str
    unit: str
    readings: list[tuple[int, int]]
    offset: int | None
    number: int | None  # its 其中 numbering (1., 2. …), None for a total or a standalone row
    printed: str


def read_old_table(text: str, tables: Sequence[Table] = ()) -> OldTable:
    """The pre-2019 statistics table, from a grid when the file had one, else from the text."""
    for table in tables:
        grid = [table.header, *table.rows]
        if any(_HEADER.search("".join(row).replace(" ", "")) for row in grid[:3]):
            return _from_grid(grid)
    match = _HEADER.search(text)
    if not match:
        return OldTable((), ())
    rows = _text_rows(text, match.end())
    # The report's prose often states a row's two numbers (主动公开政府信息457条…历年累计837条): a
    # reading both of whose numbers the prose prints is the one, when it is the only such reading.
    prose = text[: match.start()] + text[(rows[-1].offset or match.end()) + len(rows[-1].label) + 8:] if rows else text
    said = {int(n) for n in re.findall(r"(?<!\d)\d+(?!\d)", prose)}
    return _from_rows(rows, int(match["year"]), said)


def _key(label: str) -> str | None:
    return next((key for key, pattern in ROW_KEYS if re.search(pattern, label)), None)


def _splits(digits: str) -> list[tuple[int, int]]:
    """Every way to read a run of digits as two numbers printed without leading zeros."""
    return [(int(digits[:i]), int(digits[i:])) for i in range(1, len(digits))
            if (digits[0] != "0" or i == 1) and (digits[i] != "0" or i == len(digits) - 1)]


def _text_rows(text: str, position: int) -> list[_Row]:
    rows: list[_Row] = []
    carried: int | None = None  # the numbering the previous row's digits ran into
    while match := _ROW.match(text, position):
        label = re.sub(r"\s+", "", match["label"])
        key = _key(label)
        if key is None:
            break
        digits, end = match["digits"], match.end()
        number = int(match["number"]) if match["number"] else carried
        carried = None
        if _NUMBERING_AFTER.match(text, end):
            # 4577872.政府公报…: the last digit is the next row's numbering, not a figure
            following = (number or 0) + 1
            if not digits.endswith(str(following)):
                break
            digits = digits[: -len(str(following))]
            carried = following
        rows.append(_Row(key, label, match["unit"], _splits(digits) if len(digits) > 1 else [], match.start("label"),
                         number, digits))
        position = _NUMBERING_AFTER.match(text, end).end() - 1 if carried else end  # type: ignore[union-attr]
    return rows


def _from_rows(rows: list[_Row], year: int, said: set[int] = frozenset()) -> OldTable:  # type: ignore[assignment]
    for row in rows:
        stated = [r for r in row.readings if r[0] in said and r[1] in said]
        if len(row.readings) > 1 and len(stated) == 1:
            row.readings = stated
    figures: list[TableFigure] = []
    flagged: list[str] = []
    parent = ""
    for group in _groups(rows):
        for row, reading in zip(group, _resolve(group), strict=True):
            if row.number is None:
                parent = row.label
            label = f"{parent} 其中：{row.label}" if row.number is not None and parent else row.label
            if reading is None:
                flagged.append(f"{TITLE} {row.label}：“{row.printed}”可以读成几种数字")
                continue
            for column, name, value in ((YEAR, f"{year}年度", reading[0]), (CUMULATIVE, "历年累计", reading[1])):
                figures.append(TableFigure(f"t0.{row.key}.{column}", TITLE, label, name, Decimal(value), row.unit,
                                           f"{value}{row.unit}", row.offset))
    return OldTable(tuple(figures), tuple(flagged))


def _groups(rows: list[_Row]) -> list[list[_Row]]:
    """A total and its numbered 其中 rows together; a standalone row alone."""
    groups: list[list[_Row]] = []
    for row in rows:
        if row.number is not None and groups:
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def _resolve(group: list[_Row]) -> list[tuple[int, int] | None]:
    """Each row's (year, cumulative): its only reading, or the only one whose parts add up."""
    readings = [r.readings for r in group]
    alone = [r[0] if len(r) == 1 else None for r in readings]
    if all(len(r) == 1 for r in readings) or len(group) == 1 or not all(readings) \
            or math.prod(len(r) for r in readings) > _MAX_READINGS:
        return alone
    consistent = [choice for choice in itertools.product(*readings)
                  if all(choice[0][c] == sum(p[c] for p in choice[1:]) for c in (0, 1))]
    if not consistent:
        return alone  # the printed parts do not add up: only rows with one reading are read
    return [values.pop() if len(values := {c[i] for c in consistent}) == 1 else None for i in range(len(group))]


def _from_grid(grid: list[tuple[str, ...]]) -> OldTable:
    header = next(i for i, row in enumerate(grid) if _HEADER.search("".join(row).replace(" ", "")))
    year = int(_HEADER.search("".join(grid[header]).replace(" ", ""))["year"])  # type: ignore[index]
    rows: list[_Row] = []
    for cells in grid[header + 1:]:
        cells = tuple(c.strip() for c in cells if c.strip())
        if len(cells) < 4 or not all(c.isdigit() for c in cells[-2:]):
            continue
        match = re.match(r"(?P<of_which>其中\s*[：:]?\s*)?(?:(?P<number>\d)\s*[.、．]\s*)?(?P<label>.+)", cells[0])
        label = re.sub(r"\s+", "", match["label"]) if match else cells[0]
        key = _key(label)
        if key is None or match is None:
            continue
        number = int(match["number"]) if match["number"] else None
        rows.append(_Row(key, label, cells[-3], [(int(cells[-2]), int(cells[-1]))], None, number, " ".join(cells[-2:])))
    return _from_rows(rows, year)
