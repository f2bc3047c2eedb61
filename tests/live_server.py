"""A real `nianbao serve` for browser tests, and a Chromium page on it (a pytest plugin, loaded by
conftest.py).

One server per test session (samples/ plus a small report of hostile markup, in a fresh data dir)
and one browser; each test gets its own browser context, so its own sessionStorage and cookies.
`live_server.env` is the server's environment: run `nianbao` commands with it against the same
data. `running_server` starts another server with an environment of a test's own."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from conftest import MODEL_DIR, ROOT

START_TIMEOUT = 180  # seconds: model load + ingest of samples/
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]

# A report whose text is markup: whatever shows it must show it as text, never run it.
INJECTION_AGENCY = "霁川市测试局"
INJECTION_REPORT = """霁川市测试局2020年政府信息公开工作年度报告

  本报告根据《中华人民共和国政府信息公开条例》的要求，由霁川市测试局办公室编制。报告所列数据的统计期限为2020年1月1日至2020年12月31日。

  一、概述

  2020年，霁川市测试局在门户网站发布《关于网页标签<img src=x onerror="window.__pwned=1">的说明》，并更新了政府信息公开指南。

  二、主动公开政府信息情况

  全年通过门户网站主动公开信息86条，内容涵盖机构职能和政策文件。

  三、依申请公开政府信息情况

  2020年，霁川市测试局共收到政府信息公开申请5件，均已按期答复。申请人要求公开的网页代码为<script>window.__pwned=1</script>，已告知其获取方式。

  四、政府信息公开收费及减免情况

  2020年，霁川市测试局未收取任何费用。
"""


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    data_dir: Path
    env: dict[str, str]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nianbao() -> str:
    script = Path(sys.executable).with_name("nianbao")
    return str(script if script.exists() else ROOT / ".venv" / "bin" / "nianbao")


@contextmanager
def running_server(home: Path, env: dict[str, str]) -> Iterator[LiveServer]:
    """`nianbao serve` on a free port with ``env``, from ``home`` (no stray .env), until the block ends."""
    port = free_port()
    server = LiveServer(f"http://127.0.0.1:{port}", Path(env["NIANBAO_DATA_DIR"]), env, home / "server.log")
    with open(server.log_path, "wb") as log:
        process = subprocess.Popen([nianbao(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                   cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n{server.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within {START_TIMEOUT} s:\n{server.log()}")
            try:
                if httpx.get(f"{server.base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment for a server over ``data_dir``, without the real corpus unless given."""
    return {
        **{k: v for k, v in os.environ.items() if k not in ("NIANBAO_CORPUS_DIR", "CORPUS_DIR")},
        "NIANBAO_DATA_DIR": str(data_dir),
        "NIANBAO_MODEL_DIR": str(MODEL_DIR),
        "NIANBAO_INGEST_PATHS": "",
        "HF_HUB_OFFLINE": "1",
        "COLUMNS": "200",  # keep rich from wrapping the printed URL
        **settings,
    }


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    home = tmp_path_factory.mktemp("live")
    extra = home / "ingest"
    extra.mkdir()
    (extra / "jichuan-csj-2020.txt").write_text(INJECTION_REPORT, encoding="utf-8")
    env = server_env(home / "data", NIANBAO_INGEST_PATHS=str(extra),  # samples/ + this report: fast
                     NIANBAO_RATE_LIMIT="1000/minute")  # browser tests ask far more than a person would
    with running_server(home, env) as server:
        yield server


def chromium_path() -> str | None:
    """NIANBAO_CHROMIUM, else the Debian Chromium, else whatever Chromium is on PATH."""
    for candidate in (os.environ.get("NIANBAO_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; in CI the browser tests must run, so fail."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed: pip install playwright")
    path = chromium_path()
    if path is None:
        unavailable("Chromium is not installed: apt-get install chromium, or set NIANBAO_CHROMIUM to its path")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page (own context) whose relative URLs go to the live server; fails on uncaught JS errors."""
    context = browser.new_context(base_url=live_server.base_url, locale="zh-CN",
                                  viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"uncaught JavaScript errors: {errors}"
