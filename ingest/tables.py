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
from ingest.standard import (
    T2_2019,
    T2_2021,
    T3_COLUMNS,
    T3_ROWS,
    T4_GROUPS,
    T4_OUTCOMES,
    Column,
    Row,
    t2_key,
    t3_key,
    t4_key,
)

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


def read_standard_tables(text: str, tables: Sequence[Table], *, withhold_broken: bool = False) -> StandardTables:
    """Tables 二, 三 and 四 from the grid tables when they hold them, else decoded from ``text``.

    With ``withhold_broken`` (cells read by OCR, where a misread digit still looks like a number),
    the rows an identity violation involves are flagged and their cells withheld, not reported."""
    grids = [_matrix(table) for table in tables]
    version = _version(text, grids)
    t2 = _grid_t2(grids, version or "2021") or _text_t2(text, version)
    t3 = _grid_t3(grids) or _text_t3(text)
    t4 = _grid_t4(grids) or _text_t4(text)
    read = [(TABLE2, t2), (TABLE3, t3), (TABLE4, t4)]
    if not any(r and (r.rows or r.flagged) for _, r in read):
        return StandardTables(version="", figures=(), violations=(), flagged=())
    broken = [(t3, _t3_violations(t3) if t3 else []), (t4, _t4_violations(t4) if t4 else [])]
    violations = [message for _, found in broken for message, _ in found]
    if withhold_broken:
        for r, found in broken:
            for message, keys in found:
                _withhold(r, keys, message)  # type: ignore[arg-type]  # found is empty without r
        violations = []
    figures = tuple(
        TableFigure(key, title, row.label, column, value, unit, printed, row.offset)
        for title, r in read
        if r
        for row in r.rows.values()
        for key, column, unit, printed, value in zip(
            row.keys, row.columns, row.units, row.printed, row.values, strict=True
        )
    )
    flagged = [f"{title}: {why}" for title, r in read if r for why in r.flagged.values()]
    # without a table 二 header the version is unknown; the 2021 revision is what reports now use
    return StandardTables(version or "2021", figures, tuple(violations), tuple(flagged))


def _withhold(read: _Read, keys: Collection[str], violation: str) -> None:
    for key in keys:
        if key in read.rows:
            row = read.rows.pop(key)
            cells = row.keys[0].rsplit(".", 1)[0]  # "t3.new": the row's cells are "t3.new.*"
            read.flagged[key] = f"{cells}.* ({row.label}): withheld, a cell may be misread: {violation}"


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
_T2_ROW_NAMES = {
    v: {k: n for b, _, _, rows in blocks for k, n in _names(rows, f"{b}.").items()} for v, blocks in _T2.items()
}
_T2_COLUMN_NAMES = {
    version: {
        key: tuple(dict.fromkeys(n for _, _, cols, _ in blocks for c in cols if c.key == key for n in _names([c])[key]))
        for key in dict.fromkeys(c.key for _, _, cols, _ in blocks for c in cols)
    }
    for version, blocks in _T2.items()
}
_T2_BLOCKS = {
    version: {(b, r.key): (r, cols) for b, _, cols, rows in blocks for r in rows} for version, blocks in _T2.items()
}
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
_NUMBER_CELL = re.compile(r"([+-]?\d+(?:\.\d+)?)(?:件|个|条|项|次|万元|元)?")  # NFKC: － → -


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
    return list(
        dict.fromkeys(
            cell for c, cell in enumerate(row) if c not in data_columns and cell.strip() and not _is_value(cell)
        )
    )


def _read_cells(printed: Sequence[str]) -> tuple[Value, ...] | None:
    values = [_cell_value(cell) for cell in printed]
    return tuple(value for _, value in values) if all(ok for ok, _ in values) else None


def _is_t3(grid: list[list[str]]) -> bool:
    flat = _flat(grid)
    return "自然人" in flat and ("予以公开" in flat or "办理结果" in flat)


def _is_t4(grid: list[list[str]]) -> bool:
    flat = _flat(grid)
    return "行政复议" in flat and ("结果维持" in flat or "尚未审结" in flat) and not _is_t3(grid)


def _grid_t3(grids: Sequence[list[list[str]]]) -> _Read | None:
    for index, grid in enumerate(grids):
        if not _is_t3(grid) or (first := _first_data_row(grid)) is None:
            continue
        chains = _header_chains(grid, first)
        columns: dict[str, int] = {}  # T3 column key → grid column
        for c, chain in enumerate(chains):
            key = _match_chain(chain, _T3_COLUMN_NAMES)
            if key and key not in columns:
                columns[key] = c
        if len(columns) != len(T3_COLUMNS):
            continue  # headers not understood: the text fallback still has the rows
        data = [columns[c.key] for c in T3_COLUMNS]
        body = grid[first:]
        # A table broken across PDF pages continues in the next header-less table; on that page
        # label columns without borders of their own merge, so it may be narrower (on the left).
        for following in grids[index + 1 :]:
            missing = len(grid[0]) - len(following[0])
            if missing < 0 or "自然人" in _flat(following) or _is_t4(following):
                break
            rows = [[row[0]] * missing + row for row in following]
            if not any(_t3_row_key(_label_chain(row, data)) for row in rows):
                break
            body += rows
        return _grid_t3_rows(body, data, [" ".join(chains[c]) for c in data])
    return None


def _grid_t3_rows(body: list[list[str]], data: list[int], columns: list[str]) -> _Read:
    read = _Read({}, {})
    for row in body:
        printed = [row[c] for c in data]
        chain = _label_chain(row, data)
        key = _t3_row_key(chain)
        if not any(cell.strip() for cell in printed) and (key is None or key in _T3_GROUPS):
            continue  # a group label with no cells of its own (（三）不予公开 over its sub-rows), a note
        # the row's own label, after the group labels it sits under ("（三）不予公开 1.属于国家秘密")
        label = " ".join([*(cell for cell in chain[:-1] if _match_chain([cell], _T3_ROW_NAMES)), *chain[-1:]])
        if key is None:
            read.flagged[label] = f"row {label!r} is no row of the standard table"
        elif key not in read.rows and key not in read.flagged:
            values = _read_cells(printed)
            if values is None:
                read.flagged[key] = f"{t3_key(key, '*')} ({label}): unreadable cells {printed}"
            else:
                read.rows[key] = _t3_row(key, label, columns, printed, values)
    return read


def _t3_row_key(chain: Sequence[str]) -> str | None:
    # only the innermost label names the row: a sub-row whose own label is unreadable must not
    # be taken for its group (三、本年度办理结果 > （三）不予公开 > 1.属于国家秘密)
    return _match_chain(chain[-1:], _T3_ROW_NAMES)


def _t3_row(
    key: str,
    label: str,
    columns: Sequence[str],
    printed: Sequence[str],
    values: Sequence[Value],
    offset: int | None = None,
) -> _Row:
    return _Row(
        label=label,
        keys=tuple(t3_key(key, c.key) for c in T3_COLUMNS),
        columns=tuple(columns),
        units=tuple(c.unit for c in T3_COLUMNS),
        printed=tuple(printed),
        values=tuple(values),
        offset=offset,
    )


def _t4_row(
    group: Row, columns: Sequence[str], printed: Sequence[str], values: Sequence[Value], offset: int | None = None
) -> _Row:
    return _Row(
        label=group.label,
        keys=tuple(t4_key(group.key, o.key) for o in T4_OUTCOMES),
        columns=tuple(columns),
        units=tuple(o.unit for o in T4_OUTCOMES),
        printed=tuple(printed),
        values=tuple(values),
        offset=offset,
    )


def _grid_t4(grids: Sequence[list[list[str]]]) -> _Read | None:
    """One row of 15 cells under a two-level header (group over outcome); a layout with the
    groups as rows and the outcomes as columns is read too."""
    for grid in grids:
        if not _is_t4(grid) or (first := _first_data_row(grid)) is None:
            continue
        chains = _header_chains(grid, first)
        outcomes = {c: key for c, chain in enumerate(chains) if (key := _match_chain(chain, _T4_OUTCOME_NAMES))}
        cells: dict[str, dict[str, tuple[str, str]]] = {}  # group → outcome → (column label, cell)
        for row in grid[first:]:
            if not any(_is_value(row[c]) for c in outcomes):
                continue
            row_group = _t4_group(" ".join(_label_chain(row, outcomes)))
            for c, outcome in outcomes.items():
                if group := _t4_group(" ".join(chains[c])) or row_group:
                    cells.setdefault(group, {}).setdefault(outcome, (chains[c][-1], row[c]))
        if not cells:
            continue
        read = _Read({}, {})
        for group in T4_GROUPS:
            got = cells.get(group.key, {})
            if not got:
                continue
            if len(got) < len(T4_OUTCOMES):
                read.flagged[group.key] = f"{t4_key(group.key, '*')} ({group.label}): columns missing"
                continue
            printed = [got[o.key][1] for o in T4_OUTCOMES]
            values = _read_cells(printed)
            if values is None:
                read.flagged[group.key] = f"{t4_key(group.key, '*')} ({group.label}): unreadable cells {printed}"
            else:
                read.rows[group.key] = _t4_row(group, [got[o.key][0] for o in T4_OUTCOMES], printed, values)
        return read
    return None


def _is_t2(grid: list[list[str]], version: str) -> bool:
    """A grid with a §20 block title or a table-二 column header (not merely a 行政许可 row)."""
    flat = _flat(grid)
    return "第二十条" in flat or any(_match(cell, _T2_COLUMN_NAMES[version]) for row in grid for cell in row)


def _grid_t2(grids: Sequence[list[list[str]]], version: str) -> _Read | None:
    """Table 二 may be one grid or one per §20 block; each block has its own header row."""
    row_names, column_names, blocks = _T2_ROW_NAMES[version], _T2_COLUMN_NAMES[version], _T2_BLOCKS[version]
    read = _Read({}, {})
    for grid in grids:
        if _is_t3(grid) or _is_t4(grid) or not _is_t2(grid, version):
            continue
        header: dict[str, int] = {}  # column key → grid column, from the latest header row
        header_text: dict[str, str] = {}
        for row in grid:
            found: dict[str, int] = {}
            for c, cell in enumerate(row):
                if not _is_value(cell) and (key := _match(cell, column_names)) and key not in found:
                    found[key] = c
            if found:
                header, header_text = found, {key: row[c] for key, c in found.items()}
                continue
            key = next((k for cell in row if not _is_value(cell) and (k := _match(cell, row_names))), None)
            if key is None or key in read.rows:
                continue
            block, row_key = key.split(".", 1)
            _, columns = blocks[(block, row_key)]
            label = next(cell for cell in row if _match(cell, row_names) == key)
            if any(c.key not in header for c in columns):
                read.flagged[key] = f"{t2_key(block, row_key, '*')} ({label}): no header names its columns"
                continue
            printed = [row[header[c.key]] for c in columns]
            values = _read_cells(printed)
            if values is None:
                read.flagged[key] = f"{t2_key(block, row_key, '*')} ({label}): unreadable cells {printed}"
                continue
            read.rows[key] = _t2_row(
                block, row_key, label, columns, [header_text[c.key] for c in columns], printed, values
            )
    return read if read.rows or read.flagged else None


def _t2_row(
    block: str,
    row: str,
    label: str,
    columns: Sequence[Column],
    printed_columns: Sequence[str],
    printed: Sequence[str],
    values: Sequence[Value],
    offset: int | None = None,
) -> _Row:
    return _Row(
        label=label,
        keys=tuple(t2_key(block, row, c.key) for c in columns),
        columns=tuple(printed_columns),
        units=tuple(c.unit for c in columns),
        printed=tuple(printed),
        values=tuple(values),
        offset=offset,
    )


# --- decoding rows whose cells ran together -----------------------------------------------------

_MARKS = r"/\\\-—–―／－"  # a not-applicable cell: / — - and their full-width forms
_SIGNS = "-－+＋"  # glued to digits, these may also be the sign of a number (本年增/减)
_CELL_START = re.compile(rf"[\d{_MARKS}+＋]")
_RUN = re.compile(rf"[\d.\s{_MARKS}+＋]*")
_TOKEN = re.compile(rf"\s+|——|[{_MARKS}+＋]|[\d.]+|.", re.DOTALL)
_INTEGER = re.compile(r"0|[1-9]\d*")
_DECIMAL = re.compile(r"(?:0|[1-9]\d*)\.\d+")
_ASCII_SIGNS = str.maketrans("－＋", "-+")
_MAX_DECODINGS = 10_000


def _decodings(
    run: str,
    width: int,
    totals: Sequence[tuple[int, int]] = (),
    decimals: Collection[int] = (),
    signed: Collection[int] = (),
) -> list[tuple[str, ...]] | None:
    """Every way to read ``run`` as ``width`` cells, depth first with pruning.

    A space or a not-applicable mark always ends a cell; no cell has a leading zero; only the
    columns in ``decimals`` may hold a decimal, only those in ``signed`` a sign (so "14-217" there
    is 14,-,217 or 14,-2,17 or 14,-21,7). For each (start, end) in ``totals`` the cell at end-1 must
    be the sum of the cells before it from start. None when the run holds anything that is no cell.
    """
    tokens = [match for match in _TOKEN.finditer(run) if not match.group().isspace()]
    segments: list[tuple[bool, str]] = []  # (is a digit run, text)
    signs: set[int] = set()  # segments that may be the sign of the digit run right after them
    for i, token in enumerate(tokens):
        text = token.group()
        glued = i + 1 < len(tokens) and tokens[i + 1].start() == token.end() and tokens[i + 1].group()[0].isdigit()
        if text[0].isdigit() or text[0] == ".":
            segments.append((True, text))
            continue
        if text in _SIGNS and glued:
            signs.add(len(segments))
        elif text[0] not in _MARKS and text != "——":
            return None  # a letter, a comma, a lone "+": no cell
        segments.append((False, text))
    total_at = {end: start for start, end in totals}
    cells: list[str] = []
    found: list[tuple[str, ...]] = []

    def fits(index: int, pos: int) -> bool:
        """Can what is left of the run still make exactly the cells still needed?"""
        rest = segments[index:]
        most = sum(len(text) if digits else 1 for digits, text in rest) - pos
        least = len(rest) - sum(1 for i in signs if i >= index)  # a sign and its digits may be one cell
        return least <= width - len(cells) <= most

    def push(cell: str) -> bool:
        cells.append(cell)
        start = total_at.get(len(cells))
        if start is None:
            return True
        *parts, total = (_value(c) for c in cells[start:])
        return _total(parts) == _total([total])

    def split(index: int, pos: int, sign: str = "") -> None:
        """Every first cell of the digit run ``segments[index]`` from ``pos``, then the rest."""
        text = segments[index][1]
        for end in range(pos + 1, len(text) + 1):
            number = text[pos:end]
            if not (_INTEGER.fullmatch(number) or (len(cells) in decimals and _DECIMAL.fullmatch(number))):
                continue
            if push(sign + number):
                walk(index, end) if end < len(text) else walk(index + 1, 0)
            cells.pop()

    def walk(index: int, pos: int) -> None:
        if len(found) > _MAX_DECODINGS:
            return
        if index == len(segments):
            if len(cells) == width:
                found.append(tuple(cells))
            return
        if not fits(index, pos):
            return
        digits, text = segments[index]
        if digits:
            split(index, pos)
            return
        if text[0] in _MARKS or text == "——":
            if push(text):
                walk(index + 1, 0)
            cells.pop()
        if index in signs and len(cells) in signed:
            split(index + 1, 0, sign=text)

    walk(0, 0)
    return found


def _value(cell: str) -> Value:
    return Decimal(cell.translate(_ASCII_SIGNS)) if cell[-1:].isdigit() else None


def _candidates(run: str, width: int, totals: Sequence[tuple[int, int]]) -> list[tuple[str, ...]] | None:
    """The readings of a run that keep the row's own identities. When none does, the single
    reading the run has at all is kept (its broken identity is then reported as a violation)."""
    consistent = _decodings(run, width, totals)
    if consistent or consistent is None:
        return consistent
    every = _decodings(run, width) or []
    return every if len(every) == 1 else []


def _exceeds(partial: Sequence[Decimal], full: Sequence[Decimal]) -> bool:
    return any(p > f for p, f in zip(partial, full, strict=False))


class _SearchTooLarge(Exception):
    pass


_SEARCH_LIMIT = 200_000
Identity = tuple[tuple[str, ...], tuple[str, ...]]  # per column: sum of the first rows = sum of the second


def _consistent(
    candidates: Mapping[str, Sequence[tuple[Value, ...]]], identities: Sequence[Identity]
) -> dict[str, set[int]] | None:
    """For each row, the indices of its readings that take part in some choice of one reading per
    row satisfying every identity; None when no choice does (or there are too many to try)."""
    order = sorted(candidates, key=lambda key: len(candidates[key]))
    chosen: dict[str, int] = {}
    used: dict[str, set[int]] = {key: set() for key in candidates}
    steps = 0

    def sums(keys: tuple[str, ...]) -> tuple[bool, list[Decimal]]:
        rows = [candidates[key][chosen[key]] for key in keys if key in chosen]
        return len(rows) == len(keys), [_total(column) for column in zip(*rows, strict=True)] if rows else []

    def feasible() -> bool:
        for left, right in identities:
            (left_done, left_sums), (right_done, right_sums) = sums(left), sums(right)
            if left_done and right_done:
                if left_sums != right_sums:
                    return False
            # counts are never negative: a side still filling up may not exceed a finished one
            elif (left_done and _exceeds(right_sums, left_sums)) or (right_done and _exceeds(left_sums, right_sums)):
                return False
        return True

    def search(depth: int) -> None:
        nonlocal steps
        steps += 1
        if steps > _SEARCH_LIMIT:
            raise _SearchTooLarge
        if depth == len(order):
            for key, index in chosen.items():
                used[key].add(index)
            return
        key = order[depth]
        for index in range(len(candidates[key])):
            chosen[key] = index
            if feasible():
                search(depth + 1)
        del chosen[key]

    try:
        search(0)
    except _SearchTooLarge:
        return None
    return used if any(used.values()) or not candidates else None


# --- finding the rows in the text ---------------------------------------------------------------

_GAP = r"[\s\"'“”‘’]*"  # spaces and quotes may sit anywhere in a printed label
_CN_NUMBERING = r"(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+\s*[、.．])"
_WINDOW = 300  # consecutive rows of a table are printed close together


def _sub_numbering(number: int) -> str:
    # only punctuated numbering ("2." "2、" "(2)"): a bare digit would eat into the previous cells
    return rf"(?:{number}\s*[.、．]|[（(]\s*{number}\s*[)）])"


def _label_pattern(names: Sequence[str], numbering: str = "", required: bool = False) -> re.Pattern[str]:
    alternatives = "|".join(_GAP.join(map(re.escape, name)) for name in sorted(names, key=len, reverse=True))
    if not numbering:
        return re.compile(f"(?:{alternatives})")
    if required:
        return re.compile(f"{numbering}\\s*(?:{alternatives})")
    # a variant may name only part of the label: "5.属于三类内容事务信息" holds "三类内容事务信息"
    return re.compile(f"(?:{numbering}\\s*[\u4e00-\u9fff]{{0,4}}?)?(?:{alternatives})")


def _t3_patterns() -> tuple[list[tuple[str | None, re.Pattern[str]]], list[tuple[str | None, re.Pattern[str]]]]:
    """Table 三's row labels in print order, and the labels that span rows (三、本年度办理结果 as
    None, and the groups （三）…（六)): a PDF prints those vertically centred, amid their rows."""
    rows: list[tuple[str | None, re.Pattern[str]]] = []
    spanning: list[tuple[str | None, re.Pattern[str]]] = [(None, _label_pattern(["本年度办理结果"], _CN_NUMBERING))]
    position: dict[str, int] = {}
    for row in T3_ROWS:
        if row.group in ("", "result_total"):
            numbering = _CN_NUMBERING
        else:
            position[row.group] = position.get(row.group, 0) + 1
            numbering = _sub_numbering(position[row.group])
        names = _T3_ROW_NAMES[row.key]
        # 总计 and 其他 are words of other labels too: only with their numbering are they a row
        pattern = _label_pattern(names, numbering, required=min(map(len, names)) <= 2)
        (spanning if row.key in _T3_GROUPS else rows).append((row.key, pattern))
    return rows, spanning


_T3_SEQUENCE, _T3_SPANNING = _t3_patterns()


def _find_sequence(
    text: str, sequence: Sequence[tuple[str | None, re.Pattern[str]]], start: int
) -> list[tuple[str | None, re.Match[str]]]:
    """The labels in order, each within a window after the previous one; a missing one is skipped."""
    found: list[tuple[str | None, re.Match[str]]] = []
    position = start
    for key, pattern in sequence:
        if match := pattern.search(text, position, position + _WINDOW):
            found.append((key, match))
            position = match.end()
    return found


@dataclass(frozen=True)
class _RowText:
    label: str  # the label as printed, with the rest of it ("…政府信息公开申请数量", a note) after the match
    tail_ok: bool  # what stands between the matched label and the cells is the rest of the label
    run: str  # the cells
    rest: str  # text after the cells before the next label


def _row_text(text: str, match: re.Match[str], end: int | None, canonical: str) -> _RowText | None:
    """The cells after a row label, up to the next label (``end``). A label followed by nothing but
    the rest of itself before the next label is a row of empty cells (run ""); None when unknown."""
    limit = len(text) if end is None else end
    cell = _CELL_START.search(text, match.end(), limit)
    tail = text[match.end() : cell.start() if cell else limit]
    compact = _NOTE.sub("", _IGNORED.sub("", unicodedata.normalize("NFKC", tail)))
    tail_ok = len(tail) <= 60 and (not compact or canonical.endswith(compact))
    if cell is None:
        # the last row of a table runs into the text after it: whether its cells are empty is unknown
        return _RowText(" ".join((match.group() + tail).split()), True, "", "") if tail_ok and end is not None else None
    run = _RUN.match(text, cell.start(), limit).group()  # type: ignore[union-attr]  # always matches
    label = " ".join((match.group() + tail).split()) if tail_ok else match.group()
    rest = text[cell.start() + len(run) : limit] if end is not None else ""
    return _RowText(label, tail_ok, run, rest)


def _text_t3(text: str) -> _Read | None:
    start = _t3_start(text)
    if start is None:
        return None
    read = _Read({}, {})
    labels: dict[str, str] = {}
    runs: dict[str, tuple[str, int, str]] = {}  # row key → (label, offset, cells run)
    found = _find_sequence(text, _T3_SEQUENCE, start)
    region_end = found[-1][1].start()
    for key, pattern in _T3_SPANNING:
        if match := pattern.search(text, start, region_end):
            found.append((key, match))
    found.sort(key=lambda item: item[1].start())
    # each label's cells run to the next label in the text, whichever row that is
    found = [item for i, item in enumerate(found) if i == 0 or item[1].start() >= found[i - 1][1].end()]
    for index, (key, match) in enumerate(found):
        if key is None:
            continue
        end = found[index + 1][1].start() if index + 1 < len(found) else None
        row = _T3_ROWS[key]
        part = _row_text(text, match, end, _core(row.label))
        labels[key] = part.label if part else " ".join(match.group().split())
        if part is None or (end is None and not part.tail_ok) or (not part.run and key in _T3_GROUPS):
            continue  # no cells printed (a group label over its sub-rows)
        label = f"{labels[row.group]} {part.label}" if row.group in _T3_GROUPS and row.group in labels else part.label
        if not part.tail_ok or part.rest.strip():
            stray = text[match.end() : end].strip()
            read.flagged[key] = f"{t3_key(key, '*')} ({label}): unrecognised text among its cells: {stray!r}"
            continue
        runs[key] = (label, match.start(), part.run.strip())

    candidates: dict[str, list[tuple[Value, ...]]] = {}
    printed: dict[str, list[tuple[str, ...]]] = {}
    for key, (label, _, run) in runs.items():
        readings = _candidates(run, len(T3_COLUMNS), [(0, len(T3_COLUMNS))]) if run else [("",) * len(T3_COLUMNS)]
        if not readings:
            why = (
                "holds something that is no cell"
                if readings is None
                else f"cannot be read as {len(T3_COLUMNS)} cells that add up"
            )
            read.flagged[key] = f"{t3_key(key, '*')} ({label}): {run!r} {why}"
            continue
        printed[key] = readings
        candidates[key] = [tuple(_value(c) for c in reading) for reading in readings]

    present = runs.keys() | read.flagged.keys()
    identities = [i for i in _t3_identities(present) if not set(i[0] + i[1]) & read.flagged.keys()]
    chosen = _consistent(candidates, identities)
    columns = [c.label for c in T3_COLUMNS]
    for key, readings in printed.items():
        label, offset, run = runs[key]
        # with no consistent choice at all, only the rows that have a single reading are certain
        picks = chosen[key] if chosen is not None else set(range(len(readings)))
        if len(picks) == 1:
            (index,) = picks
            read.rows[key] = _t3_row(key, label, columns, readings[index], candidates[key][index], offset)
            continue
        options = " | ".join(",".join(readings[i]) for i in sorted(picks)[:4])
        fits = "none fits the table's identities" if chosen is None else "all fit the table's identities"
        read.flagged[key] = f"{t3_key(key, '*')} ({label}): {run!r} has {len(picks)} readings, {fits}: {options}"
    return read


def _t3_start(text: str) -> int | None:
    """Where table 三 begins: its first row label, with the second following it."""
    (_, first), (_, second) = _T3_SEQUENCE[0], _T3_SEQUENCE[1]
    for match in first.finditer(text):
        if second.search(text, match.end(), match.end() + _WINDOW):
            return match.start()
    return None


_T4_HEADER_END = re.compile(_GAP.join("尚未审结总计"))
_SPACES = re.compile(r"\s*")
_T4_TOTALS = [(i * len(T4_OUTCOMES), (i + 1) * len(T4_OUTCOMES)) for i in range(len(T4_GROUPS))]


def _text_t4(text: str) -> _Read | None:
    """The run of 15 cells after the header's last 总计; decoded group by group."""
    for header in _T4_HEADER_END.finditer(text):
        cell = _SPACES.match(text, header.end()).end()  # type: ignore[union-attr]  # always matches
        if "行政复议" in text[max(0, header.start() - _WINDOW) : header.start()] and _CELL_START.match(text, cell):
            break
    else:
        return None
    run = _RUN.match(text, cell).group().strip()  # type: ignore[union-attr]
    readings = _candidates(run, len(T4_GROUPS) * len(T4_OUTCOMES), _T4_TOTALS) or []
    read = _Read({}, {})
    for group, (start, end) in zip(T4_GROUPS, _T4_TOTALS, strict=True):
        # a group is read when every consistent reading of the run agrees on its five cells
        options = sorted({reading[start:end] for reading in readings})
        if len(options) == 1:
            cells = options[0]
            read.rows[group.key] = _t4_row(
                group, [o.label for o in T4_OUTCOMES], cells, [_value(c) for c in cells], cell
            )
        else:
            shown = " | ".join(",".join(o) for o in options[:4])
            why = (
                f"{len(options)} readings consistent with 总计 = sum: {shown}"
                if options
                else "no reading where each 总计 is the sum of its four cells"
            )
            read.flagged[group.key] = f"{t4_key(group.key, '*')} ({group.label}): {run!r} has {why}"
    return read


_SIGNED_COLUMNS = {"change"}  # 本年增/减 (2019 table 二) may be negative
_T2_BLOCK_TITLE = re.compile(_GAP.join("第二十条"))


def _text_t2(text: str, version: str) -> _Read | None:
    """Table 二 has no identities: a row is read only when its run has a single reading."""
    if not version:
        return None
    anchor = re.search(_GAP.join(map(re.escape, _core(_VERSION_MARKS[version]))), text)
    if anchor is None:
        return None
    names = _T2_ROW_NAMES[version]
    sequence = [(key, _label_pattern(names[key])) for key in names]
    found = _find_sequence(text, sequence, anchor.end())
    read = _Read({}, {})
    for index, (key, match) in enumerate(found):
        assert key is not None
        block, row_key = key.split(".", 1)
        definition, columns = _T2_BLOCKS[version][(block, row_key)]
        end = found[index + 1][1].start() if index + 1 < len(found) else None
        if block_title := _T2_BLOCK_TITLE.search(text, match.end(), len(text) if end is None else end):
            end = block_title.start()  # the next §20 block's title and header end this row
        part = _row_text(text, match, end, _core(definition.label))
        if part is None or not part.tail_ok:
            continue
        run = part.run.strip()
        decimals = [i for i, c in enumerate(columns) if c.unit == "万元"]
        signed = [i for i, c in enumerate(columns) if c.key in _SIGNED_COLUMNS]
        readings = _decodings(run, len(columns), (), decimals, signed) if run else [("",) * len(columns)]
        if readings is not None and len(readings) == 1:
            read.rows[key] = _t2_row(
                block,
                row_key,
                part.label,
                columns,
                [c.label for c in columns],
                readings[0],
                [_value(c) for c in readings[0]],
                match.start(),
            )
        else:
            read.flagged[key] = (
                f"{t2_key(block, row_key, '*')} ({part.label}): {run!r} has {len(readings or [])} readings "
                f"as {len(columns)} cells and table 二 has no identities to choose among them"
            )
    return read if read.rows or read.flagged else None


# --- identities ---------------------------------------------------------------------------------


def _t3_identities(present: Collection[str]) -> list[Identity]:
    """Table 三's cross-row identities among the rows present (each holds per column)."""
    subs = {g: tuple(r.key for r in T3_ROWS if r.group == g and r.key in present) for g in _T3_GROUPS}
    identities: list[Identity] = [((g,), subs[g]) for g in _T3_GROUPS if g in present and subs[g]]
    # a group printed only as its sub-rows counts as their sum
    parts = tuple(key for g in _T3_RESULT_PARTS for key in ((g,) if g in present else subs.get(g, ())))
    if "result_total" in present and parts:
        identities.append((("result_total",), parts))
    if {"new", "carried_over", "result_total", "carried_forward"} <= set(present):
        identities.append((("new", "carried_over"), ("result_total", "carried_forward")))
    return identities


def _named(rows: Mapping[str, _Row], keys: Sequence[str]) -> str:
    labels = [rows[key].label for key in keys]
    if len(labels) > 3:
        return f"{labels[0]} + … + {labels[-1]} ({len(labels)} rows)"
    return " + ".join(labels)


def _t3_violations(read: _Read) -> list[tuple[str, tuple[str, ...]]]:
    """Each identity the rows break, with the keys of the rows it involves."""
    violations = []
    for key, row in read.rows.items():
        *parts, total = row.values
        if _total(parts) != _total([total]):
            printed, added = _total([total]), _total(parts)
            violations.append(
                (f"{TABLE3}: row {row.label}: 总计 is {printed} but the six applicant columns add up to {added}", (key,))
            )
    for left, right in _t3_identities(read.rows.keys() | read.flagged.keys()):
        if set(left + right) & read.flagged.keys():
            continue  # an unread row: the identity cannot be checked
        for c, column in enumerate(T3_COLUMNS):
            left_sum = _total(read.rows[key].values[c] for key in left)
            right_sum = _total(read.rows[key].values[c] for key in right)
            if left_sum != right_sum:
                message = (
                    f"{TABLE3}: column {column.label}: {_named(read.rows, left)} = {left_sum} "
                    f"but {_named(read.rows, right)} = {right_sum}"
                )
                violations.append((message, left + right))
    return violations


def _t4_violations(read: _Read) -> list[tuple[str, tuple[str, ...]]]:
    violations = []
    for key, row in read.rows.items():
        *parts, total = row.values
        if _total(parts) != _total([total]):
            violations.append(
                (
                    f"{TABLE4}: {row.label}: 总计 is {_total([total])} but its four outcome cells add up to {_total(parts)}",
                    (key,),
                )
            )
    return violations
