"""A report page and its attachments → one Report (pure: bytes in, Report out).

Portals publish a report as a page (its text in a content ``div``) with attachments linked from
it: the statistics table as ``.xls``/``.pdf``, or the whole report as ``.pdf``/``.doc`` under a
page that only says 详见附件. Read together they are one report, not two:

- text: the page's, plus the text of the attachment with the most prose when the page is only a
  stub (that attachment has more than twice the page's text outside its tables);
- tables: the page's own; else that attachment's; else every attachment's, each table's rows
  also added as text (under its title) so that a table cell's figure has a row to cite;
- title, date and publisher: the page's (an attachment's title when the page has none); the
  source is the page's URL.

An attachment that cannot be read is left out and named in ``BundleRead.skipped``; the page's
report still goes in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ingest.errors import EmptyDocument, IngestError
from ingest.load import LoadedDocument, load_bytes
from ingest.model import Report, Table


@dataclass(frozen=True)
class Attachment:
    """One file linked from a report page: its bytes and its name (the suffix gives the format)."""

    data: bytes
    name: str


@dataclass(frozen=True)
class BundleRead:
    report: Report
    skipped: tuple[str, ...] = ()  # attachments left out, each "name: why"


def merge_documents(page: LoadedDocument, attachments: Sequence[LoadedDocument]) -> LoadedDocument:
    """The page's text and metadata with what its attachments add (see the module docstring)."""
    longest = max(attachments, key=_prose_chars, default=None)
    body = longest if longest is not None and _prose_chars(longest) > 2 * _chars(page) else None
    blocks = list(page.blocks) + list(body.blocks if body else ())
    tables: tuple[Table, ...] = page.tables or (body.tables if body else ())
    if not tables:
        tables = tuple(table for document in attachments for table in document.tables)
        blocks += [line for table in tables for line in _table_lines(table)]
    return replace(
        page,
        blocks=tuple(blocks),
        title=page.title or (body.title if body else ""),
        tables=tables,
    )


def read_bundle(
    page: bytes,
    *,
    page_name: str,
    attachments: Sequence[Attachment] = (),
    source: str,
    **overrides: object,
) -> BundleRead:
    """A report page's bytes and its attachments' → one Report whose source is ``source`` (the page URL).

    Raises IngestError when the page and its attachments together give no report (no text, no
    agency or year); an attachment that cannot be read is only skipped.
    """
    from ingest import build_report  # ingest/__init__ imports this module

    skipped: list[str] = []
    loaded: list[LoadedDocument] = []
    for attachment in attachments:
        try:
            loaded.append(load_bytes(attachment.data, filename=attachment.name))
        except IngestError as exc:
            skipped.append(str(exc))
    try:
        merged = merge_documents(load_bytes(page, filename=page_name), loaded)
    except EmptyDocument:
        # a page frame whose report is all in its attachments
        if not loaded:
            raise EmptyDocument("the page holds no report text and none of its attachments could be read",
                                filename=source) from None
        merged = merge_documents(loaded[0], loaded[1:])
    merged = replace(merged, source=source)
    report = build_report(merged, source=source, **overrides)  # type: ignore[arg-type]
    return BundleRead(report=report, skipped=tuple(skipped))


def _chars(document: LoadedDocument) -> int:
    return sum(len(block) for block in document.blocks)


def _prose_chars(document: LoadedDocument) -> int:
    """Characters outside the tables: a statistics table attached to a full page is no report text."""
    in_tables = sum(len(line) for table in document.tables for line in _table_lines(table))
    return max(0, _chars(document) - in_tables)


def _table_lines(table: Table) -> list[str]:
    """A table as text blocks, as the loaders print a table's rows: the title, then cells joined by a space."""
    header = " ".join(cell for cell in table.header if cell)
    rows = [" ".join(cell for cell in row if cell) for row in table.rows]
    return [line for line in (table.title, header, *rows) if line]
