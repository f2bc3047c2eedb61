"""Every setting is documented in README.md's settings table, and read from NIANBAO_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from assistant.config import Settings

README = ROOT / "README.md"


def table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.lstrip().startswith("|")]


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme_table(field):
    assert README.is_file(), "README.md is missing: it must document every NIANBAO_* setting in a table"
    name = f"NIANBAO_{field.upper()}"
    rows = [row for row in table_rows(README.read_text(encoding="utf-8")) if f"`{name}`" in row or f" {name} " in row]
    assert rows, f"{name} is not in README.md's settings table"
    assert rows[0].startswith("|") and rows[0].count("|") >= 3, rows[0]  # name | default | meaning


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_has_a_description(field):
    assert (Settings.model_fields[field].description or "").strip(), field


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("NIANBAO_INGEST_PATHS", " a/b , c ,")
    monkeypatch.setenv("NIANBAO_TOP_K", "7")
    monkeypatch.setenv("NIANBAO_MAX_QUESTION_CHARS", "50")

    settings = Settings()

    assert settings.data_dir == tmp_path / "d"
    assert settings.ingest_paths == [Path("a/b"), Path("c")]
    assert settings.top_k == 7 and settings.max_question_chars == 50
    assert settings.catalog_url == f"sqlite:///{(tmp_path / 'd' / 'catalog.sqlite3').resolve()}"
