"""Errors of the assistant, each with a status for the API and a message that says what to do.

AssistantError
├── QuestionInvalid        (422) empty, too long or malformed question
├── ReportNotFound         (404) no report with that id
├── NotFound               (404) no such history entry
├── TooManyRequests        (429) a client past the rate limit (with the seconds to wait)
└── StoreUnavailable       (503) the catalog or the vector store cannot be reached
"""

from __future__ import annotations


class AssistantError(Exception):
    status = 500

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field  # the request field at fault, for the API's error details


class QuestionInvalid(AssistantError):
    status = 422


class ReportNotFound(AssistantError):
    status = 404


class StoreUnavailable(AssistantError):
    status = 503


class NotFound(AssistantError):
    status = 404


class TooManyRequests(AssistantError):
    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
