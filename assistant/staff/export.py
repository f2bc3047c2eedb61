"""A filtered view of the history as CSV (UTF-8 with a BOM, so Excel shows the Chinese) or XLSX.

Questions are typed by the public: a cell starting with = + - @ would be a formula in a
spreadsheet. CSV cells like that get a leading apostrophe (what Excel itself shows for text);
XLSX cells are typed as text, so they keep the question exactly as asked.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assistant.schemas import HistoryEntry

MAX_EXPORT_ROWS = 50_000
CSV_BOM = "\ufeff"

COLUMNS = ["编号", "提问时间(UTC)", "渠道", "问题", "理解为", "是否回答", "回答", "机关", "年度", "指标",
           "引用报告", "引用段落", "置信度", "反馈", "反馈意见"]
_FEEDBACK = {"up": "有用", "down": "有误", None: ""}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def row_of(entry: HistoryEntry) -> list[str | float]:
    return [
        entry.id,
        entry.asked_at.strftime("%Y-%m-%d %H:%M:%S"),
        entry.channel,
        entry.question,
        entry.resolved_question or "",
        "是" if entry.answered else "否",
        entry.answer_text,
        entry.agency or "",
        ",".join(str(y) for y in entry.years),
        "|".join(entry.metric),
        ",".join(entry.report_ids),
        ",".join(c.paragraph_id for c in entry.citations),
        round(entry.confidence, 3),
        _FEEDBACK[entry.feedback],
        entry.feedback_comment or "",
    ]


def _inert(value: str | float) -> str | float:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def csv_lines(entries: Iterable[HistoryEntry], *, bom: bool = True) -> Iterator[str]:
    """The CSV, a line at a time (for a streamed response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    first = buffer.getvalue()
    yield (CSV_BOM + first) if bom else first
    for entry in entries:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_inert(v) for v in row_of(entry)])
        yield buffer.getvalue()


def xlsx_bytes(entries: Iterable[HistoryEntry]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("提问记录")
    sheet.append(COLUMNS)
    for entry in entries:
        cells = []
        for value in row_of(entry):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the public typed
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
