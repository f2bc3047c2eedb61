"""Score the standard-table reader (``ingest.tables``) on synthetic reports, per rendering.

Each report is rendered (portal page, Word document or archive text), read back through
``ingest.read_bytes`` as a real file would be, and its tables read by ``read_standard_tables``; every
cell the report prints is then compared with the value the generator put there. Group rows the
template prints no cells for are not scored, but a figure the reader emits for them (or for any key)
with a value other than the expected one counts as wrong.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import ingest
from eval.synthetic import SyntheticReport
from ingest.tables import read_standard_tables

FORMATS = ("html", "docx", "text")
_FILENAMES = {"html": "report.html", "docx": "report.docx", "text": "report.txt"}


def rendering(report: SyntheticReport, fmt: str) -> bytes:
    if fmt == "html":
        return report.html_bytes()
    if fmt == "docx":
        return report.docx()
    return report.text().encode("utf-8")


@dataclass
class Score:
    expected: int = 0  # printed cells
    correct: int = 0
    wrong: list[str] = field(default_factory=list)  # "report key: read X, expected Y"
    missing: list[str] = field(default_factory=list)  # "report key": printed cells with no figure (flagged or not found)
    flagged_rows: int = 0
    reports: int = 0
    read_seconds: float = 0.0  # ingest.read_bytes: load, normalise, structure
    table_seconds: float = 0.0  # read_standard_tables

    @property
    def percent(self) -> float:
        return 100 * self.correct / self.expected if self.expected else 100.0


def score(reports: Iterable[SyntheticReport], fmt: str) -> Score:
    result = Score()
    for report in reports:
        data = rendering(report, fmt)
        started = time.perf_counter()
        read = ingest.read_bytes(data, filename=_FILENAMES[fmt])
        result.read_seconds += time.perf_counter() - started
        started = time.perf_counter()
        tables = read_standard_tables(read.text, read.tables)
        result.table_seconds += time.perf_counter() - started
        result.reports += 1
        result.flagged_rows += len(tables.flagged)
        found = {figure.key: figure.value for figure in tables.figures}
        for key in report.printed:
            result.expected += 1
            if key not in found:
                result.missing.append(f"{report.slug} {key}")
            elif found[key] == report.expected[key]:
                result.correct += 1
        for key, value in found.items():  # derived group rows too: a figure must be right or absent
            if key not in report.expected:
                result.wrong.append(f"{report.slug} {key}: read {value}, but the layout has no such cell")
            elif value != report.expected[key]:
                result.wrong.append(f"{report.slug} {key}: read {value}, expected {report.expected[key]}")
    return result
