"""Benchmark the public API over real HTTP: ask latency with the history recorded, the SSE
stream's first event, throughput with concurrent clients, and that every question lands.

    .venv/bin/python scripts/bench_api.py [--clients 8] [--questions 400]

Serves samples/ with uvicorn on a free port in this process; prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn
import yaml

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[max(0, int(share * len(values)) - 1)]


def summary(name: str, latencies: list[float]) -> str:
    return (f"{name}: n={len(latencies)}, p50 {statistics.median(latencies):.1f} ms, "
            f"p95 {percentile(latencies, 0.95):.1f} ms, max {max(latencies):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--questions", type=int, default=400)
    args = parser.parse_args()

    from assistant.api.app import create_app
    from assistant.config import Settings
    from assistant.history import HistoryStore
    from assistant.service import Assistant

    data = yaml.safe_load((ROOT / "eval" / "datasets" / "samples.yaml").read_text(encoding="utf-8"))
    questions = [q["question"] for q in data["questions"]]
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir), model_dir=ROOT / ".cache", rate_limit="1000000/minute")
        assistant = Assistant(settings)
        assistant.ingest([ROOT / "samples"])
        history = HistoryStore.open(settings.history_database_url, settings.secret())
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(settings, assistant=assistant, history=history),
                                               host="127.0.0.1", port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"

        direct = []
        for question in questions * 3:
            started = time.perf_counter()
            assistant.ask(question)
            direct.append((time.perf_counter() - started) * 1000)
        print(summary("service.ask (no HTTP, no history)", direct))

        with httpx.Client(base_url=base, timeout=60) as client:
            sequential = []
            for question in questions * 3:
                started = time.perf_counter()
                client.post("/api/ask", json={"question": question, "session_id": "bench-sequential"}).raise_for_status()
                sequential.append((time.perf_counter() - started) * 1000)
            print(summary("POST /api/ask, one client (recorded)", sequential))

            first_event, whole = [], []
            for question in questions:
                started = time.perf_counter()
                with client.stream("POST", "/api/ask/stream", json={"question": question}) as response:
                    lines = response.iter_lines()
                    next(lines)
                    first_event.append((time.perf_counter() - started) * 1000)
                    for _ in lines:
                        pass
                whole.append((time.perf_counter() - started) * 1000)
            print(summary("POST /api/ask/stream, first event", first_event))
            print(summary("POST /api/ask/stream, whole stream", whole))

            before = history.engine.connect().exec_driver_sql("select count(*) from questions").scalar()
            run = uuid.uuid4().hex[:8]
            latencies: list[float] = []

            def ask(i: int) -> str:
                started = time.perf_counter()
                response = client.post("/api/ask", json={"question": questions[i % len(questions)],
                                                         "session_id": f"bench-{run}-{i % args.clients}"})
                latencies.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                return response.json()["id"]

            started = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                ids = list(pool.map(ask, range(args.questions)))
            elapsed = time.perf_counter() - started
            after = history.engine.connect().exec_driver_sql("select count(*) from questions").scalar()
            print(summary(f"POST /api/ask, {args.clients} concurrent clients", latencies))
            print(f"throughput: {args.questions / elapsed:.1f} questions/s; recorded {after - before} of "
                  f"{args.questions} ({len(set(ids))} distinct ids)")
        server.should_exit = True


if __name__ == "__main__":
    main()
