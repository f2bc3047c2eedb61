"""The scaled set-up with real processes (scripts/stack.py): PostgreSQL for the catalog and the
history, Redis for the rate limits, `chroma run`, and `nianbao serve --workers 2` over them.

One stack for the module, its tests run in order (its services are stopped and started again by
the fault tests): two workers answer alike and both answer from reports another process ingests
(the ones the later tests ask about); a stopped Chroma is a 503 for a question about every report
(one about a single report needs no Chroma), a stopped PostgreSQL for every ask, until it is back; 32 clients for 60 s get answers, each with one history row;
a `nianbao ingest` killed with SIGKILL mid-batch leaves every report whole or absent, and the
next ingest completes the batch. Skipped where a service's binary is absent, except in CI."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from conftest import MODEL_DIR, ROOT
from sqlalchemy import create_engine, func, select

import ingest
from assistant.history.model import questions
from assistant.store import catalog

sys.path.insert(0, str(ROOT / "scripts"))
from stack import Chroma, Nianbao, Postgres, Redis, missing_binaries, stack_env  # scripts/stack.py


def short_report(agency: str, requests: int) -> str:
    """A small 2021 report whose one application figure answers `2021年{agency}共收到多少件政府信息公开申请?`."""
    return f"""{agency}2021年政府信息公开工作年度报告

  本报告根据《中华人民共和国政府信息公开条例》的要求，由{agency}办公室编制。报告所列数据的统计期限为2021年1月1日至2021年12月31日。

  一、概述

  2021年，{agency}认真贯彻落实政府信息公开工作要求，及时更新政府信息公开指南。

  二、主动公开政府信息情况

  全年通过门户网站主动公开信息{requests + 30}条，内容涵盖机构职能和政策文件。

  三、依申请公开政府信息情况

  2021年，{agency}共收到政府信息公开申请{requests}件，均已按期答复。
"""


def question_about(agency: str) -> str:
    return f"2021年{agency}共收到多少件政府信息公开申请?"


# Ingested by `nianbao ingest` while the workers serve (they start with an empty index: no model
# load and no ingest in `serve`'s parent, to keep the tests short).
INGESTED = {"澄江市档案局": 17, "澄江市财政局": 23, "澄江市教育局": 31, "澄江市民政局": 9}
NEW_AGENCY = "澄江市档案局"
QUESTION = question_about(NEW_AGENCY)
UNSCOPED_QUESTION = "政府信息公开申请一般怎么办理"  # names no agency or year: every report
LOAD_QUESTIONS = [
    *(question_about(agency) for agency in INGESTED),
    "2021年澄江市教育局主动公开政府信息多少条?",
    "2019年澄江市档案局共收到多少件政府信息公开申请?",  # refused: no 2019 report; recorded all the same
]
# The batch whose ingest is killed: small reports, so that the test spends its time on the kill
# and the restart rather than on embedding.
BATCH_AGENCIES = [f"泸溪市{body}" for body in (
    "财政局", "教育局", "民政局", "司法局", "水利局", "商务局", "文化和旅游局", "卫生健康委员会",
    "应急管理局", "统计局", "审计局", "林业局", "医疗保障局", "市场监督管理局", "交通运输局", "自然资源局")]
SYNC_SECONDS = 1


@dataclass
class Stack:
    folder: Path
    postgres: Postgres
    redis: Redis
    chroma: Chroma
    nianbao: Nianbao
    env: dict[str, str]

    @property
    def url(self) -> str:
        return self.nianbao.base_url

    def run_nianbao(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([str(Path(sys.executable).with_name("nianbao")), *args], env=self.env, cwd=self.folder,
                              capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    if missing := missing_binaries():
        reason = "the scaled set-up needs " + "; ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set: scripts/test.sh installs them)", pytrace=False)
        pytest.skip(reason)
    # Not under pytest's temp folder (private to root): PostgreSQL runs as the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="nianbao-stack-"))
    folder.chmod(0o755)
    postgres, redis, chroma = Postgres(folder / "postgres"), Redis(folder / "redis"), Chroma(folder / "chroma")
    env = stack_env(folder, postgres, redis, chroma, NIANBAO_MODEL_DIR=str(MODEL_DIR), NIANBAO_INGEST_PATHS="",
                    NIANBAO_SYNC_SECONDS=str(SYNC_SECONDS),
                    NIANBAO_RATE_LIMIT="1000000/minute",  # the load test is one client asking a lot
                    COLUMNS="200")
    nianbao = Nianbao(folder / "nianbao", env, workers=2, ingest=False)
    started = []
    try:
        for service in (postgres, redis, chroma, nianbao):
            started.append(service)  # before start(): one that fails to start is stopped too
            service.start()
        yield Stack(folder, postgres, redis, chroma, nianbao, env)
    finally:
        for service in reversed(started):
            service.stop()
        # The services' logs outlive the run, for a failure to be read (CI keeps test-artifacts/).
        logs = ROOT / "test-artifacts" / "scaled-logs"
        shutil.rmtree(logs, ignore_errors=True)
        for log in [*folder.glob("*.log"), *folder.glob("*/*.log")]:
            kept = logs / log.relative_to(folder)
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(log, kept)
        shutil.rmtree(folder, ignore_errors=True)


def ask(url: str, question: str) -> httpx.Response:
    """On a fresh connection, so that either worker may take it."""
    return httpx.post(f"{url}/api/ask", json={"question": question}, timeout=60)


def as_seen(answer: dict) -> dict:
    """What the public sees of an answer, less what differs between two askings (id, latency)."""
    return {k: v for k, v in answer.items() if k not in ("id", "latency_ms")}


def answers_by_worker(url: str, question: str, tries: int = 60) -> dict[str, dict]:
    """The question asked until both workers have answered it: worker → its answer."""
    seen: dict[str, dict] = {}
    for _ in range(tries):
        response = ask(url, question)
        assert response.status_code == 200, response.text
        seen[response.headers["X-Served-By"]] = response.json()
        if len(seen) == 2:
            break
    assert len(seen) == 2, f"{tries} asks were all answered by one worker: is `serve --workers 2` running two?"
    return seen


def assert_unavailable(response: httpx.Response, store: str) -> None:
    assert response.status_code == 503, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == 503 and body["error"]["details"] == []
    assert store in body["error"]["message"] and "Try again" in body["error"]["message"]
    assert "Traceback" not in response.text
    assert response.headers["Retry-After"].isdigit()


def wait_until_served_again(url: str, seconds: float) -> None:
    """Until both workers answer again; fails past ``seconds``."""
    started = time.monotonic()
    while True:
        response = ask(url, QUESTION)
        if response.status_code == 200:
            answers_by_worker(url, QUESTION)  # both workers, not only the first that reconnected
            return
        assert response.status_code == 503, response.text
        assert time.monotonic() - started < seconds, f"still {response.status_code} after {seconds} s: {response.text}"
        time.sleep(0.5)


def test_two_workers_answer_alike_and_both_answer_from_an_ingest_by_another_process(stack: Stack) -> None:
    assert not any(a["answered"] for a in answers_by_worker(stack.url, QUESTION).values())

    folder = stack.folder / "new-reports"
    folder.mkdir()
    for number, (agency, requests) in enumerate(INGESTED.items()):
        (folder / f"chengjiang-{number}.txt").write_text(short_report(agency, requests), encoding="utf-8")
    done = stack.run_nianbao("ingest", str(folder))
    assert done.returncode == 0, done.stdout + done.stderr
    ingested = time.monotonic()
    while True:
        answers = answers_by_worker(stack.url, QUESTION)
        if all(a["answered"] for a in answers.values()):
            break
        assert time.monotonic() - ingested < SYNC_SECONDS + 10, f"a worker still refuses: {answers}"
    first, second = answers.values()
    assert "17件" in first["text"] and as_seen(first) == as_seen(second)


def test_a_stopped_chroma_server_is_a_503_for_the_questions_that_need_it_until_it_is_back(stack: Stack) -> None:
    before = ask(stack.url, QUESTION).json()
    stack.chroma.stop()
    try:
        # A question about one report is scored from the chunk vectors stored with the lexical
        # index: Chroma is not needed, and the answer is the same.
        during = ask(stack.url, QUESTION)
        assert during.status_code == 200 and as_seen(during.json()) == as_seen(before)
        for _ in range(4):  # about every report: Chroma's nearest neighbours are needed
            assert_unavailable(ask(stack.url, UNSCOPED_QUESTION), "Chroma")
        assert_unavailable(httpx.get(f"{stack.url}/healthz", timeout=10), "Chroma")
    finally:
        stack.chroma.start()  # the same port and data
    wait_until_served_again(stack.url, 20)


def test_a_stopped_postgresql_is_a_503_until_it_is_back(stack: Stack) -> None:
    stack.postgres.stop()
    try:
        for _ in range(4):
            assert_unavailable(ask(stack.url, QUESTION), "database")
    finally:
        stack.postgres.start()
    wait_until_served_again(stack.url, 20)


async def _load(url: str, clients: int, seconds: float) -> list[tuple[str, int, dict | str]]:
    """``clients`` clients asking in turn for ``seconds``: (worker, status, answer or error text) per ask."""
    deadline = time.monotonic() + seconds
    results: list[tuple[str, int, dict | str]] = []

    async def client(number: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            turn = number
            while time.monotonic() < deadline:
                question = LOAD_QUESTIONS[turn % len(LOAD_QUESTIONS)]
                turn += 1
                try:
                    response = await http.post("/api/ask", json={"question": question, "session_id": f"load-client-{number:02d}"})
                except httpx.HTTPError as exc:
                    results.append(("", 0, repr(exc)))
                    continue
                body = response.json() if response.status_code == 200 else response.text[:300]
                results.append((response.headers.get("X-Served-By", ""), response.status_code, body))

    await asyncio.gather(*(client(n) for n in range(clients)))
    return results


def test_32_clients_for_60_seconds_get_answers_each_with_one_history_row(stack: Stack) -> None:
    history = create_engine(stack.env["NIANBAO_HISTORY_URL"])
    with history.connect() as conn:
        before = conn.execute(select(func.count()).select_from(questions)).scalar_one()

    # in a thread of its own: a browser test's event loop may still be running in this one
    with ThreadPoolExecutor(1) as own_loop:
        results = own_loop.submit(asyncio.run, _load(stack.url, clients=32, seconds=60)).result()

    failures = Counter((status, str(body)[:200]) for _, status, body in results if status != 200)
    assert not failures, f"{sum(failures.values())} of {len(results)} asks failed: {failures.most_common(5)}"
    answers = [body for _, _, body in results if isinstance(body, dict)]
    assert len(answers) > 100, f"only {len(answers)} answers in 60 s"
    assert len({worker for worker, _, _ in results}) == 2, "one worker took every ask"
    # the same question, the same answer, whichever worker and whenever
    by_question: dict[str, set[str]] = {}
    for answer in answers:
        by_question.setdefault(answer["question"], set()).add(repr(sorted(as_seen(answer).items())))
    assert all(len(variants) == 1 for variants in by_question.values()), by_question.keys()

    ids = [answer["id"] for answer in answers]
    assert None not in ids and len(set(ids)) == len(ids)
    with history.connect() as conn:
        after = conn.execute(select(func.count()).select_from(questions)).scalar_one()
        stored = set(conn.execute(select(questions.c.id).where(questions.c.session.like("load-%"))).scalars())
    history.dispose()
    assert after - before == len(ids) and stored == set(ids)


def _stored(stack: Stack, report_ids: set[str]) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, set[str]]]]:
    """For these reports: the catalog's row counts (paragraphs, chunks, hash) and Chroma's chunk ids and hashes."""
    import chromadb

    engine = create_engine(stack.env["NIANBAO_DATABASE_URL"])
    in_catalog: dict[str, dict] = {}
    with engine.connect() as conn:
        for rid, digest in conn.execute(select(catalog.reports.c.id, catalog.reports.c.content_hash)):
            if rid in report_ids:
                in_catalog[rid] = {
                    "hash": digest,
                    "paragraphs": conn.execute(select(func.count()).where(catalog.paragraphs.c.report_id == rid)).scalar_one(),
                    "chunks": conn.execute(select(func.count()).where(catalog.chunks.c.report_id == rid)).scalar_one(),
                }
    engine.dispose()
    collection = chromadb.HttpClient(host="127.0.0.1", port=stack.chroma.port).get_collection(stack.env.get("NIANBAO_COLLECTION", "report-chunks"))
    stored = collection.get(include=["metadatas"])
    in_chroma: dict[str, dict[str, set[str]]] = {}
    for chunk_id, meta in zip(stored["ids"], stored["metadatas"] or []):
        if meta["report_id"] in report_ids:
            entry = in_chroma.setdefault(str(meta["report_id"]), {"ids": set(), "hashes": set()})
            entry["ids"].add(chunk_id)
            entry["hashes"].add(str(meta["content_hash"]))
    return in_catalog, in_chroma


def _assert_whole(report, in_catalog: dict, in_chroma: dict) -> None:  # type: ignore[no-untyped-def]
    assert in_catalog[report.id] == {"hash": report.content_hash, "paragraphs": len(report.paragraphs), "chunks": len(report.chunks)}
    assert in_chroma.get(report.id) == {"ids": {c.id for c in report.chunks}, "hashes": {report.content_hash}}


def test_an_ingest_killed_mid_batch_leaves_each_report_whole_or_absent_and_the_next_completes_it(stack: Stack) -> None:
    batch = stack.folder / "batch"
    batch.mkdir()
    for number, agency in enumerate(BATCH_AGENCIES):
        (batch / f"{number:02d}.txt").write_text(short_report(agency, 100 + number), encoding="utf-8")
    reports = {r.id: r for r in (ingest.read_path(path) for path in sorted(batch.glob("*.txt")))}
    assert len(reports) == len(BATCH_AGENCIES)

    log = stack.folder / "killed-ingest.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([str(Path(sys.executable).with_name("nianbao")), "ingest", str(batch)],
                                   env=stack.env, cwd=stack.folder, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while len(_stored(stack, set(reports))[0]) < 2:
            assert process.poll() is None, f"the ingest ended before it was killed:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"the ingest wrote no 2 reports in 180 s:\n{log.read_text()}"
            time.sleep(0.2)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait()

    in_catalog, in_chroma = _stored(stack, set(reports))
    assert 2 <= len(in_catalog) < len(reports), "killed too late: make the batch larger"
    for report_id in in_catalog:
        _assert_whole(reports[report_id], in_catalog, in_chroma)
    # Chroma may hold the vectors of the one report whose catalog transaction the kill cut short;
    # the next start repairs that (Indexer.reconcile) before anything else.
    assert len(set(in_chroma) - set(in_catalog)) <= 1
    killed = set(in_catalog)

    done = stack.run_nianbao("ingest", str(batch))
    assert done.returncode == 0, done.stdout + done.stderr
    in_catalog, in_chroma = _stored(stack, set(reports))
    assert set(in_catalog) == set(in_chroma) == set(reports)
    for report in reports.values():
        _assert_whole(report, in_catalog, in_chroma)
    # The last report of the batch, which the killed ingest never reached: both workers answer from it.
    last = list(reports.values())[-1]
    assert last.id not in killed
    deadline = time.monotonic() + SYNC_SECONDS + 10
    while True:
        answers = answers_by_worker(stack.url, question_about(BATCH_AGENCIES[-1]))
        if all(a["answered"] and a["citations"][0]["report_id"] == last.id for a in answers.values()):
            break
        assert time.monotonic() < deadline, f"a worker does not answer from {last.id}: {answers}"
    assert f"{100 + len(BATCH_AGENCIES) - 1}件" in answers.popitem()[1]["text"]


def test_a_staff_sign_in_holds_on_every_worker_and_sign_in_attempts_are_counted_once(stack: Stack) -> None:
    added = subprocess.run([str(Path(sys.executable).with_name("nianbao")), "staff", "add", "li.si", "--password-stdin"],
                           input="correct horse\n", env=stack.env, cwd=stack.folder, capture_output=True, text=True, check=False)
    assert added.returncode == 0, added.stdout + added.stderr
    origin = {"Origin": stack.url}
    signed_in = httpx.post(f"{stack.url}/staff/login", data={"username": "li.si", "password": "correct horse"},
                           headers=origin, timeout=30)
    assert signed_in.status_code == 303, signed_in.text
    pages: dict[str, int] = {}
    for _ in range(60):  # fresh connections until both workers have shown the console
        page = httpx.get(f"{stack.url}/staff", cookies=signed_in.cookies, timeout=30)
        pages[page.headers["X-Served-By"]] = page.status_code
        if len(pages) == 2:
            break
    assert list(pages.values()) == [200, 200], pages  # the session cookie is good on both

    # NIANBAO_STAFF_LOGIN_LIMIT is 5/minute, one sign-in made: four more attempts, then 429 from
    # both workers — a worker counting on its own would let its first attempt through.
    statuses, refused_by = [], set()
    for _ in range(40):  # fresh connections until both workers have refused
        attempt = httpx.post(f"{stack.url}/staff/login", data={"username": "li.si", "password": "wrong"},
                             headers=origin, timeout=30)
        statuses.append(attempt.status_code)
        if attempt.status_code == 429:
            refused_by.add(attempt.headers["X-Served-By"])
        if len(refused_by) == 2:
            break
    assert statuses[:4] == [401] * 4 and set(statuses[4:]) == {429}, statuses
    assert len(refused_by) == 2, f"{len(statuses)} attempts all went to one worker"


def test_compose_yaml_names_the_same_services_and_real_settings() -> None:
    """compose.yaml is for machines with Docker (none here): it must at least name real settings."""
    import yaml

    from assistant.config import Settings

    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    settings = {f"NIANBAO_{name.upper()}" for name in Settings.model_fields}
    environment = compose["services"]["nianbao"]["environment"]
    assert set(compose["services"]) == {"postgres", "redis", "chroma", "nianbao"}
    assert set(environment) <= settings
    assert {"NIANBAO_DATABASE_URL", "NIANBAO_HISTORY_URL", "NIANBAO_CHROMA_HOST", "NIANBAO_RATE_LIMIT_STORAGE"} <= set(environment)
    assert int(environment["NIANBAO_WORKERS"]) > 1
    assert compose["services"]["chroma"]["command"][:2] == ["chroma", "run"]

