"""What a portal's pages link to (pure: HTML bytes and their URL in, URLs out).

Most Chinese government portals run on TRS WCM, whose report column is a set of static list pages
(``index.html``, ``index_1.html`` … counted by a script call ``createPageHTML(5, 0, "index",
"html")``) linking report pages ``./202403/t20240308_87885.htm``; a report page links its
attachments as ``./P020240308….pdf``/``.xls``/``.doc``. Columns built otherwise are followed
through their 下一页 links and report-title links. A column that loads its list by a JSON call can
be followed by giving that call's URL: its report pages are read from the JSON (one call, its own
paging is not followed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

# TRS WCM's document pages: t<date>_<doc id>.htm (also .html, .shtml)
TRS_DOCUMENT = re.compile(r"/t\d{8}_\d+\.s?html?$", re.IGNORECASE)
# createPageHTML(countPage, currentPage, "index", "html"), with numbers or variables
_TRS_PAGER = re.compile(r"""createPageHTML\(\s*(\w+)\s*,\s*\w+\s*,\s*["']([\w-]+)["']\s*,\s*["'](\w+)["']""")
_NEXT_PAGE = re.compile(r"^\s*(?:下一页|下页|后一页)\s*$")
_REPORT_TITLE = re.compile(r"(?:19|20)\d{2}\s*年.*(?:报告|年报)")
# Files portals attach to a report page; links to other pages (.htm) are not attachments.
ATTACHMENT_SUFFIXES = frozenset(
    {".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".txt", ".rtf", ".ofd"}
    | {".jpg", ".jpeg", ".png", ".zip", ".rar"}
)


@dataclass(frozen=True)
class ListPage:
    """One list page of a column: the report pages it links and the column's other list pages."""

    reports: tuple[str, ...]
    pages: tuple[str, ...]


def column_folder(column_url: str) -> str:
    """The folder a column's pages live in: …/zfxxgknb/index.html → …/zfxxgknb/."""
    return urljoin(column_url, ".")


def is_report_page(url: str) -> bool:
    """A URL that is itself a report page (TRS document), not a column."""
    return bool(TRS_DOCUMENT.search(urlsplit(url).path))


def read_list_page(html: bytes, *, url: str, column_url: str) -> ListPage:
    """The report links of a column's list page (in page order) and the list pages it points to."""
    soup = BeautifulSoup(html, "lxml")
    folder = column_folder(column_url)
    pages = _trs_pages(soup, url) + [
        _absolute(url, str(a["href"])) for a in soup.find_all("a", href=True) if _NEXT_PAGE.match(a.get_text())
    ]
    pages = [p for p in pages if p and p.startswith(folder)]
    reports = []
    for link in soup.find_all("a", href=True):
        target = _absolute(url, str(link["href"]))
        if not target or target in pages or target in reports:
            continue
        path = urlsplit(target).path
        trs = bool(TRS_DOCUMENT.search(path))
        titled = bool(_REPORT_TITLE.search(" ".join([link.get_text(), str(link.get("title", ""))])))
        same_host = urlsplit(target).netloc == urlsplit(url).netloc
        in_column = target.startswith(folder) and not _is_list_page(path)
        if (in_column and (trs or titled)) or (same_host and trs and titled):
            reports.append(target)
    return ListPage(reports=tuple(reports), pages=tuple(dict.fromkeys(pages)))


def is_json(content: bytes, content_type: str) -> bool:
    return "json" in content_type or content.lstrip()[:1] in (b"{", b"[")


def read_json_list(content: bytes, *, url: str) -> ListPage:
    """The report pages a JSON list names: in each object that holds a report title, its page links
    ({"title": "某局2023年…年度报告", "url": "./202401/t20240130_1.htm"})."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ListPage(reports=(), pages=())
    reports: list[str] = []
    for item in _json_objects(data):
        texts = [value for value in item.values() if isinstance(value, str)]
        titled = any(_REPORT_TITLE.search(text) for text in texts)
        if not titled:
            continue
        for text in texts:
            target = _absolute(url, text) if re.search(r"\.s?html?$", text.strip(), re.IGNORECASE) else ""
            if target:
                reports.append(target)
    return ListPage(reports=tuple(dict.fromkeys(reports)), pages=())


def _json_objects(data: object) -> Iterator[dict[str, object]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _json_objects(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_objects(value)


def attachment_links(html: bytes, *, url: str) -> tuple[str, ...]:
    """The files a report page links (by suffix, see ATTACHMENT_SUFFIXES), in page order, without repeats."""
    soup = BeautifulSoup(html, "lxml")
    links = (_absolute(url, str(a["href"])) for a in soup.find_all("a", href=True))
    return tuple(dict.fromkeys(link for link in links if link and attachment_name(link)))


def attachment_name(url: str) -> str:
    """The file an attachment link names: its path's (./P020….pdf), or a query value's as download
    scripts have it (downfile.jsp?filename=2401.pdf); "" when it names no attachment file."""
    parts = urlsplit(url)
    for candidate in (parts.path, *(value for _, value in parse_qsl(parts.query))):
        name = PurePosixPath(candidate).name
        if PurePosixPath(name).suffix.lower() in ATTACHMENT_SUFFIXES:
            return name
    return ""


def url_suffix(url: str) -> str:
    return PurePosixPath(urlsplit(url).path).suffix.lower()


def _trs_pages(soup: BeautifulSoup, url: str) -> list[str]:
    """index.html, index_1.html … index_{n-1}.html from the TRS page counter, when the page has one."""
    scripts = "\n".join(script.get_text() for script in soup.find_all("script"))
    match = _TRS_PAGER.search(scripts)
    if not match:
        return []
    count, stem, extension = match.groups()
    if not count.isdigit():  # createPageHTML(countPage, …) after "var countPage = 5"
        assigned = re.search(rf"\b{re.escape(count)}\s*=\s*(\d+)", scripts)
        if not assigned:
            return []
        count = assigned.group(1)
    names = [f"{stem}.{extension}"] + [f"{stem}_{n}.{extension}" for n in range(1, int(count))]
    return [urljoin(url, name) for name in names]


def _is_list_page(path: str) -> bool:
    return bool(re.search(r"/index(?:_\d+)?\.s?html?$", path, re.IGNORECASE))


def _absolute(base: str, href: str) -> str:
    """An http(s) link made absolute, without its #fragment; "" for javascript:, mailto: and the like."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return ""
    target = urldefrag(urljoin(base, href)).url
    return target if urlsplit(target).scheme in ("http", "https") else ""
