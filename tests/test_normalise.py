"""ingest.normalise: character normalisation, and boilerplate removal that never loses a figure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from ingest.load import load_path
from ingest.normalise import normalise_text, strip_boilerplate

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
# `corpus` (the real corpus, from CORPUS_DIR or ../shared/corpus; skips when absent) is in conftest.py


# --- normalise_text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("共收到申请１２件", "共收到申请12件"),
        ("ＱＱ空间　ｗｗｗ", "QQ空间 www"),
        ("占５１．８５％。", "占51.85%。"),
        ("未收取任何费用，（一）概述；“依申请”：是！", "未收取任何费用，（一）概述；“依申请”：是！"),
        ("句子结束。下一句", "句子结束。下一句"),  # a sentence-ending 。 is not a decimal point
        ("\u3000\u3000本报告\u00a0\u00a0 所列  数据\t统计 ", "本报告 所列 数据 统计"),
        ("一、概述\r\n  \u3000正文\u200b内容  \n\n", "一、概述\n正文内容"),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_normalise_text_is_idempotent() -> None:
    text = "２０１７年，共收到申请６件；占　５０％。"
    assert normalise_text(normalise_text(text)) == normalise_text(text)


# --- strip_boilerplate: synthetic cases ---------------------------------------------------------


@pytest.mark.parametrize(
    "block",
    [
        "当前位置：首页 > 政务公开 > 政府信息公开年报",
        "您的位置: 首页 >> 信息公开 >> 年度报告",
        "当前位置： 首页政务公开政府信息公开政府信息公开年报",
        "来源：某市某局 时间：2018-02-26 09:30",
        "发布时间：2018年2月26日 来源：某局 浏览次数：356",
        "某市人民政府门户网站 www.example.gov.cn 时间:2018-03-27 10:44 来源:某市某局",
        "字号 大中小",
        "字号：【大 中 小】",
        "【打印本页】【关闭窗口】",
        "打印本页 关闭窗口",
        "分享到： 微信 微博 QQ空间",
        "微信 微博 QQ空间 全真版 文字版 文件下载",
        "扫一扫在手机打开当前页",
        "责任编辑：王五",
        "相关链接： -->",
        "主办单位：某市人民政府办公室 承办单位：某市大数据中心",
        "版权所有 某市人民政府 网站标识码：1234567890 某ICP备12345678号",
        "Copyright © 2018 某市人民政府 All Rights Reserved",
    ],
)
def test_boilerplate_blocks_are_dropped(block: str) -> None:
    assert strip_boilerplate(["一、概述", block, "共收到申请6件。"]) == ["一、概述", "共收到申请6件。"]


@pytest.mark.parametrize(
    "block",
    [
        "微信公众号全年推送信息约900条，关注人数超过3万人。",
        "（二）政府门户网站",
        "时间：2017年8月15日，组织培训1次。",
        "本报告的电子版可在门户网站下载，版权所有人另有规定的除外。",
        "分享到朋友圈的政策解读共120篇。",
        "四、政府信息公开收费及减免情况",
        "附件：某局2017年政府信息公开情况统计表",
        "相关阅读材料已印发各科室，供学习参考。",
        "关闭 2个无人维护的政务新媒体账号。",
        "序号 培训名称 主办单位 参训人数",
    ],
)
def test_report_text_is_kept(block: str) -> None:
    assert strip_boilerplate([block]) == [block]


def test_prefix_and_suffix_cut_from_one_line_body() -> None:
    body = (
        "当前位置： 首页政务公开年报 某局2018年政府信息公开工作年度报告 来源：某局 时间：2019-01-28 10:15 "
        "微信 微博 QQ空间 字号 大中小 相关链接： --> 根据《条例》编制本报告。一、概述 共收到申请15件。"
        " 责任编辑：办公室 扫一扫在手机打开当前页 打印本页 关闭窗口"
    )
    assert strip_boilerplate([body]) == ["根据《条例》编制本报告。一、概述 共收到申请15件。"]


def test_title_before_meta_is_kept_without_crumb_unless_a_title() -> None:
    # a sentence before a 来源 label is report text, never page chrome
    block = "全年共收到申请6件 来源：统计台账 时间：2018-01-05"
    assert strip_boilerplate([block]) == [block]


def test_related_reading_list_is_dropped_up_to_report_text() -> None:
    blocks = [
        "四、收费情况未收取任何费用。",
        "相关阅读：",
        "某局2016年政府信息公开工作年度报告",
        "某局关于做好2019年招生工作的通知",
        "五、存在的问题",
        "仍存在一些不足。",
    ]
    assert strip_boilerplate(blocks) == ["四、收费情况未收取任何费用。", "五、存在的问题", "仍存在一些不足。"]


def test_word_html_comments_are_removed() -> None:
    block = "相关内容。<!--[if !supportLists]-->7、<!--[endif]-->公共监管信息公开情况"
    assert strip_boilerplate([block]) == ["相关内容。7、公共监管信息公开情况"]


# --- strip_boilerplate: the real corpus and the samples -----------------------------------------


def _digit_sentences(blocks: Sequence[str], boilerplate: Sequence[str]) -> list[str]:
    """Every sentence that states a number, once the known boilerplate is taken out of the page."""
    text = "\n".join(blocks)
    for fragment in boilerplate:
        assert fragment in text, f"test fixture out of date: {fragment!r} not in the page"
        text = text.replace(fragment, "\n")
    sentences = (s.strip() for s in re.split(r"(?<=[。；！？])|\n", text))
    return [s for s in sentences if re.search(r"\d", s)]


def _assert_figures_survive(blocks: Sequence[str], boilerplate: Sequence[str]) -> list[str]:
    kept = strip_boilerplate(blocks)
    joined = "\n".join(kept)
    sentences = _digit_sentences(blocks, boilerplate)
    assert sentences
    lost = [s for s in sentences if s not in joined]
    assert not lost, f"report sentences lost: {lost[:3]}"
    for fragment in boilerplate:
        assert fragment not in joined
    return kept


SEED_BOILERPLATE = [
    "河南省人民政府门户网站 www.henan.gov.cn 时间:2018-03-27 10:44 来源:河南省科学技术厅",
    "责任编辑:陈静",
    "扫一扫在手机打开当前页",
    "相关阅读:",
]


@pytest.mark.parametrize("normalised", [False, True])
def test_seed_boilerplate_stripped_and_figures_kept(corpus: Path, normalised: bool) -> None:
    blocks = list(load_path(corpus / "seed" / "henan-kjt-2017.txt").blocks)
    if normalised:
        blocks = [normalise_text(b) for b in blocks]
    kept = _assert_figures_survive(blocks, SEED_BOILERPLATE)
    assert kept[0] == "河南省科学技术厅2017年政府信息公开工作年度报告"
    assert kept[-1] == "附件:河南省科技厅2017年度政府信息公开情况统计表"
    assert len(kept) == len(blocks) - len(SEED_BOILERPLATE)


REAL_BOILERPLATE = {
    "2012-pingtan-county.txt": [],
    "2016-pingtan.txt": ["<!--[if !supportLists]-->", "<!--[endif]-->"],
    "2021-pingtan.txt": [
        (
            "当前位置： 首页政务公开政府信息公开政府信息公开年报 平潭综合实验区2021年度政府信息公开工作年度报告 "
            "来源：平潭县人民政府 时间：2022-02-08 16:34 微信 微博 QQ空间 全真版 文字版 文件下载 相关链接： -->"
        ),
        "附件下载",
    ],
    "2023-pingtan.txt": [],
}


@pytest.mark.parametrize("normalised", [False, True])
@pytest.mark.parametrize("name", sorted(REAL_BOILERPLATE))
def test_real_bodies_stripped_and_figures_kept(corpus: Path, name: str, normalised: bool) -> None:
    blocks = list(load_path(corpus / "real" / name).blocks)
    if normalised:
        blocks = [normalise_text(b) for b in blocks]
    (kept,) = _assert_figures_survive(blocks, REAL_BOILERPLATE[name])
    if not REAL_BOILERPLATE[name]:
        assert kept == blocks[0]  # nothing to strip: the body is untouched


def test_real_2021_prefix_and_suffix(corpus: Path) -> None:
    (kept,) = strip_boilerplate(load_path(corpus / "real" / "2021-pingtan.txt").blocks)
    assert kept.startswith("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）")
    assert kept.endswith("六、其他需要报告的事项2021年，无收取信息处理费情况。")
    assert "640020470" in kept  # the run-together table rows are report content


SAMPLE_BOILERPLATE = {
    "qinghe-jyj-2018.txt": [
        "清河市人民政府门户网站 www.qinghe.example 时间:2019-03-12 09:30 来源:清河市教育局",
        "字号 大中小",
        "责任编辑:王晓",
        "扫一扫在手机打开当前页",
        "打印本页 关闭窗口",
        "相关阅读:",
        "清河市教育局2017年政府信息公开工作年度报告",
        "清河市教育局关于做好2019年中考招生工作的通知",
        "主办单位:清河市人民政府办公室 版权所有 网站标识码:0000000000",
    ],
    "qinghe-jyj-2017.docx": [],
    # the breadcrumb and the footer lie outside the article's container: the loader drops them
    "baiyun-swj-2017.html": [
        "发布时间：2018-03-05 16:20 来源：白云市商务局 浏览次数：1024 字号：大 中 小",
        "【打印本页】【关闭窗口】 分享到：微信 微博",
    ],
    "baiyun-swj-2018.txt": [
        (
            "当前位置： 首页政务公开政府信息公开年报 白云市商务局2018年政府信息公开工作年度报告 "
            "来源：白云市商务局 时间：2019-01-28 10:15 微信 微博 QQ空间 字号 大中小 相关链接： -->"
        ),
        "责任编辑：局办公室 扫一扫在手机打开当前页 打印本页 关闭窗口",
    ],
}

PORTAL_WORDS = ["当前位置", "字号", "责任编辑", "扫一扫", "打印本页", "关闭窗口", "分享到", "相关阅读",
                "版权所有", "网站标识码", "主办单位", "来源：", "来源:", "浏览次数", "-->"]  # fmt: skip


@pytest.mark.parametrize("name", sorted(SAMPLE_BOILERPLATE))
def test_samples_stripped_and_figures_kept(name: str) -> None:
    blocks = [normalise_text(b) for b in load_path(SAMPLES / name).blocks]
    kept = _assert_figures_survive(blocks, SAMPLE_BOILERPLATE[name])
    joined = "\n".join(kept)
    assert [word for word in PORTAL_WORDS if word in joined] == []
    assert "未收取任何费用" in joined
