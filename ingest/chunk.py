"""Chunks along the section tree: whole paragraphs of one section, headings merged into their body.

Paragraphs are already cut at sentence ends (structure.PARAGRAPH_MAX), so a chunk made of whole
paragraphs never cuts a sentence or a table row, and stays well under the embedding model's
512-token window.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.model import Chunk, Paragraph, ReportMeta

CHUNK_MAX = 400


def report_label(meta: ReportMeta) -> str:
    """How a chunk names its report: agency and statistics year, so retrieval can tell reports apart."""
    return f"{meta.agency} {meta.year}年政府信息公开工作年度报告"


def make_chunks(paragraphs: Sequence[Paragraph], *, report_id: str, meta: ReportMeta) -> tuple[Chunk, ...]:
    groups: list[list[Paragraph]] = []
    current: list[Paragraph] = []
    for paragraph in paragraphs:
        new_section = bool(current) and paragraph.section_path != current[-1].section_path
        too_long = bool(current) and sum(len(p.text) for p in current) + len(paragraph.text) > CHUNK_MAX
        # A heading opens a new chunk; a heading alone is merged into the body that follows it.
        only_headings = all(p.is_heading for p in current)
        if current and (paragraph.is_heading and not only_headings or (new_section or too_long) and not only_headings):
            groups.append(current)
            current = []
        current.append(paragraph)
    if current:
        groups.append(current)

    label = report_label(meta)
    chunks = []
    for index, group in enumerate(groups):
        section_path = group[-1].section_path
        context = label + (" · " + " > ".join(section_path) if section_path else "")
        chunks.append(
            Chunk(
                id=f"{report_id}:c{index:03d}",
                report_id=report_id,
                index=index,
                text="\n".join(p.text for p in group),
                context=context,
                section_path=section_path,
                paragraph_ids=tuple(p.id for p in group),
                start=group[0].start,
                end=group[-1].end,
            )
        )
    return tuple(chunks)
