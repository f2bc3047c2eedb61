"""Chunks follow the section tree and never cut a sentence."""

import ingest
from ingest.chunk import CHUNK_MAX


def test_chunks_carry_identity_and_sections(seed_path):
    report = ingest.read_path(seed_path)
    request = next(c for c in report.chunks if "共收到依申请6件" in c.text)
    assert request.section_path == ("三、依申请公开工作情况",)
    assert request.context.startswith("河南省科学技术厅 2017年")
    assert "三、依申请公开工作情况" in request.context
    # A heading is merged into its body, never a chunk of its own.
    assert all(not all(report.paragraph(p).is_heading for p in c.paragraph_ids) for c in report.chunks)


def test_chunks_are_whole_paragraphs(corpus):
    for path in sorted((corpus / "real").glob("*.txt")) + [corpus / "seed" / "henan-kjt-2017.txt"]:
        report = ingest.read_path(path)
        covered = [p for c in report.chunks for p in c.paragraph_ids]
        assert covered == [p.id for p in report.paragraphs]  # every paragraph once, in order
        for chunk in report.chunks:
            assert chunk.text == "\n".join(report.paragraph(p).text for p in chunk.paragraph_ids)
            assert report.text[chunk.start : chunk.end] == chunk.text
            body = [report.paragraph(p) for p in chunk.paragraph_ids if not report.paragraph(p).is_heading]
            if len(chunk.paragraph_ids) > 1:
                assert len(chunk.text) <= CHUNK_MAX or len(body) == 1
