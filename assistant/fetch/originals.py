"""The downloaded files, kept as they came under ``data_dir/fetched/<host>/<path>``, and the record
of where each came from (a ``fetched`` table in the catalog database): its URL, the validators
(ETag, Last-Modified) for the next conditional request, and its SHA-256. Table ``page_reports``
remembers which report each report page gave, so a page that now gives another one replaces it."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from sqlalchemy import Column, Engine, MetaData, String, Table, Text, delete, insert, select

metadata = MetaData()

fetched = Table(
    "fetched",
    metadata,
    Column("url", Text, primary_key=True),  # as requested
    Column("final_url", Text, nullable=False),  # after redirects: what the file's relative links resolve against
    Column("path", Text, nullable=False),  # relative to the originals folder
    Column("etag", Text, nullable=False, default=""),
    Column("last_modified", Text, nullable=False, default=""),
    Column("content_type", Text, nullable=False, default=""),
    Column("sha256", String(64), nullable=False),
    Column("fetched_at", String(32), nullable=False),
)


page_reports = Table(
    "page_reports",
    metadata,
    Column("url", Text, primary_key=True),
    Column("report_id", String(64), nullable=False),
)


@dataclass(frozen=True)
class StoredFile:
    url: str
    final_url: str
    path: Path
    etag: str
    last_modified: str
    content_type: str
    sha256: str


class Originals:
    """Downloaded files on disk, and the ``fetched`` table that says where each came from."""

    def __init__(self, engine: Engine, root: Path) -> None:
        self.engine = engine
        self.root = root
        metadata.create_all(engine)

    def get(self, url: str) -> StoredFile | None:
        """The stored copy of ``url``; None when it was never fetched or its file is gone."""
        with self.engine.connect() as conn:
            row = conn.execute(select(fetched).where(fetched.c.url == url)).mappings().first()
        if row is None or not (self.root / row["path"]).is_file():
            return None
        return StoredFile(
            url=row["url"], final_url=row["final_url"], path=self.root / row["path"], etag=row["etag"],
            last_modified=row["last_modified"], content_type=row["content_type"], sha256=row["sha256"],
        )  # fmt: skip

    def save(
        self,
        url: str,
        content: bytes,
        *,
        final_url: str,
        etag: str = "",
        last_modified: str = "",
        content_type: str = "",
    ) -> StoredFile:
        relative = self.relative_path(url)
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.part")  # a crash never leaves half a file
        draft.write_bytes(content)
        os.replace(draft, path)
        digest = hashlib.sha256(content).hexdigest()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.engine.begin() as conn:
            conn.execute(delete(fetched).where(fetched.c.url == url))
            conn.execute(
                insert(fetched).values(
                    url=url, final_url=final_url, path=relative.as_posix(), etag=etag, last_modified=last_modified,
                    content_type=content_type, sha256=digest, fetched_at=now,
                )
            )  # fmt: skip
        return StoredFile(url, final_url, path, etag, last_modified, content_type, digest)

    def move_report(self, page_url: str, report_id: str) -> str | None:
        """Record that ``page_url`` gives ``report_id``; returns the report it gave before when no
        page gives that one any more (the page now reads as another agency or year)."""
        with self.engine.begin() as conn:
            previous = conn.execute(select(page_reports.c.report_id).where(page_reports.c.url == page_url)).scalar()
            conn.execute(delete(page_reports).where(page_reports.c.url == page_url))
            conn.execute(insert(page_reports).values(url=page_url, report_id=report_id))
            if previous in (None, report_id):
                return None
            still_given = conn.execute(select(page_reports.c.url).where(page_reports.c.report_id == previous)).first()
        return None if still_given else previous

    @staticmethod
    def relative_path(url: str) -> PurePosixPath:
        """<host>/<path> of a URL: a folder URL gets index.html; a query string, a hash of it in the name."""
        parts = urlsplit(url)
        host = parts.netloc.replace(":", "_")
        segments = [s for s in parts.path.split("/") if s not in ("", ".", "..")]
        if not segments or parts.path.endswith("/"):
            segments.append("index.html")
        if parts.query:
            name = PurePosixPath(segments[-1])
            digest = hashlib.sha1(parts.query.encode()).hexdigest()[:10]
            segments[-1] = f"{name.stem}__{digest}{name.suffix}"
        return PurePosixPath(host, *segments)
