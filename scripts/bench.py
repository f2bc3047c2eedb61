"""Benchmark: model load, ingest time per report, and ask latency / throughput.

    .venv/bin/python scripts/bench.py [--corpus ../shared/corpus] [--rounds 5]

Prints figures; asserts nothing (timed tests are flaky, numbers belong in notes).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from assistant.config import Settings
    from assistant.index import report_files
    from assistant.service import Assistant

    with tempfile.TemporaryDirectory() as data_dir:
        started = time.perf_counter()
        assistant = Assistant(Settings(data_dir=Path(data_dir), model_dir=ROOT / ".cache"))
        print(f"start-up (model + stores): {time.perf_counter() - started:.1f} s")

        paths = [ROOT / "samples"] + ([args.corpus / "seed", args.corpus / "real"] if args.corpus.is_dir() else [])
        files = report_files(paths)
        started = time.perf_counter()
        results = assistant.ingest(paths)
        elapsed = time.perf_counter() - started
        chunks = sum(len(r.chunks) for r in assistant.reports)
        print(f"ingest: {len(files)} files, {chunks} chunks in {elapsed:.1f} s "
              f"({elapsed / max(1, len(files)):.2f} s/report, {chunks / elapsed:.1f} chunks/s)")
        started = time.perf_counter()
        assistant.ingest(paths)
        print(f"re-ingest (unchanged): {time.perf_counter() - started:.2f} s; failed: {[r.path for r in results if r.error]}")

        questions = [q["question"] for d in sorted((ROOT / "eval" / "datasets").glob("*.yaml"))
                     for q in yaml.safe_load(d.read_text(encoding="utf-8"))["questions"]]
        latencies = []
        started = time.perf_counter()
        for _ in range(args.rounds):
            for question in questions:
                t = time.perf_counter()
                assistant.ask(question)
                latencies.append((time.perf_counter() - t) * 1000)
        total = time.perf_counter() - started
        latencies.sort()
        print(f"ask: {len(latencies)} questions, p50 {statistics.median(latencies):.1f} ms, "
              f"p95 {latencies[int(0.95 * len(latencies)) - 1]:.1f} ms, max {latencies[-1]:.1f} ms, "
              f"{len(latencies) / total:.1f} questions/s (one thread)")


if __name__ == "__main__":
    main()
