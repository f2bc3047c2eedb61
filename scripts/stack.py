"""The scaled set-up on one machine, each service started the ordinary way (what compose.yaml runs
in containers): PostgreSQL (initdb, pg_ctl) for the catalog and the history, Redis (redis-server)
for the rate limits, Chroma (chroma run) for the vectors, and `nianbao serve --workers N` over them.

    .venv/bin/python scripts/stack.py --dir /tmp/nianbao-stack [--workers 2] [--port 8000] [--no-ingest]

It prints the environment that points `nianbao ingest …` (or any nianbao command) at the same
stores, and stops everything on Ctrl-C. A second run over the same --dir keeps the data.
tests/test_scaled.py starts and stops the same services through the classes below.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

VENV_BIN = Path(sys.executable).parent  # chroma and nianbao are installed beside this Python
START_TIMEOUT = 240  # seconds; nianbao loads the embedding model in each process and ingests samples/


class StackError(RuntimeError):
    """A service that would not start; the message names it and where its log is."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_binaries() -> Path | None:
    """Debian's PostgreSQL (/usr/lib/postgresql/N/bin), else initdb on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def missing_binaries() -> list[str]:
    """What this machine lacks to run the stack, each with how to install it."""
    missing = []
    if postgres_binaries() is None:
        missing.append("PostgreSQL (apt-get install postgresql)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server (apt-get install redis-server)")
    if not (VENV_BIN / "chroma").exists():
        missing.append(f"chroma (pip install chromadb, in {VENV_BIN.parent})")
    return missing


def _wait(ready, what: str, log: Path, process: subprocess.Popen | None = None, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not ready():
        if process is not None and process.poll() is not None:
            raise StackError(f"{what} exited with {process.returncode}; its log: {log}\n{_tail(log)}")
        if time.monotonic() > deadline:
            raise StackError(f"{what} was not ready within {timeout:.0f} s; its log: {log}\n{_tail(log)}")
        time.sleep(0.2)


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _stop(process: subprocess.Popen | None) -> None:
    """SIGTERM to the process's group (nianbao's workers, chroma's children), SIGKILL if it lingers."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _spawn(command: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.Popen:
    with open(log, "ab") as out:  # its own session: _stop ends its children with it
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)


@dataclass
class Postgres:
    """A cluster in ``folder`` with two databases, nianbao_catalog and nianbao_history."""

    folder: Path
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.folder / "pgdata"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://nianbao@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        # PostgreSQL refuses to run as root: as root, run it as the postgres user Debian's package creates.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, check=False)
        if done.returncode:
            raise StackError(f"PostgreSQL: {' '.join(command)} failed:\n{done.stdout}{done.stderr}")

    def start(self) -> None:
        binaries = postgres_binaries()
        if binaries is None:
            raise StackError("PostgreSQL is not installed: apt-get install postgresql")
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        if not self.data.exists():
            self._run(str(binaries / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "nianbao", "-E", "UTF8",
                      "--locale", "C.UTF-8")
        self._run(str(binaries / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "postgres.log"), "-w",
                  "-o", f"-h 127.0.0.1 -p {self.port} -k {self.folder}", "start")
        self._create_databases()

    def _create_databases(self) -> None:
        import psycopg

        with psycopg.connect(f"postgresql://nianbao@127.0.0.1:{self.port}/postgres", autocommit=True) as conn:
            existing = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
            for name in ("nianbao_catalog", "nianbao_history"):
                if name not in existing:
                    conn.execute(f'CREATE DATABASE "{name}"')

    def stop(self) -> None:
        binaries = postgres_binaries()
        if binaries is not None and (self.data / "postmaster.pid").exists():
            self._run(str(binaries / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


@dataclass
class Redis:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        log = self.folder / "redis.log"
        # Rate-limit counts only: nothing worth saving to disk.
        self.process = _spawn(["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                               "--appendonly", "no", "--dir", str(self.folder)], log)
        _wait(self._pings, "redis-server", log, self.process, timeout=20)

    def _pings(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        _stop(self.process)


@dataclass
class Chroma:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        log = self.folder / "chroma.log"
        self.process = _spawn([str(VENV_BIN / "chroma"), "run", "--path", str(self.folder / "db"),
                               "--host", "127.0.0.1", "--port", str(self.port)], log)
        _wait(lambda: _answers(f"http://127.0.0.1:{self.port}/api/v2/heartbeat"), "chroma run", log, self.process)

    def stop(self) -> None:
        _stop(self.process)


@dataclass
class Nianbao:
    """`nianbao serve --workers N` over the other three."""

    folder: Path
    env: dict[str, str]
    workers: int = 2
    port: int = field(default_factory=free_port)
    ingest: bool = True
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.folder / "nianbao.log"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [str(VENV_BIN / "nianbao"), "serve", "--workers", str(self.workers), "--host", "127.0.0.1",
                   "--port", str(self.port)]
        # From the stack's folder: no stray .env of the current directory changes the settings.
        self.process = _spawn(command + ([] if self.ingest else ["--no-ingest"]), self.log, env=self.env, cwd=self.folder)
        _wait(lambda: _answers(f"{self.base_url}/healthz"), "nianbao serve", self.log, self.process, START_TIMEOUT)

    def stop(self) -> None:
        _stop(self.process)


def stack_env(folder: Path, postgres: Postgres, redis: Redis, chroma: Chroma, **settings: str) -> dict[str, str]:
    """The settings that put nianbao on the three services (plus ``settings``), over this environment."""
    return {
        **os.environ,
        "NIANBAO_DATA_DIR": str(folder / "data"),  # the secret key file and the model cache, when not set
        "NIANBAO_DATABASE_URL": postgres.url("nianbao_catalog"),
        "NIANBAO_HISTORY_URL": postgres.url("nianbao_history"),
        "NIANBAO_CHROMA_HOST": "127.0.0.1",
        "NIANBAO_CHROMA_PORT": str(chroma.port),
        "NIANBAO_RATE_LIMIT_STORAGE": redis.url,
        "HF_HUB_OFFLINE": "1",
        **settings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, required=True, help="Where the services keep their data and logs.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8000, help="nianbao's port (the others take free ones).")
    parser.add_argument("--no-ingest", action="store_true", help="Serve the stores as they are (no samples/ ingest).")
    args = parser.parse_args()
    if missing := missing_binaries():
        sys.exit("Missing: " + "; ".join(missing))
    folder = args.dir.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    postgres, redis, chroma = Postgres(folder / "postgres"), Redis(folder / "redis"), Chroma(folder / "chroma")
    env = stack_env(folder, postgres, redis, chroma)
    nianbao = Nianbao(folder / "nianbao", env, workers=args.workers, port=args.port, ingest=not args.no_ingest)
    services = [postgres, redis, chroma, nianbao]
    started = []
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even when started in the background
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop like on Ctrl-C
    try:
        for service in services:
            print(f"Starting {type(service).__name__.lower()}…", flush=True)
            started.append(service)  # before start(): one interrupted while starting is stopped too
            service.start()
        print(f"\nServing at {nianbao.base_url} ({args.workers} workers); logs in {folder}/*/*.log.")
        print("The same stores for other nianbao commands (nianbao ingest FILES, nianbao staff add NAME):")
        for name in sorted(k for k in env if k.startswith("NIANBAO_")):
            print(f"  export {name}={env[name]}")
        print("Ctrl-C stops everything.", flush=True)
        while nianbao.process and nianbao.process.poll() is None:
            time.sleep(1)
        sys.exit(f"nianbao serve exited; its log: {nianbao.log}")
    except StackError as exc:
        sys.exit(str(exc))
    except KeyboardInterrupt:
        pass
    finally:
        for service in reversed(started):
            service.stop()


if __name__ == "__main__":
    main()
