from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from assistant.api.deps import AssistantDep
from assistant.errors import ReportNotFound
from ingest.model import ReportMeta

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


def _summary(report_id: str, meta: ReportMeta, counts: tuple[int, int, int]) -> dict:
    paragraphs, figures, chunks = counts
    return {"id": report_id, "agency": meta.agency, "year": meta.year, "title": meta.title, "published": meta.published,
            "source": meta.source, "aliases": list(meta.aliases), "paragraphs": paragraphs, "figures": figures,
            "chunks": chunks}


@router.get("/api/reports", response_model=ReportsPublic)
def list_reports(assistant: AssistantDep) -> ReportsPublic:
    """Every ingested report."""
    counts = assistant.part_counts()
    data = [ReportSummary(**_summary(e.id, e.meta, counts.get(e.id, (0, 0, 0)))) for e in assistant.shelf.entries]
    return ReportsPublic(data=data, count=len(data))


@router.get("/api/reports/{report_id}", response_model=ReportDetail)
def get_report(report_id: str, assistant: AssistantDep) -> ReportDetail:
    """One report with its paragraphs, for showing a citation in context."""
    report = assistant.shelf.get(report_id)
    if report is None:
        raise ReportNotFound(f"No report has the id {report_id!r}; GET /api/reports lists them.")
    paragraphs = [
        ParagraphPublic(
            id=p.id, index=p.index, text=p.text, start=p.start, end=p.end,
            section_path=list(p.section_path), is_heading=p.is_heading,
        )
        for p in report.paragraphs
    ]
    counts = (len(report.paragraphs), len(report.figures), len(report.chunks))
    return ReportDetail(**_summary(report.id, report.meta, counts), paragraph_list=paragraphs)
