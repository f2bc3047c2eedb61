"""What the history says over a filtered view: questions per day, the answer rate, the topics,
metrics and agencies most asked about, the questions most often refused (the gaps in what is
disclosed), and the answers the public marked wrong."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date, datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import Engine, case, func

from assistant.history.model import questions
from assistant.staff.query import HistoryQuery, filtered, newest_first
from assistant.understanding.parse import concepts_in
from ingest.standard import cell_label

TOP = 10
MAX_DAYS = 366  # the per-day series covers at most the last year of the view
SCAN_LIMIT = 100_000  # topics and refused questions are counted over the newest questions up to this


class DayCount(BaseModel):
    day: date
    total: int
    answered: int


class CountItem(BaseModel):
    name: str
    count: int
    label: str | None = Field(None, description="How people read the name (a table cell's row and column).")


class UnansweredQuestion(BaseModel):
    question: str = Field(description="The latest wording of the question (a follow-up as it was answered).")
    count: int
    last_asked: datetime


class NegativeFeedback(BaseModel):
    id: str
    asked_at: datetime
    question: str
    answer_text: str
    comment: str | None


class HistoryStats(BaseModel):
    total: int
    answered: int
    refused: int
    answer_rate: float | None = Field(description="answered / total; null when nothing matches.")
    feedback_up: int
    feedback_down: int
    per_day: list[DayCount] = Field(description="Every day from the first to the last question (UTC), zeros included.")
    top_topics: list[CountItem]
    top_metrics: list[CountItem] = Field(description="Standard-table cells asked for.")
    top_agencies: list[CountItem]
    top_unanswered: list[UnansweredQuestion] = Field(description="Refused questions, grouped by their normalised text.")
    negative_feedback: list[NegativeFeedback] = Field(description="The newest answers rated down.")


_PUNCTUATION = re.compile(r"[\s?？!！。.,，、;；:：\"'“”‘’]+")


def normalised(question: str) -> str:
    """The same question however it is typed: width, case, spaces and punctuation ignored."""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", question)).lower()


def _per_day(rows: list, last_days: int = MAX_DAYS) -> list[DayCount]:  # type: ignore[type-arg]
    counts = {date.fromisoformat(str(day)[:10]): (total, answered) for day, total, answered in rows}
    if not counts:
        return []
    first, last = min(counts), max(counts)
    first = max(first, last - timedelta(days=last_days - 1))
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    return [DayCount(day=d, total=counts.get(d, (0, 0))[0], answered=counts.get(d, (0, 0))[1]) for d in days]


def _top(counter: Counter[str]) -> list[CountItem]:
    return [CountItem(name=name, count=n) for name, n in counter.most_common(TOP)]


def history_stats(engine: Engine, query: HistoryQuery) -> HistoryStats:
    c = questions.c
    answered_sum = func.sum(case((c.answered.is_(True), 1), else_=0))
    with engine.connect() as conn:
        totals = conn.execute(filtered(
            query, func.count(), answered_sum,
            func.sum(case((c.feedback == "up", 1), else_=0)), func.sum(case((c.feedback == "down", 1), else_=0)),
        ).select_from(questions)).one()
        day = func.date(c.asked_at)
        days = conn.execute(filtered(query, day, func.count(), answered_sum).group_by(day)).all()
        agencies = conn.execute(
            filtered(query, c.agency, func.count()).where(c.agency.is_not(None))
            .group_by(c.agency).order_by(func.count().desc(), c.agency).limit(TOP)
        ).all()
        scanned = conn.execute(
            newest_first(filtered(query, c.question, c.resolved_question, c.metric, c.answered, c.asked_at)).limit(SCAN_LIMIT)
        ).all()
        negative = conn.execute(
            newest_first(filtered(query, c.id, c.asked_at, c.question, c.answer_text, c.feedback_comment)
                         .where(c.feedback == "down")).limit(TOP * 2)
        ).all()

    topics: Counter[str] = Counter()
    metrics: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    wording: dict[str, tuple[str, datetime]] = {}  # normalised → (latest wording, latest time)
    for row in scanned:
        topics.update(concepts_in(row.resolved_question or row.question))
        metrics.update(m for m in row.metric.split("|") if m)
        if not row.answered:
            asked = row.resolved_question or row.question  # a follow-up in full: “那2018年呢?” says nothing alone
            key = normalised(asked)
            refused[key] += 1
            wording.setdefault(key, (asked, row.asked_at))  # newest first: the first seen is the latest

    total, answered, up, down = totals[0], totals[1] or 0, totals[2] or 0, totals[3] or 0
    return HistoryStats(
        total=total,
        answered=answered,
        refused=total - answered,
        answer_rate=answered / total if total else None,
        feedback_up=up,
        feedback_down=down,
        per_day=_per_day(days),
        top_topics=_top(topics),
        top_metrics=[item.model_copy(update={"label": cell_label(item.name)}) for item in _top(metrics)],
        top_agencies=[CountItem(name=name, count=n) for name, n in agencies],
        top_unanswered=[UnansweredQuestion(question=wording[key][0], count=n, last_asked=wording[key][1])
                        for key, n in refused.most_common(TOP)],
        negative_feedback=[NegativeFeedback(id=r.id, asked_at=r.asked_at, question=r.question, answer_text=r.answer_text,
                                            comment=r.feedback_comment) for r in negative],
    )
