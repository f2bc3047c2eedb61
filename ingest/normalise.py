"""Pure text cleaning: character normalisation and removal of government-portal boilerplate.

``normalise_text`` makes figures comparable (full-width ``２０１７`` → ``2017``) without touching
Chinese punctuation, which carries sentence structure (``，`` ``。`` ``（一）`` stay as printed).

``strip_boilerplate`` removes what the portal wraps around a report: breadcrumbs, the
"来源：… 时间：…" line, share/print/font-size widgets, "责任编辑", "相关阅读" link lists and site
footers. Portal pages exported to plain text often arrive as one long line, so boilerplate is
removed both as whole blocks and as a prefix/suffix of a block, keeping the report text between.
It works on raw or normalised blocks (it accepts both ``：`` and ``:``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# --- normalise_text -----------------------------------------------------------------------------

# Only digits, Latin letters and the percent sign: NFKC would also turn ，。（） into ASCII.
_HALF_WIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_HALF_WIDTH |= {ord("Ａ") + i: ord("A") + i for i in range(26)}
_HALF_WIDTH |= {ord("ａ") + i: ord("a") + i for i in range(26)}
_HALF_WIDTH[ord("％")] = ord("%")

_DECIMAL_POINT = re.compile(r"(?<=\d)．(?=\d)")  # "12．5" is a number, not a sentence end
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_HORIZONTAL_SPACE = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def normalise_text(text: str) -> str:
    """Half-width digits/letters/%, plain spaces, runs of spaces collapsed; line breaks kept."""
    text = _DECIMAL_POINT.sub(".", text.translate(_HALF_WIDTH))
    text = _ZERO_WIDTH.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = (_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines).strip()


# --- strip_boilerplate --------------------------------------------------------------------------

_COLON = r"\s*[:：]\s*"
_DATE = r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
_CN_DATE = r"\d{4}年\d{1,2}月\d{1,2}日(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_CRUMB_SEP = r"[>»＞›/]+"

# A breadcrumb: its path runs to the first space unless the segments are joined by ">" or "/".
_CRUMB = re.compile(
    rf"(?:当前位置|您的位置|您现在的位置|你的位置|你现在的位置|所在位置){_COLON}"
    rf"[^\s。，；]+(?:\s*{_CRUMB_SEP}\s*[^\s>»＞›/。，；]+)*"
)
# The article information line: source, date, view count, author.
_NAME_LABEL = r"(?:(?:信息|文章)?来源|发布机构|发布单位|作者)"
_DATE_LABEL = r"(?:发布)?(?:时间|日期)"
_COUNT_LABEL = r"(?:浏览|访问|点击|阅读)(?:次数|量|数)?"
_META = re.compile(
    # the name may run straight into the next label: "来源：某局时间：2024-01-30"
    rf"(?:{_NAME_LABEL}{_COLON}[^\s:：]*?(?={_DATE_LABEL}{_COLON}{_DATE})"
    rf"|(?:{_NAME_LABEL}{_COLON}[^\s:：]*"
    rf"|{_DATE_LABEL}{_COLON}{_DATE}"
    rf"|发布(?:时间|日期){_COLON}{_CN_DATE}"
    rf"|{_COUNT_LABEL}{_COLON}\d*次?)"
    r"(?=\s|$))"
)
# "河南省人民政府门户网站 www.henan.gov.cn" just before the information line.
_PORTAL = re.compile(
    r"\S{1,30}?(?:门户网站|政府网站|人民政府网)(?:\s+(?:https?://)?www\.[\w.\-]+\S*)?"
    rf"(?=\s+(?:{_NAME_LABEL}|{_DATE_LABEL}){_COLON})"
)
_WIDGET = (
    r"(?:[【\[]\s*(?:打印|关闭|收藏|分享)\s*[】\]]"  # bare, these words are report verbs ("关闭 2个…")
    r"|[【\[]?\s*(?:"
    r"字[号体][:：]?\s*[【\[]?\s*大\s*中\s*小\s*[】\]]?"
    r"|扫一扫在手机(?:上)?(?:打开|查看)当前页(?:面)?|打印本页|关闭窗口|分享到[:：]?"
    r"|微信|微博|QQ空间|QQ好友|全真版|文字版|文件下载|相关链接[:：]?|-->"
    r")\s*[】\]]?)"
)
# A run of widget words, ending at a space or the end: "微信公众号发布…" is report text.
_WIDGETS = re.compile(rf"{_WIDGET}(?:\s*{_WIDGET})*(?=\s|$)")

# Where the report's page ends and the portal's tail begins. A block is cut at the earliest of
# these that stands as a word of its own and is followed by no sentence end, so the same words
# inside report prose or a heading are safe.
_TAIL_MARKER = re.compile(
    r"(?:^|(?<=[\s。】\])）]))[【\[(（]?\s*(?:"
    r"(?:责任编辑|主办单位|承办单位|技术支持)\s*[:：]"  # without the colon, a table header's words
    r"|扫一扫在手机(?:上)?(?:打开|查看)当前页(?:面)?|相关阅读|相关文章|相关链接|打印本页|关闭窗口|分享到"
    r"|版权所有|Copyright|©|\S*ICP备\S*|网站标识码"
    r"|字号\s*[:：]?\s*[【\[]?\s*大\s*中\s*小|附件下载(?=\s*$)"
    r")(?=[\s:：】\]©]|$|(?<=[:：]))"
)
_PROSE_END = re.compile(r"[。！？]")
# After these, the page lists links to other articles (often other years' reports).
_LINK_LIST = re.compile(r"相关阅读|相关文章|相关链接")

# Pasted Word HTML leaves conditional comments in the text: "<!--[if !supportLists]-->7、".
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

_SENTENCE_END = re.compile(r"[。！？；]")
# Starts of report structure: 一、 （一） 1. 1、 第一 附件 — a related-links list ends before them.
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、]|第[一二三四五六七八九十]|附件)"
)
_TITLE_END = re.compile(r"(?:报告|年报)\s*$")


def _strip_prefix(block: str) -> str:
    """Remove leading portal chrome: crumb, article title repeated in the header, meta, widgets."""
    pos = 0
    after_crumb = False
    while True:
        while pos < len(block) and block[pos].isspace():
            pos += 1
        if match := _CRUMB.match(block, pos):
            pos, after_crumb = match.end(), True
            continue
        if match := _META.match(block, pos) or _PORTAL.match(block, pos):
            pos = match.end()
            continue
        if match := _WIDGETS.match(block, pos):
            pos = match.end()
            continue
        # The page header repeats the title just before the meta line; it is chrome there when it
        # follows a crumb or reads as a report title, never when it is a sentence.
        meta = _META.search(block, pos)
        if meta and meta.start() - pos <= 100:
            head = block[pos : meta.start()]
            if not _SENTENCE_END.search(head) and (after_crumb or _TITLE_END.search(head)):
                pos = meta.start()
                continue
        return block[pos:]


def _strip_suffix(block: str) -> tuple[str, bool]:
    """Remove the portal tail; also say whether it opened a related-links list."""
    for match in _TAIL_MARKER.finditer(block):
        if not _PROSE_END.search(block, match.end()):
            tail = block[match.start() :]
            return block[: match.start()].rstrip(), bool(_LINK_LIST.search(tail))
    return block, False


def _is_link_title(block: str) -> bool:
    """A line of a "相关阅读" list: short, not a sentence, not a heading of the report."""
    return len(block) <= 60 and not _SENTENCE_END.search(block) and not _HEADING_START.match(block)


def strip_boilerplate(blocks: Sequence[str]) -> list[str]:
    """Drop portal boilerplate blocks and cut boilerplate prefixes/suffixes off report blocks."""
    kept: list[str] = []
    in_link_list = False
    for raw in blocks:
        block = _HTML_COMMENT.sub("", raw).strip()
        if in_link_list:
            if _is_link_title(block):
                continue
            in_link_list = False
        block = _strip_prefix(block)
        block, in_link_list = _strip_suffix(block)
        block = block.strip()
        if block:
            kept.append(block)
    return kept
