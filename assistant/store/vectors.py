"""Chunk vectors in Chroma. Embeddings are always computed here and passed in, so Chroma's own
default embedding function (which would try to download a model) never runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from ingest.model import Chunk

PAGE = 5_000  # vectors read at a time when reading all of them


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    report_id: str
    text: str
    score: float  # cosine similarity


class VectorStore:
    def __init__(self, collection, embedder: Embeddings) -> None:  # type: ignore[no-untyped-def]
        self._collection = collection
        self._embedder = embedder

    @classmethod
    def open(cls, *, embedder: Embeddings, name: str, path: Path | None = None, host: str | None = None, port: int = 8000) -> VectorStore:
        import chromadb

        client = chromadb.HttpClient(host=host, port=port) if host else chromadb.PersistentClient(path=str(path))
        collection = client.get_or_create_collection(name, embedding_function=None, metadata={"hnsw:space": "cosine"})
        return cls(collection, embedder)

    def embed(self, chunks: Sequence[Chunk]) -> list[list[float]]:
        return self._embedder.embed_documents([c.indexed_text for c in chunks]) if chunks else []

    def upsert(self, chunks: Sequence[Chunk], *, content_hash: str,
               vectors: Sequence[Sequence[float]] | None = None) -> None:
        """Store the chunks' vectors (``vectors``: already embedded, in the chunks' order)."""
        if not chunks:
            return
        if vectors is None:
            vectors = self.embed(chunks)
        self._collection.upsert(
            ids=[c.id for c in chunks],
            embeddings=vectors,
            documents=[c.text for c in chunks],
            metadatas=[{"report_id": c.report_id, "content_hash": content_hash} for c in chunks],
        )

    def delete_report(self, report_id: str) -> None:
        self._collection.delete(where={"report_id": report_id})

    def stored_hashes(self) -> dict[str, set[str]]:
        """report id → the content hashes its chunks were embedded from (more than one: stale).
        Read a page at a time: Chroma's SQLite refuses one read of every vector's metadata past
        ~32,000 vectors ("too many SQL variables")."""
        found: dict[str, set[str]] = {}
        offset = 0
        while True:
            page = self._collection.get(include=["metadatas"], limit=PAGE, offset=offset)["metadatas"] or []
            for meta in page:
                found.setdefault(str(meta["report_id"]), set()).add(str(meta["content_hash"]))
            if len(page) < PAGE:
                return found
            offset += PAGE

    def hashes_of(self, report_id: str) -> set[str]:
        """The content hashes one report's chunks were embedded from (empty: none stored)."""
        found = self._collection.get(where={"report_id": report_id}, include=["metadatas"])["metadatas"] or []
        return {str(meta["content_hash"]) for meta in found}

    def embed_query(self, query: str) -> list[float]:
        return self._embedder.embed_query(query)

    def search(self, query: str | Sequence[float], *, k: int, report_ids: Sequence[str] | None = None) -> list[Hit]:
        """The nearest chunks to ``query`` (a question, or its embedding), best first, within the given reports."""
        where = None
        if report_ids is not None:
            if not report_ids:
                return []
            where = {"report_id": {"$in": list(report_ids)}}
        result = self._collection.query(
            query_embeddings=[self.embed_query(query) if isinstance(query, str) else list(query)],
            n_results=k,  # fewer come back when fewer are stored (counting first costs a few ms a question)
            where=where,
            include=["distances", "documents", "metadatas"],
        )
        return [Hit(cid, str(meta["report_id"]), text or "", 1.0 - float(d))
                for cid, d, text, meta in zip(result["ids"][0], result["distances"][0], result["documents"][0],
                                              result["metadatas"][0])]

    def vectors_of(self, chunk_ids: Sequence[str]) -> dict[str, Sequence[float]]:
        """chunk id → its stored vector (ids not stored are left out)."""
        found = self._collection.get(ids=list(chunk_ids), include=["embeddings"])
        return dict(zip(found["ids"], found["embeddings"]))

    def count(self) -> int:
        return int(self._collection.count())
