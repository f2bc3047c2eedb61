"""Print a report page as a scanner sees it: its title, paragraphs and ruled tables drawn on white
pages with Debian's Noto CJK font, as images (and as an image-only PDF). Used by the OCR tests and
``scripts/bench_ocr.py``; only the sample and synthetic pages' markup (``<p>``, ``<table>`` with
rowspan/colspan) is understood.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from PIL import Image, ImageDraw, ImageFont

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FONT_SIZE = 24
PADDING = 10  # between a cell's border and its text
MARGIN = 40
PAGE_HEIGHT = 2000
CELL_WIDEST = 340  # a longer label wraps inside its cell


@dataclass(frozen=True)
class Cell:
    """A table cell as the page marks it up: its text, top-left grid position and spans."""

    text: str
    row: int
    column: int
    rowspan: int
    colspan: int


Item = str | list[Cell]  # a paragraph, or a table's cells


def page_items(html: str) -> list[Item]:
    """The report's title, paragraphs and tables in reading order (the article container only)."""
    soup = BeautifulSoup(html, "lxml")
    article = soup.select_one("div.article") or soup.body
    assert article is not None
    items: list[Item] = []
    blocks = ["h1", "h2", "h3", "h4", "div", "p", "table"]
    for element in article.find_all(blocks):
        if element.name == "table":
            items.append(_cells(element))
        elif element.find_parent("table") is None and not element.find(blocks):
            text = " ".join(element.get_text().split())
            if text and "字号" not in text:  # the page's info line is no part of the printed report
                items.append(text)
    return items


def _cells(table: Tag) -> list[Cell]:
    taken: set[tuple[int, int]] = set()
    cells = []
    for r, tr in enumerate(table.find_all("tr")):
        c = 0
        for td in tr.find_all(["td", "th"]):
            while (r, c) in taken:
                c += 1
            rowspan, colspan = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            taken |= {(r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan)}
            cells.append(Cell(" ".join(td.get_text().split()), r, c, rowspan, colspan))
            c += colspan
    return cells


def _blocks(items: list[Item]) -> list[Image.Image]:
    font = ImageFont.truetype(str(CJK_FONT), FONT_SIZE)
    return [_draw_table(item, font) if isinstance(item, list) else _draw_paragraph(item, font) for item in items]


def render_pages(items: list[Item]) -> list[Image.Image]:
    """The page as printed: pages of one height, a table never split across two."""
    drawn = _blocks(items)
    width = max(block.width for block in drawn) + 2 * MARGIN
    pages: list[Image.Image] = []
    page, y = None, MARGIN
    for block in drawn:
        if page is None or y + block.height > PAGE_HEIGHT - MARGIN:
            page = Image.new("L", (width, PAGE_HEIGHT), 255)
            pages.append(page)
            y = MARGIN
        page.paste(block, (MARGIN, y))
        y += block.height + FONT_SIZE
    return pages


def render_png(items: list[Item]) -> bytes:
    """The report as one long image (a "long screenshot", as reports are posted on WeChat)."""
    drawn = _blocks(items)
    width = max(block.width for block in drawn) + 2 * MARGIN
    strip = Image.new("L", (width, sum(block.height + FONT_SIZE for block in drawn) + 2 * MARGIN), 255)
    y = MARGIN
    for block in drawn:
        strip.paste(block, (MARGIN, y))
        y += block.height + FONT_SIZE
    buffer = io.BytesIO()
    strip.save(buffer, format="PNG")
    return buffer.getvalue()


def render_pdf(items: list[Item], *, resolution: float = 150.0) -> bytes:
    """An image-only PDF: one scanned image per page, no text layer."""
    pages = [page.convert("RGB") for page in render_pages(items)]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=resolution)
    return buffer.getvalue()


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if line and font.getlength(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines or [""]


def _draw_paragraph(text: str, font: ImageFont.FreeTypeFont, width: int = 1100) -> Image.Image:
    lines = _wrap(text, font, width)
    image = Image.new("L", (width, len(lines) * int(FONT_SIZE * 1.6)), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((0, index * int(FONT_SIZE * 1.6)), line, font=font, fill=0)
    return image


def _draw_table(cells: list[Cell], font: ImageFont.FreeTypeFont) -> Image.Image:
    columns = max(cell.column + cell.colspan for cell in cells)
    rows = max(cell.row + cell.rowspan for cell in cells)
    widths = [0] * columns
    for cell in cells:  # a single-column cell sets its column's width; wider cells only wrap
        if cell.colspan == 1:
            natural = min(int(font.getlength(cell.text)), CELL_WIDEST) + 2 * PADDING
            widths[cell.column] = max(widths[cell.column], natural, 3 * FONT_SIZE)
    widths = [w or 3 * FONT_SIZE for w in widths]
    line_height = int(FONT_SIZE * 1.4)
    heights = [line_height + 2 * PADDING] * rows
    for cell in cells:
        width = sum(widths[cell.column : cell.column + cell.colspan]) - 2 * PADDING
        needed = len(_wrap(cell.text, font, width)) * line_height + 2 * PADDING
        spanned = sum(heights[cell.row : cell.row + cell.rowspan])
        if needed > spanned:
            heights[cell.row + cell.rowspan - 1] += needed - spanned
    xs = [sum(widths[:i]) for i in range(columns + 1)]
    ys = [sum(heights[:i]) for i in range(rows + 1)]
    image = Image.new("L", (xs[-1] + 1, ys[-1] + 1), 255)
    draw = ImageDraw.Draw(image)
    for cell in cells:
        left, top = xs[cell.column], ys[cell.row]
        right, bottom = xs[cell.column + cell.colspan], ys[cell.row + cell.rowspan]
        draw.rectangle((left, top, right, bottom), outline=0, width=2)
        lines = _wrap(cell.text, font, right - left - 2 * PADDING)
        y = (top + bottom - len(lines) * line_height) // 2
        for index, line in enumerate(lines):  # centred, as the templates print them
            x = (left + right - font.getlength(line)) / 2
            draw.text((x, y + index * line_height), line, font=font, fill=0)
    return image
