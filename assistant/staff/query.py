"""Filters over the question history → one SQL select, with every value a bound parameter
(text filters are LIKE patterns whose own % and _ are escaped: they match literally)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import Engine, Select, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from assistant.history.model import questions
from assistant.history.store import entry_from_row
from assistant.schemas import HistoryEntry

MAX_PER_PAGE = 200


class HistoryQuery(BaseModel):
    """Which questions to show: every filter is optional; dates are UTC days, both ends included."""

    q: str | None = Field(None, max_length=200, description="Text within the question (as asked or as answered).")
    date_from: date | None = Field(None, description="First day (UTC), YYYY-MM-DD.")
    date_to: date | None = Field(None, description="Last day (UTC), YYYY-MM-DD, included.")
    answered: bool | None = Field(None, description="true: answered only; false: refused only.")
    feedback: Literal["up", "down", "none", "any"] = Field("any", description="up / down: rated so; none: not rated.")
    report_id: str | None = Field(None, max_length=100, description="Answers citing this report.")
    agency: str | None = Field(None, max_length=100, description="Part of the agency's name the question was about.")
    year: int | None = Field(None, ge=1990, le=2100, description="Questions about this report year.")
    channel: Literal["api", "widget", "cli"] | None = None
    llm: Literal["any", "used", "accepted", "rejected", "failed", "unused"] = Field(
        "any", description="What the optional LLM did: used (asked at all), accepted, rejected by a check, failed, unused."
    )
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, data: Any) -> Any:
        # An HTML form sends every field, empty ones as "": they mean "no filter".
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data

    def filters(self, **changes: Any) -> dict[str, Any]:
        """The filters set (and paging away from the defaults), for links that keep the view."""
        values = {**self.model_dump(exclude_defaults=True), **changes}
        return {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in values.items() if v is not None}

    def query_string(self, **changes: Any) -> str:
        return urlencode(self.filters(**changes))


class HistoryPage(BaseModel):
    data: list[HistoryEntry]
    count: int = Field(description="Questions matching the filters, on all pages.")
    page: int
    per_page: int
    pages: int


def _contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own wildcards taken literally (escape '\\')."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def conditions(query: HistoryQuery) -> list[ColumnElement[bool]]:
    c = questions.c
    where: list[ColumnElement[bool]] = []
    if query.q and query.q.strip():
        pattern = _contains(query.q.strip())
        where.append(or_(c.question.ilike(pattern, escape="\\"), c.resolved_question.ilike(pattern, escape="\\")))
    if query.date_from:
        where.append(c.asked_at >= datetime.combine(query.date_from, time.min))
    if query.date_to:
        where.append(c.asked_at < datetime.combine(query.date_to + timedelta(days=1), time.min))
    if query.answered is not None:
        where.append(c.answered.is_(query.answered))
    if query.feedback == "none":
        where.append(c.feedback.is_(None))
    elif query.feedback in ("up", "down"):
        where.append(c.feedback == query.feedback)
    if query.report_id:
        # report_ids is ",id1,id2,": one whole id between commas
        where.append(c.report_ids.like(_contains("," + query.report_id.strip() + ","), escape="\\"))
    if query.agency and query.agency.strip():
        where.append(c.agency.ilike(_contains(query.agency.strip()), escape="\\"))
    if query.year is not None:
        where.append((literal(",") + c.years + literal(",")).like(f"%,{query.year},%"))
    if query.channel:
        where.append(c.channel == query.channel)
    if query.llm == "used":
        where.append(c.llm_outcome.is_not(None))
    elif query.llm == "unused":
        where.append(c.llm_outcome.is_(None))
    elif query.llm != "any":
        where.append(c.llm_outcome == query.llm)
    return where


def filtered(query: HistoryQuery, *columns: Any) -> Select:
    """A select of ``columns`` (default: the whole row) over the questions matching ``query``."""
    return select(*(columns or (questions,))).where(*conditions(query))


def newest_first(statement: Select) -> Select:
    return statement.order_by(questions.c.asked_at.desc(), questions.c.id)


def count(engine: Engine, query: HistoryQuery) -> int:
    with engine.connect() as conn:
        return conn.execute(filtered(query, func.count()).select_from(questions)).scalar_one()


def search(engine: Engine, query: HistoryQuery) -> HistoryPage:
    """One page of the questions matching ``query``, newest first, and how many match in all."""
    total = count(engine, query)
    statement = newest_first(filtered(query)).limit(query.per_page).offset((query.page - 1) * query.per_page)
    with engine.connect() as conn:
        data = [entry_from_row(row) for row in conn.execute(statement)]
    return HistoryPage(data=data, count=total, page=query.page, per_page=query.per_page,
                       pages=max(1, math.ceil(total / query.per_page)))


def entries(engine: Engine, query: HistoryQuery, limit: int) -> Iterator[HistoryEntry]:
    """Every question matching ``query`` (not only one page), newest first, at most ``limit``;
    read in batches so an export does not hold the whole history in memory."""
    statement = newest_first(filtered(query)).limit(limit)
    with engine.connect() as conn:
        for row in conn.execution_options(yield_per=500).execute(statement):
            yield entry_from_row(row)
