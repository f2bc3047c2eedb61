"""The question history: every question asked, its answer, and the public's feedback."""

from assistant.history.store import HistoryStore, entry_from_row

__all__ = ["HistoryStore", "entry_from_row"]
