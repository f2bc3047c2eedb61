"""The disclosure-report assistant: index reports, answer questions with cited figures."""

from __future__ import annotations

from sqlalchemy import Engine

from assistant.config import Settings, get_settings
from assistant.store import catalog


def catalog_engine(settings: Settings) -> Engine:
    return catalog.connect(settings.catalog_url)


__all__ = ["Settings", "catalog_engine", "get_settings"]
