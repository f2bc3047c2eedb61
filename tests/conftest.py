"""Shared fixtures: the real corpus (read from ../shared/corpus through a setting), one embedding
model per test session, and an assistant over a temporary data dir."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# live_server: a real `nianbao serve` and a Chromium page on it; postgres_server: a throwaway PostgreSQL.
pytest_plugins = ["live_server", "postgres_server"]
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# The materialised default model is cached across test runs (it takes a while to build).
MODEL_DIR = Path(os.environ.get("NIANBAO_MODEL_DIR", ROOT / ".cache"))


def corpus_dir() -> Path | None:
    configured = os.environ.get("NIANBAO_CORPUS_DIR") or os.environ.get("CORPUS_DIR")
    path = Path(configured) if configured else ROOT.parent / "shared" / "corpus"
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if path is None:
        pytest.skip("the real corpus is absent: set NIANBAO_CORPUS_DIR to the shared/corpus folder to run this test")
    return path


@pytest.fixture(scope="session")
def seed_path(corpus: Path) -> Path:
    return corpus / "seed" / "henan-kjt-2017.txt"


@pytest.fixture(scope="session")
def embedder():
    from assistant.embedding import DEFAULT_MODEL, load_embedder

    return load_embedder(DEFAULT_MODEL, cache_dir=MODEL_DIR)


@pytest.fixture(scope="session")
def make_assistant(tmp_path_factory, embedder):
    """Build an Assistant over a fresh data dir (sharing the one loaded model)."""
    from assistant.config import Settings
    from assistant.service import Assistant

    def make(**overrides) -> Assistant:
        data_dir = overrides.pop("data_dir", None) or tmp_path_factory.mktemp("data")
        return Assistant(Settings(data_dir=data_dir, model_dir=MODEL_DIR, **overrides), embedder=embedder)

    return make


@pytest.fixture(scope="session")
def assistant(make_assistant, corpus):
    """An assistant over the samples, the seed report and the real reports."""
    built = make_assistant()
    results = built.ingest([SAMPLES, corpus / "seed", corpus / "real"])
    failed = [r for r in results if r.error]
    assert not failed, failed
    return built
