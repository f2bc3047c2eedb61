"""Follow report columns: walk their list pages, fetch each report page with its attachments, and
index page + attachments as one report through the Indexer (all or nothing, idempotent)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import ingest
from assistant.fetch.client import Download, FetchError, Freshness, PoliteClient
from assistant.fetch.column import (
    attachment_links,
    attachment_name,
    is_json,
    is_report_page,
    read_json_list,
    read_list_page,
    url_suffix,
)
from assistant.fetch.originals import Originals
from assistant.index import Indexer, Outcome
from ingest.errors import IngestError, UnsupportedFormat

MAX_LIST_PAGES = 200  # per column: a runaway page counter stops here
_HTML_SUFFIXES = (".html", ".htm")  # what the HTML loader reads
_PAGE_SUFFIXES = (*_HTML_SUFFIXES, ".shtml", "")  # what a portal page is called (a folder URL has none)


@dataclass(frozen=True)
class PageResult:
    """What became of one report page (or of a list page that could not be read)."""

    url: str
    outcome: Outcome
    report_id: str | None = None
    title: str = ""
    error: str = ""
    skipped: tuple[str, ...] = ()  # attachments left out, each with why
    downloaded: int = 0  # files whose body came over the network (not 304, not the stored copy)


@dataclass(frozen=True)
class ColumnListing:
    reports: tuple[str, ...]  # report page URLs of every column, in order, without repeats
    failures: tuple[PageResult, ...] = ()  # list pages or columns that gave nothing
    list_pages: int = 0  # list pages read


class Fetcher:
    """One run over some columns: walks their list pages and indexes their reports."""

    def __init__(
        self, client: PoliteClient, indexer: Indexer, originals: Originals, *, max_list_pages: int = MAX_LIST_PAGES
    ) -> None:
        self.client = client
        self.indexer = indexer
        self.originals = originals
        self.max_list_pages = max_list_pages
        self._report_pages: dict[str, str] = {}  # report id → the page that gave it in this run

    def list_reports(self, columns: Sequence[str]) -> ColumnListing:
        """Walk every column's list pages (page counter and 下一页 links) and collect the report pages.

        A column URL that answers JSON is read as a list of report pages; a report page URL is taken
        as it is.
        """
        reports: dict[str, None] = {}
        failures: list[PageResult] = []
        pages_read = 0
        for column in columns:
            if is_report_page(column):  # a report page given directly
                reports[column] = None
                continue
            found, failed = len(reports), len(failures)
            queue, seen = [column], {column}
            while queue and len(seen) - len(queue) < self.max_list_pages:
                url = queue.pop(0)
                try:
                    page = self.client.get(url)
                except FetchError as exc:
                    failures.append(PageResult(url, Outcome.FAILED, error=f"list page: {exc}"))
                    continue
                pages_read += 1
                if is_json(page.content, page.content_type):
                    listing = read_json_list(page.content, url=page.final_url)
                else:
                    listing = read_list_page(page.content, url=page.final_url, column_url=column)
                reports.update(dict.fromkeys(listing.reports))
                fresh = [p for p in listing.pages if p not in seen]
                seen.update(fresh)
                queue += fresh
            if len(reports) == found and len(failures) == failed:
                failures.append(PageResult(column, Outcome.FAILED, error=(
                    "no report pages are linked from this column's list pages; if its list is loaded by "
                    "JavaScript, give the URL of the JSON call it makes (browser developer tools, Network) "
                    "or the report pages' URLs instead"
                )))  # fmt: skip
        return ColumnListing(tuple(reports), tuple(failures), pages_read)

    def fetch_report(self, url: str) -> PageResult:
        """Fetch one report page and its attachments and index them as one report."""
        try:
            page = self.client.get(url)
        except FetchError as exc:
            return PageResult(url, Outcome.FAILED, error=str(exc))
        attachments, skipped, downloaded = [], [], int(page.transferred)
        for link in attachment_links(page.content, url=page.final_url) if _is_html(page) else ():
            try:
                attachment = self._attachment(link, page_unchanged=page.freshness is Freshness.UNCHANGED)
            except (FetchError, UnsupportedFormat) as exc:
                skipped.append(f"{link}: {exc}" if isinstance(exc, FetchError) else str(exc))
                continue
            downloaded += attachment.transferred
            attachments.append(ingest.Attachment(attachment.content, _loader_name(link)))
        try:
            read = ingest.read_bundle(
                page.content, page_name=_page_name(page), attachments=attachments, source=url
            )
        except IngestError as exc:
            return PageResult(url, Outcome.FAILED, error=str(exc), skipped=tuple(skipped), downloaded=downloaded)
        report = read.report
        earlier = self._report_pages.setdefault(report.id, url)
        if earlier != url:  # two pages of one agency and year would replace each other on every run
            error = f"the same report ({report.meta.agency} {report.meta.year}) as {earlier}; kept that one"
            return PageResult(url, Outcome.FAILED, report.id, report.meta.title, error=error, downloaded=downloaded)
        outcome = self.indexer.index(report)
        if orphan := self.originals.move_report(url, report.id):
            self.indexer.remove(orphan)  # the page was corrected to another agency or year: its old reading goes
            outcome = Outcome.REPLACED
        return PageResult(
            url, outcome, report.id, report.meta.title, skipped=tuple(skipped) + read.skipped, downloaded=downloaded
        )

    def _attachment(self, url: str, *, page_unchanged: bool) -> Download:
        suffix = PurePosixPath(attachment_name(url)).suffix.lower()
        if suffix not in ingest.SUPPORTED_SUFFIXES:
            raise UnsupportedFormat(suffix, filename=url)  # not downloaded: it could not be read
        # Portals give a new upload a new name (P020…), so an unchanged page's attachments are the stored ones.
        stored = self.client.stored(url) if page_unchanged else None
        return stored or self.client.get(url)


def _is_html(download: Download) -> bool:
    return "html" in download.content_type or url_suffix(download.final_url) in _PAGE_SUFFIXES


def _page_name(page: Download) -> str:
    """The name the loader reads the page by: its URL, made .html when the server says HTML (.shtml, a folder)."""
    name = _file_name(page.final_url)
    if _is_html(page) and url_suffix(name) not in _HTML_SUFFIXES:
        return f"{name.rstrip('/')}.html"
    return name


def _file_name(url: str) -> str:
    """A URL without its query, so that its suffix gives the format."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _loader_name(link: str) -> str:
    """An attachment's name for the loaders, whose suffix gives the format: its URL, and the file a
    download script's query names after a # (…/downfile.jsp?filename=2401.pdf#2401.pdf)."""
    name = attachment_name(link)
    return _file_name(link) if urlsplit(link).path.endswith(name) else f"{link}#{name}"
