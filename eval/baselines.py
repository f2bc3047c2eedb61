"""Two baselines, run on the same index and questions with the SAME extractive answerer, so that a
comparison isolates chunking and retrieval:

- ``langchain`` — plain LangChain RAG: ``RecursiveCharacterTextSplitter`` (chunk_size 500,
  chunk_overlap 50, its default separators) over each report's text, dense retrieval only;
- ``chatchat`` — the Langchain-Chatchat defaults (kb_settings CHUNK_SIZE 750, OVERLAP_SIZE 150, its
  ChineseRecursiveTextSplitter's separators; retrievers/ensemble.py): BM25 over
  ``jieba.lcut_for_search`` tokens (rank_bm25's BM25Okapi, as langchain_community's BM25Retriever)
  and dense retrieval, fused by LangChain's ``EnsembleRetriever(weights=[0.5, 0.5])`` — weighted
  reciprocal rank fusion, score = Σ weight / (rank + 60), rank from 1 — cut to top k.

Each baseline's chunks live in its own Chroma collection (same embedder, embeddings always passed
in) under ``<data dir>/eval-baselines``; a report is re-embedded only when its content changes.
Every system retrieves the same k (the ``top_k`` setting, 5) chunks.

The answerer is the assistant's own ``Answerer`` (same instance, same IDF weights), but for a
baseline it sees, per question, only the paragraphs that the baseline's retrieved chunks overlap
(each chunk is mapped back to paragraphs through its character offsets in the report text,
``add_start_index=True``) and the figures printed in them. A baseline neither filters by year or
agency nor refuses up front: its retrieval scores the whole index and the answerer works from what
it retrieved.
"""

from __future__ import annotations

import copy
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import jieba
import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.answering import Answerer
from assistant.retrieval import DenseRetriever, FusionRetriever
from assistant.store.vectors import VectorStore
from assistant.understanding.parse import understand
from ingest.model import Chunk, Report

# ChineseRecursiveTextSplitter's separators (regular expressions, kept at the end of a piece).
CHINESE_SEPARATORS = ["\n\n", "\n", "。|！|？", r"\.\s|\!\s|\?\s", r"；|;\s", r"，|,\s"]


@dataclass(frozen=True)
class BaselineSpec:
    name: str
    title: str
    chunk_size: int
    chunk_overlap: int
    chinese_separators: bool = False
    bm25_weight: float = 0.0  # > 0: jieba BM25 fused with dense retrieval, weights (bm25, 1 - bm25)

    @property
    def description(self) -> str:
        splitter = "ChineseRecursiveTextSplitter separators" if self.chinese_separators else "default separators"
        retrieval = (f"jieba BM25 + dense, weighted RRF {self.bm25_weight:g}/{1 - self.bm25_weight:g} (c=60)"
                     if self.bm25_weight else "dense only")
        return f"RecursiveCharacterTextSplitter {self.chunk_size}/{self.chunk_overlap} ({splitter}); {retrieval}"


LANGCHAIN = BaselineSpec("langchain", "plain LangChain RAG", 500, 50)
CHATCHAT = BaselineSpec("chatchat", "Langchain-Chatchat defaults", 750, 150, chinese_separators=True, bm25_weight=0.5)
SPECS = (LANGCHAIN, CHATCHAT)


def split_report(report: Report, spec: BaselineSpec) -> list[Chunk]:
    """The report's text cut as the baseline cuts it; each chunk knows the paragraphs it overlaps."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    if spec.chinese_separators:
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=spec.chunk_size, chunk_overlap=spec.chunk_overlap, add_start_index=True,
            separators=CHINESE_SEPARATORS, is_separator_regex=True, keep_separator="end",
        )
    else:
        splitter = RecursiveCharacterTextSplitter(chunk_size=spec.chunk_size, chunk_overlap=spec.chunk_overlap, add_start_index=True)
    chunks: list[Chunk] = []
    for doc in splitter.create_documents([report.text]):
        start = int(doc.metadata.get("start_index", -1))
        if start < 0:  # not found verbatim (cannot happen with strip-only splitting); keep it unmapped
            start = report.text.find(doc.page_content)
        end = start + len(doc.page_content) if start >= 0 else -1
        paragraphs = tuple(p.id for p in report.paragraphs if start >= 0 and p.start < end and p.end > start)
        index = len(chunks)
        chunks.append(Chunk(id=f"{report.id}:{spec.name}{index:04d}", report_id=report.id, index=index, text=doc.page_content,
                            context="", section_path=(), paragraph_ids=paragraphs, start=start, end=end))
    return chunks


_TOKENIZER: jieba.Tokenizer | None = None


def chatchat_tokens(text: str) -> list[str]:
    """``jieba.lcut_for_search`` as Chatchat calls it — with jieba's own dictionary, not the words
    the assistant teaches its jieba (domain terms, agency names)."""
    global _TOKENIZER
    if _TOKENIZER is None:
        _TOKENIZER = jieba.Tokenizer()
    return _TOKENIZER.lcut_for_search(text)


class OkapiBM25Retriever(BaseRetriever):
    """langchain_community's BM25Retriever: rank_bm25.BM25Okapi, the top k by score (zeros included)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    chunks: list[Chunk]
    tokenize: Callable[[str], list[str]]
    k: int = 5
    index: object = None

    def model_post_init(self, _context: object) -> None:
        from rank_bm25 import BM25Okapi

        if self.chunks:
            self.index = BM25Okapi([self.tokenize(c.text) or [""] for c in self.chunks])

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, report_ids: Sequence[str] | None = None
    ) -> list[Document]:
        if self.index is None:
            return []
        scores = np.asarray(self.index.get_scores(self.tokenize(query)))  # type: ignore[attr-defined]
        order = np.argsort(scores)[::-1][: self.k]
        return [Document(page_content=self.chunks[i].text, metadata={"chunk_id": self.chunks[i].id,
                                                                       "report_id": self.chunks[i].report_id,
                                                                       "score": float(scores[i])}) for i in order]


@dataclass
class Retrieved:
    chunks: list[Chunk]  # best first
    paragraph_ids: list[str]  # the paragraphs they overlap, in that order, without repeats


class Baseline:
    """One baseline system over a set of reports: its chunks, its Chroma collection, its retriever."""

    def __init__(self, spec: BaselineSpec, reports: Sequence[Report], *, embedder, store_dir: Path, k: int = 5,  # type: ignore[no-untyped-def]
                 model_name: str = "") -> None:
        self.spec = spec
        self.name = spec.name
        self.reports = list(reports)
        self.k = k
        self.chunks = [c for r in self.reports for c in split_report(r, spec)]
        self.by_id = {c.id: c for c in self.chunks}
        started = time.perf_counter()
        tag = hashlib.sha1(model_name.encode()).hexdigest()[:8]
        self.vectors = VectorStore.open(embedder=embedder, name=f"baseline-{spec.name}-{spec.chunk_size}-{spec.chunk_overlap}-{tag}",
                                        path=Path(store_dir))
        self.embedded = self._sync()
        self.build_seconds = time.perf_counter() - started
        dense = DenseRetriever(vectors=self.vectors, chunks_by_id=self.by_id, k=k)
        if spec.bm25_weight:
            bm25 = OkapiBM25Retriever(chunks=self.chunks, tokenize=chatchat_tokens, k=k)
            self.retriever: BaseRetriever = FusionRetriever(retrievers=[bm25, dense], weights=[spec.bm25_weight, 1 - spec.bm25_weight],
                                                            k=k, rrf_k=60)
        else:
            self.retriever = dense
        self.retriever.invoke("预热")  # load jieba's dictionary and warm the encoder before anything is timed

    def _sync(self) -> int:
        """Embed the reports whose chunks are not stored (or stale); drop reports no longer indexed."""
        stored = self.vectors.stored_hashes()
        wanted = {r.id: r for r in self.reports}
        for report_id in set(stored) - set(wanted):
            self.vectors.delete_report(report_id)
        embedded = 0
        for report in self.reports:
            if stored.get(report.id) == {report.content_hash}:
                continue
            if report.id in stored:
                self.vectors.delete_report(report.id)
            chunks = [c for c in self.chunks if c.report_id == report.id]
            self.vectors.upsert(chunks, content_hash=report.content_hash)
            embedded += len(chunks)
        return embedded

    def retrieve(self, question: str) -> Retrieved:
        docs = self.retriever.invoke(question)
        chunks = [self.by_id[d.metadata["chunk_id"]] for d in docs if d.metadata["chunk_id"] in self.by_id][: self.k]
        seen: dict[str, None] = {}
        for chunk in chunks:
            for pid in chunk.paragraph_ids:
                seen.setdefault(pid, None)
        return Retrieved(chunks, list(seen))

    def ask(self, answerer: Answerer, question_text: str):  # type: ignore[no-untyped-def]
        """(answer, retrieved) with the shared answerer restricted to what was retrieved."""
        started = time.perf_counter()
        retrieved = self.retrieve(question_text)
        question = understand(question_text, answerer.metas)
        view = restricted_answerer(answerer, retrieved.paragraph_ids)
        order = list(dict.fromkeys(c.report_id for c in retrieved.chunks if c.report_id in view.reports))
        answer = answerer_answer(view, question, order, retrieved.paragraph_ids)
        answer.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        return answer, retrieved


def restricted_answerer(answerer: Answerer, paragraph_ids: Sequence[str]) -> Answerer:
    """The same answerer (same IDF weights, same paragraph lookup) whose reports hold only the given
    paragraphs and the figures printed in them."""
    allowed = set(paragraph_ids)
    view = copy.copy(answerer)
    view.reports = {
        rid: replace(r, paragraphs=tuple(p for p in r.paragraphs if p.id in allowed),
                     figures=tuple(f for f in r.figures if f.paragraph_id in allowed))
        for rid, r in answerer.reports.items()
    }
    return view


def answerer_answer(view: Answerer, question, report_ids: list[str], paragraph_ids: list[str]):  # type: ignore[no-untyped-def]
    refusal = None if paragraph_ids else "没有检索到任何段落。"
    known = [pid for pid in paragraph_ids if view.paragraph(pid) is not None]
    return view.answer(question, report_ids=report_ids, retrieved=known, refusal=refusal)


def build_baselines(reports: Sequence[Report], *, embedder, store_dir: Path, k: int = 5, model_name: str = "",  # type: ignore[no-untyped-def]
                    specs: Sequence[BaselineSpec] = SPECS) -> list[Baseline]:
    return [Baseline(spec, reports, embedder=embedder, store_dir=store_dir, k=k, model_name=model_name) for spec in specs]
