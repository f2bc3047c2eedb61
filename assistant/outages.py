"""A store that cannot be reached — the Chroma server, a database (the catalog's or the history's),
Redis — told apart from a bug, so that the API answers 503 and says to retry, never 500.

The exception types are the ones these clients raise when their server is stopped (tests/test_scaled.py
stops each one while serving): Chroma's HttpClient lets httpx's transport errors through, SQLAlchemy
wraps the driver's in OperationalError (or InterfaceError on a connection the server dropped), and the
`limits` library lets redis's through. Each client reconnects by itself once its server is back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import redis.exceptions
from sqlalchemy import exc as sql

from assistant.errors import StoreUnavailable

CONNECTION_ERRORS: tuple[type[Exception], ...] = (
    httpx.TransportError,
    sql.OperationalError,
    sql.InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)

RETRY_AFTER_SECONDS = 5


def unavailable(exc: BaseException, *, database: str = "a database (the catalog or the question history)") -> StoreUnavailable | None:
    """The StoreUnavailable that ``exc`` means, naming the store; None when ``exc`` is no outage.
    ``database`` names the store behind a SQLAlchemy error, which cannot tell which engine it came from."""
    if isinstance(exc, httpx.TransportError):
        store = "The vector store (the Chroma server)"
    elif isinstance(exc, (sql.OperationalError, sql.InterfaceError)):
        store = database[0].upper() + database[1:]
    elif isinstance(exc, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)):
        store = "The rate-limit store (Redis)"
    else:
        return None
    return StoreUnavailable(
        f"{store} cannot be reached right now, so the request was not served. "
        f"Try again in a few seconds: the service resumes by itself when it is back."
    )


@contextmanager
def reaching(database: str) -> Iterator[None]:
    """Inside the block, an outage becomes StoreUnavailable; a SQL one names ``database``."""
    try:
        yield
    except CONNECTION_ERRORS as exc:
        raise unavailable(exc, database=database) from exc  # type: ignore[misc]
