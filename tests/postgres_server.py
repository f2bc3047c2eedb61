"""A throwaway PostgreSQL server for the tests (pytest plugin): Debian's binaries, a cluster in a
temp folder, loopback only, trust auth; each test that asks gets a database of its own.

Skipped with a reason where PostgreSQL is not installed, except under CI (scripts/test.sh
installs it there), where that is a failure."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from stack import Postgres, StackError, postgres_binaries  # scripts/stack.py: the same server the scaled set-up runs


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a running PostgreSQL server (its postgres database)."""
    pytest.importorskip("psycopg", reason="psycopg is not installed")
    if postgres_binaries() is None:
        message = "PostgreSQL is not installed (apt-get install postgresql): the PostgreSQL history tests need it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Not under pytest's temp folder: that is private to root, and the server runs as postgres.
    server = Postgres(Path(tempfile.mkdtemp(prefix="nianbao-postgres-")))
    try:
        server.start()
    except StackError as exc:
        pytest.fail(f"could not start PostgreSQL: {exc}")
    try:
        yield server.url("postgres")
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the throwaway server, for one test."""
    import psycopg

    name = f"test_{uuid.uuid4().hex[:12]}"
    server = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_server.rsplit("/", 1)[0] + f"/{name}"
