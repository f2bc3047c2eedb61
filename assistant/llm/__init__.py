"""The optional LLM (unset by default): a second reader of figure questions the matcher is unsure
of, and a writer of short passage answers — every figure from the figure store, every text checked
against the passages it cites before anyone sees it."""

from assistant.llm.review import ModelReview

__all__ = ["ModelReview"]
