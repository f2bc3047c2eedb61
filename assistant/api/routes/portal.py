"""The sample portal page (/) with the chat widget embedded, and the widget itself (/widget.js)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

router = APIRouter(include_in_schema=False)

STATIC = Path(__file__).resolve().parents[1] / "static"

# The page runs no inline script and no inline style, so 'self' is all it needs; data: only for the
# empty favicon. connect-src 'self' is the API the widget talks to when served from here.
PORTAL_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
NOSNIFF = {"X-Content-Type-Options": "nosniff"}
# Portals embed /widget.js from here: revalidate (ETag) so they pick up a new version at once.
REVALIDATE = {"Cache-Control": "no-cache"}


@router.get("/")
def portal() -> FileResponse:
    return FileResponse(STATIC / "portal.html", media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": PORTAL_CSP, **NOSNIFF, **REVALIDATE})


@router.get("/portal.css")
def portal_css() -> FileResponse:
    return FileResponse(STATIC / "portal.css", media_type="text/css; charset=utf-8", headers={**NOSNIFF, **REVALIDATE})


@router.get("/widget.js")
def widget() -> FileResponse:
    return FileResponse(STATIC / "widget.js", media_type="text/javascript; charset=utf-8",
                        headers={**NOSNIFF, **REVALIDATE})
