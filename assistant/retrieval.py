"""Hybrid retrieval as LangChain retrievers: dense (Chroma) + BM25 over jieba words + BM25 over
character bigrams, fused by reciprocal rank. Every retriever takes ``report_ids`` so the question's
year and agency filter the candidates instead of merely nudging their scores."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.store.dense import ChunkVectors
from assistant.store.lexical import LexicalIndex
from assistant.store.vectors import VectorStore
from assistant.tokens import bigram_tokens, word_tokens
from ingest.model import Chunk

# the lexical index's fields and how a question is tokenized for each
QUERY_TOKENS = {"words": word_tokens, "bigrams": bigram_tokens}


class LexicalRetriever(BaseRetriever):
    """BM25 over one field of the stored lexical index (jieba words or character bigrams)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: LexicalIndex
    field: str
    k: int = 10

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, report_ids: Sequence[str] | None = None
    ) -> list[Document]:
        hits = self.index.search(self.field, QUERY_TOKENS[self.field](query), k=self.k, report_ids=report_ids)
        return [_hit(chunk_id, report_id, score) for chunk_id, report_id, score in hits]


class DenseRetriever(BaseRetriever):
    """The nearest chunks: scored directly among the scoped reports' stored vectors (``scoped``),
    else by Chroma; ``chunks_by_id`` gives their text (else Chroma's copy, or none)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    vectors: VectorStore
    scoped: ChunkVectors | None = None
    chunks_by_id: dict[str, Chunk] | None = None
    k: int = 10

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, report_ids: Sequence[str] | None = None
    ) -> list[Document]:
        vector = self.vectors.embed_query(query)
        direct = self.scoped.nearest(vector, report_ids, k=self.k) if self.scoped and report_ids is not None else None
        if direct is None:
            hits = [(h.chunk_id, h.report_id, h.score, h.text) for h in self.vectors.search(vector, k=self.k, report_ids=report_ids)]
        else:
            found, newer = direct  # reports ingested since the stored vectors were written: Chroma has them
            hits = [(c, r, s, "") for c, r, s in found]
            hits += [(h.chunk_id, h.report_id, h.score, h.text) for h in self.vectors.search(vector, k=self.k, report_ids=newer)]
            hits = sorted(hits, key=lambda hit: -hit[2])[: self.k]
        if self.chunks_by_id is None:
            return [_hit(*hit) for hit in hits]
        return [_document(self.chunks_by_id[c], score) for c, _, score, _ in hits if c in self.chunks_by_id]


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
    return _hit(chunk.id, chunk.report_id, score, chunk.text)


def _hit(chunk_id: str, report_id: str, score: float, text: str = "") -> Document:
    """A retrieved chunk; the lexical index holds no text (the caller reads it from the catalog if needed)."""
    return Document(page_content=text, metadata={"chunk_id": chunk_id, "report_id": report_id, "score": score})


def hybrid_retriever(lexical: LexicalIndex | None, vectors: VectorStore | None, *, k: int = 5,
                     scoped: ChunkVectors | None = None) -> FusionRetriever:
    """The default: dense + jieba BM25 + bigram BM25, equally weighted."""
    members: list[BaseRetriever] = []
    if vectors is not None:
        members.append(DenseRetriever(vectors=vectors, scoped=scoped, k=20))
    if lexical is not None:
        members += [LexicalRetriever(index=lexical, field=field, k=20) for field in QUERY_TOKENS]
    return FusionRetriever(retrievers=members, weights=[1.0] * len(members), k=k)
