"""Write reports into both stores, all or nothing, and keep the stores consistent.

The catalog (SQL) is the source of truth. A report's catalog rows are written in one transaction
that commits only after its vectors are in Chroma; if anything fails, the transaction rolls back
and Chroma is put back to what the catalog says. A crash between the two (a killed process) leaves
the report's row in the catalog's pending writes, and :meth:`Indexer.recover` (at start-up) puts
just those reports right; :meth:`Indexer.reconcile` (before every batch ingest) compares every
vector with the catalog. A report is in both stores or in neither, never half.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from sqlalchemy import Engine

import ingest
from assistant.store import catalog
from assistant.store.vectors import VectorStore
from assistant.tokens import add_words, word_tokens
from ingest.errors import IngestError
from ingest.model import Report


class Outcome(str, Enum):
    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class FileResult:
    path: str
    outcome: Outcome
    report_id: str | None = None
    title: str = ""
    error: str = ""
    issues: tuple[str, ...] = ()  # table identity violations and undecodable rows, stored with the report


@dataclass(frozen=True)
class Overrides:
    """Metadata given on the command line wins over what the title says."""

    agency: str | None = None
    year: int | None = None
    title: str | None = None
    aliases: tuple[str, ...] = ()


def report_files(paths: Iterable[Path]) -> list[Path]:
    """The report files under ``paths`` (folders recursively), in a stable order."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in ingest.SUPPORTED_SUFFIXES
            )
        else:
            found.append(path)
    return found


def source_digest(path: Path, data: bytes, overrides: Overrides) -> str:
    """What a report read from this file depends on: its bytes, name, the parser and the overrides."""
    digest = hashlib.sha256()
    for part in (ingest.PARSER_VERSION, str(path), repr(overrides)):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(data)
    return digest.hexdigest()


class Indexer:
    def __init__(self, engine: Engine, vectors: VectorStore) -> None:
        self.engine = engine
        self.vectors = vectors

    def index(self, report: Report, *, source_digest: str = "") -> Outcome:
        with self.engine.connect() as conn:
            previous = catalog.stored_hash(conn, report.id)
        if previous == report.content_hash and self.vectors.hashes_of(report.id) == {report.content_hash}:
            if source_digest:
                with self.engine.begin() as conn:
                    catalog.set_source_digest(conn, report.id, source_digest)
            return Outcome.UNCHANGED
        try:
            self._mark_pending(report.id)
            add_words([report.meta.agency, *report.meta.aliases])  # tokenized whole, as questions naming them are
            # Tokenized and embedded before the transaction: the catalog is not locked meanwhile.
            words = {c.indexed_text: word_tokens(c.indexed_text) for c in report.chunks}
            vectors = self.vectors.embed(report.chunks)
            with self.engine.begin() as conn:
                catalog.save_report(conn, report, source_digest=source_digest, words=words.__getitem__)
                self.vectors.delete_report(report.id)
                self.vectors.upsert(report.chunks, content_hash=report.content_hash, vectors=vectors)
                catalog.clear_pending(conn, report.id)
        except BaseException:
            self._restore(report.id)
            raise
        return Outcome.ADDED if previous is None else Outcome.REPLACED

    def remove(self, report_id: str) -> bool:
        self._mark_pending(report_id)
        with self.engine.begin() as conn:
            removed = catalog.delete_report(conn, report_id)
            self.vectors.delete_report(report_id)
            catalog.clear_pending(conn, report_id)
        return removed

    def _mark_pending(self, report_id: str) -> None:
        with self.engine.begin() as conn:
            catalog.mark_pending(conn, report_id)

    def recover(self) -> list[str]:
        """Repair the reports a killed ingest left half written (their pending rows); returns their ids."""
        with self.engine.connect() as conn:
            repaired = catalog.pending_reports(conn)
        for report_id in repaired:
            self._restore(report_id)
        return repaired

    def reconcile(self) -> list[str]:
        """Make Chroma match the catalog, vector by vector; returns the ids of the reports that needed repair."""
        with self.engine.connect() as conn:
            wanted = catalog.report_hashes(conn)
        stored = self.vectors.stored_hashes()
        repaired = [rid for rid in stored if rid not in wanted]
        repaired += [rid for rid, digest in wanted.items() if stored.get(rid) != {digest}]
        for report_id in repaired:
            self._restore(report_id)
        return repaired

    def _restore(self, report_id: str) -> None:
        """Put the report's vectors back to what the catalog holds for it (possibly nothing)."""
        self.vectors.delete_report(report_id)
        with self.engine.connect() as conn:
            digest = catalog.stored_hash(conn, report_id)
            report = catalog.load_reports(conn, report_id)[0] if digest is not None else None
        if report is not None:
            self.vectors.upsert(report.chunks, content_hash=digest)  # type: ignore[arg-type]
        with self.engine.begin() as conn:
            catalog.clear_pending(conn, report_id)

    def ingest_files(
        self,
        paths: Iterable[Path],
        *,
        overrides: Overrides = Overrides(),
        on_file: Callable[[FileResult], None] | None = None,
    ) -> list[FileResult]:
        """Read and index every file; one bad file is reported and the others still go in."""
        self.recover()
        self.reconcile()
        results = []
        for path in report_files(paths):
            try:
                data = Path(path).read_bytes()
                digest = source_digest(path, data, overrides)
                with self.engine.connect() as conn:
                    known = catalog.report_from_source(conn, digest)
                if known is not None:
                    result = FileResult(str(path), Outcome.UNCHANGED, *known)
                else:
                    report = ingest.read_bytes(
                        data, filename=str(path), agency=overrides.agency, year=overrides.year, title=overrides.title,
                        aliases=overrides.aliases,
                    )
                    outcome = self.index(report, source_digest=digest)
                    result = FileResult(str(path), outcome, report.id, report.meta.title, issues=report.table_issues)
            except IngestError as exc:
                result = FileResult(str(path), Outcome.FAILED, error=str(exc))
            except OSError as exc:
                result = FileResult(str(path), Outcome.FAILED, error=f"cannot read {path}: {exc.strerror or exc}")
            results.append(result)
            if on_file:
                on_file(result)
        return results
