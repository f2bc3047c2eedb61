"""The assistant as one object: stores, model, retriever and answerer, built once per process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant import catalog_engine
from assistant.answering import PLANS, Answerer
from assistant.config import Settings
from assistant.embedding import Embedder, load_embedder
from assistant.errors import QuestionInvalid
from assistant.fetch import ColumnListing, PageResult, open_fetcher
from assistant.index import FileResult, Indexer, Overrides
from assistant.retrieval import hybrid_retriever
from assistant.schemas import Answer, AskFilters
from assistant.store import catalog, lexical
from assistant.store.dense import ChunkVectors
from assistant.store.shelf import CatalogShelf, ReportEntry, Shelf
from assistant.store.vectors import VectorStore
from assistant.tokens import add_words, word_tokens
from assistant.understanding import Question, needs_previous, resolve_followup, understand
from ingest.model import Report

# A question naming no agency may be about hundreds of reports: the answerer reads the ones
# retrieval found its passages in, at most this many, instead of every report in scope.
MAX_REPORTS_READ = 24


if TYPE_CHECKING:
    from assistant.llm import ModelReview


def _model_review(settings: Settings) -> ModelReview | None:
    if not settings.llm_configured:
        return None  # without importing the LLM client (a second of start-up)
    from assistant.llm import ModelReview

    return ModelReview.from_settings(settings)


class Assistant:
    def __init__(self, settings: Settings, *, embedder: Embedder | None = None) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder or load_embedder(settings.embedding_model, cache_dir=settings.model_dir or settings.data_dir)
        self.engine = catalog_engine(settings)
        self.vectors = VectorStore.open(
            embedder=self.embedder,
            name=settings.collection,
            path=settings.data_dir / "chroma",
            host=settings.chroma_host,
            port=settings.chroma_port,
        )
        self.indexer = Indexer(self.engine, self.vectors)
        self.llm = _model_review(settings)  # None unless an LLM endpoint is configured
        self._lock = threading.Lock()
        self._refreshing = threading.Lock()  # one reload at a time; askers meanwhile use the current state
        self._version = -1
        self._checked = 0.0
        self._lexical: lexical.LexicalIndex | None = None
        self._scoped: ChunkVectors | None = None  # the lexical index's chunk vectors
        self.indexer.recover()
        self.refresh()
        self.embedder.embed_query("预热")  # the first encode is slow; pay it at start-up, not on a user's question

    def sync(self) -> None:
        """Reload when another process (a worker of `nianbao serve --workers N`, a `nianbao ingest`)
        changed the catalog; checked at most once per ``sync_seconds``."""
        now = time.monotonic()
        if now - self._checked < self.settings.sync_seconds:
            return
        self._checked = now
        with self.engine.connect() as conn:
            current = catalog.version(conn)
        if current != self._version and self._refreshing.acquire(blocking=False):
            try:
                self.refresh(build=False)  # the ingesting process builds the lexical index
            finally:
                self._refreshing.release()

    def refresh(self, *, build: bool = True) -> None:
        """Re-read the catalog's entries and load the newest lexical index (after an ingest here or
        in another process); ``build``: build it first if it is older than the catalog. Whole
        reports are read from the catalog when a question needs them."""
        with self.engine.connect() as conn:
            version = catalog.version(conn)  # read first: a write after it is picked up by the next sync
        shelf = CatalogShelf(self.engine)
        add_words([a for e in shelf.entries for a in (e.meta.agency, *e.meta.aliases)])
        index, scoped = self._stored_index(version, build=build)
        self._lexical, self._scoped = index, scoped
        retriever = hybrid_retriever(index, self.vectors, k=self.settings.top_k, scoped=scoped)
        answerer = Answerer(shelf, nearest=self.settings.top_k, max_uncovered=self.settings.max_uncovered)
        with self._lock:
            self.shelf, self.retriever, self.answerer = shelf, retriever, answerer
            self._version = version

    @property
    def lexical_dir(self) -> Path:
        return self.settings.data_dir / "lexical"

    def _stored_index(self, version: int, *, build: bool) -> tuple[lexical.LexicalIndex | None, ChunkVectors | None]:
        """The newest stored lexical index and its chunk vectors, built first when there is none or
        (``build``) it is older than the catalog."""
        folder = lexical.newest(self.lexical_dir)
        if folder is None or (build and int(folder.name) != version):
            return self.build_lexical_index()
        if self._lexical is not None and self._lexical.version == int(folder.name) and self._scoped is not None:
            return self._lexical, self._scoped
        try:
            index, scoped = self._load_index(folder)
            if scoped is None and build:  # stored before the vectors were kept beside the rows
                self._write_vectors(folder, index.chunk_ids, index.report_ids)
                scoped = ChunkVectors.load(index, folder)
            return index, scoped
        except (OSError, ValueError):  # pruned or half-written under us: build our own
            return self.build_lexical_index()

    @staticmethod
    def _load_index(folder: Path) -> tuple[lexical.LexicalIndex, ChunkVectors | None]:
        index = lexical.LexicalIndex.load(folder)
        return index, ChunkVectors.load(index, folder)

    def build_lexical_index(self) -> tuple[lexical.LexicalIndex, ChunkVectors | None]:
        """Index every chunk's stored tokens (BM25, words and bigrams) under the catalog's version,
        with the chunks' vectors beside them."""
        with self.engine.connect() as conn:
            version = catalog.version(conn)
            rows = [lexical.ChunkTokens(cid, rid, words or " ".join(word_tokens(text)), text)
                    for cid, rid, words, text in catalog.chunk_tokens(conn)]
        folder = self.lexical_dir / str(version)
        lexical.LexicalIndex.build(rows, folder, version=version, beside=lambda draft, rows: self._write_vectors(
            draft, [r.chunk_id for r in rows], [r.report_id for r in rows]))
        lexical.prune(self.lexical_dir, keep=folder)
        return self._load_index(folder)

    def _write_vectors(self, folder: Path, chunk_ids: list[str], report_ids: list[str]) -> None:
        """Store the vectors of an index's rows in its folder, reusing the previous index's where
        their report is unchanged (the rest are read from the vector store)."""
        with self.engine.connect() as conn:
            hashes = catalog.report_hashes(conn)
        previous = self._scoped
        if previous is None and (older := lexical.newest(self.lexical_dir)) is not None:
            try:
                previous = self._load_index(older)[1]
            except (OSError, ValueError):
                previous = None
        ChunkVectors.write(folder, chunk_ids, report_ids, hashes, self.vectors.vectors_of, previous=previous)

    def part_counts(self) -> dict[str, tuple[int, int, int]]:
        """report id → (paragraphs, figures, chunks), counted in the catalog."""
        with self.engine.connect() as conn:
            return catalog.part_counts(conn)

    @property
    def reports(self) -> list[Report]:
        """Every report, whole, read from the catalog (for tools and the evaluation; asking reads
        only the reports a question is about)."""
        return list(self.shelf.values())

    def ingest(self, paths: Sequence[Path], *, overrides: Overrides = Overrides(), on_file=None) -> list[FileResult]:  # type: ignore[no-untyped-def]
        try:
            return self.indexer.ingest_files(paths, overrides=overrides, on_file=on_file)
        finally:
            self.refresh()  # files indexed before a failure are in the stores: serve them too

    def fetch(
        self,
        columns: Sequence[str],
        *,
        on_listed: Callable[[ColumnListing], None] | None = None,
        on_page: Callable[[PageResult], None] | None = None,
    ) -> list[PageResult]:
        """Follow report columns (or report page URLs): fetch new and changed reports and index them."""
        self.indexer.reconcile()
        try:
            with open_fetcher(self.settings, engine=self.engine, indexer=self.indexer) as fetcher:
                listing = fetcher.list_reports(columns)
                if on_listed:
                    on_listed(listing)
                results = list(listing.failures)
                for url in listing.reports:
                    results.append(result := fetcher.fetch_report(url))
                    if on_page:
                        on_page(result)
                return results
        finally:
            self.refresh()  # reports indexed before a failure are in the stores: serve them too

    def remove(self, report_id: str) -> bool:
        removed = self.indexer.remove(report_id)
        self.refresh()
        return removed

    def ask(self, text: str, filters: AskFilters | None = None, *, previous: str | None = None,
            use_llm: bool = True) -> Answer:
        """Answer ``text``; ``previous`` is the session's last question, against which a follow-up
        (“那2018年呢?”) is completed. ``use_llm=False`` answers without the configured LLM."""
        started = time.perf_counter()
        self.sync()
        text = (text or "").strip()
        if not text:
            raise QuestionInvalid(
                "The question is empty: ask something, e.g. “2017年收到多少件政府信息公开申请？”.", field="question"
            )
        if len(text) > self.settings.max_question_chars:
            raise QuestionInvalid(
                f"The question is {len(text)} characters long; the limit is {self.settings.max_question_chars}.",
                field="question",
            )
        with self._lock:
            shelf, retriever, answerer = self.shelf, self.retriever, self.answerer
        metas = shelf.metas
        resolved = resolve_followup(text, previous, metas)
        question = understand(resolved or text, metas)
        candidates, refusal = self._candidates(question, shelf, filters)
        if resolved is None and needs_previous(text, metas):
            candidates, refusal = [], "这个问题要接着上一个问题理解，但没有上一个问题。请问完整的问题，例如“2018年某某局共收到多少件政府信息公开申请？”。"
        scope = [r.id for r in candidates] if candidates else None
        if scope is not None and len(scope) == len(shelf):
            scope = None  # every report: no filter to apply
        docs = retriever.invoke(question.search_text or text, report_ids=scope) if len(shelf) else []
        chunks = [shelf.chunk(d.metadata["chunk_id"]) for d in docs]
        retrieved = [pid for c in chunks if c is not None for pid in c.paragraph_ids]
        report_ids = [r.id for r in candidates]
        if len(report_ids) > MAX_REPORTS_READ:
            in_scope = set(report_ids)
            found = dict.fromkeys(d.metadata["report_id"] for d in docs)
            report_ids = [r for r in found if r in in_scope][:MAX_REPORTS_READ]
        answer = answerer.answer(question, report_ids=report_ids, retrieved=retrieved, refusal=refusal)
        if self.llm and use_llm and not refusal:
            answer = self.llm.review(answerer, question, answer, report_ids=report_ids, retrieved=retrieved)
        answer.question = text
        answer.understanding.question = resolved
        answer.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        return answer

    def retrieve(self, text: str, *, report_ids: Sequence[str] | None = None) -> list[str]:
        """Chunk ids, best first, as ask() retrieves them (for the evaluation's retrieval metrics)."""
        question = understand(text, self.shelf.metas)
        return [d.metadata["chunk_id"] for d in self.retriever.invoke(question.search_text or text, report_ids=report_ids)]

    def scope(self, text: str, filters: AskFilters | None = None) -> list[str] | None:
        """The ids of the reports ask() would search for this question (None: it would refuse)."""
        question = understand(text, self.shelf.metas)
        candidates, _ = self._candidates(question, self.shelf, filters)
        return [r.id for r in candidates] or None

    @staticmethod
    def _candidates(question: Question, shelf: Shelf,
                    filters: AskFilters | None) -> tuple[list[ReportEntry], str | None]:
        """The reports the question is about, or a reason why no report can answer it."""
        reports = shelf.entries
        if not reports:
            return [], "还没有导入任何年度报告。"
        years = list(question.years)
        agencies = set(question.agencies)
        if filters:
            if filters.report_id:
                chosen = [r for r in reports if r.id == filters.report_id]
                return chosen, None if chosen else f"没有编号为 {filters.report_id} 的报告。"
            years = [filters.year] if filters.year else years
            if filters.agency:
                agencies = {r.meta.agency for r in reports if filters.agency in (r.meta.agency, *r.meta.aliases)} or {filters.agency}
        ambiguous = list(question.ambiguous_agencies)
        if ambiguous and years:
            # 市监局2023年: only the bodies with a report for that year are candidates.
            ambiguous = [a for a in ambiguous if any(r.meta.year in years for r in shelf.of_agencies([a]))]
            if len(ambiguous) == 1:
                agencies = set(ambiguous)
        if len(ambiguous) > 1 and not (filters and filters.agency):
            names = "、".join(ambiguous)
            return [], f"“{question.unknown_agency}”可能指{names}，请说明是哪一个。"
        if question.unknown_agency and not ambiguous and not (filters and filters.agency):
            return [], f"已导入的报告中没有“{question.unknown_agency}”的年度报告。"
        chosen = [r for r in (shelf.of_agencies(agencies) if agencies else reports) if not years or r.meta.year in years]
        if not chosen and not (filters and filters.agency) and question.agencies_loose:
            # "平潭政府" best fits the county government, but 2016 was reported by 平潭综合实验区.
            agencies = set(question.agencies_loose)
            chosen = [r for r in shelf.of_agencies(agencies) if not years or r.meta.year in years]
        if not chosen and years and question.intent == "passage" and PLANS.asked.search(question.text):
            # Next year's plans are in this year's report: 2024年打算怎么做 → the 2023 report's 下一步.
            earlier = [y - 1 for y in years]
            chosen = [r for r in reports if r.meta.year in earlier and (not agencies or r.meta.agency in agencies)]
        if not chosen:
            what = "、".join(f"{y}年" for y in years) + "或".join(sorted(agencies))
            return [], f"已导入的报告中没有{what}的年度报告。"
        return chosen, None
