"""Bytes of a report file → text blocks in reading order, plus what the page says about itself.

One loader per format, chosen by the file suffix: .txt, .html/.htm, .docx, .pdf; spreadsheets
(.xlsx, .xls) and old Word/WPS documents (.doc, .wps, converted to .docx) through
``ingest.office``; images (.png, .jpg, .jpeg) and PDF pages without a text layer through OCR
(``ingest.ocr``). Loaders only
read: they split the document into blocks (paragraphs, headings, table rows) and collapse
whitespace, but leave portal boilerplate and character normalisation to ``ingest.normalise``.
The one exception is structure only a page has: the HTML loader reads the element that holds the
report (its title and its text) and leaves out menus, link lists, sidebars and footers around it.
Everything here is pure except :func:`load_path`, which reads the file and calls
:func:`load_bytes`.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
import numpy as np
import pdfplumber
from bs4 import BeautifulSoup, NavigableString, Tag
from charset_normalizer import from_bytes
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from ingest import ocr, office
from ingest.errors import EmptyDocument, UnreadableDocument, UnsupportedFormat
from ingest.model import Table


@dataclass(frozen=True)
class LoadedDocument:
    """A file read into text blocks; portal boilerplate inside the report's text is still in ``blocks``."""

    blocks: tuple[str, ...]  # reading order; table rows as cells joined by one space
    title: str = ""
    published: str = ""  # ISO date YYYY-MM-DD when the page states it
    publisher: str = ""  # 发布机构 or 来源 when stated
    source: str = ""  # 原文链接 URL when stated
    tables: tuple[Table, ...] = ()  # HTML/DOCX/PDF tables, spans expanded so every row is complete
    ocr_blocks: frozenset[str] = frozenset()  # blocks read by OCR from an image: their figures say so


def load_path(path: Path) -> LoadedDocument:
    path = Path(path)
    return load_bytes(path.read_bytes(), filename=str(path))


def load_bytes(data: bytes, *, filename: str) -> LoadedDocument:
    """Read one file's bytes; its suffix says the format."""
    suffix = Path(filename).suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise UnsupportedFormat(suffix, filename=filename)
    document = loader(data, filename)
    if not document.blocks:
        raise EmptyDocument(filename=filename)
    return document


# --- decoding -----------------------------------------------------------------------------------

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2010-\u2027]")


def decode_text(data: bytes, *, filename: str = "") -> str:
    """Decode a text file's bytes: UTF-8 (± BOM), UTF-16 with BOM, GB18030/GBK, or as detected.

    Raises UnreadableDocument for binary data (NUL bytes) and for bytes whose best decoding is
    still more than 2% control characters, replacement marks or unassigned code points.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), filename)
    if data.startswith(_UTF16_BOMS):  # Windows Notepad's "Unicode": NUL bytes are legitimate here
        return _checked(data.decode("utf-16", errors="replace"), filename)
    if b"\x00" in data:
        raise UnreadableDocument("it contains NUL bytes, so it is binary data rather than text", filename=filename)
    text = _strict(data, "utf-8")
    if text is None:
        # charset-normalizer misjudges short Chinese texts (as Big5, cp1252 …): GB18030 first,
        # kept only when what it decodes reads as Chinese
        text = _strict(data, "gb18030")
        if text is not None and not _mostly_cjk(text):
            text = None
    if text is None:
        match = from_bytes(data).best()
        if match is None:
            raise UnreadableDocument("its bytes are not text in any known encoding", filename=filename)
        text = str(match)
    return _checked(text, filename)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _mostly_cjk(text: str) -> bool:
    wide = [ch for ch in text if ord(ch) > 0x7F and not ch.isspace()]
    return bool(wide) and sum(1 for ch in wide if _CJK.match(ch)) >= 0.9 * len(wide)


def _checked(text: str, filename: str) -> str:
    """Reject text that is mostly control characters, replacement marks or unassigned code points."""
    bad = sum(
        1
        for ch in text
        if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs") and ch not in "\t\n\r\f")
    )
    if text and bad > 0.02 * len(text):
        raise UnreadableDocument(
            f"{bad} of its {len(text)} characters are control or undecodable characters (garbled or binary data)",
            filename=filename,
        )
    return text


# --- shared helpers -----------------------------------------------------------------------------

_CJK_CHAR = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
_WRAP_BETWEEN_CJK = re.compile(rf"(?<={_CJK_CHAR})[ \t\r]*\n\s*(?={_CJK_CHAR})")


def _collapse(text: str) -> str:
    """One line, single spaces; a source line break between two Chinese characters is no space."""
    return " ".join(_WRAP_BETWEEN_CJK.sub("", text).split())


_LABEL_START = r"(?:^|(?<=[\s【\[|｜]))"
_DATE_FIELD = r"(?:发布时间|发布日期|时间|日期)\s*[:：]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_PUBLISHED = re.compile(rf"{_LABEL_START}{_DATE_FIELD}")
_DATE_AFTER_NAME = re.compile(_DATE_FIELD)
# the name may run straight into the date label: "来源：某局时间：2024-01-30"
_PUBLISHER = re.compile(
    rf"{_LABEL_START}(?:发布机构|信息来源|来源)\s*[:：]\s*"
    r"([^\s:：|｜】\]]+?)(?=(?:发布)?(?:时间|日期)\s*[:：]|[\s:：|｜】\]]|$)"
)
_SOURCE_URL = re.compile(rf"{_LABEL_START}原文链接\s*[:：]\s*(https?://\S+)")
_NOT_A_PUBLISHER = {"本站", "本网", "原创", "网站"}
_HEADER_BLOCKS = 30  # the page's information line is near the top …
_HEADER_CHARS = 300  # … and, when the body is one line, near its start


def _iso_date(text: str) -> str:
    """'2022-02-08 16:34', '2018年3月27日' → ISO date; '' when there is no valid date."""
    match = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", text)
    return _date_of(match) if match else ""


def _date_of(match: re.Match[str]) -> str:
    year, month, day = (int(group) for group in match.groups())
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def _page_facts(blocks: Sequence[str]) -> tuple[str, str, str]:
    """(published, publisher, source URL) from the article information line, when there is one."""
    published = publisher = source = ""
    for block in blocks[:_HEADER_BLOCKS]:
        head = block[:_HEADER_CHARS]
        if not published and (match := _PUBLISHED.search(head)):
            published = _date_of(match)
        if not published:  # "来源：某局时间：2024-01-30": the date label right after the name
            dates = (_DATE_AFTER_NAME.match(head, name.end()) for name in _PUBLISHER.finditer(head))
            published = next((_date_of(match) for match in dates if match), "")
        if not publisher:
            publisher = next(
                (
                    m.group(1)
                    for m in _PUBLISHER.finditer(head)
                    # "来源：时间：2024-01-05": an empty source, then the next label
                    if m.group(1) not in _NOT_A_PUBLISHER and not head.startswith(("：", ":"), m.end())
                ),
                "",
            )
        if not source and (match := _SOURCE_URL.search(head)):
            source = match.group(1)
    return published, publisher, source


_TITLE_WORD = re.compile(r"报告|年报")
_SENTENCE_PUNCT = re.compile(r"[。；！？]")


def _title_like(text: str) -> bool:
    return 0 < len(text) <= 80 and not _SENTENCE_PUNCT.search(text)


def _pick_title(candidates: Iterable[str], blocks: Sequence[str]) -> str:
    """The stated title that names a report; else a leading block that does; else the first one."""
    stated = [c for c in (_collapse(c) for c in candidates) if c]
    leading = [b for b in blocks[:10] if _title_like(b)]
    for text in (*stated, *leading):
        if _TITLE_WORD.search(text):
            return text
    if stated:
        return stated[0]
    return blocks[0] if blocks and _title_like(blocks[0]) else ""


def _table_title(blocks: Sequence[str]) -> str:
    """A table is introduced by the heading just before it; a sentence before it is no title."""
    if blocks and len(blocks[-1]) <= 100 and not _SENTENCE_PUNCT.search(blocks[-1][-1]):
        return blocks[-1]
    return ""


def _make_table(title: str, matrix: list[list[str]], header_rows: int) -> Table:
    header_rows = max(1, min(header_rows, len(matrix)))
    width = max((len(row) for row in matrix), default=0)
    matrix = [row + [""] * (width - len(row)) for row in matrix]
    header = []
    for column in range(width):
        # a multi-row header reads top-down ("法人或其他组织 商业企业"); spans repeat a label
        labels = [row[column] for row in matrix[:header_rows] if row[column]]
        header.append(" ".join(dict.fromkeys(labels)))
    return Table(
        title=title,
        header=tuple(header),
        rows=tuple(tuple(row) for row in matrix[header_rows:]),
    )


# --- .txt ---------------------------------------------------------------------------------------

_ARCHIVE_SEPARATOR = re.compile(r"^=+\s*正文\s*=+[ \t]*$", re.MULTILINE)
_HEADER_FIELD = re.compile(r"^\s*([^:：\s]{1,10})\s*[:：][ \t]?(.*)$")


def _load_txt(data: bytes, filename: str) -> LoadedDocument:
    """Plain text; an archive export has 'key: value' header lines and a 正文 separator."""
    text = decode_text(data, filename=filename)
    fields: dict[str, str] = {}
    separator = _ARCHIVE_SEPARATOR.search(text)
    if separator:
        for line in text[: separator.start()].splitlines():
            if match := _HEADER_FIELD.match(line):
                fields[match.group(1)] = match.group(2).strip()
        text = text[separator.end() :]
    blocks = tuple(b for b in (_collapse(line) for line in text.splitlines()) if b)
    published, publisher, source = _page_facts(blocks)
    return LoadedDocument(
        blocks=blocks,
        title=_pick_title([fields.get("标题", "")], blocks),
        published=_iso_date(fields.get("发布时间", "")) or published,
        publisher=fields.get("发布机构", "") or publisher,
        source=fields.get("原文链接", "") or source,
    )


# --- .html / .htm -------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# Pages declaring gb2312 routinely use GBK characters; GB18030 is a superset of both.
_CODEC_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}

_DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "nav", "header", "footer", "button", "select"]
_DROP_ROLES = {"navigation", "banner", "contentinfo"}
# Portals built before HTML5 mark menus and footers by id/class instead of by tag.
_DROP_NAMES = {"nav", "navbar", "menu", "mainnav", "topnav", "footer", "foot"}
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "html", "li", "main", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}  # fmt: skip
_PUBDATE_META = ("pubdate", "publishdate", "article:published_time", "firstpublishedtime")
_SOURCE_META = ("contentsource", "source")


def _decode_html(data: bytes, filename: str) -> str:
    """Honour a declared <meta charset> when the bytes agree with it; otherwise detect."""
    declared = _META_CHARSET.search(data[:4096])
    if declared and b"\x00" not in data and not data.startswith(codecs.BOM_UTF8):
        name = declared.group(1).decode("ascii", errors="ignore").lower()
        try:
            return _checked(data.decode(_CODEC_ALIASES.get(name, name)), filename)
        except (LookupError, UnicodeDecodeError):
            pass  # unknown or wrong declaration: detect from the bytes instead
    return decode_text(data, filename=filename)


def _meta_content(soup: BeautifulSoup, names: Sequence[str]) -> str:
    for tag in soup.find_all("meta"):
        name = str(tag.get("name") or tag.get("property") or "").lower()
        if name in names and tag.get("content"):
            return str(tag["content"]).strip()
    return ""


def _is_chrome(tag: Tag) -> bool:
    if tag.name in _DROP_TAGS or str(tag.get("role", "")).lower() in _DROP_ROLES:
        return True
    names = [str(tag.get("id", ""))] + [str(c) for c in tag.get("class") or []]
    return any(name.lower() in _DROP_NAMES for name in names)


def _load_html(data: bytes, filename: str) -> LoadedDocument:
    soup = BeautifulSoup(_decode_html(data, filename), "lxml")
    # titles first: a site logo <h1> may sit in the header that is dropped below
    stated_titles = [
        _meta_content(soup, ("articletitle",)),
        *(_cell_text(h) for h in soup.find_all("h1")),
        *(re.split(r"\s[-|－—]+\s|[_|｜]", soup.title.get_text()) if soup.title else []),
    ]
    published_meta = _iso_date(_meta_content(soup, _PUBDATE_META))
    source_meta = _meta_content(soup, _SOURCE_META)
    for tag in soup.find_all(_is_chrome):
        if not tag.decomposed:  # an ancestor may already be gone
            tag.decompose()
    body = soup.body or soup
    for tag in body.find_all(_is_link_list):
        if not tag.decomposed:
            tag.decompose()
    page = _HtmlReader()
    page.read(body)
    # the article information line (来源, 时间) may sit outside the report's container
    published, publisher, source = _page_facts(page.blocks)
    root = _content_root(body, _pick_title(stated_titles, []))
    if root is body:
        reader = page
    else:
        reader = _HtmlReader()
        reader.read(root)
    blocks = tuple(reader.blocks)
    return LoadedDocument(
        blocks=blocks,
        title=_pick_title(stated_titles, blocks),
        published=published_meta or published,
        publisher=source_meta or publisher,
        source=source,
        tables=tuple(reader.tables),
    )


_SENTENCE_MARK = re.compile(r"[。！？；]")
_LINK_LIST_TAGS = {"ul", "ol", "dl", "div", "p", "table", "section", "span"}  # not a cell: the grid would shift
# A report title as an element's whole text (spaces removed): [agency] year 年 … 报告/年报.
_TITLE_TEXT = re.compile(r"^[^，。；：:>]{0,40}?(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年[^，。；：:>]{0,40}?(?:报告|年报)$")


def _is_link_list(tag: Tag) -> bool:
    """Menus, 相关阅读 and 友情链接 lists: three or more links that hold most of the element's text."""
    if tag.name not in _LINK_LIST_TAGS:
        return False
    links = tag.find_all("a", href=True)
    if len(links) < 3:
        return False
    text = len("".join(tag.get_text().split()))
    linked = sum(len("".join(a.get_text().split())) for a in links)
    return text > 0 and linked >= 0.8 * text


def _content_root(body: Tag, title: str) -> Tag:
    """The element that holds the report: the title and (nearly) all of the page's content.

    Content is sentences outside links (counted by their 。！？；) and rows of data tables with
    figures; menus, breadcrumbs, share buttons, sidebars and footers have none. Starting from
    <body>, step into the child that holds the report title and all but 2% of the content, as long
    as there is one. Without a title in the page, the whole page is kept.
    """
    anchor = _title_element(body, title)
    if anchor is None:
        return body
    weights = _content_weights(body)
    node = body
    while True:
        children = [child for child in node.children if isinstance(child, Tag)]
        best = max(children, key=lambda child: weights.get(id(child), 0), default=None)
        if best is None or (best.name == "table" and _is_data_table(best)):
            return node
        total, held = weights.get(id(node), 0), weights.get(id(best), 0)
        if not held or total - held > total // 50:
            return node
        if anchor is not best and best not in anchor.parents:
            return node
        node = best


def _content_weights(body: Tag) -> dict[int, int]:
    """Content under each element (by ``id``): sentence marks outside links, data-table rows with digits."""
    weights: dict[int, int] = {}

    def add(element: Tag, weight: int) -> None:
        for node in (element, *element.parents):
            weights[id(node)] = weights.get(id(node), 0) + weight

    for text in body.find_all(string=_SENTENCE_MARK):
        if type(text) is NavigableString and text.parent is not None and not text.find_parent("a", href=True):
            add(text.parent, len(_SENTENCE_MARK.findall(text)))
    for table in body.find_all("table"):
        if _is_data_table(table):
            add(table, sum(1 for tr in table.find_all("tr") if re.search(r"\d", tr.get_text())))
    return weights


def _title_element(body: Tag, title: str) -> Tag | None:
    """The element printing the report title: the stated title, else any title-shaped text. Never
    a link (a breadcrumb's last step, a related report)."""
    wanted = "".join(title.split())
    stated = _find_printed(body, lambda printed: printed == wanted, len(wanted)) if wanted else None
    return stated or _find_printed(body, _TITLE_TEXT.match, 80)


def _find_printed(body: Tag, fits: Callable[[str], object], longest: int) -> Tag | None:
    """The first element (outermost of a chain) whose whole text, spaces removed, ``fits``."""
    for text in body.find_all(string=True):
        if type(text) is not NavigableString or not text.strip() or text.find_parent("a", href=True):
            continue
        element = text.parent
        found = None
        while element is not None and element is not body:
            printed = "".join(element.get_text().split())
            if len(printed) > longest:
                break
            if fits(printed):
                found = element
            element = element.parent
        if found is not None:
            return found
    return None


class _HtmlReader:
    """Walks the DOM: text of block-level elements becomes blocks, <br> splits, data tables
    become one block per row and a :class:`Table`."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.tables: list[Table] = []
        self._inline: list[str] = []

    def read(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not comments, doctypes or CDATA
                    self._inline.append(str(child))
            elif isinstance(child, Tag):
                if child.name == "br":
                    self._flush()
                elif child.name == "table" and _is_data_table(child):
                    self._flush()
                    self._table(child)
                elif child.name in _BLOCK_TAGS:
                    self._flush()
                    self.read(child)
                    self._flush()
                else:
                    self.read(child)

    def _flush(self) -> None:
        text = _collapse("".join(self._inline))
        self._inline = []
        if text:
            self.blocks.append(text)

    def _table(self, table: Tag) -> None:
        caption = table.find("caption")
        title = _cell_text(caption) if caption else _table_title(self.blocks)
        if caption:
            self._flush()
            if title:
                self.blocks.append(title)
        rows = table.find_all("tr")
        spans: list[list[tuple[str, int, int]]] = []
        header_rows = 0
        for index, tr in enumerate(rows):
            cells = tr.find_all(["td", "th"])
            texts = [_cell_text(cell) for cell in cells]
            row_text = " ".join(t for t in texts if t)
            if row_text:
                self.blocks.append(row_text)
            spans.append(
                [
                    (text, _span(cell, "rowspan"), _span(cell, "colspan"))
                    for text, cell in zip(texts, cells, strict=True)
                ]
            )
            in_head = tr.find_parent("thead") is not None
            if header_rows == index and (in_head or (cells and all(c.name == "th" for c in cells))):
                header_rows += 1
        matrix = _expand_spans(spans)
        if matrix:
            self.tables.append(_make_table(title, matrix, header_rows))


def _is_data_table(table: Tag) -> bool:
    """Tables that lay out the page (around the menu and the article) are read as containers:
    they nest tables, have one cell per row, or hold whole sections of text in a cell (several
    paragraphs with sentences; a header cell broken into one-word lines "结果<p>纠正</p>" is no text)."""
    if table.find("table"):
        return False
    cells = table.find_all(["td", "th"])
    if not any(len(tr.find_all(["td", "th"])) > 1 for tr in table.find_all("tr")):
        return False
    return not any(
        cell.find(["h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"])
        or (
            sum(1 for block in cell.find_all(["p", "div"]) if block.get_text(strip=True)) >= 3
            and _SENTENCE_MARK.search(cell.get_text())
        )
        or len(cell.get_text()) > 300
        for cell in cells
    )


def _cell_text(element: Tag) -> str:
    """An element's text on one line: inline markup joins without spaces, blocks and <br> with one."""
    parts = []
    for node in element.descendants:
        if type(node) is NavigableString:
            parts.append(str(node))
        elif isinstance(node, Tag) and (node.name == "br" or node.name in _BLOCK_TAGS):
            parts.append(" ")
    return _collapse("".join(parts))


def _span(cell: Tag, attribute: str) -> int:
    # malformed pages carry colspan="0", "2;" or 9999: clamp to something sane
    digits = re.match(r"\s*(\d+)", str(cell.get(attribute, "1")))
    return min(max(int(digits.group(1)), 1), 200) if digits else 1


def _expand_spans(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Repeat each spanning cell in every grid position it covers, so each row is complete."""
    grid: dict[tuple[int, int], str] = {}
    for r, cells in enumerate(rows):
        c = 0
        for text, rowspan, colspan in cells:
            while (r, c) in grid:  # skip positions filled by a rowspan from above
                c += 1
            for dr in range(min(rowspan, len(rows) - r)):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            c += colspan
    if not grid:
        return []
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


# --- .docx --------------------------------------------------------------------------------------


def _load_docx(data: bytes, filename: str) -> LoadedDocument:
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises zip, XML and key errors for bad files
        raise UnreadableDocument(
            "it is not a valid DOCX file (corrupt, truncated, or an old .doc renamed)",
            remedy="open it in Word, WPS or LibreOffice and save it again as .docx, "
            "or ingest the PDF/HTML version of the report",
            filename=filename,
        ) from error
    blocks: list[str] = []
    tables: list[Table] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            # a manual line break (Shift+Enter) starts a new line, like <br> in a page
            lines = DocxParagraph(element, document).text.splitlines()
            blocks.extend(text for text in (_collapse(line) for line in lines) if text)
        elif element.tag == qn("w:tbl"):
            table = DocxTable(element, document)
            title = _table_title(blocks)
            blocks.extend(_docx_row_texts(table))
            matrix = _docx_matrix(table)
            if matrix:
                tables.append(_make_table(title, matrix, header_rows=1))
    published, publisher, source = _page_facts(blocks)
    return LoadedDocument(
        blocks=tuple(blocks),
        title=_pick_title([document.core_properties.title or ""], blocks),
        published=published,
        publisher=publisher,
        source=source,
        tables=tuple(tables),
    )


def _docx_matrix(table: DocxTable) -> list[list[str]]:
    """The table's grid, a merged cell's text in every position it covers. Read from the cells'
    own spans: python-docx's ``row.cells`` fails on tables LibreOffice writes (a vertical merge
    continued in a row whose cells cover the grid differently)."""
    matrix: list[list[str]] = []
    for tr in table._tbl.tr_lst:
        row = [""] * tr.grid_before
        for tc in tr.tc_lst:
            above = matrix[-1] if matrix else []
            if tc.vMerge == "continue":
                text = above[len(row)] if len(row) < len(above) else ""
            else:
                text = _docx_cell_text(_Cell(tc, table))
            row.extend([text] * tc.grid_span)
        matrix.append(row)
    return matrix


def _docx_row_texts(table: DocxTable) -> list[str]:
    """Each row as printed: a merged cell once, continuation cells of a vertical merge skipped."""
    texts = []
    for row in table.rows:
        cells = [_docx_cell_text(_Cell(tc, table)) for tc in row._tr.tc_lst if tc.vMerge != "continue"]
        text = " ".join(c for c in cells if c)
        if text:
            texts.append(text)
    return texts


def _docx_cell_text(cell: _Cell) -> str:
    return " ".join(cell.text.split())  # a cell's paragraphs are one line of the row


# --- .pdf ---------------------------------------------------------------------------------------

_PARAGRAPH_END = re.compile(r"[。；：！？;:!?]$")
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d)"
    r"|第[一二三四五六七八九十\d]+[章节条部分]|附件|附表)"
)
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*页?(?:\s*[/／]\s*共?\s*\d{1,4}\s*页?)?[-—–\s]*$")
# Word's PDF export sets the title to the file name: "Microsoft Word - 2017年报.docx".
_FILE_NAME_TITLE = re.compile(r"^Microsoft Word - |\.(?:docx?|wps|pdf)\s*$", re.IGNORECASE)
_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"^[A-Za-z]")


OCR_RESOLUTION = 150  # dpi a scanned PDF page is rendered at for OCR: 12-point print is 25 pixels high


def _load_pdf(data: bytes, filename: str) -> LoadedDocument:
    """The text layer page by page; a page without one (a scan) is rendered and read by OCR."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages: list[str | list[str | ocr.ScannedTable]] = []
            tables: list[Table] = []
            for page in pdf.pages:
                text = page.extract_text() or ""
                if text.strip():
                    pages.append(text)
                    tables.extend(_pdf_tables(page))
                else:
                    scan = page.to_image(resolution=OCR_RESOLUTION).original.convert("L")
                    pages.append(ocr.read_page(np.asarray(scan)))
            stated_title = str(pdf.metadata.get("Title") or "")
    except Exception as error:  # pdfminer raises many unrelated types for damaged files
        raise UnreadableDocument(
            "it is not a readable PDF (corrupt, truncated or password-protected)",
            remedy="download it again or remove the password, or ingest the HTML/DOCX version",
            filename=filename,
        ) from error
    if pages and not any(isinstance(page, str) or page for page in pages):
        raise UnreadableDocument(
            "the PDF has no text layer (it is a scan or consists of images) and OCR found no text on its pages",
            remedy="check that the scan is legible, or ingest the HTML/DOCX version of the report",
            filename=filename,
        )
    blocks: list[str] = []
    ocr_blocks: set[str] = set()
    lines: list[str] = []
    for page in pages:
        if not isinstance(page, str):
            blocks.extend(_merge_lines(lines))
            lines = []
            scanned = _scanned_blocks(page, blocks, tables)
            ocr_blocks.update(scanned)
            continue
        page_lines = [line for line in (_collapse(raw) for raw in page.splitlines()) if line]
        # running page numbers ("- 3 -", "第3页") sit on a page's first or last line
        while page_lines and _PAGE_NUMBER.match(page_lines[-1]):
            page_lines.pop()
        while page_lines and _PAGE_NUMBER.match(page_lines[0]):
            page_lines.pop(0)
        lines.extend(page_lines)
    blocks.extend(_merge_lines(lines))
    published, publisher, source = _page_facts(blocks)
    return LoadedDocument(
        blocks=tuple(blocks),
        title=_pick_title([] if _FILE_NAME_TITLE.search(stated_title) else [stated_title], blocks),
        published=published,
        publisher=publisher,
        source=source,
        tables=tuple(tables),
        ocr_blocks=frozenset(ocr_blocks),
    )


def _pdf_tables(page: pdfplumber.page.Page) -> list[Table]:
    """The ruled tables of a page (pdfplumber's ``extract_tables``), spans expanded like HTML/DOCX.

    ``extract()`` leaves None where a merged cell covers a grid position; the cell boxes say how
    far each merged cell reaches, so its text is repeated over every position it covers.
    """
    tables = []
    for found in page.find_tables():
        texts = found.extract()
        lefts = sorted({cell[0] for cell in found.cells})  # the grid columns extract() aligns to
        tops = sorted({cell[1] for cell in found.cells})
        grid = [[""] * len(lefts) for _ in tops]
        for row, (texts_row, boxes) in enumerate(zip(texts, found.rows, strict=True)):
            for column, (text, box) in enumerate(zip(texts_row, boxes.cells, strict=True)):
                if box is None or text is None:
                    continue
                _, _, x1, bottom = box
                for r in range(row, len(tops)):
                    if tops[r] >= bottom - 0.5:
                        break
                    for c in range(column, len(lefts)):
                        if lefts[c] >= x1 - 0.5:
                            break
                        grid[r][c] = _collapse(text)
        if any(any(row) for row in grid):
            above = page.crop((0, 0, page.width, found.bbox[1])).extract_text() if found.bbox[1] > 0 else ""
            lines = [line for line in (_collapse(raw) for raw in (above or "").splitlines()) if line]
            tables.append(_make_table(_table_title(lines[-1:]), grid, header_rows=1))
    return tables


def _merge_lines(lines: Sequence[str]) -> list[str]:
    """Rejoin lines wrapped by the PDF layout into paragraphs.

    A line ends its paragraph when it ends a sentence or clause (。；：！？), when the next line
    starts a heading (一、 （一） 1. 第…章 附件), when it is itself a heading (starts like one and
    does not fill the line), or when it stops well short of a full line (a title, a signature,
    a paragraph's last line).
    """
    widths = sorted(_width(line) for line in lines)
    full = widths[-max(1, len(widths) // 10)] if widths else 0  # robust to a few overlong lines
    paragraphs: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        current = _join(current, line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        width = _width(line)
        ends = (
            not following
            or _PARAGRAPH_END.search(line)
            or _HEADING_START.match(following)
            or (_HEADING_START.match(line) and width < 0.9 * full)
            or width < 0.7 * full
        )
        if ends:
            paragraphs.append(current)
            current = ""
    return paragraphs


def _width(line: str) -> int:
    """Printed width in half-width units: a Chinese character is as wide as two digits."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _join(left: str, right: str) -> str:
    # Chinese and numbers wrap anywhere ("1" / "2件" is 12件); only Latin words wrap at a space
    if left and _LATIN_END.search(left) and _LATIN_START.match(right):
        return f"{left} {right}"
    return left + right


# --- scans: images, and PDF pages without a text layer --------------------------------------------


def _scanned_blocks(items: Sequence[str | ocr.ScannedTable], blocks: list[str], tables: list[Table]) -> list[str]:
    """Append a scanned page's blocks (wrapped lines rejoined, table rows as printed) and tables;
    returns the blocks added."""
    added: list[str] = []
    lines: list[str] = []
    for item in [*items, None]:
        if isinstance(item, str):
            lines.append(_collapse(item))
            continue
        added.extend(line for line in _merge_lines(lines) if line)
        lines = []
        if item is not None:
            tables.append(_make_table(_table_title([*blocks, *added]), [list(row) for row in item.grid], header_rows=1))
            added.extend(item.printed_rows)
    blocks.extend(added)
    return added


def _load_image(data: bytes, filename: str) -> LoadedDocument:
    """A photo or scan of a report page (or a long screenshot of a whole report), read by OCR."""
    import cv2

    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise UnreadableDocument(
            f"it is not a readable {Path(filename).suffix.lstrip('.').upper()} image (corrupt or another format)",
            remedy="open it in an image viewer and save it again as PNG or JPEG",
            filename=filename,
        )
    blocks: list[str] = []
    tables: list[Table] = []
    _scanned_blocks(ocr.read_page(image), blocks, tables)
    return _titled_document(blocks, tables, ocr_blocks=frozenset(blocks))


# --- .xlsx / .xls / .doc / .wps ------------------------------------------------------------------


def _load_sheets(sheets: Sequence[tuple[str, office.Grid]], filename: str) -> LoadedDocument:
    """Each sheet is one table; the single-text rows above it (a report title, the table's own
    title) are blocks before it, the last of them its title."""
    blocks: list[str] = []
    tables: list[Table] = []
    for name, grid in sheets:
        rows = [row for row in grid if any(row)]
        while rows and len({cell for cell in rows[0] if cell}) == 1:
            blocks.append(next(cell for cell in rows.pop(0) if cell))
        if rows:
            tables.append(_make_table(_table_title(blocks) or name, rows, header_rows=1))
            blocks.extend(" ".join(dict.fromkeys(cell for cell in row if cell)) for row in rows)
    return _titled_document(blocks, tables)


def _titled_document(blocks: list[str], tables: list[Table], *, ocr_blocks: frozenset[str] = frozenset()) -> LoadedDocument:
    """A document that is only blocks and tables (a scan, a spreadsheet): its title, date and
    publisher are found in the blocks themselves."""
    published, publisher, source = _page_facts(blocks)
    return LoadedDocument(
        blocks=tuple(blocks),
        title=_pick_title([], blocks),
        published=published,
        publisher=publisher,
        source=source,
        tables=tuple(tables),
        ocr_blocks=ocr_blocks,
    )


def _load_xlsx(data: bytes, filename: str) -> LoadedDocument:
    return _load_sheets(office.xlsx_sheets(data, filename=filename), filename)


def _load_xls(data: bytes, filename: str) -> LoadedDocument:
    return _load_sheets(office.xls_sheets(data, filename=filename), filename)


def _load_word(data: bytes, filename: str) -> LoadedDocument:
    """.doc / .wps: converted to .docx by LibreOffice, then read as a .docx."""
    return _load_docx(office.convert_to_docx(data, filename=filename), filename)


_LOADERS: dict[str, Callable[[bytes, str], LoadedDocument]] = {
    ".txt": _load_txt,
    ".html": _load_html,
    ".htm": _load_html,
    ".docx": _load_docx,
    ".pdf": _load_pdf,
    ".doc": _load_word,
    ".wps": _load_word,
    ".xlsx": _load_xlsx,
    ".xls": _load_xls,
    ".png": _load_image,
    ".jpg": _load_image,
    ".jpeg": _load_image,
}
