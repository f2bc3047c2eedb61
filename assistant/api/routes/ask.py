from __future__ import annotations

from fastapi import APIRouter

from assistant.api.deps import AssistantDep
from assistant.schemas import Answer, AskRequest

router = APIRouter(tags=["ask"])


@router.post("/api/ask", response_model=Answer)
def ask(body: AskRequest, assistant: AssistantDep) -> Answer:
    """Answer a question from the reports, with the figure as printed and the paragraphs it comes from."""
    return assistant.ask(body.question, body.filters)
