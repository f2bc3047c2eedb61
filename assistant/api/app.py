"""The FastAPI application: models and indexes load once, in the lifespan; one JSON error shape."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.api import staff_auth
from assistant.api.limits import BodyLimit, RateLimiter
from assistant.api.routes import ask, feedback, health, portal, reports, staff
from assistant.api.routes import history as history_api  # create_app has a `history` argument
from assistant.config import Settings, get_settings
from assistant.errors import AssistantError, StoreUnavailable, TooManyRequests
from assistant.history import HistoryStore
from assistant.outages import CONNECTION_ERRORS, RETRY_AFTER_SECONDS, unavailable
from assistant.service import Assistant

log = logging.getLogger(__name__)


def error_body(status: int, message: str, details: list | None = None, headers: dict | None = None) -> JSONResponse:
    """The one error shape: {"error": {"status", "message", "details"}}."""
    return JSONResponse(status_code=status, headers=headers,
                        content={"error": {"status": status, "message": message, "details": details or []}})


def create_app(settings: Settings | None = None, *, assistant: Assistant | None = None,
               history: HistoryStore | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.assistant = assistant or Assistant(settings)
        app.state.history = history or HistoryStore.open(settings.history_database_url, settings.secret())
        yield

    app = FastAPI(
        title="政府信息公开年报问答 · disclosure-report assistant",
        description="Exact, cited answers from Chinese government information-disclosure annual reports.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.limiter = RateLimiter(settings.rate_limit, settings.rate_limit_storage)
    app.state.login_limiter = staff_auth.login_limiter(settings)
    app.state.staff_sessions = staff_auth.session_serializer(settings)
    if assistant is not None:
        app.state.assistant = assistant
    if history is not None:
        app.state.history = history
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        # The widget runs on the agencies' portals: only their origins may call the API from a browser.
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type"], max_age=600)

    served_by = str(os.getpid())  # which process answered, under `nianbao serve --workers N`

    @app.middleware("http")
    async def _common_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers["X-Served-By"] = served_by
        return response

    @app.exception_handler(AssistantError)
    async def _assistant_error(_: Request, exc: AssistantError) -> JSONResponse:
        details = [{"field": exc.field, "problem": str(exc)}] if exc.field else []
        response = error_body(exc.status, str(exc), details)
        if isinstance(exc, TooManyRequests):
            response.headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, StoreUnavailable):
            log.warning("%s (%r)", exc, exc.__cause__)
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    async def _store_down(request: Request, exc: Exception) -> JSONResponse:
        # A stopped Chroma server, database or Redis outside the ask path (health, reports, staff).
        outage = unavailable(exc)
        assert outage is not None  # registered for CONNECTION_ERRORS only
        outage.__cause__ = exc
        return await _assistant_error(request, outage)

    for error in CONNECTION_ERRORS:
        app.add_exception_handler(error, _store_down)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # A problem with the body as a whole (not an object, missing, not JSON) is about the field "body".
        details = [
            {
                "field": "body" if e.get("type") == "json_invalid"
                else ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body",
                "problem": e.get("msg", ""),
            }
            for e in exc.errors()
        ]
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return error_body(400, "The request body is not valid JSON; send {\"question\": \"…\"}.", details)
        return error_body(422, "The request is not valid: " + "; ".join(f"{d['field']}: {d['problem']}" for d in details), details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_body(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_body(500, "Something went wrong on our side; the error is logged. Please try again.")

    for module in (ask, feedback, reports, health, portal, history_api, staff):
        app.include_router(module.router)
    return app
