"""Turn one report file into a :class:`Report`: load → normalise → structure → figures → chunks.

Pure: no database, no model, no network. ``read_path`` is the only function that touches the disk.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.chunk import make_chunks
from ingest.errors import EmptyDocument, IngestError, MetadataMissing
from ingest.figures import prose_figures
from ingest.load import LoadedDocument, load_bytes
from ingest.metadata import agency_aliases, agency_from_title, find_title, year_from_title
from ingest.model import Chunk, Figure, Paragraph, Report, ReportMeta, Section, Table
from ingest.normalise import normalise_text, strip_boilerplate
from ingest.structure import build_structure

__all__ = [
    "Chunk",
    "EmptyDocument",
    "Figure",
    "IngestError",
    "MetadataMissing",
    "Paragraph",
    "Report",
    "ReportMeta",
    "Section",
    "SUPPORTED_SUFFIXES",
    "Table",
    "read_bytes",
    "read_path",
    "report_id_for",
]

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


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
    return Report(
        id=report_id,
        meta=meta,
        text=text,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        sections=sections,
        paragraphs=paragraphs,
        figures=prose_figures(paragraphs),
        chunks=make_chunks(paragraphs, report_id=report_id, meta=meta),
        tables=document.tables,
    )


def read_bytes(data: bytes, *, filename: str, **overrides: object) -> Report:
    """Bytes of one report file (its name gives the format) → Report."""
    return build_report(load_bytes(data, filename=filename), source=filename, **overrides)  # type: ignore[arg-type]


def read_path(path: Path, **overrides: object) -> Report:
    return read_bytes(Path(path).read_bytes(), filename=str(path), **overrides)
