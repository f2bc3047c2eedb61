"""The question history for staff (API token or console session): search, one entry, statistics, export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response, StreamingResponse

from assistant.api.deps import HistoryDep
from assistant.api.staff_auth import staff_api
from assistant.errors import NotFound
from assistant.history.store import utcnow
from assistant.schemas import HistoryEntry
from assistant.staff.export import MAX_EXPORT_ROWS, csv_lines, xlsx_bytes
from assistant.staff.query import HistoryPage, HistoryQuery, count, entries, search
from assistant.staff.stats import HistoryStats, history_stats

router = APIRouter(prefix="/api/history", tags=["history (staff)"], dependencies=[Depends(staff_api)])

Filters = Annotated[HistoryQuery, Query()]
NO_STORE = {"Cache-Control": "no-store"}  # what the public asked stays out of shared caches


@router.get("", response_model=HistoryPage)
def list_history(query: Filters, history: HistoryDep, response: Response) -> HistoryPage:
    """Questions matching the filters, newest first, a page at a time (`count` is the total)."""
    response.headers.update(NO_STORE)
    return search(history.engine, query)


@router.get("/stats", response_model=HistoryStats)
def stats(query: Filters, history: HistoryDep, response: Response) -> HistoryStats:
    """Questions per day, answer rate, top topics, metrics and agencies, the most frequent refused
    questions and the newest negative feedback, over the questions matching the filters (paging ignored)."""
    response.headers.update(NO_STORE)
    return history_stats(history.engine, query)


@router.get("/export")
def export(query: Filters, history: HistoryDep,
           format: Annotated[Literal["csv", "xlsx"], Query(description="csv (UTF-8 with BOM) or xlsx")] = "csv") -> Response:
    """Every question matching the filters (not only one page; the newest 50,000 at most) as a file.
    `X-Total-Count` says how many matched."""
    total = count(history.engine, query)
    rows = entries(history.engine, query, MAX_EXPORT_ROWS)
    name = f"nianbao-history-{utcnow():%Y%m%d-%H%M%S}.{format}"
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"', "X-Total-Count": str(total)}
    if format == "xlsx":
        return Response(xlsx_bytes(rows), headers=headers,
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    lines: Iterator[str] = csv_lines(rows)
    return StreamingResponse(lines, headers=headers, media_type="text/csv; charset=utf-8")


@router.get("/{entry_id}", response_model=HistoryEntry)
def get_entry(entry_id: str, history: HistoryDep, response: Response) -> HistoryEntry:
    """One question with the whole answer as the public saw it (`answer`)."""
    entry = history.get(entry_id)
    if entry is None:
        raise NotFound(f"No question with id {entry_id}; GET /api/history lists them.")
    response.headers.update(NO_STORE)
    return entry
