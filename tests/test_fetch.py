"""`nianbao fetch`: following a portal's report column, against a column the tests build from the
samples (and the shared departments' reports when the corpus is there) and serve from 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import SAMPLES
from langchain_core.embeddings import Embeddings
from portal_site import Link, Site, list_page, page_of, report_page, serving
from test_formats import make_xls

import ingest
from assistant import cli as cli_module
from assistant.cli import cli
from assistant.config import Settings, get_settings
from assistant.fetch.column import attachment_links, read_list_page
from assistant.fetch.originals import Originals
from assistant.index import Outcome
from assistant.service import Assistant
from assistant.store import catalog
from eval.synthetic import KINDS, make_report
from ingest.load import load_path

COLUMN = "/xxgk/nb/"
TIMEOUT = 0.3  # seconds; the slow page answers after portal_site.SLOW_SECONDS
DELAY = 0.05
QINGHE_2018 = "./201903/t20190312_10003.htm"
QINGHE_QUESTION = "2018年清河市教育局共收到多少件政府信息公开申请?"
MISSING, SLOW, DISALLOWED = "./202311/t20231101_90001.htm", "./202310/t20231001_90002.htm", "./202312/t20231201_90003.htm"


class HashingEmbedder(Embeddings):
    """Character bigrams hashed into 64 dimensions: these tests are about fetching, and the real
    model costs seconds a report on two cores. Figures are answered from the catalog, not by vectors."""

    name = "hashing-bigrams"
    dimension = 64

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        vector = np.zeros(self.dimension)
        for first, second in zip(text, text[1:]):
            vector[hashlib.blake2b((first + second).encode(), digest_size=2).digest()[0] % self.dimension] += 1
        norm = np.linalg.norm(vector)
        return (vector / norm if norm else vector + 1 / np.sqrt(self.dimension)).tolist()


def fast_assistant(data_dir: Path, **settings: object) -> Assistant:
    return Assistant(Settings(data_dir=data_dir, **settings), embedder=HashingEmbedder())  # type: ignore[arg-type]


@dataclass(frozen=True)
class Portal:
    site: Site
    base: str  # http://127.0.0.1:<port>
    expected: dict[str, ingest.Report]  # report page URL → the same report ingested from its file

    @property
    def column_url(self) -> str:
        return f"{self.base}{COLUMN}index.html"

    def url(self, href: str) -> str:
        """A link of the column's list pages (./202403/t….htm) as a URL."""
        return f"{self.base}{COLUMN}{href[2:]}"


def qingshi_2021():  # type: ignore[no-untyped-def]
    """The 2021-format sample as the generator makes it (samples/make_samples.py): HTML and DOCX renderings."""
    kinds = {kind.name: kind for kind in KINDS}
    return make_report(random.Random(2021), place=("青石", "qingshi"), level="县", kind=kinds["交通运输局"],
                       year=2021, version="2021", split_other=True)


def without_tables(page: bytes, charset: str) -> str:
    """The page with its statistics tables taken out: they are in the attachment only."""
    soup = BeautifulSoup(page.decode(charset), "lxml")
    for table in soup.find_all("table"):
        table.decompose()
    return str(soup).replace(f'charset="{charset}"', 'charset="utf-8"')


def build_column(site: Site) -> dict[str, ingest.Report]:
    """Four list pages of a TRS column: seven reports, then a missing, a slow and a disallowed page."""
    expected: dict[str, ingest.Report] = {}
    links: list[Link] = []

    def add(href: str, title: str, page: bytes | str, baseline: ingest.Report, content_type: str = "text/html; charset=utf-8") -> None:
        site.put(COLUMN + href[2:], page, content_type)
        links.append(Link(href, title, "2024-01-30"))
        expected[href] = baseline

    baiyun = SAMPLES / "baiyun-swj-2017.html"  # a GBK portal page, served as it is
    add("./201803/t20180305_10001.htm", "白云市商务局2017年政府信息公开工作年度报告", baiyun.read_bytes(),
        ingest.read_path(baiyun), content_type="text/html")
    for href, name in [("./201901/t20190128_10002.htm", "baiyun-swj-2018.txt"), (QINGHE_2018, "qinghe-jyj-2018.txt"),
                       ("./202101/t20210118_10005.htm", "mochuan-mzj-2020.txt")]:
        document = load_path(SAMPLES / name)
        add(href, document.title, page_of(document), ingest.read_path(SAMPLES / name))

    # The whole report in a .docx under a page that only says 详见附件, and an archive no loader reads
    # (left out, saying why; not even downloaded).
    docx = SAMPLES / "qinghe-jyj-2017.docx"
    title = "清河市教育局2017年政府信息公开工作年度报告"
    stub = report_page(title, published="2018-03-01", publisher="清河市教育局", paragraphs=[f"{title}全文详见附件。"],
                       attachments=[("./P020180301512345.docx", f"{title}.docx"), ("./P020180301512346.rar", "附件.rar")])
    add("./201803/t20180301_10004.htm", title, stub, ingest.read_path(docx))
    site.put(COLUMN + "201803/P020180301512345.docx", docx.read_bytes(), "application/octet-stream")

    # The text on the page, the statistics tables only in the attached .docx.
    qingshi = qingshi_2021()
    page = without_tables(qingshi.html_bytes(), qingshi.charset)
    page = page.replace("</body>", '<p>附件：<a href="./P020220109600001.docx">统计表</a></p></body>')
    add("./202201/t20220109_10006.htm", qingshi.title, page, ingest.read_bytes(qingshi.html_bytes(), filename="qingshi.html"))
    site.put(COLUMN + "202201/P020220109600001.docx", qingshi.docx(), "application/octet-stream")

    # The statistics tables only in an attached .xls (Excel 97-2003), as many portals post them.
    kinds = {kind.name: kind for kind in KINDS}
    weitang = make_report(random.Random(2022), place=("苇塘", "weitang"), level="县", kind=kinds["农业农村局"],
                          year=2022, version="2021", split_other=False)
    page = without_tables(weitang.html_bytes(), weitang.charset)
    page = page.replace("</body>", '<p>附件：<a href="./P020230120700001.xls">政府信息公开情况统计表.xls</a></p></body>')
    add("./202301/t20230120_10007.htm", weitang.title, page, ingest.read_bytes(weitang.html_bytes(), filename="weitang.html"))
    site.put(COLUMN + "202301/P020230120700001.xls", make_xls(weitang.html_bytes().decode(weitang.charset)),
             "application/vnd.ms-excel")

    links += [Link(MISSING, "某局2023年政府信息公开工作年度报告", "2024-01-01"),
              Link(SLOW, "某局2022年政府信息公开工作年度报告", "2023-01-01"),
              Link(DISALLOWED, "某局2021年政府信息公开工作年度报告", "2022-01-01")]
    site.put(COLUMN + SLOW[2:], report_page("某局2022年政府信息公开工作年度报告", published="2023-01-01", publisher="某局",
                                            paragraphs=["2022年，某局共收到政府信息公开申请3件。"]))
    site.slow.add(COLUMN + SLOW[2:])
    site.put(COLUMN + DISALLOWED[2:], report_page("某局2021年政府信息公开工作年度报告", published="2022-01-01",
                                                  publisher="某局", paragraphs=["2021年，某局共收到政府信息公开申请2件。"]))
    site.put("/robots.txt", f"User-agent: *\nDisallow: {COLUMN}202312/\n", "text/plain")
    pages = -(-len(links) // 3)
    for number in range(pages):
        name = "index.html" if number == 0 else f"index_{number}.html"
        site.put(COLUMN + name, list_page(links[3 * number : 3 * number + 3], page=number, pages=pages))
    return expected


@pytest.fixture
def portal():  # type: ignore[no-untyped-def]
    site = Site()
    expected = build_column(site)
    with serving(site) as base:
        yield Portal(site, base, {f"{base}{COLUMN}{href[2:]}": report for href, report in expected.items()})


@pytest.fixture
def run(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Invoke `nianbao ARGS…` over a fresh data dir, a short timeout and a small per-host delay."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(cli_module, "_assistant", lambda settings: Assistant(settings, embedder=HashingEmbedder()))
    monkeypatch.setenv("NIANBAO_FETCH_DELAY", str(DELAY))
    monkeypatch.setenv("NIANBAO_FETCH_TIMEOUT", str(TIMEOUT))
    monkeypatch.delenv("NIANBAO_FETCH_COLUMNS", raising=False)
    monkeypatch.setattr(cli_module.console, "width", 1000)  # no wrapped lines or table cells
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        get_settings.cache_clear()
        return runner.invoke(cli, list(args), catch_exceptions=True)

    yield invoke
    get_settings.cache_clear()


def summary(output: str) -> dict[str, int]:
    """The counts of the summary table: new, changed, unchanged, failed."""
    return {label: int(count) for label, count in re.findall(r"│ (new|changed|unchanged|failed)\s+│\s+(\d+)", output)}


def stored_reports(data_dir: Path) -> dict[str, ingest.Report]:
    with catalog.connect(f"sqlite:///{data_dir / 'catalog.sqlite3'}").connect() as conn:
        return {report.meta.source: report for report in catalog.load_reports(conn)}


def figures(report: ingest.Report) -> list[tuple[str, str, str]]:
    return sorted((f.as_printed, str(f.value), f.metric) for f in report.figures)


def failure_line(output: str, url: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("✗") and url in line)


def test_fetch_ingests_every_report_of_the_column_with_its_figures(run, portal, tmp_path):
    fetched = run("fetch", portal.column_url)

    assert fetched.exit_code == 0, fetched.output
    assert "Traceback" not in fetched.output
    assert summary(fetched.output) == {"new": 7, "changed": 0, "unchanged": 0, "failed": 3}, fetched.output
    reports = stored_reports(tmp_path / "data")
    assert set(reports) == set(portal.expected)
    for url, expected in portal.expected.items():
        assert (reports[url].meta.agency, reports[url].meta.year) == (expected.meta.agency, expected.meta.year), url
        assert figures(reports[url]) == figures(expected), url
    assert reports[portal.url("./202201/t20220109_10006.htm")].table_version == "2021"  # tables from the .docx
    from_xls = reports[portal.url("./202301/t20230120_10007.htm")]  # tables from the .xls
    assert from_xls.table_version == "2021" and from_xls.table_issues == ()
    assert len([f for f in from_xls.figures if f.metric.startswith("t3.")]) > 100
    # the failures say why, and the rest went on
    assert "404 Not Found" in failure_line(fetched.output, portal.url(MISSING))
    assert "timed out after 0.3 s" in failure_line(fetched.output, portal.url(SLOW))
    assert "robots.txt" in failure_line(fetched.output, portal.url(DISALLOWED))
    assert "P020180301512346.rar: unsupported file format '.rar'" in fetched.output
    assert COLUMN + "201803/P020180301512346.rar" not in {hit.path for hit in portal.site.hits}
    hits = portal.site.hits
    assert COLUMN + DISALLOWED[2:] not in {hit.path for hit in hits}
    assert hits[0].path == "/robots.txt"
    assert {COLUMN + "index_1.html", COLUMN + "index_2.html", COLUMN + "index_3.html"} <= {hit.path for hit in hits}
    gaps = [later.at - earlier.at for earlier, later in zip(hits, hits[1:])]
    assert min(gaps) >= DELAY * 0.9, gaps

    asked = run("ask", "--no-history", QINGHE_QUESTION)
    assert asked.exit_code == 0 and "17件" in asked.output, asked.output


def test_a_second_run_downloads_nothing_and_a_changed_page_replaces_its_report(run, portal):
    assert run("fetch", portal.column_url).exit_code == 0
    mark = len(portal.site.hits)

    again = run("fetch", portal.column_url)

    assert again.exit_code == 0, again.output
    assert summary(again.output) == {"new": 0, "changed": 0, "unchanged": 7, "failed": 3}, again.output
    bodies = [hit.path for hit in portal.site.hits_since(mark) if hit.status == 200]
    assert bodies == [COLUMN + SLOW[2:]], bodies  # only the page that times out again
    assert "Downloaded 0 report pages and attachments" in again.output

    qinghe = COLUMN + QINGHE_2018[2:]
    portal.site.put(qinghe, portal.site.files[qinghe].body.decode("utf-8").replace("政府信息公开申请17件", "政府信息公开申请19件"))
    mark = len(portal.site.hits)

    changed = run("fetch", portal.column_url)

    assert summary(changed.output) == {"new": 0, "changed": 1, "unchanged": 6, "failed": 3}, changed.output
    line = next(line for line in changed.output.splitlines() if portal.url(QINGHE_2018) in line)
    assert line.startswith("✓ changed"), line
    assert [hit.path for hit in portal.site.hits_since(mark) if hit.status == 200] == [qinghe, COLUMN + SLOW[2:]]
    asked = run("ask", "--no-history", QINGHE_QUESTION)
    assert "19件" in asked.output and "17件" not in asked.output, asked.output


def test_fetch_fails_only_when_everything_failed(run, portal):
    portal.site.files.pop(COLUMN + "index.html")

    fetched = run("fetch", portal.column_url)

    assert fetched.exit_code == 1, fetched.output
    assert "Traceback" not in fetched.output
    assert "list page: 404 Not Found" in failure_line(fetched.output, portal.column_url)
    assert summary(fetched.output)["failed"] == 1


def test_fetch_reads_the_columns_setting_and_needs_a_url(run, portal, monkeypatch):
    nothing = run("fetch")
    assert nothing.exit_code == 2 and "NIANBAO_FETCH_COLUMNS" in nothing.output

    monkeypatch.setenv("NIANBAO_FETCH_COLUMNS", f"{portal.url(QINGHE_2018)} , ")  # a report page given directly
    fetched = run("fetch")

    assert fetched.exit_code == 0, fetched.output
    assert summary(fetched.output) == {"new": 1, "changed": 0, "unchanged": 0, "failed": 0}, fetched.output


# --- the parts ------------------------------------------------------------------------------------


def test_a_trs_list_page_gives_its_report_links_and_the_other_list_pages():
    page = list_page([Link("./202403/t20240308_87885.htm", "某局2023年政府信息公开工作年度报告", "2024-03-08"),
                      Link("../../other/202401/t20240101_1.htm", "某局2023年政府信息公开工作年度报告", "2024-01-01")],
                     page=1, pages=4)
    page = page.replace("</body>", '<a href="index_2.html">下一页</a><a href="/xxgk/nb/index_9.html">下一页</a></body>')

    listing = read_list_page(page.encode(), url="http://h/xxgk/nb/index_1.html", column_url="http://h/xxgk/nb/index.html")

    assert listing.reports == ("http://h/xxgk/nb/202403/t20240308_87885.htm", "http://h/other/202401/t20240101_1.htm")
    assert listing.pages == tuple(f"http://h/xxgk/nb/{name}" for name in
                                  ("index.html", "index_1.html", "index_2.html", "index_3.html", "index_9.html"))


def test_a_page_counter_in_a_variable_is_read():
    page = b'<script>var countPage = 3;//\ncreatePageHTML(countPage, 0, "index", "shtml");</script>'

    listing = read_list_page(page, url="http://h/c/", column_url="http://h/c/")

    assert listing.pages == ("http://h/c/index.shtml", "http://h/c/index_1.shtml", "http://h/c/index_2.shtml")


def test_a_report_page_gives_its_attachments():
    page = report_page("某局2023年政府信息公开工作年度报告", published="2024-01-30", publisher="某局", paragraphs=["详见附件。"],
                       attachments=[("./P020240130.pdf", "报告.pdf"), ("./P020240131.xls", "表.xls"), ("./P020240130.pdf", "again")])

    links = attachment_links(page.encode(), url="http://h/c/202401/t20240130_1.htm")

    assert links == ("http://h/c/202401/P020240130.pdf", "http://h/c/202401/P020240131.xls")


def test_a_page_and_its_attachment_are_one_report():
    docx = SAMPLES / "qinghe-jyj-2017.docx"
    title = "清河市教育局2017年政府信息公开工作年度报告"
    stub = report_page(title, published="2018-03-01", publisher="清河市教育局", paragraphs=[f"{title}全文详见附件。"])

    read = ingest.read_bundle(stub.encode(), page_name="t1.htm", source="http://h/t1.htm",
                              attachments=[ingest.Attachment(docx.read_bytes(), "http://h/P1.docx"),
                                           ingest.Attachment(b"\x00garbage", "http://h/P2.pdf")])

    alone = ingest.read_path(docx)
    assert read.report.id == alone.id and read.report.meta.source == "http://h/t1.htm"
    assert read.report.meta.published == "2018-03-01"
    assert figures(read.report) == figures(alone)
    assert len(read.skipped) == 1 and read.skipped[0].startswith("http://h/P2.pdf: cannot read the document")


def test_the_page_text_with_the_attachment_tables():
    qingshi = qingshi_2021()
    page = without_tables(qingshi.html_bytes(), qingshi.charset).encode()

    bare = ingest.read_bytes(page, filename="t1.htm")
    read = ingest.read_bundle(page, page_name="t1.htm", source="http://h/t1.htm",
                              attachments=[ingest.Attachment(qingshi.docx(), "http://h/P1.docx")])

    whole = ingest.read_bytes(qingshi.html_bytes(), filename="whole.html")
    assert not bare.table_version and read.report.table_version == "2021"
    cells = {f.metric: f.value for f in read.report.figures if f.metric}
    assert cells and cells == {f.metric: f.value for f in whole.figures if f.metric}
    assert not read.report.table_issues


def test_a_new_body_that_reads_the_same_leaves_its_report_unchanged(tmp_path, portal):
    """Assistant.fetch, the library call under the command: outcomes per page."""
    assistant = fast_assistant(tmp_path / "data", fetch_delay=0, fetch_timeout=TIMEOUT)

    first = {r.url: r.outcome for r in assistant.fetch([portal.url(QINGHE_2018)])}
    qinghe = COLUMN + QINGHE_2018[2:]
    # a new body that reads the same (a view counter in a comment): downloaded, but its report is unchanged
    portal.site.put(qinghe, portal.site.files[qinghe].body + b"<!-- 78 views -->")
    second = {r.url: (r.outcome, r.downloaded) for r in assistant.fetch([portal.url(QINGHE_2018)])}

    assert first == {portal.url(QINGHE_2018): Outcome.ADDED}
    assert second == {portal.url(QINGHE_2018): (Outcome.UNCHANGED, 1)}


def test_the_departments_column(tmp_path, corpus):
    """The shared departments' reports (real portal pages and archive exports) through a column."""
    site = Site()
    files = sorted((corpus / "departments").glob("*.*"))
    links, expected = [], {}
    for number, path in enumerate(files):
        if path.suffix not in (".html", ".txt"):
            continue
        href = f"./2024{number:02d}/t2024{number:02d}01_{5000 + number}.htm"
        page = path.read_bytes() if path.suffix == ".html" else page_of(load_path(path))
        site.put(COLUMN + href[2:], page)
        links.append(Link(href, f"{path.stem}年度报告", "2024-01-01"))
        expected[href] = ingest.read_path(path)
    pages = (len(links) + 4) // 5
    for number in range(pages):
        site.put(COLUMN + ("index.html" if number == 0 else f"index_{number}.html"),
                 list_page(links[5 * number : 5 * number + 5], page=number, pages=pages))
    assistant = fast_assistant(tmp_path / "data", fetch_delay=0, fetch_timeout=5)

    with serving(site) as base:
        results = assistant.fetch([f"{base}{COLUMN}index.html"])

        assert [r.error for r in results if r.error] == []
        reports = {r.meta.source: r for r in assistant.reports}
        for href, report in expected.items():
            fetched = reports[f"{base}{COLUMN}{href[2:]}"]
            assert figures(fetched) == figures(report), href


def test_a_json_list_is_read_for_its_report_pages(tmp_path, portal):
    """A column whose list a script loads by a JSON call: the call's URL is given as the column."""
    items = [{"docTitle": "清河市教育局2018年政府信息公开工作年度报告", "docUrl": COLUMN + QINGHE_2018[2:], "pubDate": "2019-03-12"},
             {"docTitle": "关于春节假期值班安排的通知", "docUrl": "/xxgk/tzgg/202401/t20240105_70001.htm"}]
    portal.site.put("/api/column/list.json", json.dumps({"code": 0, "data": {"total": 2, "list": items}}, ensure_ascii=False),
                    "application/json;charset=UTF-8")
    assistant = fast_assistant(tmp_path / "data", fetch_delay=0, fetch_timeout=TIMEOUT)

    results = assistant.fetch([f"{portal.base}/api/column/list.json"])

    assert [(r.url, r.outcome) for r in results] == [(portal.url(QINGHE_2018), Outcome.ADDED)]


def test_the_page_tables_win_over_an_attached_copy_of_the_report():
    """A full page with its tables and the same report attached as .docx: one reading, not two."""
    qingshi = qingshi_2021()
    page = qingshi.html_bytes()

    read = ingest.read_bundle(page, page_name="t1.htm", source="http://h/t1.htm",
                              attachments=[ingest.Attachment(qingshi.docx(), "http://h/P1.docx")])

    assert figures(read.report) == figures(ingest.read_bytes(page, filename="t1.htm"))


@pytest.mark.parametrize(("url", "path"), [
    ("http://h.gov.cn/xxgk/nb/202401/P0202401.pdf", "h.gov.cn/xxgk/nb/202401/P0202401.pdf"),
    ("http://h.gov.cn:8080/xxgk/nb/", "h.gov.cn_8080/xxgk/nb/index.html"),
    ("http://h.gov.cn/api/list.json?page=2", "h.gov.cn/api/list__"),
    ("http://h.gov.cn/a/../../etc/passwd", "h.gov.cn/a/etc/passwd"),  # never outside the host's folder
])
def test_where_an_original_is_kept(url, path):
    assert Originals.relative_path(url).as_posix().startswith(path)


def test_last_modified_alone_makes_the_next_request_conditional(tmp_path, portal):
    portal.site.etags = False
    assistant = fast_assistant(tmp_path / "data", fetch_delay=0, fetch_timeout=TIMEOUT)
    assistant.fetch([portal.url(QINGHE_2018)])
    mark = len(portal.site.hits)

    results = assistant.fetch([portal.url(QINGHE_2018)])

    assert [(r.outcome, r.downloaded) for r in results] == [(Outcome.UNCHANGED, 0)]
    assert {hit.status for hit in portal.site.hits_since(mark)} == {304}  # robots.txt and the page


def test_an_attachment_behind_a_download_script_is_found_by_the_file_it_names(tmp_path, portal):
    docx = SAMPLES / "qinghe-jyj-2017.docx"
    title = "清河市教育局2017年政府信息公开工作年度报告"
    href = "/module/download/downfile.jsp?classid=0&filename=1803011234.docx"
    page = report_page(title, published="2018-03-01", publisher="清河市教育局", paragraphs=[f"{title}全文详见附件。"])
    portal.site.put(COLUMN + "201803/t20180301_20001.htm", page.replace("</body>", f'<a href="{href}">附件</a></body>'))
    portal.site.put("/module/download/downfile.jsp", docx.read_bytes(), "application/octet-stream")
    assistant = fast_assistant(tmp_path / "data", fetch_delay=0, fetch_timeout=TIMEOUT)

    (result,) = assistant.fetch([portal.url("./201803/t20180301_20001.htm")])

    assert (result.outcome, result.skipped, result.downloaded) == (Outcome.ADDED, (), 2)
    (report,) = assistant.reports
    assert figures(report) == figures(ingest.read_path(docx))


def test_a_page_corrected_to_another_year_replaces_its_old_report(tmp_path, portal):
    mochuan = COLUMN + "202101/t20210118_10005.htm"
    assistant = fast_assistant(tmp_path / "data", fetch_delay=0, fetch_timeout=TIMEOUT)
    assistant.fetch([portal.url("./202101/t20210118_10005.htm")])
    page = portal.site.files[mochuan].body.decode("utf-8")
    portal.site.put(mochuan, page.replace("墨川市民政局2020年政府信息公开", "墨川市民政局2021年政府信息公开"))

    (result,) = assistant.fetch([portal.url("./202101/t20210118_10005.htm")])

    assert result.outcome is Outcome.REPLACED
    assert [(r.meta.agency, r.meta.year) for r in assistant.reports] == [("墨川市民政局", 2021)]
