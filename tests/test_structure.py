"""Headings, sections and paragraphs on the real reports."""

from pathlib import Path

from ingest.figures import prose_figures
from ingest.structure import PARAGRAPH_MAX, build_structure


def _body_blocks(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if "==================== 正文" in text:
        text = text.split("==================== 正文 ====================", 1)[1]
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_seed_sections_and_offsets(seed_path):
    text, paragraphs, sections = build_structure(_body_blocks(seed_path), report_id="r")
    headings = [s.path[-1] for s in sections]
    assert "三、依申请公开工作情况" in headings
    assert "(二)门户网站政府信息公开专栏公开情况" in headings
    for p in paragraphs:
        assert text[p.start : p.end] == p.text
    request = next(p for p in paragraphs if "共收到依申请6件" in p.text)
    assert request.section_path == ("三、依申请公开工作情况",)
    assert request.id == "r:p%03d" % request.index


def test_inline_headings_of_one_line_bodies(corpus):
    _, paragraphs, sections = build_structure(_body_blocks(corpus / "real" / "2016-pingtan.txt"), report_id="r")
    headings = [s.path[-1] for s in sections]
    for expected in ("二、主动公开政府信息情况", "（一）主动公开政府信息的数量", "三、政府信息依申请公开工作情况",
                     "四、政府信息公开的收费及减免情况", "六、主要问题和改进措施"):
        assert expected in headings
    assert all(len(p.text) <= PARAGRAPH_MAX for p in paragraphs if not p.is_heading)
    nested = next(p for p in paragraphs if "主动公开政府信息3460条" in p.text)
    assert nested.section_path == ("二、主动公开政府信息情况", "（一）主动公开政府信息的数量")


def test_long_paragraphs_split_at_sentence_ends(corpus):
    _, paragraphs, _ = build_structure(_body_blocks(corpus / "real" / "2021-pingtan.txt"), report_id="r")
    body = [p for p in paragraphs if not p.is_heading and len(p.text) > 60]
    assert body
    assert sum(p.text.endswith(("。", "！", "？", "；")) for p in body) / len(body) > 0.6


def test_ids_are_stable(seed_path):
    first = build_structure(_body_blocks(seed_path), report_id="r")[1]
    again = build_structure(_body_blocks(seed_path), report_id="r")[1]
    assert [(p.id, p.text) for p in first] == [(p.id, p.text) for p in again]


def test_figures_carry_their_clause(seed_path):
    text, paragraphs, _ = build_structure(_body_blocks(seed_path), report_id="r")
    figures = {f.as_printed: f for f in prose_figures(paragraphs)}
    assert figures["6件"].context == "共收到依申请6件"
    assert figures["9条"].context == "其中规范性文件9条"
    assert figures["40条"].context == "法规政策40条"
    zero = figures["未收到信息公开行政复议申请"]
    assert zero.value == 0 and zero.unit == "件"
    fees = next(f for f in figures.values() if "收取任何费用" in f.as_printed)
    assert fees.value == 0 and fees.unit == "元"
    for figure in figures.values():
        assert text[figure.start : figure.end] == figure.as_printed
