from __future__ import annotations

from fastapi import APIRouter

from assistant.api.deps import AssistantDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(assistant: AssistantDep) -> dict:
    """Liveness and what is loaded."""
    return {
        "status": "ok",
        "reports": len(assistant.shelf),
        "chunks_in_vector_store": assistant.vectors.count(),
        "embedding_model": assistant.embedder.name,
    }
