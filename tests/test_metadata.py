"""ingest.metadata through ingest.read_bytes: the title, agency and year of a report in every form
portal pages print them, and the real corpus read without overrides and without portal chrome.

The agencies of the synthetic pages (青石市, 鹭汀县 …) are invented.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ingest
from ingest.errors import MetadataMissing
from ingest.metadata import agency_from_title, find_title, year_from_title

BODY = (
    "一、总体情况\n"
    "全年主动公开政府信息120条，收到政府信息公开申请6件，均已按时答复。\n"
    "二、存在的主要问题及改进情况\n"
    "政策解读形式还不够丰富，下一步将加强图文解读。\n"
)


def read_txt(head: str, body: str = BODY) -> ingest.Report:
    return ingest.read_bytes((head + "\n" + body).encode("utf-8"), filename="report.txt")


def read_html(html: str) -> ingest.Report:
    return ingest.read_bytes(html.encode("utf-8"), filename="report.html")


def meta(report: ingest.Report) -> tuple[str, int, str]:
    return report.meta.agency, report.meta.year, report.meta.title


def page(body: str, title: str = "") -> str:
    """A portal page: header menu, breadcrumb, the article, a sidebar and a footer."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="top"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="main"><div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>
 &gt; <a href="/zwgk/nb/">政府信息公开年报</a></div>
<div class="article">{body}</div>
<div class="side"><div>热点专题</div><ul><li><a href="/a">优化营商环境</a></li><li><a href="/b">乡村振兴</a></li>
<li><a href="/c">民生实事</a></li></ul><div>扫一扫在手机上查看当前页面</div></div></div>
<div class="bottom"><p>网站地图 | 联系我们</p><p>主办单位：青石市人民政府办公室 版权所有 青ICP备00000000号</p></div>
</body></html>"""


ARTICLE = """<p>一、总体情况</p><p>全年主动公开政府信息120条，收到政府信息公开申请6件，均已按时答复。</p>
<p>二、存在的主要问题及改进情况</p><p>政策解读形式还不够丰富，下一步将加强图文解读。</p>"""


# --- 1. the year before the agency --------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "agency"),
    [
        ("2022年青石市政府信息公开工作年度报告", "青石市人民政府"),  # a place stands for its government
        ("2022年度鹭汀县政府信息公开工作年度报告", "鹭汀县人民政府"),
        ("2022年青石市人民政府信息公开工作年度报告", "青石市人民政府"),  # 人民 + 政府信息公开
        ("2022年青石市审计局政府信息公开工作年度报告", "青石市审计局"),
        ("2022年鹭汀县卫生健康委员会政府信息公开工作年度报告", "鹭汀县卫生健康委员会"),
    ],
)
def test_year_before_agency(line: str, agency: str) -> None:
    assert meta(read_txt(line)) == (agency, 2022, line)


def test_a_zone_is_not_a_peoples_government() -> None:
    # 实验区, 开发区 … are run by a management committee: the name stays as printed
    assert agency_from_title("2022年云岚综合实验区政府信息公开工作年度报告") == "云岚综合实验区"
    assert agency_from_title("2022年青石经济技术开发区政府信息公开工作年度报告") == "青石经济技术开发区"


# --- 2. the agency on one line, the year's title on the next ------------------------------------


@pytest.mark.parametrize("kind", ["2020年政府信息公开工作年度报告", "2020年度政府信息公开工作年度报告"])
def test_agency_line_then_year_line(kind: str) -> None:
    assert meta(read_txt(f"鹭汀县民政局\n{kind}")) == ("鹭汀县民政局", 2020, f"鹭汀县民政局{kind}")


def test_agency_line_then_year_line_in_a_page() -> None:
    html = page(f"<h2>鹭汀县民政局<br>2020年度政府信息公开工作年度报告</h2>{ARTICLE}")
    assert meta(read_html(html)) == ("鹭汀县民政局", 2020, "鹭汀县民政局2020年度政府信息公开工作年度报告")


def test_a_line_that_is_no_agency_is_not_joined() -> None:
    # a breadcrumb step before the title names no agency: the page's source line does
    report = read_txt("政务公开\n2021年政府信息公开工作年度报告\n来源：鹭汀县水利局")
    assert meta(report) == ("鹭汀县水利局", 2021, "鹭汀县水利局2021年政府信息公开工作年度报告")


# --- 3. breadcrumbs before the title ------------------------------------------------------------


@pytest.mark.parametrize(
    "crumb",
    [
        "当前位置：首页 >> 政务公开 >> 政府信息公开年报",
        "您现在的位置：首页>政务公开>政府信息公开>政府信息公开年报",
        "当前位置：首页 > 政务公开 > 青石市审计局2022年政府信息公开工作年度报告",
    ],
)
def test_breadcrumb_is_never_the_title(crumb: str) -> None:
    report = read_txt(f"{crumb}\n青石市审计局2023年政府信息公开工作年度报告")
    assert meta(report) == ("青石市审计局", 2023, "青石市审计局2023年政府信息公开工作年度报告")
    assert find_title([crumb, "正文。"]) == ""  # a crumb alone gives no title


def test_breadcrumb_as_stated_title_is_ignored() -> None:
    # an archive export whose 标题 field caught the breadcrumb
    head = "标题: 当前位置：首页 >> 政务公开 >> 政府信息公开年报\n发布机构: \n==================== 正文 ====================\n"
    report = read_txt(head + "鹭汀县统计局2019年政府信息公开工作年度报告")
    assert meta(report) == ("鹭汀县统计局", 2019, "鹭汀县统计局2019年政府信息公开工作年度报告")


# --- 4. no title line: the opening sentence names the report ------------------------------------


def test_opening_sentence_names_agency_and_year() -> None:
    report = read_txt(
        "根据《中华人民共和国政府信息公开条例》规定，现将鹭汀县人民政府2024年政府信息公开工作年度报告予以公布。"
    )
    assert meta(report) == ("鹭汀县人民政府", 2024, "鹭汀县人民政府2024年政府信息公开工作年度报告")


def test_opening_sentence_with_year_first() -> None:
    report = read_txt("根据上级要求，现公布2019年青石市统计局政府信息公开工作年度报告。")
    assert meta(report) == ("青石市统计局", 2019, "2019年青石市统计局政府信息公开工作年度报告")


def test_opening_sentence_naming_this_agency_takes_the_source_line() -> None:
    report = read_txt("来源：鹭汀县司法局 时间：2024-01-15\n根据《条例》要求，特发布本机关2023年度政府信息公开工作年度报告。")
    assert meta(report) == ("鹭汀县司法局", 2023, "鹭汀县司法局2023年度政府信息公开工作年度报告")


def test_a_notice_about_reports_names_no_report() -> None:
    # the title of a cited notice (in 《》) is not this report's title
    blocks = ["根据《青石市人民政府办公室关于编制公布2021年政府信息公开工作年度报告有关事项的通知》要求，编制本报告。"]
    assert year_from_title(find_title(blocks)) is None


# --- 5. the title running straight into the first sentence --------------------------------------


@pytest.mark.parametrize("gap", ["", " "])
def test_title_running_into_first_sentence(gap: str) -> None:
    line = f"青石市审计局2023年政府信息公开工作年度报告{gap}本报告根据《中华人民共和国政府信息公开条例》编制。"
    assert meta(read_txt(line)) == ("青石市审计局", 2023, "青石市审计局2023年政府信息公开工作年度报告")


# --- 6. the page's <title> ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "青石市审计局2023年政府信息公开工作年度报告_青石市人民政府门户网站",
        "青石市审计局2023年政府信息公开工作年度报告-政府信息公开年报",
        "青石市审计局2023年政府信息公开工作年度报告 | 青石市人民政府",
        "青石市审计局2023年政府信息公开工作年度报告 — 青石市人民政府",
    ],
)
def test_page_title_when_the_body_has_none(title: str) -> None:
    report = read_html(page(ARTICLE, title=title))
    assert meta(report) == ("青石市审计局", 2023, "青石市审计局2023年政府信息公开工作年度报告")


def test_body_title_before_page_title() -> None:
    html = page(f"<h1>鹭汀县教育局2022年政府信息公开工作年度报告</h1>{ARTICLE}", title="鹭汀县人民政府门户网站")
    assert meta(read_html(html)) == ("鹭汀县教育局", 2022, "鹭汀县教育局2022年政府信息公开工作年度报告")


# --- 7. a space or a line break inside the title ------------------------------------------------


def test_space_inside_title() -> None:
    report = read_txt("鹭汀县海坛片区管理局  2022年度政府信息公开工作年度报告")
    assert meta(report) == ("鹭汀县海坛片区管理局", 2022, "鹭汀县海坛片区管理局2022年度政府信息公开工作年度报告")


def test_line_break_inside_agency() -> None:
    report = read_txt("鹭汀县海坛片区\n管理局2022年度政府信息公开工作年度报告")
    assert meta(report) == ("鹭汀县海坛片区管理局", 2022, "鹭汀县海坛片区管理局2022年度政府信息公开工作年度报告")


def test_line_break_inside_page_heading() -> None:
    html = page(f"<h1>鹭汀县海坛片区管理局\n  2022年度政府信息公开工作年度报告</h1>{ARTICLE}")
    assert meta(read_html(html))[:2] == ("鹭汀县海坛片区管理局", 2022)


# --- no title at all: the clear error stays -----------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        "工作总结",  # no title, no agency, no year
        "政府信息公开工作年度报告",  # a title without agency or year
        "2023年政府信息公开工作年度报告",  # a year, but no agency anywhere
    ],
)
def test_no_agency_or_year_is_a_clear_error(head: str) -> None:
    with pytest.raises(MetadataMissing, match=r"--agency NAME --year YYYY"):
        read_txt(head)


def test_overrides_still_win() -> None:
    report = ingest.read_bytes(("工作总结\n" + BODY).encode(), filename="r.txt", agency="鹭汀县档案馆", year=2018)
    assert (report.meta.agency, report.meta.year) == ("鹭汀县档案馆", 2018)


# --- the page around the report -----------------------------------------------------------------

BOILERPLATE = ["版权所有", "ICP备", "网站地图", "当前位置", "您现在的位置", "主办单位", "打印本页", "关闭窗口",
               "扫一扫", "责任编辑", "相关阅读", "网站标识码", "浏览次数", "分享到", "QQ空间"]  # fmt: skip


def test_portal_page_keeps_only_the_report() -> None:
    html = page(f"<h1>鹭汀县教育局2022年政府信息公开工作年度报告</h1>"
                f"<div class=\"info\"><span>来源：鹭汀县教育局</span><span>时间：2023-01-16</span></div>{ARTICLE}")  # fmt: skip
    report = read_html(html)
    assert [p.text for p in report.paragraphs] == [
        "鹭汀县教育局2022年政府信息公开工作年度报告",
        "一、总体情况",
        "全年主动公开政府信息120条，收到政府信息公开申请6件，均已按时答复。",
        "二、存在的主要问题及改进情况",
        "政策解读形式还不够丰富，下一步将加强图文解读。",
    ]
    assert report.meta.published == "2023-01-16"


# --- the real corpus ----------------------------------------------------------------------------


def _corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.suffix.lower() in ingest.SUPPORTED_SUFFIXES)


def test_real_corpus_metadata_and_no_boilerplate(corpus: Path) -> None:
    files = _corpus_files(corpus)
    assert len(files) >= 19
    for path in files:
        report = ingest.read_path(path)  # no --agency / --year
        name = path.relative_to(corpus)
        year = re.search(r"(?:19|20)\d{2}", path.name)
        assert year and report.meta.year == int(year.group()), name
        assert report.meta.agency.startswith(("平潭", "河南")), (name, report.meta.agency)
        assert str(report.meta.year) in report.meta.title and report.meta.agency in report.meta.title, name
        chrome = [(word, p.text[:60]) for p in report.paragraphs for word in BOILERPLATE if word in p.text]
        assert chrome == [], name
        if path.suffix == ".html":
            # one paragraph per row of the standard tables, and little else besides the report's prose
            table_rows = sum(len(table.rows) + 1 for table in report.tables)
            assert len(report.paragraphs) - table_rows < 40, (name, len(report.paragraphs), table_rows)
            assert len(report.paragraphs) < 90, (name, len(report.paragraphs))
            assert report.table_version == "2021", name
