from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from assistant.api.deps import AssistantDep
from assistant.errors import ReportNotFound

router = APIRouter(tags=["reports"])


class ReportSummary(BaseModel):
    id: str
    agency: str
    year: int
    title: str
    published: str
    source: str
    aliases: list[str]
    paragraphs: int
    figures: int
    chunks: int


class ParagraphPublic(BaseModel):
    id: str
    index: int
    text: str
    start: int
    end: int
    section_path: list[str]
    is_heading: bool


class ReportDetail(ReportSummary):
    paragraph_list: list[ParagraphPublic]


class ReportsPublic(BaseModel):
    data: list[ReportSummary]
    count: int


def _summary(report) -> dict:  # type: ignore[no-untyped-def]
    meta = report.meta
    return dict(
        id=report.id,
        agency=meta.agency,
        year=meta.year,
        title=meta.title,
        published=meta.published,
        source=meta.source,
        aliases=list(meta.aliases),
        paragraphs=len(report.paragraphs),
        figures=len(report.figures),
        chunks=len(report.chunks),
    )


@router.get("/api/reports", response_model=ReportsPublic)
def list_reports(assistant: AssistantDep) -> ReportsPublic:
    """Every ingested report."""
    data = [ReportSummary(**_summary(r)) for r in assistant.reports]
    return ReportsPublic(data=data, count=len(data))


@router.get("/api/reports/{report_id}", response_model=ReportDetail)
def get_report(report_id: str, assistant: AssistantDep) -> ReportDetail:
    """One report with its paragraphs, for showing a citation in context."""
    for report in assistant.reports:
        if report.id == report_id:
            paragraphs = [
                ParagraphPublic(
                    id=p.id, index=p.index, text=p.text, start=p.start, end=p.end,
                    section_path=list(p.section_path), is_heading=p.is_heading,
                )
                for p in report.paragraphs
            ]
            return ReportDetail(**_summary(report), paragraph_list=paragraphs)
    raise ReportNotFound(f"No report has the id {report_id!r}; GET /api/reports lists them.")
