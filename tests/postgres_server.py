"""A throwaway PostgreSQL server for the tests (pytest plugin): Debian's binaries, a cluster in a
temp folder, loopback only, trust auth; each test that asks gets a database of its own.

Skipped with a reason where PostgreSQL is not installed, except under CI (scripts/test.sh
installs it there), where that is a failure."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: run it as the postgres user Debian's package creates.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a running PostgreSQL server (its postgres database)."""
    pytest.importorskip("psycopg", reason="psycopg is not installed")
    binaries = _binaries()
    if binaries is None:
        message = "PostgreSQL is not installed (apt-get install postgresql): the PostgreSQL history tests need it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Not under pytest's temp folder: that is private to root, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="nianbao-postgres-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    for step in (
        [str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "nianbao", "-E", "UTF8", "--locale", "C.UTF-8"],
        [str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w",
         "-o", f"-h 127.0.0.1 -p {port} -k {folder}", "start"],
    ):
        done = subprocess.run(_as_postgres(step), capture_output=True, text=True)
        if done.returncode:
            pytest.fail(f"could not start PostgreSQL ({' '.join(step)}):\n{done.stdout}{done.stderr}")
    try:
        yield f"postgresql+psycopg://nianbao@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the throwaway server, for one test."""
    import psycopg

    name = f"test_{uuid.uuid4().hex[:12]}"
    server = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_server.rsplit("/", 1)[0] + f"/{name}"
