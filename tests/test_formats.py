"""The formats beyond text, HTML, DOCX and text PDFs: spreadsheets, old Word/WPS documents, images
and scanned PDFs. Every file is made here from a sample report, and its figures are compared with
those of the same report read from its HTML page.

OCR tests run rapidocr on a rendered page (seconds on two cores: each rendering is read once per
module). Tests that need LibreOffice or Debian's CJK font skip without them, except in CI.
"""

from __future__ import annotations

import dataclasses
import io
import os
import random
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

import ingest
from eval.synthetic import KINDS, make_report
from ingest.errors import UnreadableDocument
from ingest.model import Report, Table
from ingest.tables import read_standard_tables
from tests.rendering import CJK_FONT, Cell, page_items, render_pdf, render_png

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE = SAMPLES / "qingshi-jtj-2021.html"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true")


def _need(available: bool, what: str) -> None:
    if not available:
        if IN_CI:
            pytest.fail(f"{what} is missing in CI: scripts/test.sh installs it")
        pytest.skip(f"{what} is not installed")


def _needs_soffice() -> None:
    _need(shutil.which("soffice") is not None, "LibreOffice (apt-get install libreoffice-writer-nogui)")


def _needs_font() -> None:
    _need(CJK_FONT.exists(), "the Noto CJK font (apt-get install fonts-noto-cjk)")


def table_cells(report: Report) -> dict[str, Decimal | None]:
    return {figure.metric: figure.value for figure in report.figures if figure.metric}


@pytest.fixture(scope="module")
def html() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reference() -> Report:
    """The sample read from its HTML page: the figures every other format must give."""
    report = ingest.read_path(SAMPLE)
    assert report.table_version == "2021" and report.table_issues == ()
    return report


# --- spreadsheets -------------------------------------------------------------------------------


def _sheets(html: str) -> list[tuple[str, list[Cell]]]:
    """Each table of the page as a sheet, its heading above it (and the report title on the first)."""
    items = page_items(html)
    sheets, heading = [], ""
    for item in items:
        if isinstance(item, str):
            heading = item
        else:
            sheets.append((heading, item))
    title = items[0]
    assert isinstance(title, str)
    return [(f"{title}" if index == 0 else heading, cells) for index, (heading, cells) in enumerate(sheets)]


def make_xlsx(html: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for index, (heading, cells) in enumerate(_sheets(html)):
        sheet = book.create_sheet(f"表{index + 1}")
        width = max(c.column + c.colspan for c in cells)
        sheet.cell(1, 1, heading)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        for cell in cells:
            # counts as numbers, as people type them; "/" stays text
            value: object = int(cell.text) if cell.text.isdigit() else cell.text
            sheet.cell(cell.row + 2, cell.column + 1, value)
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(
                    start_row=cell.row + 2, start_column=cell.column + 1,
                    end_row=cell.row + cell.rowspan + 1, end_column=cell.column + cell.colspan,
                )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def make_xls(html: str) -> bytes:
    xlwt = pytest.importorskip("xlwt", reason="xlwt writes the test .xls")
    book = xlwt.Workbook(encoding="utf-8")
    for index, (heading, cells) in enumerate(_sheets(html)):
        sheet = book.add_sheet(f"表{index + 1}")
        width = max(c.column + c.colspan for c in cells)
        sheet.write_merge(0, 0, 0, width - 1, heading)
        for cell in cells:
            value: object = float(cell.text) if cell.text.isdigit() else cell.text  # .xls stores numbers as floats
            top, left = cell.row + 1, cell.column
            sheet.write_merge(top, top + cell.rowspan - 1, left, left + cell.colspan - 1, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("suffix", "make"), [(".xlsx", make_xlsx), (".xls", make_xls)])
def test_spreadsheet_tables_give_the_reports_figures(suffix, make, html, reference) -> None:
    report = ingest.read_bytes(make(html), filename=f"附表{suffix}")
    assert (report.meta.agency, report.meta.year) == (reference.meta.agency, reference.meta.year)
    assert report.table_version == "2021" and report.table_issues == ()
    assert table_cells(report) == table_cells(reference)
    assert len(table_cells(report)) > 150  # tables 二, 三 and 四, every cell


def test_a_corrupt_spreadsheet_says_how_to_fix_it() -> None:
    with pytest.raises(UnreadableDocument, match="save it again as .xlsx"):
        ingest.read_bytes(b"PK\x03\x04 not really a zip", filename="附表.xlsx")


# --- .doc and .wps, through LibreOffice -----------------------------------------------------------


@pytest.fixture(scope="module")
def word_reports(tmp_path_factory) -> tuple[Report, bytes]:
    """The standard-format sample as Word writes it (.docx), and LibreOffice's .doc of it."""
    _needs_soffice()
    kinds = {kind.name: kind for kind in KINDS}
    synthetic = make_report(
        random.Random(2021), place=("青石", "qingshi"), level="县", kind=kinds["交通运输局"],
        year=2021, version="2021", split_other=True,
    )  # fmt: skip  # the generator's call in samples/make_samples.py
    work = tmp_path_factory.mktemp("word")
    docx_bytes = _with_column_widths(synthetic.docx())
    (work / "report.docx").write_bytes(docx_bytes)
    profile = (work / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc", "--outdir", str(work),
         str(work / "report.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return ingest.read_bytes(docx_bytes, filename="report.docx"), (work / "report.doc").read_bytes()


def _with_column_widths(data: bytes) -> bytes:
    """Word stores every grid column's and cell's width; the generator's tables have none, and
    without them LibreOffice cannot place merged cells in its .doc."""
    import docx
    from docx.shared import Twips

    document = docx.Document(io.BytesIO(data))
    for table in document.tables:
        for column in table._tbl.tblGrid.gridCol_lst:
            column.w = Twips(800)
        for tc in table._tbl.iter_tcs():
            tc.width = Twips(800 * tc.grid_span)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("suffix", [".doc", ".wps"])  # Kingsoft WPS writes Word's binary format
def test_word_binary_documents_read_as_their_docx(suffix, word_reports) -> None:
    from_docx, doc = word_reports
    assert doc.startswith(b"\xd0\xcf\x11\xe0")  # an OLE compound file, not a renamed .docx
    report = ingest.read_bytes(doc, filename=f"年报{suffix}")
    assert dataclasses.replace(report.meta, source="") == dataclasses.replace(from_docx.meta, source="")
    assert [p.text for p in report.paragraphs] == [p.text for p in from_docx.paragraphs]
    assert table_cells(report) == table_cells(from_docx) and len(table_cells(report)) > 150
    assert not any(p.ocr for p in report.paragraphs)


def test_without_libreoffice_a_doc_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(UnreadableDocument, match="apt-get install libreoffice-writer-nogui"):
        ingest.read_bytes(b"\xd0\xcf\x11\xe0", filename="年报.doc")


# --- images and scanned PDFs, through OCR ------------------------------------------------------------


@pytest.fixture(scope="module")
def from_png(html) -> Report:
    """The whole report as one long image."""
    _needs_font()
    return ingest.read_bytes(render_png(page_items(html)), filename="年报长图.png")


@pytest.fixture(scope="module")
def scanned_pdf(html) -> bytes:
    """A scan of the report's first part and of table 三 (two pages; the whole report is read from the PNG)."""
    _needs_font()
    items = page_items(html)
    table3 = next(i for i, item in enumerate(items) if isinstance(item, list) and "自然人" in str(item))
    overview = next(i for i, item in enumerate(items) if item == "二、主动公开政府信息情况")
    return render_pdf(items[:overview] + items[table3 - 1 : table3 + 1])


@pytest.fixture(scope="module")
def from_pdf(scanned_pdf) -> Report:
    return ingest.read_bytes(scanned_pdf, filename="扫描件.pdf")


def test_the_rendered_pdf_is_image_only(scanned_pdf) -> None:
    with pdfplumber.open(io.BytesIO(scanned_pdf)) as pdf:
        assert len(pdf.pages) > 1
        assert all(not (page.extract_text() or "").strip() for page in pdf.pages)


@pytest.mark.parametrize(("scan", "tables"), [("from_png", ("t2.", "t3.", "t4.")), ("from_pdf", ("t3.",))])
def test_ocr_reads_each_cell_right_or_flags_it(scan, tables, reference, request) -> None:
    report: Report = request.getfixturevalue(scan)
    assert (report.meta.agency, report.meta.year) == (reference.meta.agency, reference.meta.year)
    assert report.table_version == "2021"
    expected = {key: value for key, value in table_cells(reference).items() if key.startswith(tables)}
    read = table_cells(report)
    wrong = {
        key: (value, expected.get(key, "no such cell")) for key, value in read.items() if expected.get(key, "") != value
    }
    assert wrong == {}
    unread = expected.keys() - read.keys()
    assert len(unread) <= 0.3 * len(expected), f"only {len(read)} of {len(expected)} cells read"
    for key in unread:  # never silently dropped: its row is flagged
        row = key.rsplit(".", 1)[0]
        assert any(f"{row}.*" in issue or "no row of the standard table" in issue for issue in report.table_issues), key


@pytest.mark.parametrize("scan", ["from_png", "from_pdf"])
def test_ocr_reads_the_prose_and_marks_it(scan, reference, request) -> None:
    report: Report = request.getfixturevalue(scan)
    assert all(p.ocr for p in report.paragraphs)
    assert all(report.paragraph(f.paragraph_id).ocr for f in report.figures)
    prose = {f.as_printed for f in report.figures if not f.metric}
    assert {"165条", "566条"} <= prose  # 主动公开信息, 新媒体信息 in 一、总体情况
    headings = [s.path[0] for s in report.sections if s.level == 1]
    assert headings[0] == "一、总体情况" and set(headings) <= {s.path[0] for s in reference.sections if s.level == 1}


def test_a_text_pdf_is_not_marked_as_ocr(reference) -> None:
    assert not any(p.ocr for p in reference.paragraphs)


# --- the OCR grid's safeguards, without OCR ----------------------------------------------------------


def _with_cell(tables: tuple[Table, ...], find: str, column: int, text: str) -> list[Table]:
    """The tables with one cell of the row whose label contains ``find`` replaced."""
    changed = []
    for table in tables:
        rows = [list(row) for row in table.rows]
        for row in rows:
            if any(find in cell for cell in row):
                row[column] = text
        changed.append(Table(table.title, table.header, tuple(tuple(row) for row in rows)))
    return changed


def test_a_misread_that_breaks_an_identity_is_withheld_from_ocr(reference) -> None:
    misread = _with_cell(reference.tables, "本年新收政府信息公开申请数量", 3, "74")  # 自然人 44 read as 74
    reported = read_standard_tables(reference.text, misread)
    assert reported.violations and any(f.key == "t3.new.natural_person" for f in reported.figures)
    withheld = read_standard_tables(reference.text, misread, withhold_broken=True)
    assert not any(f.key.startswith("t3.new.") for f in withheld.figures)
    assert any("t3.new.*" in issue and "withheld" in issue for issue in withheld.flagged)
    assert withheld.violations == ()


def test_an_unsure_cell_flags_its_row() -> None:
    from ingest.ocr import UNSURE

    reference = ingest.read_path(SAMPLE)
    unsure = _with_cell(reference.tables, "本年新收政府信息公开申请数量", 3, f"44{UNSURE}")
    read = read_standard_tables(reference.text, unsure, withhold_broken=True)
    assert not any(f.key.startswith("t3.new.") for f in read.figures)
    assert any("t3.new.*" in issue and UNSURE in issue for issue in read.flagged)


def test_the_ocr_mark_survives_the_catalog(from_png) -> None:
    from assistant.store import catalog

    engine = catalog.connect("sqlite://")
    with engine.begin() as conn:
        catalog.save_report(conn, from_png)
    with engine.connect() as conn:
        (loaded,) = catalog.load_reports(conn)
    assert [p.ocr for p in loaded.paragraphs] == [p.ocr for p in from_png.paragraphs] and loaded.paragraphs[0].ocr


def test_a_ruled_table_gives_its_cells_merged_ones_included() -> None:
    """The ruling alone (no text): a title cell across three columns over a 2 × 3 grid."""
    import numpy as np
    from PIL import Image, ImageDraw

    from ingest.ocr import _ruled_tables

    image = Image.new("L", (400, 160), 255)
    draw = ImageDraw.Draw(image)
    for y in (10, 60, 110, 150):
        draw.line((10, y, 370, y), fill=0, width=2)
    for x in (10, 370):
        draw.line((x, 10, x, 150), fill=0, width=2)
    for x in (130, 250):
        draw.line((x, 60, x, 150), fill=0, width=2)  # not through the title row
    (table,) = _ruled_tables(np.asarray(image), [])
    assert len(table.ys) == 4 and len(table.xs) == 4
    assert {table.cell_of[(0, c)] for c in range(3)} == {(0, 0)}
    assert len({table.cell_of[(r, c)] for r in (1, 2) for c in range(3)}) == 6


def test_an_answer_from_an_ocr_figure_says_so(from_png, make_assistant) -> None:
    assistant = make_assistant()
    assistant.indexer.index(from_png)
    assistant.refresh()
    answer = assistant.ask("2021年青石县交通运输局收到多少件政府信息公开申请?")
    assert answer.answered and answer.figures[0].value == "51"
    assert answer.figures[0].ocr and all(citation.ocr for citation in answer.citations)
    assert answer.model_dump()["citations"][0]["ocr"] is True  # what the API returns


def test_a_catalog_from_before_the_ocr_mark_gets_its_column(tmp_path) -> None:
    import sqlalchemy

    from assistant.store import catalog

    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    with sqlalchemy.create_engine(url).begin() as conn:  # the paragraphs table as it was
        conn.execute(sqlalchemy.text(
            "CREATE TABLE paragraphs (id VARCHAR(96) PRIMARY KEY, report_id VARCHAR(64) NOT NULL, idx INTEGER NOT NULL,"
            " text TEXT NOT NULL, start INTEGER NOT NULL, \"end\" INTEGER NOT NULL, section_path TEXT NOT NULL,"
            " is_heading BOOLEAN NOT NULL)"
        ))  # fmt: skip
    engine = catalog.connect(url)
    assert "ocr" in {column["name"] for column in sqlalchemy.inspect(engine).get_columns("paragraphs")}
