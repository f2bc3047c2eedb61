from __future__ import annotations

from fastapi import APIRouter

from assistant.api.deps import HistoryDep, RateLimited
from assistant.errors import NotFound
from assistant.schemas import FeedbackRequest

router = APIRouter(tags=["ask"])


@router.post("/api/feedback", dependencies=[RateLimited])
def feedback(body: FeedbackRequest, history: HistoryDep) -> dict[str, bool]:
    """Thumbs up or down on an answer (its `id`), with an optional comment; the latest counts."""
    if not history.add_feedback(body.answer_id, body.rating, body.comment):
        raise NotFound(f"No answer with id {body.answer_id}: send the `id` of an answer from /api/ask.",
                       field="answer_id")
    return {"ok": True}
