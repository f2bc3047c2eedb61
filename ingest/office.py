"""Office files the loaders cannot read directly: spreadsheets as grids, and old Word/WPS documents
converted to .docx by LibreOffice.

.xlsx is read by openpyxl and .xls by xlrd (pure Python, no converter process: a spreadsheet is
only cells and merges). .doc and .wps are binary formats no kept Python library reads well, so
LibreOffice (Debian: libreoffice-writer-nogui) converts them to .docx, read as any .docx; it opens
Kingsoft WPS documents too, which antiword and catdoc do not.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

from ingest.errors import UnreadableDocument

CONVERT_TIMEOUT = 180  # seconds; LibreOffice's first start in a fresh profile is slow

Grid = list[list[str]]


def convert_to_docx(data: bytes, *, filename: str) -> bytes:
    """A .doc or .wps file's bytes → the same document as .docx, by LibreOffice headless."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UnreadableDocument(
            f"reading {Path(filename).suffix} files needs LibreOffice, which is not installed",
            remedy="install it (Debian: apt-get install libreoffice-writer-nogui) "
            "or save the file as .docx in Word, WPS or LibreOffice",
            filename=filename,
        )
    with tempfile.TemporaryDirectory(prefix="nianbao-convert-") as work:
        source = Path(work) / f"document{Path(filename).suffix.lower()}"
        source.write_bytes(data)
        # a profile of its own: another LibreOffice running (the user's, a parallel ingest) locks the default one
        command = [
            soffice, f"-env:UserInstallation={Path(work, 'profile').as_uri()}", "--headless",
            "--convert-to", "docx", "--outdir", work, str(source),
        ]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired as error:
            raise UnreadableDocument(
                f"LibreOffice did not convert it within {CONVERT_TIMEOUT} seconds",
                remedy="open it in Word, WPS or LibreOffice and save it as .docx",
                filename=filename,
            ) from error
        converted = source.with_suffix(".docx")
        if not converted.exists():
            raise UnreadableDocument(
                "LibreOffice could not convert it (corrupt, password-protected, or not a Word/WPS document)",
                remedy="open it in Word, WPS or LibreOffice and save it as .docx",
                filename=filename,
            )
        return converted.read_bytes()


def xlsx_sheets(data: bytes, *, filename: str) -> list[tuple[str, Grid]]:
    """Each worksheet as (name, grid): a merged range's value repeated over every cell it covers."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)  # formulas as last computed
    except Exception as error:  # openpyxl raises zip, XML and key errors for bad files
        raise UnreadableDocument(
            "it is not a valid XLSX file (corrupt, or an old .xls renamed)",
            remedy="open it in Excel, WPS or LibreOffice and save it again as .xlsx",
            filename=filename,
        ) from error
    sheets = []
    for sheet in book.worksheets:
        grid = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            _fill(grid, merged.min_row - 1, merged.max_row, merged.min_col - 1, merged.max_col)
        sheets.append((sheet.title, grid))
    return sheets


def xls_sheets(data: bytes, *, filename: str) -> list[tuple[str, Grid]]:
    """The same for the binary .xls format (Excel 97–2003, what many portals still attach)."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)  # merges need formatting_info
    except Exception as error:  # xlrd raises XLRDError, struct and index errors for bad files
        raise UnreadableDocument(
            "it is not a valid XLS file (corrupt, or another format renamed)",
            remedy="open it in Excel, WPS or LibreOffice and save it again as .xlsx",
            filename=filename,
        ) from error
    sheets = []
    for sheet in book.sheets():
        grid = [[_cell_text(sheet.cell_value(r, c)) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
        for top, bottom, left, right in sheet.merged_cells:
            _fill(grid, top, bottom, left, right)
        sheets.append((sheet.name, grid))
    return sheets


def _cell_text(value: object) -> str:
    """A cell as printed: 12.0 (spreadsheets store counts as floats) is 12."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return " ".join(str(value).split())


def _fill(grid: Grid, top: int, bottom: int, left: int, right: int) -> None:
    """Repeat a merged range's top-left value over the range (rows top..bottom-1, columns left..right-1)."""
    value = grid[top][left] if top < len(grid) and left < len(grid[top]) else ""
    for r in range(top, min(bottom, len(grid))):
        for c in range(left, min(right, len(grid[r]))):
            grid[r][c] = value
