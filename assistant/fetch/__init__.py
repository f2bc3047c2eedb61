"""Follow government portals' report columns: download new and changed reports and index them.

::

    column.py     list pages → report page URLs and pagination; report page → attachment URLs (pure)
    client.py     PoliteClient: robots.txt, per-host delay, conditional GET; FetchError
    originals.py  the downloaded files under data_dir/fetched/ and the record of their URLs
    crawler.py    Fetcher: walk columns, fetch a report page with its attachments, index them as one report
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from assistant.config import Settings
from assistant.fetch.client import FetchError, PoliteClient
from assistant.fetch.crawler import ColumnListing, Fetcher, PageResult
from assistant.fetch.originals import Originals
from assistant.index import Indexer

__all__ = ["ColumnListing", "FetchError", "Fetcher", "PageResult", "open_fetcher"]


@contextmanager
def open_fetcher(settings: Settings, *, engine: Engine, indexer: Indexer) -> Iterator[Fetcher]:
    """A Fetcher whose downloads go to ``data_dir/fetched`` and whose record is in the catalog database."""
    originals = Originals(engine, settings.data_dir / "fetched")
    with PoliteClient(originals, delay=settings.fetch_delay, timeout=settings.fetch_timeout) as client:
        yield Fetcher(client, indexer, originals)
