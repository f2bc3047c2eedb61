"""Hybrid retrieval as LangChain retrievers: dense (Chroma) + BM25 over jieba words + BM25 over
character bigrams, fused by reciprocal rank. Every retriever takes ``report_ids`` so the question's
year and agency filter the candidates instead of merely nudging their scores."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

import bm25s
import jieba
import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.store.vectors import VectorStore
from ingest.model import Chunk

jieba.setLogLevel(logging.WARNING)

# Terms of the domain that jieba would otherwise split (依申请 "on request", 行政复议 "administrative
# reconsideration", 政府信息公开专栏 "the disclosure column" …).
DOMAIN_WORDS = (
    "依申请", "依申请公开", "主动公开", "政府信息公开", "信息公开专栏", "政府信息公开专栏", "行政复议", "行政诉讼",
    "举报投诉", "不予公开", "予以公开", "部分公开", "无法提供", "不予处理", "门户网站", "规范性文件", "政策解读",
    "应诉", "网上咨询", "领导信箱", "收费及减免", "微信公众号", "政务新媒体",
    # new-media channels, each a topic of its own (短视频 is not 视频)
    "短视频", "政务短视频", "视频号", "抖音", "头条号", "政务微博",
)
for _word in DOMAIN_WORDS:
    jieba.add_word(_word, freq=20000)

_KEEP = re.compile(r"[\u4e00-\u9fff0-9a-zA-Z%]+")


def add_words(words: Sequence[str]) -> None:
    """Teach jieba names it must keep whole (agency names and their aliases)."""
    for word in words:
        jieba.add_word(word, freq=20000)


def word_tokens(text: str) -> list[str]:
    return [t for t in jieba.lcut_for_search(text) if _KEEP.fullmatch(t)]


def bigram_tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for run in _KEEP.findall(text):
        tokens.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return tokens


class LexicalRetriever(BaseRetriever):
    """BM25 (bm25s) over the chunks' indexed text, with a pluggable tokenizer."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    chunks: list[Chunk]
    tokenize: Callable[[str], list[str]]
    k: int = 10
    index: bm25s.BM25 | None = None
    vocabulary: dict[str, int] = {}

    def model_post_init(self, _context: object) -> None:
        corpus = [self.tokenize(c.indexed_text) or ["∅"] for c in self.chunks]
        vocabulary: dict[str, int] = {}
        ids = [[vocabulary.setdefault(t, len(vocabulary)) for t in doc] for doc in corpus]
        self.vocabulary = vocabulary
        if corpus:
            self.index = bm25s.BM25()
            self.index.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocabulary), show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        tokens = [self.vocabulary[t] for t in self.tokenize(query) if t in self.vocabulary]
        if self.index is None or not tokens:
            return np.zeros(len(self.chunks))
        return np.asarray(self.index.get_scores_from_ids(tokens))

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, report_ids: Sequence[str] | None = None
    ) -> list[Document]:
        scores = self.scores(query)
        allowed = None if report_ids is None else set(report_ids)
        order = np.argsort(-scores, kind="stable")
        hits = []
        for i in order:
            chunk = self.chunks[int(i)]
            if scores[i] <= 0 or (allowed is not None and chunk.report_id not in allowed):
                continue
            hits.append(_document(chunk, float(scores[i])))
            if len(hits) == self.k:
                break
        return hits


class DenseRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    vectors: VectorStore
    chunks_by_id: dict[str, Chunk]
    k: int = 10

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, report_ids: Sequence[str] | None = None
    ) -> list[Document]:
        hits = self.vectors.search(query, k=self.k, report_ids=report_ids)
        return [_document(self.chunks_by_id[cid], score) for cid, score in hits if cid in self.chunks_by_id]


class FusionRetriever(BaseRetriever):
    """Reciprocal-rank fusion: score = Σ weight / (rrf_k + rank) over the member retrievers."""

    retrievers: list[BaseRetriever]
    weights: list[float]
    k: int = 5
    rrf_k: int = 60

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, report_ids: Sequence[str] | None = None
    ) -> list[Document]:
        fused: dict[str, float] = {}
        documents: dict[str, Document] = {}
        for retriever, weight in zip(self.retrievers, self.weights):
            for rank, doc in enumerate(retriever.invoke(query, report_ids=report_ids)):
                cid = doc.metadata["chunk_id"]
                fused[cid] = fused.get(cid, 0.0) + weight / (self.rrf_k + rank + 1)
                documents.setdefault(cid, doc)
        best = sorted(fused, key=lambda cid: -fused[cid])[: self.k]
        return [Document(page_content=documents[c].page_content, metadata={**documents[c].metadata, "score": fused[c]}) for c in best]


def _document(chunk: Chunk, score: float) -> Document:
    return Document(page_content=chunk.text, metadata={"chunk_id": chunk.id, "report_id": chunk.report_id, "score": score})


def hybrid_retriever(chunks: Sequence[Chunk], vectors: VectorStore | None, *, k: int = 5) -> FusionRetriever:
    """The default: dense + jieba BM25 + bigram BM25, equally weighted."""
    members: list[BaseRetriever] = [
        LexicalRetriever(chunks=list(chunks), tokenize=word_tokens, k=20),
        LexicalRetriever(chunks=list(chunks), tokenize=bigram_tokens, k=20),
    ]
    if vectors is not None:
        members.insert(0, DenseRetriever(vectors=vectors, chunks_by_id={c.id: c for c in chunks}, k=20))
    return FusionRetriever(retrievers=members, weights=[1.0] * len(members), k=k)
