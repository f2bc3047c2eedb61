from __future__ import annotations

import re
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.sse import EventSourceResponse, ServerSentEvent

from assistant.api.deps import AskedDep
from assistant.schemas import Answer

router = APIRouter(tags=["ask"])

# Where the answer text may be cut for streaming: after a clause or a sentence.
_PIECES = re.compile(r"[^，,；;。！？!?：:]*[，,；;。！？!?：:]?")


@router.post("/api/ask", response_model=Answer)
def ask(answer: AskedDep) -> Answer:
    """Answer a question from the reports, with the figure as printed and the paragraphs it comes from.

    Send `session_id` with every question of a conversation: a follow-up (“那2018年呢?”) is read
    against the previous one, and `understanding.question` shows it in full."""
    return answer


@router.post("/api/ask/stream", response_class=EventSourceResponse)
def ask_stream(answer: AskedDep) -> Iterator[ServerSentEvent]:
    """The same answer as server-sent events: `understanding`, then the text in `delta` pieces,
    then the whole `answer`, then `done`. A client that loses the stream can ask /api/ask."""
    yield ServerSentEvent(event="understanding", data={"id": answer.id, "understanding": answer.understanding.model_dump()})
    for piece in _PIECES.findall(answer.text):
        if piece:
            yield ServerSentEvent(event="delta", data={"text": piece})
    yield ServerSentEvent(event="answer", data=answer.model_dump(mode="json"))
    yield ServerSentEvent(event="done", data={})
