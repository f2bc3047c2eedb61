"""The types of an answer: what the API returns, the CLI prints, the history keeps and the eval reads."""

from __future__ import annotations

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


class Answer(BaseModel):
    question: str
    answered: bool
    text: str
    figures: list[FigureAnswer] = []
    citations: list[Citation] = []
    report: ReportRef | None = None
    confidence: float = Field(ge=0, le=1)
    understanding: Understanding
    nearest: list[Citation] = Field(default_factory=list, description="Nearest passages, shown with a refusal.")
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
