"""How text becomes search tokens: jieba words (with the domain's terms and the agencies' names kept
whole) and character bigrams. The same functions tokenize chunks at ingest and questions at ask."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import jieba

jieba.setLogLevel(logging.WARNING)

# Terms of the domain that jieba would otherwise split (依申请 "on request", 行政复议 "administrative
# reconsideration", 政府信息公开专栏 "the disclosure column" …).
DOMAIN_WORDS = (
    "依申请", "依申请公开", "主动公开", "政府信息公开", "信息公开专栏", "政府信息公开专栏", "行政复议", "行政诉讼",
    "举报投诉", "不予公开", "予以公开", "部分公开", "无法提供", "不予处理", "门户网站", "规范性文件", "政策解读",
    "应诉", "网上咨询", "领导信箱", "收费及减免", "微信公众号", "政务新媒体",
    # new-media channels, each a topic of its own (短视频 is not 视频)
    "短视频", "政务短视频", "视频号", "抖音", "头条号", "政务微博",
)
for _word in DOMAIN_WORDS:
    jieba.add_word(_word, freq=20000)

_KEEP = re.compile(r"[\u4e00-\u9fff0-9a-zA-Z%]+")


def add_words(words: Sequence[str]) -> None:
    """Teach jieba names it must keep whole (agency names and their aliases)."""
    for word in words:
        jieba.add_word(word, freq=20000)


def word_tokens(text: str) -> list[str]:
    return [t for t in jieba.lcut_for_search(text) if _KEEP.fullmatch(t)]


def bigram_tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for run in _KEEP.findall(text):
        tokens.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return tokens
