"""The standard tables 二, 三 and 四 of reports since 2019, read cell by cell into ``ingest.standard`` keys.

Grid tables (HTML, DOCX, PDF; spans already expanded by the loader) are read by matching row and
column labels, typos and numbering styles included. Plain-text exports lose the cell borders
("640020470" is 64, 0, 0, 2, 0, 4, 70): each row's digit run is split in every way that gives the
row its number of cells, the table's own identities (总计 = sum of its parts, sub-rows add up to
their group, 一 + 二 = 三(七) + 四) keep the consistent splits, and a row still left with more than
one reading is flagged, never guessed. Every table read is validated against the same identities;
violations are reported, never fixed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ingest.model import Table
from ingest.standard import T2_2019, T2_2021, T3_COLUMNS, T3_ROWS, T4_GROUPS, T4_OUTCOMES, Column, Row
from ingest.standard import t2_key, t3_key, t4_key

TABLE2 = "二、主动公开政府信息情况"
TABLE3 = "三、收到和处理政府信息公开申请情况"
TABLE4 = "四、政府信息公开行政复议、行政诉讼情况"

Value = Decimal | None


@dataclass(frozen=True)
class TableFigure:
    key: str  # ingest.standard key, e.g. "t3.new.natural_person"
    table: str  # TABLE2 / TABLE3 / TABLE4
    row: str  # row label as printed (after normalisation)
    column: str  # column label as printed, or the canonical one when the print lost the headers
    value: Value  # None = not applicable ("/", "—", "-", empty cell), never 0
    unit: str
    as_printed: str
    offset: int | None = None  # start of the row in the report text, for text-decoded rows


@dataclass(frozen=True)
class StandardTables:
    version: str  # "2019", "2021", or "" when the report has no standard tables
    figures: tuple[TableFigure, ...]
    violations: tuple[str, ...]  # identities the printed figures break: reported, never fixed
    flagged: tuple[str, ...]  # rows that could not be read unambiguously; their cells are not emitted


@dataclass(frozen=True)
class _Row:
    """One table row as read: a figure key, column label and unit per cell."""

    label: str
    keys: tuple[str, ...]
    columns: tuple[str, ...]
    units: tuple[str, ...]
    printed: tuple[str, ...]
    values: tuple[Value, ...]
    offset: int | None = None


@dataclass
class _Read:
    rows: dict[str, _Row]  # row key (t3 row, t4 group, t2 "block.row") → cells
    flagged: dict[str, str]  # row key → why it was not read


def read_standard_tables(text: str, tables: Sequence[Table]) -> StandardTables:
    """Tables 二, 三 and 四 from the grid tables when they hold them, else decoded from ``text``."""
    grids = [_matrix(table) for table in tables]
    version = _version(text, grids)
    t2 = _grid_t2(grids, version or "2021") or _text_t2(text, version)
    t3 = _grid_t3(grids) or _text_t3(text)
    t4 = _grid_t4(grids) or _text_t4(text)
    read = [(TABLE2, t2), (TABLE3, t3), (TABLE4, t4)]
    if not any(r and (r.rows or r.flagged) for _, r in read):
        return StandardTables(version="", figures=(), violations=(), flagged=())
    figures = tuple(
        TableFigure(key, title, row.label, column, value, unit, printed, row.offset)
        for title, r in read
        if r
        for row in r.rows.values()
        for key, column, unit, printed, value in zip(
            row.keys, row.columns, row.units, row.printed, row.values, strict=True
        )
    )
    violations = (_t3_violations(t3) if t3 else []) + (_t4_violations(t4) if t4 else [])
    flagged = [f"{title}: {why}" for title, r in read if r for why in r.flagged.values()]
    # without a table 二 header the version is unknown; the 2021 revision is what reports now use
    return StandardTables(version or "2021", figures, tuple(violations), tuple(flagged))


# --- labels -------------------------------------------------------------------------------------

_IGNORED = re.compile(r"[\s\"'“”‘’「」『』]")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[.、]?)")
_NOTE = re.compile(r"\([^()]*\)$")  # "(区分处理的,只计这一情形,不计其他情形)", "(单位:万元)"


def _core(label: str) -> str:
    """A label as compared: full-width forms folded, no spaces/quotes, numbering and notes removed."""
    text = _IGNORED.sub("", unicodedata.normalize("NFKC", label))
    text = _NUMBERING.sub("", text)
    return _NOTE.sub("", text) or text


def _names(items: Sequence[Row | Column], prefix: str = "") -> dict[str, tuple[str, ...]]:
    names: dict[str, tuple[str, ...]] = {}
    for item in items:
        variants = getattr(item, "variants", ())
        names[prefix + item.key] = tuple(dict.fromkeys(_core(n) for n in (item.label, *variants)))
    return names


def _match(label: str, names: Mapping[str, Sequence[str]]) -> str | None:
    """The key whose name ``label`` is: the same core; else the longest name (≥ 4 characters) it
    contains ("本年度新收…" holds the variant "本年度新收"); else a close spelling (a typo)."""
    core = _core(label)
    if not core:
        return None
    for key, options in names.items():
        if core in options:
            return key
    # short names (其他, 总计) only ever match exactly: they occur inside other labels
    long = {option: key for key, options in names.items() for option in options if len(option) >= 4}
    contained = [option for option in long if option in core]
    if contained:
        return long[max(contained, key=len)]
    close = difflib.get_close_matches(core, list(long), n=1, cutoff=0.8)
    return long[close[0]] if close else None


def _match_chain(chain: Sequence[str], names: Mapping[str, Sequence[str]]) -> str | None:
    """The most specific label of a chain (lowest header row, rightmost label cell) that matches.

    A multi-row HTML header arrives joined by spaces ("法人或其他组织 商业企业"), so each part is
    tried before the whole cell (which also undoes spaced-out labels like "总 计")."""
    for cell in reversed(chain):
        for text in (*reversed(cell.split()), cell):
            if key := _match(text, names):
                return key
    return None


_T3_ROW_NAMES = _names(T3_ROWS)
_T3_COLUMN_NAMES = _names(T3_COLUMNS)
_T4_OUTCOME_NAMES = _names(T4_OUTCOMES)
_T3_ROWS = {row.key: row for row in T3_ROWS}
_T3_GROUPS = ("refused", "unable", "not_processed", "other")
_T3_RESULT_PARTS = ("granted", "partly_granted", *_T3_GROUPS)

_T2 = {"2021": T2_2021, "2019": T2_2019}
_T2_ROW_NAMES = {v: {k: n for b, _, _, rows in blocks for k, n in _names(rows, f"{b}.").items()} for v, blocks in _T2.items()}
_T2_COLUMN_NAMES = {
    version: {
        key: tuple(dict.fromkeys(n for _, _, cols, _ in blocks for c in cols if c.key == key for n in _names([c])[key]))
        for key in dict.fromkeys(c.key for _, _, cols, _ in blocks for c in cols)
    }
    for version, blocks in _T2.items()
}
_T2_BLOCKS = {version: {(b, r.key): (r, cols) for b, _, cols, rows in blocks for r in rows} for version, blocks in _T2.items()}
# The header that tells the versions apart (本年制发件数 vs 本年新制作数量).
_VERSION_MARKS = {version: blocks[0][2][0].label for version, blocks in _T2.items()}


def _t4_group(text: str) -> str | None:
    compact = _IGNORED.sub("", text)
    if "未经复议" in compact:
        return "litigation_direct"
    if "复议后" in compact:
        return "litigation_after_reconsideration"
    return "reconsideration" if "行政复议" in compact else None


def _version(text: str, grids: Sequence[list[list[str]]]) -> str:
    everything = _IGNORED.sub("", "".join([text, *(cell for grid in grids for row in grid for cell in row)]))
    found = {version: everything.find(mark) for version, mark in _VERSION_MARKS.items()}
    found = {version: at for version, at in found.items() if at >= 0}
    return min(found, key=found.__getitem__) if found else ""


# --- cells --------------------------------------------------------------------------------------

_NA_CELL = re.compile(r"[/\\\-—–―]*")  # after NFKC: ／ → /, － → -
_NUMBER_CELL = re.compile(r"([+-]?\d+(?:\.\d+)?)(?:件|个|条|项|次|万元|元)?")


def _cell_value(printed: str) -> tuple[bool, Value]:
    """(readable, value): '/', '—', '-' or an empty cell is not applicable (None), never 0."""
    text = _IGNORED.sub("", unicodedata.normalize("NFKC", printed))
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # thousands separators
    if _NA_CELL.fullmatch(text):
        return True, None
    if match := _NUMBER_CELL.fullmatch(text):
        return True, Decimal(match.group(1))
    return False, None


def _is_value(printed: str) -> bool:
    """A cell that holds a figure or an explicit not-applicable mark (not merely empty)."""
    return bool(printed.strip()) and _cell_value(printed)[0]


def _total(values: Iterator[Value] | Sequence[Value]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))  # not applicable counts nothing


# --- grid tables --------------------------------------------------------------------------------


def _matrix(table: Table) -> list[list[str]]:
    rows = [list(table.header), *(list(row) for row in table.rows)]
    width = max(len(row) for row in rows)
    return [row + [""] * (width - len(row)) for row in rows]


def _flat(grid: list[list[str]]) -> str:
    return _IGNORED.sub("", unicodedata.normalize("NFKC", "".join(cell for row in grid for cell in row)))


def _first_data_row(grid: list[list[str]]) -> int | None:
    return next((i for i, row in enumerate(grid) if any(_is_value(cell) for cell in row)), None)


def _header_chains(grid: list[list[str]], first: int) -> list[list[str]]:
    """Each column's header labels, top down, a label repeated by a span kept once."""
    return [list(dict.fromkeys(row[c] for row in grid[:first] if row[c].strip())) for c in range(len(grid[0]))]


def _label_chain(row: list[str], data_columns: Collection[int]) -> list[str]:
    return list(dict.fromkeys(cell for c, cell in enumerate(row) if c not in data_columns and cell.strip() and not _is_value(cell)))


def _read_cells(printed: Sequence[str]) -> tuple[Value, ...] | None:
    values = [_cell_value(cell) for cell in printed]
    return tuple(value for _, value in values) if all(ok for ok, _ in values) else None


def _is_t3(grid: list[list[str]]) -> bool:
    flat = _flat(grid)
    return "自然人" in flat and ("予以公开" in flat or "办理结果" in flat)


