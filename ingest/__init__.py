"""Turn one report file into a :class:`Report`: load → normalise → structure → figures → chunks.

Pure: no database, no model, no network. ``read_path`` is the only function that touches the disk.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Collection, Sequence
from pathlib import Path

from ingest.bundle import Attachment, BundleRead, read_bundle
from ingest.chunk import make_chunks
from ingest.errors import SUPPORTED_SUFFIXES, EmptyDocument, IngestError, MetadataMissing
from ingest.figures import prose_figures
from ingest.load import LoadedDocument, load_bytes
from ingest.metadata import agency_aliases, agency_from_title, find_title, year_from_title
from ingest.model import Chunk, Figure, Paragraph, Report, ReportMeta, Section, Table, TableCell
from ingest.normalise import normalise_text, strip_boilerplate
from ingest.old_tables import OldTable, read_old_table
from ingest.structure import build_structure
from ingest.tables import StandardTables, TableFigure, read_standard_tables

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Attachment",
    "BundleRead",
    "Chunk",
    "EmptyDocument",
    "Figure",
    "IngestError",
    "MetadataMissing",
    "Paragraph",
    "Report",
    "ReportMeta",
    "Section",
    "Table",
    "read_bundle",
    "read_bytes",
    "read_path",
    "report_id_for",
]

# Raised whenever parsing reads the same file differently (figures, tables, clauses): it is part of
# every report's content hash, so an index built by an older parser re-reads its files.
PARSER_VERSION = "2026.12.3"


def report_id_for(agency: str, year: int) -> str:
    """One id per agency and statistics year: a new version of a report replaces the old one."""
    digest = hashlib.sha1(agency.encode("utf-8")).hexdigest()[:8]
    return f"{year}-{digest}"


def build_report(
    document: LoadedDocument,
    *,
    source: str,
    agency: str | None = None,
    year: int | None = None,
    title: str | None = None,
    aliases: tuple[str, ...] = (),
) -> Report:
    blocks = [normalise_text(b) for b in strip_boilerplate([normalise_text(b) for b in document.blocks])]
    blocks = [b for b in blocks if b]
    if not blocks:
        raise EmptyDocument(f"{source}: no report text left after removing page boilerplate.")
    found_title = title or find_title(blocks, normalise_text(document.title))
    agency = agency or agency_from_title(found_title) or document.publisher
    year = year or year_from_title(found_title)
    if not title and agency and found_title and year and not agency_from_title(found_title):
        # "2023年度政府信息公开工作年度报告" under an agency line, or "特发布本机关…": name the agency
        found_title = agency + found_title
    if not agency or not year:
        missing = " and ".join(n for n, v in (("agency", agency), ("year", year)) if not v)
        raise MetadataMissing(
            f"{source}: could not read the {missing} from the title {found_title!r}; "
            "pass them explicitly (--agency NAME --year YYYY)."
        )
    meta = ReportMeta(
        agency=agency,
        year=year,
        title=found_title or f"{agency}{year}年政府信息公开工作年度报告",
        published=document.published,
        source=document.source or source,
        aliases=tuple(dict.fromkeys(agency_aliases(agency) + aliases)),
    )
    report_id = report_id_for(agency, year)
    text, paragraphs, sections = build_structure(blocks, report_id=report_id)
    paragraphs = _mark_ocr(paragraphs, {normalise_text(b) for b in document.ocr_blocks})
    # an OCR misread can still look like a clean number: a row that breaks an identity is withheld
    tables = read_standard_tables(text, document.tables, withhold_broken=bool(document.ocr_blocks))
    old_table = read_old_table(text, document.tables) if not tables.version else OldTable((), ())
    return Report(
        id=report_id,
        meta=meta,
        text=text,
        # Metadata is part of the version: re-ingesting with a new --title or --alias is a change.
        content_hash=hashlib.sha256(
            "\n".join([PARSER_VERSION, text, meta.agency, str(meta.year), meta.title, meta.published, *meta.aliases]).encode("utf-8")
        ).hexdigest(),
        sections=sections,
        paragraphs=paragraphs,
        figures=prose_figures(paragraphs) + table_figures(tables.figures + old_table.figures, paragraphs),
        chunks=make_chunks(paragraphs, report_id=report_id, meta=meta),
        tables=document.tables,
        table_version=tables.version,
        table_issues=tuple(f"违反勾稽关系 (identity broken): {v}" for v in tables.violations)
        + tuple(f"无法确定 (not decodable, not read): {f}" for f in (*tables.flagged, *old_table.flagged)),
    )


def _mark_ocr(paragraphs: tuple[Paragraph, ...], ocr_blocks: Collection[str]) -> tuple[Paragraph, ...]:
    """Paragraphs cut from a block OCR read are marked, so their figures' citations say so."""
    if not ocr_blocks:
        return paragraphs
    return tuple(
        dataclasses.replace(p, ocr=True) if any(p.text in block for block in ocr_blocks) else p for p in paragraphs
    )


def table_figures(cells: Sequence[TableFigure], paragraphs: tuple[Paragraph, ...]) -> tuple[Figure, ...]:
    """Table cells as figures, each pointing at the paragraph that prints its row."""
    figures = []
    for cell in cells:
        paragraph = _row_paragraph(cell, paragraphs)
        figures.append(
            Figure(
                value=cell.value,
                unit=cell.unit,
                as_printed=cell.as_printed,
                paragraph_id=paragraph.id,
                start=paragraph.start,
                end=paragraph.end,
                context=f"{cell.table} · {cell.row} · {cell.column}",
                cell=TableCell(table=cell.table, row=cell.row, column=cell.column),
                metric=cell.key,
            )
        )
    return tuple(figures)


def _row_paragraph(cell: TableFigure, paragraphs: tuple[Paragraph, ...]) -> Paragraph:
    if cell.offset is not None:
        for paragraph in paragraphs:
            if paragraph.start <= cell.offset < paragraph.end + 1:
                return paragraph
    table_number = cell.table[:2]  # "三、": the row is printed in that section
    in_table = [p for p in paragraphs if p.section_path and p.section_path[0].startswith(table_number)] or list(paragraphs)
    # The row label may join group and sub-row ("（三）不予公开 1.属于国家秘密"): the sub-row's own
    # label is what the row's paragraph prints.
    row = cell.row.split()[-1] if cell.row.split() else ""
    for paragraph in in_table:
        if row and row in paragraph.text.replace(" ", "") and not paragraph.is_heading:
            return paragraph
    return next((p for p in in_table if not p.is_heading), in_table[0])


def read_bytes(data: bytes, *, filename: str, **overrides: object) -> Report:
    """Bytes of one report file (its name gives the format) → Report."""
    return build_report(load_bytes(data, filename=filename), source=filename, **overrides)  # type: ignore[arg-type]


def read_path(path: Path, **overrides: object) -> Report:
    return read_bytes(Path(path).read_bytes(), filename=str(path), **overrides)
