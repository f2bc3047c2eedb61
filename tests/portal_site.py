"""A government portal's report column, built by the tests and served from 127.0.0.1 (never a real host).

The column has the shape of a TRS WCM column: static list pages ``index.html``, ``index_1.html`` …
counted by ``createPageHTML(n, i, "index", "html")``, report pages ``./202403/t20240308_87885.htm``
with the body in a content ``div``, attachments linked as ``./P020….docx``. The server sends ETag
and Last-Modified and answers If-None-Match / If-Modified-Since with 304; every request is logged
with its arrival time, so tests can count what was downloaded and measure the delay between requests.
"""

from __future__ import annotations

import hashlib
import html
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ingest.load import LoadedDocument

SLOW_SECONDS = 1.0  # a page that answers this late times out (the tests' client timeout is shorter)


@dataclass
class SiteFile:
    body: bytes
    content_type: str
    modified: float  # seconds since the epoch, for Last-Modified

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


@dataclass(frozen=True)
class Hit:
    path: str
    status: int
    at: float  # time.monotonic() when the request arrived


@dataclass
class Site:
    files: dict[str, SiteFile] = field(default_factory=dict)
    slow: set[str] = field(default_factory=set)  # paths that answer after SLOW_SECONDS
    etags: bool = True  # False: a server that sends only Last-Modified
    hits: list[Hit] = field(default_factory=list)
    _clock: float = 1_700_000_000.0

    def put(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8") -> None:
        """Serve ``body`` at ``path``; a new body gets a new ETag and a later Last-Modified."""
        self._clock += 60
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.files[path] = SiteFile(data, content_type, self._clock)

    def hits_since(self, mark: int) -> list[Hit]:
        return self.hits[mark:]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            arrived = time.monotonic()
            path = self.path.split("?")[0]
            file = site.files.get(path)
            status = 404 if file is None else 304 if self._not_modified(file) else 200
            site.hits.append(Hit(path, status, arrived))
            if path in site.slow:
                time.sleep(SLOW_SECONDS)
            try:
                self._answer(status, file)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the timeout test)

        def _not_modified(self, file: SiteFile) -> bool:
            if etag := self.headers.get("If-None-Match"):
                return etag == file.etag
            if since := self.headers.get("If-Modified-Since"):
                return parsedate_to_datetime(since).timestamp() >= int(file.modified)
            return False

        def _answer(self, status: int, file: SiteFile | None) -> None:
            body = b"<html><body><h1>404 Not Found</h1></body></html>" if file is None else file.body
            self.send_response(status)
            if file is not None:
                if site.etags:
                    self.send_header("ETag", file.etag)
                self.send_header("Last-Modified", formatdate(file.modified, usegmt=True))
            if status == 304:
                self.end_headers()
                return
            self.send_header("Content-Type", file.content_type if file else "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the hits are the log

    return Handler


@contextmanager
def serving(site: Site) -> Iterator[str]:
    """Serve ``site`` on a free port of 127.0.0.1 in a thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --- pages in the shape TRS WCM columns have ------------------------------------------------------


@dataclass(frozen=True)
class Link:
    href: str  # relative to the column folder: ./202403/t20240308_87885.htm
    title: str
    date: str


def list_page(links: Sequence[Link], *, page: int, pages: int, column: str = "政府信息公开年报") -> str:
    items = "\n".join(
        f'<li><a href="{link.href}" title="{html.escape(link.title)}" target="_blank">{html.escape(link.title)}</a>'
        f"<span>{link.date}</span></li>"
        for link in links
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{column}_霁川市人民政府</title></head>
<body>
<div class="header"><a href="/">首页</a><a href="/xxgk/">信息公开</a><a href="/hdjl/">互动交流</a></div>
<div class="sidebar"><ul>
  <li><a href="/xxgk/tzgg/202401/t20240105_70001.htm">关于春节假期值班安排的通知</a></li>
  <li><a href="/xxgk/zcwj/202312/t20231220_70002.htm">霁川市优化营商环境若干措施</a></li>
</ul></div>
<div class="list"><ul>
{items}
</ul>
<div class="page"><script type="text/javascript">createPageHTML({pages}, {page}, "index", "html");</script></div>
</div>
<div class="footer">主办：霁川市人民政府办公室 备案号：霁ICP备00000000号</div>
</body></html>"""


def report_page(title: str, *, published: str, publisher: str, paragraphs: Sequence[str] = (),
                body_html: str = "", attachments: Sequence[tuple[str, str]] = ()) -> str:
    """A TRS report page: the body in the content div, attachments (href, name) listed after it."""
    body = body_html or "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    files = "\n".join(f'<li><a href="{href}" OLDSRC="/protect{href[1:]}">{html.escape(name)}</a></li>'
                      for href, name in attachments)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="{html.escape(title)}">
<meta name="PubDate" content="{published} 09:30">
<meta name="ContentSource" content="{html.escape(publisher)}">
<title>{html.escape(title)}_政府信息公开年报</title></head>
<body>
<div class="header"><a href="/">首页</a><a href="/xxgk/">信息公开</a></div>
<div class="main">
  <h1 class="article_title">{html.escape(title)}</h1>
  <div class="article_info">发布时间：{published} 来源：{html.escape(publisher)} 字号：大 中 小</div>
  <div class="article_content"><div class="TRS_Editor">
{body}
  </div></div>
  <div class="article_attachment"><ul>{files}</ul></div>
</div>
<div class="footer">主办：霁川市人民政府办公室</div>
</body></html>"""


def page_of(document: LoadedDocument, *, attachments: Sequence[tuple[str, str]] = ()) -> str:
    """A report read from a file (.txt) as its portal page: title, information line, body paragraphs."""
    return report_page(document.title, published=document.published or "2024-01-30", publisher=document.publisher,
                       paragraphs=[b for b in document.blocks if b != document.title], attachments=attachments)
