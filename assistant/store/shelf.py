"""The reports a serving process answers from: every report's metadata in memory, whole reports
(paragraphs, figures, chunks) read from the catalog by indexed SQL when a question needs them, and
the most recently used ones kept. Ten thousand reports cost a process a few MB, not gigabytes."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

from assistant.store import catalog
from ingest.model import Chunk, Paragraph, Report, ReportMeta

CACHED_REPORTS = 256


@dataclass(frozen=True)
class ReportEntry:
    """What a process keeps of every report: enough to pick the reports a question is about."""

    id: str
    meta: ReportMeta
    content_hash: str


def report_of(part_id: str) -> str:
    """The report id of a paragraph or chunk id (``<report id>:p012``, ``<report id>:c003``)."""
    return part_id.rsplit(":", 1)[0]


@dataclass(frozen=True)
class _Loaded:
    report: Report
    paragraphs: dict[str, Paragraph]
    chunks: dict[str, Chunk]

    @classmethod
    def of(cls, report: Report) -> _Loaded:
        return cls(report, {p.id: p for p in report.paragraphs}, {c.id: c for c in report.chunks})


class Shelf(Mapping[str, Report]):
    """report id → Report, with the entries of all of them; parts looked up by their ids."""

    entries: Sequence[ReportEntry]
    metas: list[ReportMeta]

    def _load(self, report_id: str) -> _Loaded | None:
        raise NotImplementedError

    @functools.cached_property
    def _positions(self) -> dict[str, list[int]]:
        """body → where its reports are in ``entries``."""
        found: dict[str, list[int]] = {}
        for at, entry in enumerate(self.entries):
            found.setdefault(entry.meta.agency, []).append(at)
        return found

    def of_agencies(self, agencies: Iterable[str]) -> list[ReportEntry]:
        """The entries of these bodies' reports, in the shelf's order, without a walk over every entry."""
        return [self.entries[at] for at in sorted(at for a in set(agencies) for at in self._positions.get(a, ()))]

    def __getitem__(self, report_id: str) -> Report:
        loaded = self._load(report_id)
        if loaded is None:
            raise KeyError(report_id)
        return loaded.report

    def __iter__(self) -> Iterator[str]:
        return (e.id for e in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def paragraph(self, paragraph_id: str) -> tuple[Report, Paragraph] | None:
        loaded = self._load(report_of(paragraph_id))
        found = loaded.paragraphs.get(paragraph_id) if loaded else None
        return None if found is None else (loaded.report, found)  # type: ignore[union-attr]

    def chunk(self, chunk_id: str) -> Chunk | None:
        loaded = self._load(report_of(chunk_id))
        return loaded.chunks.get(chunk_id) if loaded else None


class InMemoryShelf(Shelf):
    """Reports already loaded (the evaluation's baselines, the tests)."""

    def __init__(self, reports: Sequence[Report]) -> None:
        self._reports = {r.id: _Loaded.of(r) for r in reports}
        self.entries = [ReportEntry(r.id, r.meta, r.content_hash) for r in reports]
        self.metas = [e.meta for e in self.entries]

    def _load(self, report_id: str) -> _Loaded | None:
        return self._reports.get(report_id)


class CatalogShelf(Shelf):
    """Reports read from the catalog on first use; the ``cached`` most recent kept."""

    def __init__(self, engine: Engine, *, cached: int = CACHED_REPORTS) -> None:
        self.engine = engine
        with engine.connect() as conn:
            self.entries = [ReportEntry(rid, meta, digest) for rid, digest, meta in catalog.load_entries(conn)]
        self.metas = [e.meta for e in self.entries]
        self._known = {e.id for e in self.entries}
        self._cached: OrderedDict[str, _Loaded] = OrderedDict()
        self._size = cached
        self._lock = threading.Lock()

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._known

    def _load(self, report_id: str) -> _Loaded | None:
        with self._lock:
            if report_id in self._cached:
                self._cached.move_to_end(report_id)
                return self._cached[report_id]
        if report_id not in self._known:
            return None
        with self.engine.connect() as conn:
            reports = catalog.load_reports(conn, report_id)
        if not reports:  # removed since this shelf was made
            return None
        loaded = _Loaded.of(reports[0])
        with self._lock:
            self._cached[report_id] = loaded
            while len(self._cached) > self._size:
                self._cached.popitem(last=False)
        return loaded
