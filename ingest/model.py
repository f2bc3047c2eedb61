"""The document types that every stage of ingestion produces and every consumer reads.

A file becomes a :class:`Report`: metadata, the normalised text, its paragraphs (each with a stable
id and character offsets into ``Report.text``), the section tree they sit in, the figures found in
them, and the chunks that get embedded. Nothing here knows about stores or models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Section:
    """A heading and where it sits: ``path`` is every heading from the top down to this one."""

    path: tuple[str, ...]
    level: int
    start: int  # offset of the heading in Report.text


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the normalised report text; ``text == report.text[start:end]``."""

    id: str
    index: int
    text: str
    start: int
    end: int
    section_path: tuple[str, ...]
    is_heading: bool = False
    ocr: bool = False  # read by OCR from an image (a scan, a photo): its figures may be misread


@dataclass(frozen=True)
class TableCell:
    """Where a table figure stands: the table's title, its row label and its column label."""

    table: str
    row: str
    column: str


@dataclass(frozen=True)
class Table:
    """A table as read: its title, header row and body rows (cells as printed)."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    paragraph_id: str | None = None


@dataclass(frozen=True)
class Figure:
    """A number the report states, with what it counts and exactly where it is printed.

    ``as_printed`` is the report's own wording of the figure ("400多篇次", "未收取任何费用");
    ``value`` is its normalised value (0 for a stated absence, None for a table cell printed as not
    applicable: "/", "—"). ``start``/``end`` are offsets into ``Report.text``; ``context`` says what
    the figure counts (its clause, or table · row · column). ``metric`` is the standard-table key
    (ingest.standard) of a table cell, empty for prose.
    """

    value: Decimal | None
    unit: str
    as_printed: str
    paragraph_id: str
    start: int
    end: int
    context: str
    qualifier: str = ""  # 多 / 余 / 超过 / 约 / 近 …: the figure is an approximation
    cell: TableCell | None = None
    metric: str = ""


@dataclass(frozen=True)
class Chunk:
    """A retrieval unit: consecutive paragraphs of one section, never cutting a sentence.

    ``text`` is what the chunk says; ``context`` names its report and section so that
    retrieval can tell one report's paragraph from another's (it is embedded with the text).
    """

    id: str
    report_id: str
    index: int
    text: str
    context: str
    section_path: tuple[str, ...]
    paragraph_ids: tuple[str, ...]
    start: int
    end: int

    @property
    def indexed_text(self) -> str:
        return f"{self.context}\n{self.text}"


@dataclass(frozen=True)
class ReportMeta:
    """Who published the report, for which statistics year, and where it came from."""

    agency: str
    year: int
    title: str
    published: str = ""  # ISO date (YYYY-MM-DD) when the page says it
    source: str = ""
    aliases: tuple[str, ...] = ()  # other names the public uses for the agency: 科技厅, 省科技厅


@dataclass(frozen=True)
class Report:
    id: str
    meta: ReportMeta
    text: str
    content_hash: str
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    figures: tuple[Figure, ...]
    chunks: tuple[Chunk, ...]
    tables: tuple[Table, ...] = field(default=())
    table_version: str = ""  # "2019" / "2021": the standard-table format, "" for free-form reports
    table_issues: tuple[str, ...] = ()  # identity violations and undecodable rows, as found at ingest

    def paragraph(self, paragraph_id: str) -> Paragraph:
        for paragraph in self.paragraphs:
            if paragraph.id == paragraph_id:
                return paragraph
        raise KeyError(f"report {self.id} has no paragraph {paragraph_id!r}")
