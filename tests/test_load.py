"""ingest.load: decoding, the five formats, page facts, and the real corpus' archive headers."""

from __future__ import annotations

import importlib.util
import io
import random
import re
import zipfile
from pathlib import Path

import docx
import pytest

from ingest.errors import (
    SUPPORTED_SUFFIXES,
    EmptyDocument,
    IngestError,
    UnreadableDocument,
    UnsupportedFormat,
)
from ingest.load import LoadedDocument, decode_text, load_bytes, load_path
from ingest.model import Table

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
# `corpus` (the real corpus, from CORPUS_DIR or ../shared/corpus; skips when absent) is in conftest.py


# --- decode_text --------------------------------------------------------------------------------

SHORT = "未收取任何费用。"  # charset-normalizer alone reads its GBK bytes as cp949
LONG = "2017年，科技厅门户网站共主动发布各类信息1300条，收到依申请6件，已全部及时答复。" * 20


@pytest.mark.parametrize("text", [SHORT, LONG, "plain ASCII report 2017"])
def test_decode_utf8(text: str) -> None:
    assert decode_text(text.encode("utf-8")) == text


@pytest.mark.parametrize("text", [SHORT, LONG])
def test_decode_utf8_with_bom(text: str) -> None:
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
@pytest.mark.parametrize("text", [SHORT, "共收到申请6件", LONG])
def test_decode_gbk_and_gb18030(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)) == text


def test_decode_utf16_with_bom() -> None:
    assert decode_text(SHORT.encode("utf-16")) == SHORT


def test_decode_rejects_nul_bytes() -> None:
    with pytest.raises(UnreadableDocument, match="NUL"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_decode_rejects_garbage() -> None:
    rng = random.Random(2017)
    garbage = bytes(rng.randrange(1, 256) for _ in range(4000))
    with pytest.raises(UnreadableDocument):
        decode_text(garbage)


# --- errors and dispatch ------------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["report.rtf", "report.odt", "report"])
def test_unsupported_suffix(filename: str) -> None:
    with pytest.raises(UnsupportedFormat) as caught:
        load_bytes(b"whatever", filename=filename)
    message = str(caught.value)
    assert caught.value.suffix == Path(filename).suffix
    assert filename in message
    assert all(suffix in message for suffix in SUPPORTED_SUFFIXES)
    assert isinstance(caught.value, IngestError)


def test_unsupported_rtf_says_how_to_convert() -> None:
    with pytest.raises(UnsupportedFormat, match="save it as .docx"):
        load_bytes(b"", filename="a.rtf")


def test_suffix_is_case_insensitive() -> None:
    assert load_bytes("报告正文".encode(), filename="A.TXT").blocks == ("报告正文",)


@pytest.mark.parametrize("data", [b"", b"  \n\r\n \xe3\x80\x80 \n"])
def test_empty_text_is_empty_document(data: bytes) -> None:
    with pytest.raises(EmptyDocument):
        load_bytes(data, filename="empty.txt")


def test_binary_txt_names_the_file() -> None:
    with pytest.raises(UnreadableDocument, match="scan.txt"):
        load_bytes(b"\x00\x01\x02binary", filename="scan.txt")


def test_load_path(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes("一、概述\n\n  共收到申请6件。  \n".encode("gbk"))
    document = load_path(path)
    assert isinstance(document, LoadedDocument)
    assert document.blocks == ("一、概述", "共收到申请6件。")


# --- .txt ---------------------------------------------------------------------------------------

SEED_LIKE = (
    "某市某局2017年政府信息公开工作年度报告\n\n"
    "某市人民政府门户网站 www.example.gov 时间:2018-03-27 10:44 来源:某市某局\n\n"
    "  一、概述\n\n  2017年共收到依申请6件，已全部答复。\n\n责任编辑:张三\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_txt_seed_like_page_facts(encoding: str) -> None:
    document = load_bytes(SEED_LIKE.encode(encoding), filename="r.txt")
    assert document.blocks[0] == "某市某局2017年政府信息公开工作年度报告"
    assert document.blocks[2:4] == ("一、概述", "2017年共收到依申请6件，已全部答复。")
    assert document.title == "某市某局2017年政府信息公开工作年度报告"
    assert document.published == "2018-03-27"
    assert document.publisher == "某市某局"
    assert document.source == ""
    assert document.tables == ()


def test_txt_whitespace_collapsed() -> None:
    document = load_bytes("标题\n  共收到\t申请\u3000 6件。 \n".encode(), filename="r.txt")
    assert document.blocks == ("标题", "共收到 申请 6件。")


def test_seed_report(corpus: Path) -> None:
    document = load_path(corpus / "seed" / "henan-kjt-2017.txt")
    assert document.title == "河南省科学技术厅2017年政府信息公开工作年度报告"
    assert document.published == "2018-03-27"
    assert document.publisher == "河南省科学技术厅"
    assert "一、2017年度工作情况" in document.blocks
    assert document.blocks[-1] == "相关阅读:"  # boilerplate is left to strip_boilerplate


REAL_HEADERS = {
    "2012-pingtan-county.txt": (
        "平潭县人民政府2012年政府信息公开工作年度报告",
        "2013-01-17",
        "平潭县人民政府",
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201301/t20130117_80725.htm",
    ),
    "2016-pingtan.txt": (
        "平潭综合实验区2016年度政府信息公开工作年度报告",
        "2017-01-18",
        "",  # the header's 发布机构 is empty and the body states no 来源
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201701/t20170118_80485.htm",
    ),
    "2021-pingtan.txt": (
        "平潭综合实验区2021年度政府信息公开工作年度报告",
        "2022-02-08",
        "平潭县人民政府",  # header empty: from the body's "来源：平潭县人民政府"
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202202/t20220208_80613.htm",
    ),
    "2023-pingtan.txt": (
        "平潭综合实验区2023年度政府信息公开工作年度报告",
        "2024-03-08",
        "平潭综合实验区管委会办公室",
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202403/t20240308_87885.htm",
    ),
}


@pytest.mark.parametrize("name", sorted(REAL_HEADERS))
def test_real_archive_header(corpus: Path, name: str) -> None:
    document = load_path(corpus / "real" / name)
    title, published, publisher, source = REAL_HEADERS[name]
    assert (document.title, document.published, document.publisher, document.source) == (
        title,
        published,
        publisher,
        source,
    )
    # the header is not body text; the body is the one line after the separator
    assert len(document.blocks) == 1
    assert not document.blocks[0].startswith("标题")
    assert "====" not in document.blocks[0]


# --- .html --------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>某局2017年政府信息公开工作年度报告 - 某市人民政府</title>
<style>p {{ color: red }}</style><script>var x = "脚本内容";</script></head>
<body>
<header><h1>某市人民政府</h1></header>
<nav><ul><li>首页</li><li>政务公开</li></ul></nav>
<div id="menu"><a>机构概况</a><a>互动交流</a></div>
<div class="main">
  <div class="crumb">当前位置：<a>首页</a> &gt; <a>年报</a></div>
  <h2>某局2017年政府信息公开工作年度报告</h2>
  <div class="info"><span>发布时间：2018-02-26</span> <span>来源：某局</span></div>
  <div class="content">
    <p>一、概述<br/>2017年共收到<b>依申请</b>公开<span>6</span>件。</p>
    <!-- 注释不是正文 -->
    <ul><li>门户网站发布信息1300条；</li><li>微信发布信息600多条。</li></ul>
    <div>单独的 div 文本</div>
    <p>喆堃镕：这些字只在 GBK 里，不在 GB2312 里。</p>
  </div>
</div>
<footer>版权所有 某市人民政府</footer>
</body></html>"""

EXPECTED_PAGE_BLOCKS = (
    "当前位置：首页 > 年报",
    "某局2017年政府信息公开工作年度报告",
    "发布时间：2018-02-26 来源：某局",
    "一、概述",
    "2017年共收到依申请公开6件。",
    "门户网站发布信息1300条；",
    "微信发布信息600多条。",
    "单独的 div 文本",
    "喆堃镕：这些字只在 GBK 里，不在 GB2312 里。",
)


@pytest.mark.parametrize(
    ("declared", "encoding"),
    [
        ("utf-8", "utf-8"),
        ("gbk", "gbk"),
        ("gb2312", "gbk"),  # declared gb2312, but uses GBK-only characters, as portals do
        ("utf-8", "gb18030"),  # wrong declaration: detected from the bytes instead
        ("x-no-such-charset", "gbk"),
    ],
)
def test_html_blocks_and_encodings(declared: str, encoding: str) -> None:
    data = PAGE.format(charset=declared).encode(encoding)
    document = load_bytes(data, filename="page.html")
    assert document.blocks == EXPECTED_PAGE_BLOCKS
    assert document.title == "某局2017年政府信息公开工作年度报告"
    assert document.published == "2018-02-26"
    assert document.publisher == "某局"


def test_htm_without_declared_charset_is_detected() -> None:
    page = PAGE.replace('<meta http-equiv="Content-Type" content="text/html; charset={charset}">', "")
    document = load_bytes(page.format().encode("gbk"), filename="page.htm")
    assert document.blocks == EXPECTED_PAGE_BLOCKS


def test_html_meta_tags_give_title_and_date() -> None:
    page = (
        '<html><head><meta name="ArticleTitle" content="某局2018年政府信息公开工作年度报告">'
        '<meta name="PubDate" content="2019-01-30 09:00"><meta name="ContentSource" content="某局办公室">'
        "<title>某局</title></head><body><h1>某局</h1><p>正文。</p></body></html>"
    )
    document = load_bytes(page.encode(), filename="p.html")
    assert document.title == "某局2018年政府信息公开工作年度报告"
    assert (document.published, document.publisher) == ("2019-01-30", "某局办公室")


SPAN_TABLE = """<html><body><p>三、收到和处理政府信息公开申请情况</p>
<table>
<tr><td rowspan="2">申请人情况</td><td rowspan="2">自然人</td><td colspan="2">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td></tr>
<tr><td>一、本年新收政府信息公开申请数量</td><td>64</td><td>2</td><td>0</td><td>66</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td colspan="3">（一）予以公开</td><td>27</td></tr>
<tr><td>（二）部分公开</td><td>5</td><td>0</td><td>5</td></tr>
</table><p>四、其他。</p></body></html>"""


def test_html_table_rowspan_colspan_expanded() -> None:
    document = load_bytes(SPAN_TABLE.encode(), filename="t.html")
    (table,) = document.tables
    assert isinstance(table, Table)
    assert table.title == "三、收到和处理政府信息公开申请情况"
    assert table.header == ("申请人情况", "自然人", "法人或其他组织", "法人或其他组织", "总计")
    assert table.rows == (
        ("申请人情况", "自然人", "商业企业", "科研机构", "总计"),
        ("一、本年新收政府信息公开申请数量", "64", "2", "0", "66"),
        ("三、本年度办理结果", "（一）予以公开", "（一）予以公开", "（一）予以公开", "27"),
        ("三、本年度办理结果", "（二）部分公开", "5", "0", "5"),
    )
    # blocks keep the rows as printed: each cell once
    assert document.blocks == (
        "三、收到和处理政府信息公开申请情况",
        "申请人情况 自然人 法人或其他组织 总计",
        "商业企业 科研机构",
        "一、本年新收政府信息公开申请数量 64 2 0 66",
        "三、本年度办理结果 （一）予以公开 27",
        "（二）部分公开 5 0 5",
        "四、其他。",
    )


def test_html_th_header_rows_are_merged() -> None:
    page = (
        "<table><caption>附表</caption>"
        '<tr><th rowspan="2">项目</th><th colspan="2">申请方式</th></tr>'
        "<tr><th>网上</th><th>信函</th></tr><tr><td>收到申请</td><td>7</td><td>3</td></tr></table>"
    )
    (table,) = load_bytes(page.encode(), filename="t.html").tables
    assert table.title == "附表"
    assert table.header == ("项目", "申请方式 网上", "申请方式 信函")
    assert table.rows == (("收到申请", "7", "3"),)


def test_html_layout_table_is_a_container() -> None:
    page = (
        "<table><tr><td><table><tr><td>导航</td><td>首页</td></tr></table></td></tr>"
        "<tr><td><p>一、概述</p><p>共收到申请6件。</p></td></tr></table>"
    )
    document = load_bytes(page.encode(), filename="l.html")
    assert document.blocks == ("导航 首页", "一、概述", "共收到申请6件。")
    assert [t.rows for t in document.tables] == [()]  # only the inner one-row data table


def test_html_two_column_layout_table_is_a_container() -> None:
    page = (
        "<table><tr><td><a>首页</a><a>政务公开</a></td><td><p>一、概述</p><p>共收到申请<b>6</b>件。</p>"
        "<p>二、收费</p><p>未收取任何费用。</p></td></tr></table>"
    )
    document = load_bytes(page.encode(), filename="l.html")
    assert document.blocks == ("首页政务公开", "一、概述", "共收到申请6件。", "二、收费", "未收取任何费用。")
    assert document.tables == ()


def test_html_cell_text_keeps_inline_markup_together() -> None:
    page = "<table><tr><td>依<b>申请</b>公开</td><td><p>收到</p><p>6件</p></td></tr></table>"
    (table,) = load_bytes(page.encode(), filename="c.html").tables
    assert table.header == ("依申请公开", "收到 6件")


def test_html_binary_is_unreadable() -> None:
    with pytest.raises(UnreadableDocument):
        load_bytes(b"<html>\x00\x00\x00", filename="x.html")


# --- .docx --------------------------------------------------------------------------------------


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.core_properties.title = "某局2017年政府信息公开工作年度报告"
    document.add_paragraph("一、依申请公开情况")
    document.add_paragraph("  共收到申请  9件。 ")
    document.add_paragraph("")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("类别", "指标", "数量"), ("依申请公开", "收到", "9"), ("", "公开", "6")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))  # vertical merge
    table.cell(1, 0).text = "依申请公开"
    wide = document.add_table(rows=2, cols=3)
    wide.cell(0, 0).merge(wide.cell(0, 2)).text = "统计表"  # horizontal merge
    for c, text in enumerate(("a", "b", "c")):
        wide.cell(1, c).text = text
    document.add_paragraph("二、收费情况").add_run().add_break()  # a manual line break
    document.paragraphs[-1].add_run("未收取任何费用。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_tables_in_body_order() -> None:
    document = load_bytes(_docx_bytes(), filename="r.docx")
    assert document.blocks == (
        "一、依申请公开情况",
        "共收到申请 9件。",
        "类别 指标 数量",
        "依申请公开 收到 9",
        "公开 6",  # the continuation of a vertical merge is printed once, above
        "统计表",
        "a b c",
        "二、收费情况",
        "未收取任何费用。",
    )
    assert document.title == "某局2017年政府信息公开工作年度报告"
    first, second = document.tables
    assert first.title == ""  # the block before it is a sentence, not a heading
    assert first.header == ("类别", "指标", "数量")
    assert first.rows == (("依申请公开", "收到", "9"), ("依申请公开", "公开", "6"))
    assert second.header == ("统计表", "统计表", "统计表")  # a span fills every column it covers
    assert second.rows == (("a", "b", "c"),)


def test_docx_title_falls_back_to_first_block() -> None:
    document = docx.Document()
    document.add_paragraph("某局2016年政府信息公开工作年度报告")
    document.add_paragraph("正文。")
    buffer = io.BytesIO()
    document.save(buffer)
    assert load_bytes(buffer.getvalue(), filename="r.docx").title == "某局2016年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 this is not really a zip",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200,  # an old .doc renamed to .docx
        b"",
    ],
)
def test_corrupt_docx_is_unreadable(data: bytes) -> None:
    with pytest.raises(UnreadableDocument, match="DOCX") as caught:
        load_bytes(data, filename="bad.docx")
    assert "save it again as .docx" in str(caught.value)


def test_zip_without_document_is_unreadable() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    with pytest.raises(UnreadableDocument):
        load_bytes(buffer.getvalue(), filename="bad.docx")


# --- .pdf ---------------------------------------------------------------------------------------


def _pdf_bytes(pages: list[list[str]], title: str = "某局2017年政府信息公开工作年度报告") -> bytes:
    pytest.importorskip("reportlab", reason="reportlab builds the test PDFs")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setTitle(title)
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for index, line in enumerate(lines):
            pdf.drawString(72, 760 - 18 * index, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pdf_text_layer_with_chinese_lines_merged() -> None:
    data = _pdf_bytes(
        [
            [
                "某局2017年政府信息公开工作年度报告",
                "一、概述",
                "2017年，本局门户网站共主动发布各类信息1300条，政府信息公开专",  # wrapped full lines
                "栏发布信息83条，微信公众号全年发布信息600多条，关注人数超过",
                "9000人。",
                "（一）依申请公开",
                "全年共收到政府信息公开申请6件，其中当面申请2件、网上申请4件，",
                "- 1 -",
            ],
            [
                "已全部按时答复；",
                "未收取任何费用。",
                "二、行政复议和行政诉讼",
                "未收到行政复议申请。",
                "某局",
                "2018年3月20日",
                "第 2 页",
            ],
        ]
    )
    document = load_bytes(data, filename="r.pdf")
    assert document.blocks == (
        "某局2017年政府信息公开工作年度报告",
        "一、概述",
        (
            "2017年，本局门户网站共主动发布各类信息1300条，政府信息公开专栏发布信息83条，"
            "微信公众号全年发布信息600多条，关注人数超过9000人。"
        ),
        "（一）依申请公开",
        "全年共收到政府信息公开申请6件，其中当面申请2件、网上申请4件，已全部按时答复；",
        "未收取任何费用。",
        "二、行政复议和行政诉讼",
        "未收到行政复议申请。",
        "某局",
        "2018年3月20日",
    )
    assert document.title == "某局2017年政府信息公开工作年度报告"


def test_pdf_file_name_title_is_ignored() -> None:
    lines = [
        "某局2018年政府信息公开工作年度报告",
        "本报告根据《中华人民共和国政府信息公开条例》编制，统计期限为",
        "2018年1月1日至12月31日。",
    ]
    data = _pdf_bytes([lines], title="Microsoft Word - 2018年报.docx")
    assert load_bytes(data, filename="r.pdf").title == "某局2018年政府信息公开工作年度报告"


def test_pdf_without_text_layer_is_unreadable() -> None:
    pytest.importorskip("reportlab", reason="reportlab builds the test PDFs")
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(72, 72, 300, 500, fill=1)  # a "scan": marks on the page but no text
    pdf.showPage()
    pdf.save()
    with pytest.raises(UnreadableDocument, match="no text layer") as caught:
        load_bytes(buffer.getvalue(), filename="scan.pdf")
    assert "OCR" in str(caught.value)


@pytest.mark.parametrize("data", [b"%PDF-1.4\n garbage garbage", b"not a pdf at all", b""])
def test_corrupt_pdf_is_unreadable(data: bytes) -> None:
    with pytest.raises(UnreadableDocument, match="PDF"):
        load_bytes(data, filename="bad.pdf")


# --- the project's samples ----------------------------------------------------------------------

SAMPLE_FACTS = {
    "qinghe-jyj-2018.txt": ("清河市教育局2018年政府信息公开工作年度报告", "2019-03-12", "清河市教育局"),
    "qinghe-jyj-2017.docx": ("清河市教育局2017年政府信息公开工作年度报告", "", ""),
    "baiyun-swj-2017.html": ("白云市商务局2017年政府信息公开工作年度报告", "2018-03-05", "白云市商务局"),
    "baiyun-swj-2018.txt": ("白云市商务局2018年政府信息公开工作年度报告", "2019-01-28", "白云市商务局"),
}


@pytest.mark.parametrize("name", sorted(SAMPLE_FACTS))
def test_sample_loads(name: str) -> None:
    document = load_path(SAMPLES / name)
    assert (document.title, document.published, document.publisher) == SAMPLE_FACTS[name]
    body = "".join(document.blocks)
    # what the samples promise in their README: sections, approximations, stated absences
    sections = re.findall(r"[一二三四五六七]、", body)
    assert 5 <= len(set(sections)) <= 7
    assert re.search(r"\d+(?:\.\d+)?(?:余|多)|超过|约", body)
    assert "未收" in body
    assert len(set(re.findall(r"\d+(?:\.\d+)?", body))) >= 12
    assert 1500 <= len(body) <= 3500


def test_sample_html_is_gbk_encoded() -> None:
    data = (SAMPLES / "baiyun-swj-2017.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    document = load_bytes(data, filename="baiyun-swj-2017.html")
    assert "累计培训４８０人次" in "".join(document.blocks)  # normalisation is a later step
    assert {"首页", "机构概况", "商务动态", "白云市商务局"}.isdisjoint(document.blocks)  # nav, header
    (table,) = document.tables
    assert table.header == ("办理结果", "申请方式 网上申请", "申请方式 信函申请", "申请方式 当面申请", "合计")
    assert table.rows[-1] == ("合计（件）", "7", "3", "2", "12")


def test_sample_docx_table() -> None:
    (table,) = load_path(SAMPLES / "qinghe-jyj-2017.docx").tables
    assert table.title == "附件：清河市教育局2017年政府信息公开情况统计表"
    assert table.header == ("类别", "指标", "单位", "数量")
    assert table.rows[1:5] == (
        ("依申请公开", "收到申请数", "件", "9"),
        ("依申请公开", "同意公开数", "件", "6"),
        ("依申请公开", "部分公开数", "件", "1"),
        ("依申请公开", "信息不存在数", "件", "2"),
    )


def test_same_agency_different_years_differ() -> None:
    requests = re.compile(r"收到政府信息公开申请(\d+)件")
    for agency, older, newer, counts in [
        ("清河市教育局", "qinghe-jyj-2017.docx", "qinghe-jyj-2018.txt", ["9", "17"]),
        ("白云市商务局", "baiyun-swj-2017.html", "baiyun-swj-2018.txt", ["12", "15"]),
    ]:
        documents = [load_path(SAMPLES / older), load_path(SAMPLES / newer)]
        assert [agency in d.title for d in documents] == [True, True]
        assert ["2017年" in documents[0].title, "2018年" in documents[1].title] == [True, True]
        assert [requests.findall("".join(d.blocks)) for d in documents] == [[n] for n in counts]


def test_generated_samples_match_their_script(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec and spec.loader
    make_samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_samples)
    make_samples.make_baiyun_2017_html(tmp_path / "b.html")
    make_samples.make_qinghe_2017_docx(tmp_path / "q.docx")
    assert (tmp_path / "b.html").read_bytes() == (SAMPLES / "baiyun-swj-2017.html").read_bytes()
    assert load_path(tmp_path / "q.docx") == load_path(SAMPLES / "qinghe-jyj-2017.docx")
