"""Per-client rate limits for the public endpoints, over the `limits` library (the one slowapi
wraps): one limiter per app, configured from settings, so its storage (memory://, redis://…)
and limits follow the deployment rather than a module-level decorator."""

from __future__ import annotations

import math
import time

from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
                    f"Too many requests from this client: the limit is {limit}. Try again in {wait} s.",
                    retry_after=wait,
                )


class BodyLimit:
    """Refuses a request body over the limit (413 in the API's error shape) before the app reads
    it: by its Content-Length, or, for a chunked body, once the bytes received pass the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await self._refuse(scope, receive, send, 400, "The Content-Length header is not a number.")
            elif int(declared) > self.max_bytes:
                await self._refuse(scope, receive, send, 413, self._too_large())
            else:
                await self.app(scope, receive, send)
            return
        # No length declared: read what comes (a few KiB at most) and replay it to the app.
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await self._refuse(scope, receive, send, 413, self._too_large())
                return
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)

    def _too_large(self) -> str:
        return f"The request body is larger than {self.max_bytes} bytes; send one question of a few hundred characters."

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
        response = JSONResponse(status_code=status, content={"error": {"status": status, "message": message, "details": []}})
        await response(scope, receive, send)
