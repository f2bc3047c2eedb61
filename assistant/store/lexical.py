"""BM25 over every chunk, built once per ingest and memory-mapped by every serving process.

An index lives in ``<data_dir>/lexical/<catalog version>/``: one bm25s index per tokenizer (jieba
words, character bigrams), each with its vocabulary as a sorted array, and the chunk and report id
of every row. The word tokens come from the catalog (``chunks.words``, written at ingest), so a
rebuild never runs jieba over the corpus again; a process loads an index in milliseconds and shares
its pages with the other workers instead of holding a copy.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from assistant.tokens import bigram_tokens

_IDS = "ids.json"

# A scope of up to this many reports is scored report by report (about a millisecond, however
# large the index); a wider one is cheaper to score whole (which grows with the index), then select.
MAX_SCOPED_REPORTS = 64


def _words(words: str, _text: str) -> list[str]:
    return words.split()


def _bigrams(_words: str, text: str) -> list[str]:
    return bigram_tokens(text)


# field → how a stored chunk row (its words, its indexed text) becomes the field's tokens
FIELDS: dict[str, Callable[[str, str], list[str]]] = {"words": _words, "bigrams": _bigrams}


@dataclass(frozen=True)
class ChunkTokens:
    chunk_id: str
    report_id: str
    words: str  # space-joined jieba tokens of the chunk's indexed text
    text: str  # the chunk's indexed text, for the bigrams


class _Field:
    def __init__(self, bm25: bm25s.BM25, vocabulary: np.ndarray) -> None:
        self.bm25 = bm25
        self.vocabulary = vocabulary  # sorted; a token's id is its position
        stored = bm25.scores
        # plain views of the memory-mapped arrays: slicing a np.memmap costs more than the slice
        self._postings = tuple(np.asarray(stored[name]) for name in ("data", "indices", "indptr"))

    def token_ids(self, tokens: Sequence[str]) -> list[int]:
        """The ids of the tokens the index knows."""
        if not tokens or not len(self.vocabulary):
            return []
        wanted = np.asarray(sorted(set(tokens)))
        at = np.searchsorted(self.vocabulary, wanted)
        known = at < len(self.vocabulary)
        known[known] = self.vocabulary[at[known]] == wanted[known]
        return at[known].tolist()

    def scores(self, token_ids: list[int]) -> np.ndarray:
        """Every row's score."""
        return np.asarray(self.bm25.get_scores_from_ids(token_ids))

    def scores_within(self, token_ids: list[int], ranges: list[tuple[int, int]]) -> np.ndarray:
        """The scores of the rows in ``ranges`` only, in their order: each token's postings are
        sorted by row, so a range's share of them is found by bisection, not by scoring every row."""
        data, indices, indptr = self._postings
        starts = np.asarray([a for a, _ in ranges])
        ends = np.asarray([b for _, b in ranges])
        offsets = np.concatenate([[0], np.cumsum(ends - starts)[:-1]])
        scores = np.zeros(int((ends - starts).sum()), np.float32)
        for token in token_ids:
            first, last = int(indptr[token]), int(indptr[token + 1])
            posting = indices[first:last]
            low, high = np.searchsorted(posting, starts), np.searchsorted(posting, ends)
            counts = high - low
            if not counts.any():
                continue
            # every posting position inside a range, and where its row sits in the scores
            at = np.arange(counts.sum()) + np.repeat(low - (np.cumsum(counts) - counts), counts)
            scores[np.repeat(offsets - starts, counts) + posting[at]] += data[first + at]  # a row once per token
        return scores


class LexicalIndex:
    """The rows (chunks) of every report, grouped by report, and one BM25 field per tokenizer."""

    def __init__(self, version: int, chunk_ids: list[str], report_ids: list[str], fields: dict[str, _Field]) -> None:
        self.version = version
        self.chunk_ids = chunk_ids
        self.report_ids = report_ids
        self.fields = fields
        self._rows: dict[str, tuple[int, int]] = {}  # report id → its rows [start, end)
        for row, report_id in enumerate(report_ids):
            start, _ = self._rows.get(report_id, (row, row))
            self._rows[report_id] = (start, row + 1)

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def search(self, field: str, tokens: Sequence[str], *, k: int,
               report_ids: Iterable[str] | None = None) -> list[tuple[str, str, float]]:
        """(chunk id, report id, score) of the best ``k`` rows with a positive score, within ``report_ids``."""
        scored = self.fields.get(field)
        token_ids = scored.token_ids(tokens) if scored else []
        if not token_ids:
            return []
        if report_ids is None:
            chosen = scored.scores(token_ids)  # type: ignore[union-attr]
            rows = np.arange(len(chosen))
        else:
            ranges, _ = self.ranges_of(report_ids)
            rows = rows_in(ranges)
            chosen = (scored.scores_within(token_ids, ranges) if len(ranges) <= MAX_SCOPED_REPORTS  # type: ignore[union-attr]
                      else scored.scores(token_ids)[rows])  # type: ignore[union-attr]
        if len(chosen) > k:
            top = np.argpartition(-chosen, k)[:k]
            rows, chosen = rows[top], chosen[top]
        order = np.argsort(-chosen, kind="stable")
        return [(self.chunk_ids[r], self.report_ids[r], float(s))
                for r, s in zip(rows[order].tolist(), chosen[order].tolist()) if s > 0]

    def rows_of(self, report_ids: Iterable[str]) -> tuple[np.ndarray, list[str]]:
        """The rows of ``report_ids``' chunks, and the reports this index does not hold."""
        ranges, missing = self.ranges_of(report_ids)
        return rows_in(ranges), missing

    def ranges_of(self, report_ids: Iterable[str]) -> tuple[list[tuple[int, int]], list[str]]:
        """The row ranges [start, end) of ``report_ids``' chunks, and the reports this index does not hold."""
        ranges, missing = [], []
        for report_id in dict.fromkeys(report_ids):
            if report_id in self._rows:
                ranges.append(self._rows[report_id])
            else:
                missing.append(report_id)
        return ranges, missing

    # ---- on disk ---------------------------------------------------------------------------------

    @classmethod
    def build(cls, rows: Iterable[ChunkTokens], folder: Path, *, version: int,
              beside: Callable[[Path, list[ChunkTokens]], None] | None = None) -> LexicalIndex:
        """Index ``rows`` (grouped by report) into ``folder``, written beside it and renamed into
        place, so a reader never sees a half index. ``beside`` writes what else belongs with the
        rows (their vectors) into the folder before it is renamed."""
        rows = list(rows)
        draft = folder.with_name(f".{folder.name}.{os.getpid()}")
        shutil.rmtree(draft, ignore_errors=True)
        draft.mkdir(parents=True)
        for name, tokenize in FIELDS.items() if rows else ():
            corpus = [tokenize(r.words, r.text) or ["∅"] for r in rows]
            vocabulary = np.asarray(sorted({t for doc in corpus for t in doc}))
            position = {t: i for i, t in enumerate(vocabulary.tolist())}
            ids = [[position[t] for t in doc] for doc in corpus]
            bm25 = bm25s.BM25()
            bm25.index(bm25s.tokenization.Tokenized(ids=ids, vocab=position), show_progress=False)
            bm25.vocab_dict = {}  # the sorted array below is the vocabulary: no JSON of a million tokens to parse
            bm25.save(str(draft / name))
            np.save(draft / name / "vocabulary.npy", vocabulary)
        (draft / _IDS).write_text(json.dumps({"version": version, "chunks": [r.chunk_id for r in rows],
                                              "reports": [r.report_id for r in rows]}), encoding="utf-8")
        if beside is not None:
            beside(draft, rows)
        try:
            os.replace(draft, folder)
        except OSError:  # another process (a worker starting beside this one) built this version first
            shutil.rmtree(draft, ignore_errors=True)
        return cls.load(folder)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        ids = json.loads((folder / _IDS).read_text(encoding="utf-8"))
        fields = {}
        for name in FIELDS if ids["chunks"] else ():  # an empty catalog has no fields
            vocabulary = np.load(folder / name / "vocabulary.npy", mmap_mode="r")
            fields[name] = _Field(bm25s.BM25.load(str(folder / name), mmap=True, load_vocab=False), vocabulary)
        return cls(ids["version"], ids["chunks"], ids["reports"], fields)


def rows_in(ranges: list[tuple[int, int]]) -> np.ndarray:
    """The rows of ``ranges`` ([start, end) each), in their order."""
    return np.concatenate([np.arange(a, b) for a, b in ranges]) if ranges else np.zeros(0, np.int64)


def newest(root: Path) -> Path | None:
    """The folder of the newest complete index under ``root`` (named by catalog version)."""
    built = [p for p in root.glob("[0-9]*") if (p / _IDS).is_file()] if root.is_dir() else []
    return max(built, key=lambda p: int(p.name), default=None)


def prune(root: Path, keep: Path) -> None:
    """Remove the indexes older than ``keep`` (a process still reading one keeps its open pages)."""
    for folder in root.glob("[0-9]*"):
        if folder.is_dir() and folder.name.isdigit() and int(folder.name) < int(keep.name):
            shutil.rmtree(folder, ignore_errors=True)
