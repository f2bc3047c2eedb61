"""Dependencies of the routes: the one Assistant and HistoryStore built at start-up, the client,
the rate limit, and a question answered and recorded."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import Depends, Request

from assistant.api.limits import RateLimiter
from assistant.config import Settings
from assistant.history import HistoryStore
from assistant.outages import reaching, unavailable
from assistant.schemas import Answer, AskRequest
from assistant.service import Assistant

log = logging.getLogger(__name__)


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant


def get_history(request: Request) -> HistoryStore:
    return request.app.state.history


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


AssistantDep = Annotated[Assistant, Depends(get_assistant)]
HistoryDep = Annotated[HistoryStore, Depends(get_history)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def rate_limited(request: Request) -> None:
    """Count the request against its client's limit (429 with Retry-After past it)."""
    limiter: RateLimiter = request.app.state.limiter
    limiter.check(client_address(request))


RateLimited = Depends(rate_limited)


def asked(request: Request, body: AskRequest, assistant: AssistantDep, history: HistoryDep,
          _: None = RateLimited) -> Answer:
    """The question answered (a follow-up read against the session's previous one) and recorded."""
    client = client_address(request)
    with reaching("the question history's database"):
        previous = history.previous_question(body.session_id, client) if body.session_id else None
    with reaching("the report catalog's database"):
        answer = assistant.ask(body.question, body.filters, previous=previous)
    try:
        history.record(answer, channel=body.channel, session=body.session_id, client=client)
    except Exception as exc:
        if outage := unavailable(exc, database="the question history's database"):
            raise outage from exc  # a 503 to retry, rather than an answer that no history row records
        # Any other failure: the public still gets its answer; the lost record is logged for the staff.
        log.exception("could not record the question in the history")
        answer.id = None
    return answer


AskedDep = Annotated[Answer, Depends(asked)]
