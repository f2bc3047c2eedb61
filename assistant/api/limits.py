"""Per-client rate limits for the public endpoints, over the `limits` library (the one slowapi
wraps): one limiter per app, configured from settings, so its storage (memory://, redis://…)
and limits follow the deployment rather than a module-level decorator."""

from __future__ import annotations

import math
import time

from limits import parse_many
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from assistant.errors import TooManyRequests


class RateLimiter:
    def __init__(self, limit: str, storage: str = "memory://") -> None:
        self.limits = parse_many(limit)  # "30/minute;500/day"
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage))

    def check(self, client: str) -> None:
        """Count one request of ``client``; TooManyRequests (with the wait) past any limit."""
        for limit in self.limits:
            if not self._limiter.hit(limit, "client", client):
                reset_at, _ = self._limiter.get_window_stats(limit, "client", client)
                wait = max(1, math.ceil(reset_at - time.time()))
                raise TooManyRequests(
                    f"Too many questions from this client: the limit is {limit}. Try again in {wait} s.",
                    retry_after=wait,
                )


class DeclaredBodyLimit:
    """Refuses a body whose declared Content-Length is over the limit, in the API's error shape,
    before reading it. (FastAPI's max_body_size still stops chunked bodies that grow past it.)"""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = dict(scope["headers"]).get(b"content-length", b"0")
            if not declared.isdigit() or int(declared) > self.max_bytes:
                status = 413 if declared.isdigit() else 400
                message = (f"The request body is larger than {self.max_bytes} bytes; send one question of a few "
                           "hundred characters." if status == 413 else "The Content-Length header is not a number.")
                response = JSONResponse(status_code=status,
                                        content={"error": {"status": status, "message": message, "details": []}})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
