"""HTTP for following portals, politely: robots.txt obeyed, a delay between two requests to one
host, conditional requests (If-None-Match / If-Modified-Since) against the stored copy, and every
body kept in :class:`Originals`."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from assistant.fetch.originals import Originals, StoredFile

USER_AGENT = "nianbao/0.1 (government information-disclosure annual reports; follows robots.txt)"
ROBOTS_AGENT = "nianbao"  # the name robots.txt rules address
MAX_BYTES = 100 * 1024 * 1024  # a report or attachment larger than this is no report


class FetchError(Exception):
    """A URL could not be fetched; ``str()`` says why, ``status`` is the HTTP status when there was one."""

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason)
        self.url = url
        self.reason = reason
        self.status = status


class Freshness(str, Enum):
    NEW = "new"  # never fetched before
    CHANGED = "changed"  # fetched before, and the body is different now
    UNCHANGED = "unchanged"  # 304 Not Modified, or the same bytes again


@dataclass(frozen=True)
class Download:
    url: str  # as requested
    final_url: str  # after redirects: relative links resolve against it
    content: bytes
    content_type: str
    freshness: Freshness
    transferred: bool  # the body came over the network (not a 304, not the stored copy)


@dataclass(frozen=True)
class _Robots:
    rules: RobotFileParser | None
    error: str = ""  # robots.txt could not be read: nothing is fetched from the host


class PoliteClient:
    """GET with robots.txt, a per-host delay and conditional requests; use it as a context manager."""

    def __init__(self, originals: Originals, *, delay: float, timeout: float) -> None:
        self.originals = originals
        self.delay = delay
        self.timeout = timeout
        self._client = httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=timeout, follow_redirects=True)
        self._last_request: dict[str, float] = {}  # host → when its last response ended (monotonic)
        self._robots: dict[str, _Robots] = {}

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._client.close()

    def get(self, url: str) -> Download:
        """The body of ``url``: from the network, or the stored copy when the server says 304.

        Raises FetchError for robots.txt disallowing it, a status other than 200/304, a timeout or
        a network error.
        """
        self._check_robots(url)
        return self._get(url)

    def stored(self, url: str) -> Download | None:
        """The stored copy of ``url`` without asking the server (None when there is none)."""
        stored = self.originals.get(url)
        return self._from_store(stored) if stored else None

    def _get(self, url: str) -> Download:
        stored = self.originals.get(url)
        headers = {}
        if stored and stored.etag:
            headers["If-None-Match"] = stored.etag
        if stored and stored.last_modified:
            headers["If-Modified-Since"] = stored.last_modified
        response, body = self._request(url, headers)
        if response.status_code == 304 and stored:
            return self._from_store(stored)
        if response.status_code != 200:
            status = response.status_code
            raise FetchError(url, f"{status} {response.reason_phrase}".strip(), status=status)
        saved = self.originals.save(
            url,
            body,
            final_url=str(response.url),
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
            content_type=response.headers.get("Content-Type", ""),
        )
        if stored is None:
            freshness = Freshness.NEW
        else:
            freshness = Freshness.UNCHANGED if stored.sha256 == saved.sha256 else Freshness.CHANGED
        return Download(url, str(response.url), body, saved.content_type, freshness, transferred=True)

    def _from_store(self, stored: StoredFile) -> Download:
        content = stored.path.read_bytes()
        return Download(
            stored.url, stored.final_url, content, stored.content_type, Freshness.UNCHANGED, transferred=False
        )

    def _request(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        host = urlsplit(url).netloc
        self._wait_for(host)
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_BYTES:
                        raise FetchError(url, f"larger than {MAX_BYTES // 2**20} MB; not a report")
                return response, bytes(body)
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out after {self.timeout:g} s (NIANBAO_FETCH_TIMEOUT)") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"network error: {exc}") from exc
        finally:
            self._last_request[host] = time.monotonic()

    def _wait_for(self, host: str) -> None:
        robots = self._robots.get(host)
        crawl_delay = robots.rules.crawl_delay(ROBOTS_AGENT) if robots and robots.rules else None
        delay = max(self.delay, float(crawl_delay or 0))
        last = self._last_request.get(host)
        if last is not None:
            time.sleep(max(0.0, last + delay - time.monotonic()))

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        robots = self._robots.get(parts.netloc)
        if robots is None:
            robots = self._robots[parts.netloc] = self._read_robots(f"{parts.scheme}://{parts.netloc}/robots.txt")
        if robots.error:
            raise FetchError(url, robots.error)
        assert robots.rules is not None
        if not robots.rules.can_fetch(ROBOTS_AGENT, url):
            raise FetchError(url, f"disallowed by {parts.scheme}://{parts.netloc}/robots.txt")

    def _read_robots(self, robots_url: str) -> _Robots:
        """robots.txt as urllib's parser reads it: 401/403 forbid everything, any other 4xx allows everything."""
        rules = RobotFileParser(robots_url)
        try:
            rules.parse(self._get(robots_url).content.decode("utf-8", errors="replace").splitlines())
        except FetchError as exc:
            if exc.status in (401, 403):
                rules.disallow_all = True
            elif exc.status is not None and 400 <= exc.status < 500:
                rules.allow_all = True
            else:  # a server error or no answer: its rules are unknown, so nothing is fetched
                return _Robots(None, f"{robots_url} could not be read ({exc}); nothing is fetched from this host")
        return _Robots(rules)
