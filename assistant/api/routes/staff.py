"""The staff console's pages: sign in and out, the question list with its filters, one question as
the public saw its answer, and the dashboard. Server-rendered (Jinja2, autoescaped), no script."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from assistant.api.deps import AssistantDep, HistoryDep
from assistant.api.staff_auth import (
    CSRF_FIELD,
    LOGIN_PATH,
    CsrfChecked,
    StaffPage,
    accounts,
    check_login_rate,
    cookie_session,
    end_session,
    safe_next,
    same_origin,
    start_session,
)
from assistant.errors import TooManyRequests
from assistant.schemas import Citation
from assistant.service import Assistant
from assistant.staff import charts
from assistant.staff.query import HistoryQuery, search
from assistant.staff.stats import history_stats
from ingest.standard import cell_label

router = APIRouter(include_in_schema=False)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined))
templates.env.filters["cell_label"] = cell_label

# Nothing but this site's stylesheet: no script at all, no frames, forms only to here.
STAFF_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
             "base-uri 'none'; frame-ancestors 'none'")
PAGE_HEADERS = {
    "Content-Security-Policy": STAFF_CSP,
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",  # what the public asked stays out of caches
    "Referrer-Policy": "same-origin",
}
Filters = Annotated[HistoryQuery, Query()]


def render(request: Request, name: str, context: dict[str, Any], status: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    return templates.TemplateResponse(request, f"staff/{name}", {"csrf_field": CSRF_FIELD, **context},
                                      status_code=status, headers={**PAGE_HEADERS, **(headers or {})})


def highlighted(citation: Citation) -> tuple[str, str, str]:
    """The paragraph split around its highlighted figure: (before, figure, after)."""
    if citation.highlight:
        start, end = citation.highlight
        return citation.text[:start], citation.text[start:end], citation.text[end:]
    return citation.text, "", ""


def _report_choices(assistant: Assistant) -> list[tuple[str, str]]:
    return sorted(((r.id, f"{r.meta.agency} {r.meta.year}") for r in assistant.shelf.entries), key=lambda c: c[1])


@router.get("/staff/staff.css")
def stylesheet() -> FileResponse:
    return FileResponse(TEMPLATES / "staff" / "staff.css", media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})


@router.get("/staff/login")
def login_form(request: Request, next: str | None = None) -> Response:
    session = cookie_session(request)
    if session is not None and not session.user.disabled:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "error": None, "username": ""})


@router.post("/staff/login")
def login(request: Request, username: Annotated[str, Form(max_length=200)] = "",
          password: Annotated[str, Form(max_length=1000)] = "", next: Annotated[str, Form(max_length=2000)] = "") -> Response:
    same_origin(request)  # no signing a victim in to an attacker's account from another site
    context = {"next": safe_next(next), "username": username}
    try:
        check_login_rate(request)
    except TooManyRequests as exc:
        return render(request, "login.html", {**context, "error": f"登录尝试过于频繁，请 {exc.retry_after} 秒后再试。"},
                      status=429, headers={"Retry-After": str(exc.retry_after)})
    user = accounts(request).authenticate(username.strip(), password)
    if user is None:
        return render(request, "login.html", {**context, "error": "用户名或密码不正确。"}, status=401)
    if user.disabled:
        return render(request, "login.html", {**context, "error": "该账户已停用，请联系管理员。"}, status=403)
    response = RedirectResponse(safe_next(next), status_code=303)
    start_session(request, response, user)
    return response


@router.post("/staff/logout")
def logout(_: CsrfChecked) -> Response:
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    end_session(response)
    return response


@router.get("/staff")
def question_list(request: Request, session: StaffPage, query: Filters, history: HistoryDep,
                  assistant: AssistantDep) -> HTMLResponse:
    return render(request, "list.html", {
        "session": session, "query": query, "page": search(history.engine, query),
        "reports": _report_choices(assistant), "active": "list",
    })


@router.get("/staff/q/{entry_id}")
def question_page(request: Request, entry_id: str, session: StaffPage, history: HistoryDep) -> HTMLResponse:
    entry = history.get(entry_id)
    return render(request, "entry.html", {"session": session, "entry": entry, "highlighted": highlighted,
                                          "active": "list"}, status=200 if entry else 404)


@router.get("/staff/dashboard")
def dashboard(request: Request, session: StaffPage, query: Filters, history: HistoryDep,
              assistant: AssistantDep) -> HTMLResponse:
    stats = history_stats(history.engine, query)
    return render(request, "dashboard.html", {
        "session": session, "query": query, "stats": stats, "reports": _report_choices(assistant), "active": "dashboard",
        "days": charts.day_columns(stats.per_day),
        "rate": charts.rate_bar(stats.answered, stats.total),
        "topics": charts.ranked_rows(stats.top_topics),
        "metrics": charts.ranked_rows(stats.top_metrics),
        "agencies": charts.ranked_rows(stats.top_agencies),
    })
