"""Every chunk's vector in the lexical index's row order, stored beside it.

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

from assistant.store.lexical import LexicalIndex, rows_in

MATRIX = "vectors.npy"
HASHES = "vectors.json"  # report id → the content hash its rows' vectors were embedded from

# Past this many rows (12 MB of vectors) a scope is left to Chroma's filtered search.
MAX_SCOPED_ROWS = 8_000

# chunk ids → their vectors, as Chroma stores them (a missing id has none)
Fetch = Callable[[Sequence[str]], dict[str, Sequence[float]]]


class ChunkVectors:
    """The vectors of a lexical index's rows; ``nearest`` searches within some reports.

    Rows are read from the file with ``os.pread``, a report's rows at a time, not memory-mapped:
    the kernel maps a mapped file's cached neighbouring pages into the process on every fault, so
    a few hundred questions counted the whole file (200 MB at 10,000 reports) in every worker's
    memory. A read costs microseconds from the page cache, which the workers share.
    """

    def __init__(self, index: LexicalIndex, path: Path, hashes: dict[str, str]) -> None:
        self.index = index
        self.hashes = hashes
        self.path = path
        with path.open("rb") as header:
            version = np.lib.format.read_magic(header)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, _, dtype = read_header(header)
            self._offset = header.tell()
        self.shape: tuple[int, ...] = shape
        self._dtype = np.dtype(dtype)
        self._row_bytes = int(np.prod(shape[1:])) * self._dtype.itemsize
        self._file = os.open(path, os.O_RDONLY)

    def __del__(self) -> None:
        if getattr(self, "_file", None) is not None:
            os.close(self._file)

    def rows(self, ranges: Sequence[tuple[int, int]]) -> np.ndarray:
        """The vectors of the rows in ``ranges`` ([start, end) each), in their order."""
        parts = [os.pread(self._file, (end - start) * self._row_bytes, self._offset + start * self._row_bytes)
                 for start, end in ranges]
        return np.frombuffer(b"".join(parts), self._dtype).reshape(-1, *self.shape[1:])

    def nearest(self, query: Sequence[float], report_ids: Iterable[str], *,
                k: int) -> tuple[list[tuple[str, str, float]], list[str]] | None:
        """(chunk id, report id, cosine) of the best ``k`` chunks of ``report_ids`` held here, and
        the reports not held here (newer than the index); None when the scope is too wide."""
        ranges, missing = self.index.ranges_of(report_ids)
        if sum(end - start for start, end in ranges) > MAX_SCOPED_ROWS:
            return None
        if not ranges:
            return [], missing
        rows = rows_in(ranges)
        scores = self.rows(ranges) @ np.asarray(query, dtype=np.float32)
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
        vectors = cls(index, folder / MATRIX, json.loads((folder / HASHES).read_text(encoding="utf-8")))
        return vectors if vectors.shape[0] == len(index) else None

    @staticmethod
    def write(folder: Path, chunk_ids: Sequence[str], report_ids: Sequence[str], hashes: dict[str, str],
              fetch: Fetch, *, previous: ChunkVectors | None = None, batch: int = 2_000) -> None:
        """Store the vectors of an index's rows (``chunk_ids``, of ``report_ids``) in ``folder``:
        those of reports unchanged since ``previous`` are copied from it, the others fetched."""
        reused: dict[str, np.ndarray] = {}
        if previous is not None:
            old = np.load(previous.path, mmap_mode="r")  # the ingesting process reads it whole, once
            for row, (chunk_id, report_id) in enumerate(zip(previous.index.chunk_ids, previous.index.report_ids)):
                if previous.hashes.get(report_id) == hashes.get(report_id):
                    reused[chunk_id] = old[row]
        dimension = previous.shape[1] if previous is not None and len(previous.shape) > 1 else 0
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
