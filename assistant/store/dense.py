"""Every chunk's vector in the lexical index's row order, memory-mapped beside it.

A question about a few reports (its year and agency resolved) is scored against those reports'
chunks directly: exact, and well under a millisecond, where Chroma's search filtered by ``$in``
over report ids costs 10–13 ms at 1,000 reports. Chroma stays the store of record: the vectors
here are copied from it when the lexical index is built (those of unchanged reports from the
previous index), and Chroma answers the questions about every report, or about reports newer
than the index.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from assistant.store.lexical import LexicalIndex

MATRIX = "vectors.npy"
HASHES = "vectors.json"  # report id → the content hash its rows' vectors were embedded from

# Past this many rows a scope is cheaper to search through Chroma's HNSW than row by row here.
MAX_SCOPED_ROWS = 50_000

# chunk ids → their vectors, as Chroma stores them (a missing id has none)
Fetch = Callable[[Sequence[str]], dict[str, Sequence[float]]]


class ChunkVectors:
    """The vectors of a lexical index's rows; ``nearest`` searches within some reports."""

    def __init__(self, index: LexicalIndex, matrix: np.ndarray, hashes: dict[str, str]) -> None:
        self.index = index
        self.matrix = matrix
        self.hashes = hashes

    def nearest(self, query: Sequence[float], report_ids: Iterable[str], *,
                k: int) -> tuple[list[tuple[str, str, float]], list[str]] | None:
        """(chunk id, report id, cosine) of the best ``k`` chunks of ``report_ids`` held here, and
        the reports not held here (newer than the index); None when the scope is too wide."""
        rows, missing = self.index.rows_of(report_ids)
        if len(rows) > MAX_SCOPED_ROWS:
            return None
        if not len(rows):
            return [], missing
        scores = self.matrix[rows] @ np.asarray(query, dtype=np.float32)
        if len(scores) > k:
            top = np.argpartition(-scores, k)[:k]
            rows, scores = rows[top], scores[top]
        order = np.argsort(-scores, kind="stable")
        hits = [(self.index.chunk_ids[r], self.index.report_ids[r], float(s))
                for r, s in zip(rows[order].tolist(), scores[order].tolist())]
        return hits, missing

    @staticmethod
    def stored_in(folder: Path) -> bool:
        return (folder / MATRIX).is_file()

    @classmethod
    def load(cls, index: LexicalIndex, folder: Path) -> ChunkVectors | None:
        """The vectors stored with ``index`` in ``folder``; None for an index stored without them."""
        if not ChunkVectors.stored_in(folder):
            return None
        matrix = np.load(folder / MATRIX, mmap_mode="r")
        if len(matrix) != len(index):
            return None
        return cls(index, matrix, json.loads((folder / HASHES).read_text(encoding="utf-8")))

    @staticmethod
    def write(folder: Path, chunk_ids: Sequence[str], report_ids: Sequence[str], hashes: dict[str, str],
              fetch: Fetch, *, previous: ChunkVectors | None = None, batch: int = 2_000) -> None:
        """Store the vectors of an index's rows (``chunk_ids``, of ``report_ids``) in ``folder``:
        those of reports unchanged since ``previous`` are copied from it, the others fetched."""
        reused: dict[str, np.ndarray] = {}
        if previous is not None:
            for row, (chunk_id, report_id) in enumerate(zip(previous.index.chunk_ids, previous.index.report_ids)):
                if previous.hashes.get(report_id) == hashes.get(report_id):
                    reused[chunk_id] = previous.matrix[row]
        dimension = previous.matrix.shape[1] if previous is not None else 0
        wanted = [cid for cid in chunk_ids if cid not in reused]
        fetched: dict[str, Sequence[float]] = {}
        for start in range(0, len(wanted), batch):
            fetched |= fetch(wanted[start:start + batch])
        if fetched:
            dimension = len(next(iter(fetched.values())))
        matrix = np.zeros((len(chunk_ids), dimension), np.float32)  # a chunk missing from the store scores 0
        for row, chunk_id in enumerate(chunk_ids):
            vector = reused.get(chunk_id)
            if vector is None:
                vector = fetched.get(chunk_id)
            if vector is not None:
                matrix[row] = vector
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        np.divide(matrix, norms, out=matrix, where=norms > 0)  # unit rows: a dot product is the cosine
        held = {r: hashes[r] for r in dict.fromkeys(report_ids) if r in hashes}
        # Each file written beside and renamed into place, the matrix last: a reader finding the
        # matrix finds it whole, and its hashes with it.
        draft = folder / f".{HASHES}.{os.getpid()}"
        draft.write_text(json.dumps(held), encoding="utf-8")
        os.replace(draft, folder / HASHES)
        draft = folder / f".{MATRIX}.{os.getpid()}"
        with draft.open("wb") as out:
            np.save(out, matrix)
        os.replace(draft, folder / MATRIX)
