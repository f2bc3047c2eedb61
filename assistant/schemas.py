"""The types of an answer: what the API returns, the CLI prints, the history keeps and the eval reads."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class Citation(BaseModel):
    """One paragraph an answer rests on, precisely enough to show it."""

    report_id: str
    agency: str
    year: int
    title: str
    section_path: list[str]
    paragraph_id: str
    text: str
    start: int = Field(description="Offset of the paragraph in the report's normalised text.")
    end: int
    highlight: list[int] | None = Field(None, description="[start, end] of the figure within the paragraph text.")
    ocr: bool = Field(False, description="The paragraph was read by OCR from an image: a figure may be misread.")


class FigureAnswer(BaseModel):
    """A figure as the report prints it, and what it means."""

    as_printed: str
    value: str = Field(description="Normalised value, as a decimal string.")
    unit: str
    qualifier: str = Field("", description="多 / 余 / 超过 / 约 …: the report gives an approximation.")
    label: str = Field("", description="The clause that says what the figure counts.")
    report_id: str
    year: int
    paragraph_id: str
    table: str | None = Field(None, description="For a table cell: the table, its row and its column.")
    row: str | None = None
    column: str | None = None
    ocr: bool = Field(False, description="Read by OCR from an image (a scan): check it against the original.")


class ReportRef(BaseModel):
    id: str
    agency: str
    year: int
    title: str


class Understanding(BaseModel):
    """How the question was read."""

    intent: Literal["figure", "yesno", "passage"]
    mode: Literal["single", "series", "compare", "extreme"] = "single"
    metric: list[str] = Field(default_factory=list, description="Standard-table cells the question asks for.")
    years: list[int] = []
    agency: str | None = None
    unknown_agency: str | None = None
    unit: str | None = None
    terms: list[str] = []
    question: str | None = Field(
        None, description="A follow-up as it was answered, completed from the previous question of the session."
    )


class ModelUse(BaseModel):
    """What the optional LLM did for an answer. Its pick or its text is used only when ``outcome`` is
    ``accepted``; otherwise the answer is the extractive one and ``reason`` says why."""

    task: Literal["choose", "passage"] = Field(
        description="choose: pick the figure among the matcher's candidates; passage: write a short answer from cited sentences."
    )
    outcome: Literal["accepted", "rejected", "failed"] = Field(
        description="accepted: used; rejected: failed the grounding or scope check; failed: timeout, error or malformed output."
    )
    reason: str = ""
    model: str = ""


class Answer(BaseModel):
    id: str | None = Field(None, description="The question's id in the history: send it back with feedback.")
    question: str
    answered: bool
    text: str
    figures: list[FigureAnswer] = []
    citations: list[Citation] = []
    report: ReportRef | None = None
    confidence: float = Field(ge=0, le=1)
    understanding: Understanding
    nearest: list[Citation] = Field(default_factory=list, description="Nearest passages, shown with a refusal.")
    llm: ModelUse | None = Field(None, description="What the optional LLM did; absent when it was not asked.")
    latency_ms: float = 0.0


class AskFilters(BaseModel):
    model_config = {"extra": "forbid"}

    year: int | None = Field(None, ge=1990, le=2100)
    agency: str | None = Field(None, max_length=100)
    report_id: str | None = Field(None, max_length=100)


class AskRequest(BaseModel):
    model_config = {"extra": "forbid"}

    # The length limit is the max_question_chars setting, checked by the service; this cap only
    # keeps absurd bodies out before they are parsed further.
    question: str = Field(min_length=1, max_length=20_000)
    filters: AskFilters | None = None
    session_id: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="The conversation: follow-ups (“那2018年呢?”) are read against its previous question.",
    )
    channel: Literal["api", "widget"] = "api"


class CitedParagraph(BaseModel):
    report_id: str
    paragraph_id: str


class HistoryEntry(BaseModel):
    """One question as the history keeps it (times in UTC)."""

    id: str
    asked_at: datetime
    session: str | None
    channel: Literal["api", "widget", "cli"]
    client_hash: str | None = Field(None, description="Salted hash of the client; never its address.")
    question: str
    resolved_question: str | None = Field(None, description="A follow-up, as it was answered.")
    intent: str
    mode: str
    agency: str | None
    years: list[int]
    metric: list[str]
    answered: bool
    answer_text: str
    report_ids: list[str]
    citations: list[CitedParagraph]
    confidence: float
    latency_ms: float
    feedback: Literal["up", "down"] | None = None
    feedback_comment: str | None = None
    feedback_at: datetime | None = None
    llm_outcome: Literal["accepted", "rejected", "failed"] | None = Field(
        None, description="What the optional LLM did for this answer (none: it was not asked)."
    )
    llm_reason: str | None = None
    answer: Answer | None = Field(None, description="The whole answer as the public saw it (one entry only).")


class FeedbackRequest(BaseModel):
    model_config = {"extra": "forbid"}

    answer_id: str = Field(min_length=1, max_length=64)
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=1000)
