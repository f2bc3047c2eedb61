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

    def scores(self, tokens: Sequence[str]) -> np.ndarray | None:
        if not tokens or not len(self.vocabulary):
            return None
        wanted = np.asarray(sorted(set(tokens)))
        at = np.searchsorted(self.vocabulary, wanted)
        known = at < len(self.vocabulary)
        known[known] = self.vocabulary[at[known]] == wanted[known]
        if not known.any():
            return None
        return np.asarray(self.bm25.get_scores_from_ids(at[known].tolist()))


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
        scores = self.fields[field].scores(tokens) if field in self.fields else None
        if scores is None:
            return []
        if report_ids is not None:
            ranges = [self._rows[r] for r in dict.fromkeys(report_ids) if r in self._rows]
            rows = np.concatenate([np.arange(a, b) for a, b in ranges]) if ranges else np.zeros(0, np.int64)
        else:
            rows = np.arange(len(scores))
        chosen = scores[rows]
        if len(chosen) > k:
            top = np.argpartition(-chosen, k)[:k]
            rows, chosen = rows[top], chosen[top]
        order = np.argsort(-chosen, kind="stable")
        return [(self.chunk_ids[r], self.report_ids[r], float(s))
                for r, s in zip(rows[order].tolist(), chosen[order].tolist()) if s > 0]

    # ---- on disk ---------------------------------------------------------------------------------

    @classmethod
    def build(cls, rows: Iterable[ChunkTokens], folder: Path, *, version: int) -> LexicalIndex:
        """Index ``rows`` (grouped by report) into ``folder``, written beside it and renamed into
        place, so a reader never sees a half index."""
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


def newest(root: Path) -> Path | None:
    """The folder of the newest complete index under ``root`` (named by catalog version)."""
    built = [p for p in root.glob("[0-9]*") if (p / _IDS).is_file()] if root.is_dir() else []
    return max(built, key=lambda p: int(p.name), default=None)


def prune(root: Path, keep: Path) -> None:
    """Remove the indexes older than ``keep`` (a process still reading one keeps its open pages)."""
    for folder in root.glob("[0-9]*"):
        if folder.is_dir() and folder.name.isdigit() and int(folder.name) < int(keep.name):
            shutil.rmtree(folder, ignore_errors=True)
