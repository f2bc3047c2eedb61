"""The standard-table reader on 200 synthetic reports with known figures (eval/synthetic.py):
grid tables (page, Word) read completely; flattened text mostly read, never misread."""

from __future__ import annotations

import pytest

pytest.importorskip("ingest.tables")

from eval.synthetic import generate
from eval.table_reading import score

REPORTS = generate(200, seed=0)


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_grid_tables_read_every_figure(fmt: str) -> None:
    result = score(REPORTS, fmt)
    assert result.wrong[:10] == [], f"{len(result.wrong)} cells misread"
    assert result.missing[:10] == [], f"{len(result.missing)} of {result.expected} cells not read"


def test_flattened_text_read_mostly_and_never_wrong() -> None:
    result = score(REPORTS, "text")
    assert result.wrong[:10] == [], f"{len(result.wrong)} cells misread"
    assert result.percent >= 95, f"{result.correct} of {result.expected} cells read"
