"""A scanned page (an image) → its printed lines and its ruled tables as grids, by OCR.

rapidocr-onnxruntime finds and reads the text lines; its Chinese detection and recognition models
ship inside the wheel, so nothing is downloaded. A table is found from its ruling (OpenCV): the
border lines give every cell's box, merged cells included, and each OCR line is placed in the cell
that holds its centre. The table reader (``ingest.tables``) then reads the grid as any other, and
its identities check it.

OCR may misread or miss a figure, so a cell is never guessed: a cell read with low confidence, or
left empty where the table prints figures, carries :data:`UNSURE`, which no table reader takes for
a number (the row is flagged instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from statistics import median

import numpy as np

MIN_SCORE = 0.6  # rapidocr's confidence below which a table cell is flagged
SECOND_LOOK = 0.9  # a table cell read with less confidence is read again, a little more loosely framed
UNSURE = "(?)"  # appended to a cell OCR could not read with confidence
_VALUE = re.compile(r"[\d.,]+|[/\\\-—–―]+")  # a figure or a not-applicable mark
_INK = 128  # grey level below which a pixel is printed


@dataclass(frozen=True)
class _Box:
    """One text line as rapidocr found and read it (pixel coordinates)."""

    text: str
    score: float
    left: float
    top: float
    right: float
    bottom: float

    @property
    def middle(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2


@dataclass(frozen=True)
class ScannedTable:
    """A ruled table: ``grid`` has every merged cell repeated over the positions it covers (as the
    HTML loader expands spans); ``printed_rows`` are its rows as printed, a merged cell once."""

    grid: tuple[tuple[str, ...], ...]
    printed_rows: tuple[str, ...]


@cache
def _engine():  # type: ignore[no-untyped-def]  # rapidocr has no type hints
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as error:  # an optional heavy dependency: say what to install
        raise ImportError(
            "reading images and scanned PDFs needs rapidocr-onnxruntime: pip install rapidocr-onnxruntime"
        ) from error
    # a long page stays at full resolution (the default shrinks it to 2000 px: small print gets unreadable);
    # pages are upright, so the orientation classifier is skipped
    return RapidOCR(max_side_len=20000, use_cls=False)


def read_page(image: np.ndarray) -> list[str | ScannedTable]:
    """A page (greyscale pixels, 0 = black) → its text lines and tables, top to bottom."""
    result, _ = _engine()(image, use_cls=False)
    boxes = [
        _Box(str(text), float(score), min(x for x, _ in points), min(y for _, y in points),
             max(x for x, _ in points), max(y for _, y in points))
        for points, text, score in result or []
    ]  # fmt: skip
    tables = _ruled_tables(image, boxes)
    boxes = [part for box in boxes for part in _split_at_borders(box, tables, image)]
    in_tables = [any(table.holds(box) for table in tables) for box in boxes]
    # the surest multi-digit reading in a table, for reading lone digits in its company (_second_look)
    numbers = [
        box for box, held in zip(boxes, in_tables, strict=True) if held and box.text.isdigit() and len(box.text) > 1
    ]
    anchor = max(numbers, key=lambda box: box.score, default=None)
    boxes = [_second_look(box, image, anchor) if held else box for box, held in zip(boxes, in_tables, strict=True)]
    items: list[tuple[float, str | ScannedTable]] = []
    for table in tables:
        items.append((table.top, table.read(boxes)))
    outside = [box for box in boxes if not any(table.holds(box) for table in tables)]
    items.extend((line[0].top, _line_text(line)) for line in _lines(outside))
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


def _split_at_borders(box: _Box, tables: list[_Ruling], image: np.ndarray) -> list[_Box]:
    """Text in two narrow neighbouring cells can come back as one box across their border: each
    part is read again on its own (recognition only, on the part's pixels)."""
    table = next((table for table in tables if table.holds(box)), None)
    inner = table.borders_within(box) if table else []
    if not inner:
        return [box]
    parts = []
    for left, right in zip([box.left, *inner], [*inner, box.right], strict=True):
        text, score = _recognise(_pixels(image, box.top, box.bottom, left + 4, right - 4))
        if text:
            parts.append(_Box(text, score, left, box.top, right, box.bottom))
    return parts


def _second_look(box: _Box, image: np.ndarray, anchor: _Box | None) -> _Box:
    """Read an unsure table cell again, two other ways; it is sure when a second reading agrees.

    The recogniser reads text lines: a lone digit ("0") scaled to a line's height looks like "。"
    or "o" and scores low. Framed with a margin above and below, or printed after a digit string
    read surely elsewhere on the page ("44" + "0" reads "440"), it reads as a digit among digits.
    When no second reading gives the same text, the cell is unsure (score 0)."""
    if box.score >= SECOND_LOOK:
        return box
    margin = round(0.15 * (box.bottom - box.top))
    framed = _pixels(image, box.top - margin, box.bottom + margin, box.left - 2, box.right + 2)
    readings = [_recognise(framed)]
    if anchor is not None and anchor != box:
        known, alone = (
            _pixels(image, anchor.top, anchor.bottom, anchor.left, anchor.right),
            _pixels(image, box.top, box.bottom, box.left, box.right),
        )
        height = max(known.shape[0], alone.shape[0])
        line = np.hstack([_pad_to(known, height), np.full((height, 8), 255, np.uint8), _pad_to(alone, height)])
        text, score = _recognise(line)
        after = text[len(anchor.text) :].strip() if text.startswith(anchor.text) else None
        readings.append((after or "", score))
    scores = [score for text, score in readings if text == box.text]
    return replace(box, score=max([box.score, *scores]) if scores else 0.0)


def _pixels(image: np.ndarray, top: float, bottom: float, left: float, right: float) -> np.ndarray:
    height, width = image.shape[:2]
    return np.ascontiguousarray(
        image[max(0, int(top)) : min(height, int(bottom) + 1), max(0, int(left)) : min(width, int(right) + 1)]
    )


def _pad_to(pixels: np.ndarray, height: int) -> np.ndarray:
    return np.vstack([pixels, np.full((height - pixels.shape[0], *pixels.shape[1:]), 255, np.uint8)])


def _recognise(pixels: np.ndarray) -> tuple[str, float]:
    """Recognition only (no detection): the pixels are one line of text."""
    if pixels.size == 0:
        return "", 0.0
    result, _ = _engine()(pixels, use_det=False, use_cls=False)
    text, score = result[0] if result else ("", 0.0)
    return str(text), float(score)


# --- lines --------------------------------------------------------------------------------------


def _lines(boxes: list[_Box]) -> list[list[_Box]]:
    """Boxes on one printed line, left to right. rapidocr may cut a line into several boxes (at a
    wide gap, a change of script), so boxes whose middles lie within one line's height are joined."""
    lines: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: b.middle[1]):
        if lines and lines[-1][0].top <= box.middle[1] <= lines[-1][0].bottom:
            lines[-1].append(box)
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.left) for line in lines]


def _line_text(line: list[_Box]) -> str:
    return "".join(box.text for box in line)


# --- tables -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ruling:
    """A table's ruling: the y of every horizontal and the x of every vertical line, and which
    grid positions are one merged cell (``cell_of`` maps a position to its cell's top-left one)."""

    ys: tuple[int, ...]
    xs: tuple[int, ...]
    cell_of: dict[tuple[int, int], tuple[int, int]]

    @property
    def top(self) -> float:
        return self.ys[0]

    def holds(self, box: _Box) -> bool:
        x, y = box.middle
        return self.xs[0] < x < self.xs[-1] and self.ys[0] < y < self.ys[-1]

    def borders_within(self, box: _Box) -> list[int]:
        """The x of each border between two cells that the box runs across."""
        row = _index(self.ys, box.middle[1])
        return [
            x
            for c, x in enumerate(self.xs[1:-1])
            if box.left + 3 < x < box.right - 3 and self.cell_of[(row, c)] != self.cell_of[(row, c + 1)]
        ]

    def read(self, boxes: list[_Box]) -> ScannedTable:
        rows, columns = len(self.ys) - 1, len(self.xs) - 1
        held: dict[tuple[int, int], list[_Box]] = {}
        for box in boxes:
            if self.holds(box):
                x, y = box.middle
                position = (_index(self.ys, y), _index(self.xs, x))
                held.setdefault(self.cell_of[position], []).append(box)
        texts = {cell: _cell_text(held.get(cell, [])) for cell in set(self.cell_of.values())}
        grid = [[texts[self.cell_of[(r, c)]] for c in range(columns)] for r in range(rows)]
        _mark_missing(grid, self.cell_of)
        printed = []
        for r in range(rows):
            # a merged cell is printed in its first row only, once
            cells = dict.fromkeys(self.cell_of[(r, c)] for c in range(columns) if self.cell_of[(r, c)][0] == r)
            text = " ".join(grid[r][c] for _, c in cells if grid[r][c])
            if text:
                printed.append(text)
        return ScannedTable(tuple(tuple(row) for row in grid), tuple(printed))


def _index(edges: tuple[int, ...], at: float) -> int:
    return max(0, min(len(edges) - 2, sum(1 for edge in edges[1:-1] if edge <= at)))


def _cell_text(boxes: list[_Box]) -> str:
    """A cell's lines joined (a label wraps inside its cell); UNSURE when any was read unsurely."""
    text = "".join(_line_text(line) for line in _lines(boxes))
    unsure = any(box.score < MIN_SCORE for box in boxes)
    return f"{text}{UNSURE}" if unsure else text


def _mark_missing(grid: list[list[str]], cell_of: dict[tuple[int, int], tuple[int, int]]) -> None:
    """An empty cell among the figures (a column with figures, at or below the first row with one)
    may be a figure OCR did not see: it is marked, not read as not applicable."""
    valued = [(r, c) for r, row in enumerate(grid) for c, text in enumerate(row) if _VALUE.fullmatch(text)]
    if not valued:
        return
    first = min(r for r, _ in valued)
    columns = {c for _, c in valued}
    for r in range(first, len(grid)):
        for c in columns:
            if not grid[r][c] and cell_of[(r, c)] == (r, c):
                grid[r][c] = UNSURE


def _ruled_tables(gray: np.ndarray, boxes: list[_Box]) -> list[_Ruling]:
    """Tables from their border lines. The text is blanked out first, so that no stroke of a
    character is taken for a border; what stays and runs straight for longer than a text line is
    tall (or wide) is ruling. Hand-written because OpenCV offers the morphology but no table finder."""
    import cv2

    ink = np.where(gray < _INK, 255, 0).astype(np.uint8)
    for box in boxes:
        # rapidocr's boxes reach past the strokes, up to a border close by: only their core is blanked
        inset = (box.bottom - box.top) / 5
        ink[int(box.top + inset) : int(box.bottom - inset) + 1, int(box.left + inset) : int(box.right - inset) + 1] = 0
    line_height = int(median([box.bottom - box.top for box in boxes])) if boxes else 20
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * line_height, 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, line_height)))
    frame = cv2.dilate(across | down, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(frame)
    tables = []
    for left, top, width, height, _ in stats[1:count]:
        region = (slice(top, top + height), slice(left, left + width))
        ys = _positions(across[region].any(axis=1), top)
        xs = _positions(down[region].any(axis=0), left)
        if len(ys) >= 2 and len(xs) >= 2:
            tables.append(_Ruling(ys, xs, _cells(across, down, ys, xs)))
    return tables


def _positions(marked: np.ndarray, offset: int) -> tuple[int, ...]:
    """The middle of each run of marked rows (or columns): a line is a few pixels thick."""
    positions, start = [], None
    for index, on in enumerate([*marked.tolist(), False]):
        if on and start is None:
            start = index
        elif not on and start is not None:
            positions.append(offset + (start + index - 1) // 2)
            start = None
    return tuple(positions)


def _cells(
    across: np.ndarray, down: np.ndarray, ys: tuple[int, ...], xs: tuple[int, ...]
) -> dict[tuple[int, int], tuple[int, int]]:
    """Grid positions with no ruling between them are one merged cell (union-find)."""
    parent = {(r, c): (r, c) for r in range(len(ys) - 1) for c in range(len(xs) - 1)}

    def root(position: tuple[int, int]) -> tuple[int, int]:
        while parent[position] != position:
            position = parent[position]
        return position

    def join(a: tuple[int, int], b: tuple[int, int]) -> None:
        first, second = sorted((root(a), root(b)))
        parent[second] = first  # the top-left position names the cell

    for r, c in list(parent):
        if c + 1 < len(xs) - 1 and not _ruled(down[ys[r] : ys[r + 1], xs[c + 1] - 3 : xs[c + 1] + 4].any(axis=1)):
            join((r, c), (r, c + 1))
        if r + 1 < len(ys) - 1 and not _ruled(across[ys[r + 1] - 3 : ys[r + 1] + 4, xs[c] : xs[c + 1]].any(axis=0)):
            join((r, c), (r + 1, c))
    return {position: root(position) for position in parent}


def _ruled(marked: np.ndarray) -> bool:
    """A border runs along most of the side (a text box blanked over it may cut it short)."""
    return bool(marked.size) and marked.mean() >= 0.5
