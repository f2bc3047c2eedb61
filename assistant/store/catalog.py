"""The catalog: reports, paragraphs, figures and chunks in SQL (SQLite by default), via SQLAlchemy.

The catalog is the source of truth for what is ingested: a report's rows are written in one
transaction, and the vector store is reconciled against it (see assistant.index).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from ingest.model import Chunk, Figure, Paragraph, Report, ReportMeta, TableCell

metadata = MetaData()

reports = Table(
    "reports",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("agency", Text, nullable=False),
    Column("year", Integer, nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("published", String(10), nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
    Column("aliases", Text, nullable=False, default="[]"),
    Column("content_hash", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("table_version", String(8), nullable=False, default=""),
    Column("table_issues", Text, nullable=False, default="[]"),
    Column("ingested_at", String(32), nullable=False),
    # what the report was read from (file bytes, name, parser version, overrides): an unchanged
    # file is known without parsing it again
    Column("source_digest", String(64), nullable=False, default="", index=True),
)

paragraphs = Table(
    "paragraphs",
    metadata,
    Column("id", String(96), primary_key=True),
    Column("report_id", String(64), ForeignKey("reports.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("idx", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("section_path", Text, nullable=False),
    Column("is_heading", Boolean, nullable=False),
    Column("ocr", Boolean, nullable=False, default=False),  # read by OCR from an image
)

figures = Table(
    "figures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", String(64), ForeignKey("reports.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("paragraph_id", String(96), nullable=False),
    Column("value", String(40), nullable=True),  # NULL: printed as not applicable ("/", "—")
    Column("unit", String(8), nullable=False),
    Column("qualifier", String(8), nullable=False),
    Column("as_printed", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("context", Text, nullable=False),
    Column("metric", String(96), nullable=False, default="", index=True),  # ingest.standard key of a table cell
    Column("table_name", Text, nullable=True),
    Column("row_label", Text, nullable=True),
    Column("column_label", Text, nullable=True),
)

chunks = Table(
    "chunks",
    metadata,
    Column("id", String(96), primary_key=True),
    Column("report_id", String(64), ForeignKey("reports.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("idx", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("context", Text, nullable=False),
    Column("section_path", Text, nullable=False),
    Column("paragraph_ids", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("words", Text, nullable=False, default=""),  # its jieba tokens, space-joined: the lexical index's input
)

# One row: a counter every write to the catalog bumps, so each serving process (a worker of
# `nianbao serve --workers N`) sees an ingest made through another one and reloads.
state = Table(
    "catalog_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
)


# Reports whose vectors are being written: a row is committed before Chroma is touched and removed
# in the transaction that commits the catalog rows, so a killed ingest leaves the row behind and
# the next start repairs just those reports (Indexer.recover) instead of scanning every vector.
pending = Table(
    "pending_writes",
    metadata,
    Column("report_id", String(64), primary_key=True),
)


def connect(url: str) -> Engine:
    engine = create_engine(url, pool_pre_ping=True)  # a restarted PostgreSQL: reconnect, no failed request
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")  # readers keep reading while a report is written
            cursor.close()

    metadata.create_all(engine)
    _add_missing_columns(engine)
    try:
        with engine.begin() as conn:
            if conn.execute(select(state.c.version)).first() is None:
                conn.execute(insert(state).values(id=1, version=0))
    except IntegrityError:
        pass  # another process made the row first
    return engine


def version(conn: Connection) -> int:
    """The catalog's version: it changes whenever a report is added, replaced or removed."""
    return int(conn.execute(select(state.c.version).where(state.c.id == 1)).scalar_one_or_none() or 0)


def _bump_version(conn: Connection) -> None:
    conn.execute(update(state).where(state.c.id == 1).values(version=state.c.version + 1))


def _add_missing_columns(engine: Engine) -> None:
    """A catalog made before a column existed gets it (create_all adds no columns)."""
    if "ocr" not in {column["name"] for column in inspect(engine).get_columns("paragraphs")}:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE paragraphs ADD COLUMN ocr BOOLEAN NOT NULL DEFAULT FALSE"))
    if "words" not in {column["name"] for column in inspect(engine).get_columns("chunks")}:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE chunks ADD COLUMN words TEXT NOT NULL DEFAULT ''"))
    if "source_digest" not in {column["name"] for column in inspect(engine).get_columns("reports")}:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE reports ADD COLUMN source_digest VARCHAR(64) NOT NULL DEFAULT ''"))
            conn.execute(text("CREATE INDEX ix_reports_source_digest ON reports (source_digest)"))


def stored_hash(conn: Connection, report_id: str) -> str | None:
    return conn.execute(select(reports.c.content_hash).where(reports.c.id == report_id)).scalar_one_or_none()


def delete_report(conn: Connection, report_id: str) -> bool:
    for table in (figures, chunks, paragraphs):
        conn.execute(delete(table).where(table.c.report_id == report_id))
    removed = conn.execute(delete(reports).where(reports.c.id == report_id)).rowcount > 0
    if removed:
        _bump_version(conn)
    return removed


def save_report(conn: Connection, report: Report, *, source_digest: str = "",
                words: Callable[[str], list[str]] | None = None) -> None:
    """Replace whatever the catalog holds for this report id (call inside a transaction).
    ``words`` tokenizes each chunk's indexed text for the lexical index."""
    delete_report(conn, report.id)
    _bump_version(conn)
    meta = report.meta
    conn.execute(
        insert(reports).values(
            id=report.id,
            agency=meta.agency,
            year=meta.year,
            title=meta.title,
            published=meta.published,
            source=meta.source,
            aliases=json.dumps(list(meta.aliases), ensure_ascii=False),
            content_hash=report.content_hash,
            text=report.text,
            table_version=report.table_version,
            table_issues=json.dumps(list(report.table_issues), ensure_ascii=False),
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
            source_digest=source_digest,
        )
    )
    conn.execute(
        insert(paragraphs),
        [
            dict(
                id=p.id,
                report_id=report.id,
                idx=p.index,
                text=p.text,
                start=p.start,
                end=p.end,
                section_path=json.dumps(list(p.section_path), ensure_ascii=False),
                is_heading=p.is_heading,
                ocr=p.ocr,
            )
            for p in report.paragraphs
        ],
    )
    if report.figures:
        conn.execute(
            insert(figures),
            [
                dict(
                    report_id=report.id,
                    paragraph_id=f.paragraph_id,
                    value=None if f.value is None else str(f.value),
                    unit=f.unit,
                    qualifier=f.qualifier,
                    as_printed=f.as_printed,
                    start=f.start,
                    end=f.end,
                    context=f.context,
                    metric=f.metric,
                    table_name=f.cell.table if f.cell else None,
                    row_label=f.cell.row if f.cell else None,
                    column_label=f.cell.column if f.cell else None,
                )
                for f in report.figures
            ],
        )
    conn.execute(
        insert(chunks),
        [
            dict(
                id=c.id,
                report_id=report.id,
                idx=c.index,
                text=c.text,
                context=c.context,
                section_path=json.dumps(list(c.section_path), ensure_ascii=False),
                paragraph_ids=json.dumps(list(c.paragraph_ids)),
                start=c.start,
                end=c.end,
                words=" ".join(words(c.indexed_text)) if words else "",
            )
            for c in report.chunks
        ],
    )


def load_reports(conn: Connection, report_id: str | None = None) -> list[Report]:
    """Every report (or the one with ``report_id``), whole. A serving process reads one at a time,
    as questions need them (assistant.store.shelf), so rows are read as plain tuples, and a JSON
    value repeated across rows (a section path) is parsed once."""

    def only(table: Table, query):  # type: ignore[no-untyped-def]
        column = table.c.id if table is reports else table.c.report_id
        return query if report_id is None else query.where(column == report_id)

    parsed: dict[str, tuple[str, ...]] = {}

    def path(value: str) -> tuple[str, ...]:
        found = parsed.get(value)
        if found is None:
            found = parsed[value] = tuple(json.loads(value))
        return found

    by_id: dict[str, tuple[Row, list[Paragraph], list[Figure], list[Chunk]]] = {}
    for row in conn.execute(only(reports, select(reports).order_by(reports.c.year, reports.c.agency))).all():
        by_id[row.id] = (row, [], [], [])
    p = paragraphs.c
    query = select(p.report_id, p.id, p.idx, p.text, p.start, p.end, p.section_path, p.is_heading, p.ocr)
    for rid, paragraph_id, idx, text_, start, end, section_path, is_heading, ocr in conn.execute(
            only(paragraphs, query.order_by(p.report_id, p.idx))).all():
        by_id[rid][1].append(Paragraph(id=paragraph_id, index=idx, text=text_, start=start, end=end,
                                       section_path=path(section_path), is_heading=bool(is_heading), ocr=bool(ocr)))
    f = figures.c
    query = select(f.report_id, f.value, f.unit, f.as_printed, f.paragraph_id, f.start, f.end, f.context, f.qualifier,
                   f.metric, f.table_name, f.row_label, f.column_label)
    for (rid, value, unit, as_printed, paragraph_id, start, end, context, qualifier, metric, table_name, row_label,
         column_label) in conn.execute(only(figures, query.order_by(f.report_id, f.start))).all():
        by_id[rid][2].append(Figure(value=None if value is None else Decimal(value), unit=unit, as_printed=as_printed,
                                    paragraph_id=paragraph_id, start=start, end=end, context=context,
                                    qualifier=qualifier, metric=metric,
                                    cell=TableCell(table_name, row_label, column_label) if table_name else None))
    c = chunks.c
    query = select(c.report_id, c.id, c.idx, c.text, c.context, c.section_path, c.paragraph_ids, c.start, c.end)
    for rid, chunk_id, idx, text_, context, section_path, paragraph_ids, start, end in conn.execute(
            only(chunks, query.order_by(c.report_id, c.idx))).all():
        by_id[rid][3].append(Chunk(id=chunk_id, report_id=rid, index=idx, text=text_, context=context,
                                   section_path=path(section_path), paragraph_ids=tuple(json.loads(paragraph_ids)),
                                   start=start, end=end))
    return [
        Report(
            id=row.id,
            meta=ReportMeta(agency=row.agency, year=row.year, title=row.title, published=row.published,
                            source=row.source, aliases=tuple(json.loads(row.aliases))),
            text=row.text,
            content_hash=row.content_hash,
            sections=(),
            paragraphs=tuple(found_paragraphs),
            figures=tuple(found_figures),
            chunks=tuple(found_chunks),
            table_version=row.table_version,
            table_issues=tuple(json.loads(row.table_issues)),
        )
        for row, found_paragraphs, found_figures, found_chunks in by_id.values()
    ]


def report_from_source(conn: Connection, source_digest: str) -> tuple[str, str, tuple[str, ...]] | None:
    """(id, title, table issues) of the report read from exactly this source, if the catalog has it."""
    row = conn.execute(select(reports.c.id, reports.c.title, reports.c.table_issues)
                       .where(reports.c.source_digest == source_digest)).first()
    return None if row is None else (row.id, row.title, tuple(json.loads(row.table_issues)))


def set_source_digest(conn: Connection, report_id: str, source_digest: str) -> None:
    conn.execute(update(reports).where(reports.c.id == report_id).values(source_digest=source_digest))


def mark_pending(conn: Connection, report_id: str) -> None:
    if conn.execute(select(pending.c.report_id).where(pending.c.report_id == report_id)).first() is None:
        conn.execute(insert(pending).values(report_id=report_id))


def clear_pending(conn: Connection, report_id: str) -> None:
    conn.execute(delete(pending).where(pending.c.report_id == report_id))


def pending_reports(conn: Connection) -> list[str]:
    return list(conn.execute(select(pending.c.report_id)).scalars())


def chunk_tokens(conn: Connection) -> Iterator[tuple[str, str, str, str]]:
    """(chunk id, report id, words, indexed text) of every chunk, grouped by report."""
    query = select(chunks.c.id, chunks.c.report_id, chunks.c.words, chunks.c.context, chunks.c.text)
    for row in conn.execute(query.order_by(chunks.c.report_id, chunks.c.idx)):
        yield row.id, row.report_id, row.words, f"{row.context}\n{row.text}"


def load_entries(conn: Connection) -> list[tuple[str, str, ReportMeta]]:
    """(id, content hash, metadata) of every report, without their text: what a serving process keeps."""
    query = select(reports.c.id, reports.c.content_hash, reports.c.agency, reports.c.year, reports.c.title,
                   reports.c.published, reports.c.source, reports.c.aliases)
    return [
        (row.id, row.content_hash, ReportMeta(agency=row.agency, year=row.year, title=row.title, published=row.published,
                                              source=row.source, aliases=tuple(json.loads(row.aliases))))
        for row in conn.execute(query.order_by(reports.c.year, reports.c.agency))
    ]


def part_counts(conn: Connection) -> dict[str, tuple[int, int, int]]:
    """report id → (paragraphs, figures, chunks), counted by SQL."""
    counts: dict[str, list[int]] = {}
    for position, table in enumerate((paragraphs, figures, chunks)):
        for report_id, n in conn.execute(select(table.c.report_id, func.count()).group_by(table.c.report_id)):
            counts.setdefault(report_id, [0, 0, 0])[position] = n
    return {rid: (c[0], c[1], c[2]) for rid, c in counts.items()}


def report_hashes(conn: Connection) -> dict[str, str]:
    return dict(conn.execute(select(reports.c.id, reports.c.content_hash)).tuples().all())
