"""Headings, sections and paragraphs: from clean text blocks to the report's skeleton.

Portal exports often arrive with the whole body on one line, headings run into their text
("二、主动公开政府信息情况（一）主动公开政府信息的数量各乡镇…"), so headings are found inline
as well as on lines of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.model import Paragraph, Section
from ingest.standard import T3_ROWS

# Row labels of the standard table 三 carry heading markers (一、本年新收… （一）予以公开); in a
# flattened table they are rows, not sections.
_TABLE_ROW_STARTS = tuple(
    dict.fromkeys(
        start
        for row in T3_ROWS
        for label in (row.label, *row.variants)
        if len(start := re.sub(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）|^\d+\.", "", label)[:4]) >= 4
    )
) + ("本年度办理结果", "总计")
_ROW_START = re.compile(r"(?=[（(][一二三四五六七八九十]{1,2}[)）]|(?<!\d)\d{1,2}[.．、]|[一二三四五六七八九十]、)")

# Heading markers by level: 一、 / （一） / 1. / （1）
_MARKERS: tuple[tuple[int, str], ...] = (
    (1, r"[一二三四五六七八九十]{1,3}、"),
    (2, r"[（(][一二三四五六七八九十]{1,3}[)）]"),
    (3, r"\d{1,2}[.．、](?!\d)"),
    (4, r"[（(]\d{1,2}[)）]"),
)
_MARKER_RE = re.compile("|".join(f"(?P<l{level}>{pattern})" for level, pattern in _MARKERS))

# Words that end a heading when the body runs on straight after it (…情况2021年, …方面我区).
_HEADING_ENDINGS = re.compile(r"(情况|方面|措施|事项|数量|类别|形式|概述)")
_HEADING_MAX = 28
_SENTENCE_END = "。！？；"
# Paragraphs longer than this are split at sentence ends, so a citation stays a readable passage.
PARAGRAPH_MAX = 320


def _heading_at(text: str, pos: int) -> tuple[int, str, int] | None:
    """If a heading starts at ``pos``: (level, heading text, end offset of the heading)."""
    match = _MARKER_RE.match(text, pos)
    if not match:
        return None
    level = int(next(name for name, value in match.groupdict().items() if value)[1])
    rest = text[match.end() :]
    stripped = rest.lstrip()
    lead = len(rest) - len(stripped)
    window = stripped[:_HEADING_MAX]
    inner_marker = _first_marker(window)
    if inner_marker > 0:
        window = window[:inner_marker]
    if not window:
        return None
    # A heading standing alone or ending in punctuation of its own.
    stop = next((i for i, ch in enumerate(window) if ch in "。：:；;\n"), None)
    if len(stripped) <= _HEADING_MAX and stop is None and "，" not in stripped:
        return level, (match.group() + stripped).strip(), len(text)
    # A numbered sentence ("（二）依申请公开全年未收到申请。") is no heading: headings state no figures.
    states_figure = stop is not None and re.search(r"\d|未|没有|共|无", window[:stop])
    if stop is not None and not states_figure and "，" not in window[:stop] and "," not in window[:stop]:
        end = match.end() + lead + stop + 1
        return level, text[pos : end - 1].strip(), end
    # A heading whose body runs on: it ends at a space, before a year or figure, at the next
    # marker, or after its first heading word (情况, 方面 …).
    cut_at = [i for i in (window.find(" "), _first_digit(window), _first_marker(window)) if i > 0]
    if cut_at:
        window = window[: min(cut_at)]
        if not _HEADING_ENDINGS.search(window) and min(cut_at) == window.find(" "):
            return level, text[pos : match.end() + lead + len(window)].strip(), match.end() + lead + len(window)
    ending = _HEADING_ENDINGS.search(window)
    if ending:
        end = match.end() + lead + ending.end()
        return level, text[pos:end].strip(), end
    if cut_at and len(window) >= 2:
        end = match.end() + lead + len(window)
        return level, text[pos:end].strip(), end
    return None


def _first_digit(window: str) -> int:
    found = re.search(r"\d", window)
    return found.start() if found else -1


def _first_marker(window: str) -> int:
    found = _MARKER_RE.search(window, 1)
    return found.start() if found else -1


def _split_block(block: str) -> list[tuple[str, int | None]]:
    """One block → pieces, each (text, heading level or None)."""
    pieces: list[tuple[str, int | None]] = []
    pos = 0
    body_start = 0
    while pos < len(block):
        # Table rows run into the next section heading ("…000000四、政府信息公开…"), so a
        # top-level marker may follow a digit.
        boundary = _SENTENCE_END + "：: ）)”" + ("0123456789" if block[pos] in "一二三四五六七八九十" else "")
        at_boundary = pos == body_start or block[pos - 1] in boundary
        heading = _heading_at(block, pos) if at_boundary else None
        if heading and heading[0] >= 3 and pos != body_start and block[pos - 1] not in _SENTENCE_END + " ":
            heading = None  # "共1、2项" is no heading: numbered items start after a sentence
        if heading and (
            _MARKER_RE.sub("", heading[1], count=1).lstrip().startswith(_TABLE_ROW_STARTS)
            or re.search(r"(\s|^)(\d+(\.\d+)?|/|—)$", heading[1])
        ):
            heading = None  # a table row ("1.属于国家秘密 0 0 0"), not a section
        if heading:
            level, title, end = heading
            if block[body_start:pos].strip():
                pieces.append((block[body_start:pos].strip(), None))
            pieces.append((title, level))
            pos = body_start = end
            continue
        pos += 1
    if block[body_start:].strip():
        pieces.append((block[body_start:].strip(), None))
    return pieces


def _split_long(text: str) -> list[str]:
    """Cut at sentence ends; a run with none (a flattened table) at its row starts instead."""
    if len(text) <= PARAGRAPH_MAX:
        return [text]
    sentences: list[str] = []
    for sentence in re.findall(rf"[^{_SENTENCE_END}]+[{_SENTENCE_END}]?[”」』]?", text):
        if len(sentence) > PARAGRAPH_MAX:
            sentences.extend(piece for piece in _ROW_START.split(sentence) if piece)
        else:
            sentences.append(sentence)
    parts: list[str] = []
    current = ""
    for sentence in sentences:
        if current and len(current) + len(sentence) > PARAGRAPH_MAX:
            parts.append(current)
            current = ""
        current += sentence
    if current:
        parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def build_structure(
    blocks: Sequence[str], *, report_id: str
) -> tuple[str, tuple[Paragraph, ...], tuple[Section, ...]]:
    """Blocks → (normalised report text, paragraphs, sections).

    The report text is the paragraphs joined by newlines, so every paragraph's offsets are exact.
    Paragraph ids are the report id plus the paragraph's position: the same text always gets the
    same ids, so citations kept in the history stay valid across re-ingests.
    """
    pieces: list[tuple[str, int | None]] = []
    for block in blocks:
        pieces.extend(_split_block(block))

    paragraphs: list[Paragraph] = []
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    offset = 0
    for piece, level in pieces:
        texts = [piece] if level is not None else _split_long(piece)
        for text in texts:
            if level is not None:
                path = [(lvl, title) for lvl, title in path if lvl < level] + [(level, text)]
            section_path = tuple(title for _, title in path)
            index = len(paragraphs)
            paragraphs.append(
                Paragraph(
                    id=f"{report_id}:p{index:03d}",
                    index=index,
                    text=text,
                    start=offset,
                    end=offset + len(text),
                    section_path=section_path,
                    is_heading=level is not None,
                )
            )
            if level is not None:
                sections.append(Section(path=section_path, level=level, start=offset))
            offset += len(text) + 1
    report_text = "\n".join(p.text for p in paragraphs)
    return report_text, tuple(paragraphs), tuple(sections)
