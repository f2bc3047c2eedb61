"""Which body a question names, as people name it: 市监局 for 平潭综合实验区市场监督管理局, 卫健委
for 卫生健康委员会, 平潭政府 for 平潭县人民政府 — matched with a score, never guessed.

A name in the question is split into the place it names (optional) and the body. The body matches
an agency when it is the agency's own name without its place, or an abbreviation of it: the same
first character, its characters in the same order, the same kind of body at the end (局, 委, 厅 …).
A place that is not the agency's place (国家卫健委 is no city's 卫生健康委员会) never matches. No match
means the reports have no such body; two different bodies matching equally well mean the question
is ambiguous — both end in a refusal that says so.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from jieba import posseg

from assistant.understanding.directory import directory
from ingest.model import ReportMeta

# A body named in the question: …厅/局/委员会/委/署/办公室/片区, or a place's government (鹭汀县人民政府)
# — never the 政府 of 政府信息, nor 委托, 办理, 局面 ….
_AGENCY_WORD = re.compile(
    r"[\u4e00-\u9fa5]{1,12}?(?:办公室|委员会|管委会|(?<![大餐客展])厅|局(?!面|势)|(?<![内全外局支细干])部(?![分门署位])|委(?!托|员|屈)|署|片区(?!管理局))"
    r"|[\u4e00-\u9fa5]{2,4}?(?:省|市|县|区|镇|乡)(?:人民)?政府(?!信息)"
)
# A place at the start of a name: 清河市, 鹭汀县, 平潭综合实验区, 福建省.
_PLACE = re.compile(r"^(?:(?P<zone>[\u4e00-\u9fa5]{2})(?P<zkind>综合实验区|新区|开发区|高新区)|(?P<place>[\u4e00-\u9fa5]{2,3}?)(?P<kind>省|市|县|区|自治区|自治州))")
# Words a question may put before a name without changing it (2017年找市监局, 我想问一下市监局, 对交建局的…):
# jieba's parts of speech for verbs, pronouns, numerals, prepositions, adverbs, conjunctions, particles.
_FUNCTION_TAGS = ("v", "r", "m", "q", "p", "d", "c", "u", "y", "e", "an", "ad", "vg", "x", "t", "f")
_FILLERS = frozenset({"问下", "一下", "下", "年", "年度", "的", "底", "那", "这"})
# Joining words the public and the reports use interchangeably inside a name (自然资源和/与生态环境局).
_JOINERS = re.compile(r"[和与及、]")
# The kinds of body, by the last character(s) of a name; 委 abbreviates 委员会, 办 办公室.
_KINDS = (("委员会", "委"), ("办公室", "办"), ("管理局", "局"), ("管委会", "管委会"), ("局", "局"), ("厅", "厅"), ("委", "委"),
          ("署", "署"), ("部", "部"), ("办", "办"), ("片区", "片区"), ("政府", "政府"))
# Names that are only a kind of body, the report's own body (本局, 我厅) or any government: they name none.
_GENERIC = frozenset({"办公室", "委员会", "管委会", "局", "委", "厅", "办", "署", "政府", "人民政府", "片区"})
_SELF = re.compile(r"[本我该此贵](?:局|厅|委|办|署|机关)$")


def place_of(agency: str) -> str | None:
    """清河市教育局 → 清河: the place an agency belongs to, if its name starts with one."""
    match = _PLACE.match(agency)
    return (match["zone"] or match["place"]) if match else None


def _place_forms(agency: str) -> tuple[str, str]:
    """(the agency's place as printed, the body after it): 平潭综合实验区市场监督管理局 →
    (平潭综合实验区, 市场监督管理局); 鹭汀县人民政府 → (鹭汀县, 人民政府)."""
    match = _PLACE.match(agency)
    if not match:
        return "", agency
    return match.group(), agency[match.end():]


@functools.lru_cache(maxsize=65536)  # asked of every candidate body of every name in every question
def place_names(agency: str) -> tuple[str, ...]:
    """How a question may name the agency's place: 平潭综合实验区, 平潭实验区, 平潭, 实验区, 综合实验区."""
    match = _PLACE.match(agency)
    if not match:
        return ()
    if match["zone"]:
        names = {match.group(), match["zone"], match["zone"] + "实验区" if match["zkind"] == "综合实验区" else "",
                 match["zkind"], "实验区" if match["zkind"] == "综合实验区" else ""}
    else:
        names = {match.group(), match["place"], match["kind"]}
    return tuple(sorted((n for n in names if n), key=len, reverse=True))


def _kind(name: str) -> str:
    return next((short for long, short in _KINDS if name.endswith(long)), "")


@functools.lru_cache(maxsize=65536)
def _bodies(agency: str) -> tuple[str, ...]:
    """The agency's body as a question may say it in full: 市场监督管理局; 海坛片区管理局 and 海坛片区;
    人民政府 and 政府 for a place's government (and the government itself for a bare place name)."""
    _, body = _place_forms(agency)
    body = body.strip()
    names = {body} if body else {"人民政府"}
    if body.endswith("管理局") and len(body) > 5:
        names.add(body[: -len("管理局")])  # 海坛片区管理局 → 海坛片区
    if body.endswith("人民政府") or not body:
        names |= {n.replace("人民政府", "政府") for n in names} | {"人民政府", "政府"}
    return tuple(_JOINERS.sub("", n) for n in names if n)


def _is_subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(ch in rest for ch in short)


def _body_score(said: str, body: str) -> float:
    """How well ``said`` (a body without its place) names ``body``: 3 the same, 2 an abbreviation
    (市监局, 卫健委, 社事局), 0 not at all."""
    if said == body:
        return 3.0
    if len(said) < 3 or said[0] != body[0] or _kind(said) != _kind(body) or not _kind(said):
        return 0.0
    return 2.0 + len(said) / len(body) if _is_subsequence(said, body) else 0.0


def _name_score(said: str, agency: str) -> float:
    """How well a name from the question names ``agency`` (0: it does not)."""
    said = _JOINERS.sub("", said)
    own_places = place_names(agency)
    candidates = [(said, 0.0)] + [(said[len(p):], 0.5) for p in own_places if said.startswith(p) and len(said) > len(p)]
    best = 0.0
    for rest, bonus in candidates:
        for body in _bodies(agency):
            score = _body_score(rest, body)
            if score:
                best = max(best, score + bonus)
    return best


@dataclass(frozen=True)
class AgencyMatch:
    """What a question says about agencies: the ones it names (best match first), the wider set a
    place name covers (平潭 names the area and the county), a name no report has, or the bodies an
    ambiguous name fits."""

    agencies: tuple[str, ...] = ()
    loose: tuple[str, ...] = ()
    unknown: str | None = None
    ambiguous: tuple[str, ...] = ()
    span: tuple[int, int] | None = None  # where the question says the (first) name


def agency_mentions(text: str) -> list[tuple[int, int]]:
    """Where the question names a body (2017年找市场监管局 → the span of 市场监管局's run)."""
    return [m.span() for m in _AGENCY_WORD.finditer(text)]


def _is_function(token) -> bool:  # type: ignore[no-untyped-def]
    return token.flag.startswith(_FUNCTION_TAGS) or token.word in _FILLERS


@functools.lru_cache(maxsize=4)
def _by_first_character(agencies: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """first character → the agencies a name starting with it can score for: a body must begin
    with the name's first character (after the agency's own place, itself indexed by its first)."""
    index: dict[str, dict[str, None]] = {}
    for agency in agencies:
        for start in (*_bodies(agency), *place_names(agency)):
            index.setdefault(start[:1], {})[agency] = None
    return {first: tuple(found) for first, found in index.items()}


def _candidates(said: str, agencies: tuple[str, ...]) -> tuple[str, ...]:
    said = _JOINERS.sub("", said)
    return _by_first_character(agencies).get(said[:1], ())


def _resolve_word(word: str, agencies: tuple[str, ...]) -> tuple[str, list[str]]:
    """(the name as the question says it, the agencies it names best) for one name in the question.
    The run the pattern caught may begin with other words (2017年找市监局, 复议机关是不是维持了市监局):
    the longest tail that names an agency wins when a function word (找, 了, 跟 …) or nothing stands
    before it — never a place or another noun (国家卫健委, 霁川市监局 name other bodies). With no
    match, the name is the tail after the last function word."""
    for i in range(len(word)):
        said = word[i:]
        scores = {a: s for a in _candidates(said, agencies) if (s := _name_score(said, a))}
        if not scores:
            continue
        before = posseg.lcut(word[:i])
        if before and not _is_function(before[-1]):
            break
        top = max(scores.values())
        return said, [a for a, s in scores.items() if s == top]
    tokens = posseg.lcut(word)
    start = max((i + 1 for i, t in enumerate(tokens) if _is_function(t)), default=0)
    return "".join(t.word for t in tokens[min(start, len(tokens) - 1):]), []


# A quoted name (“食安平潭”视频号, 《问政平潭》) is the name of a thing, not of the body asked about.
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|「[^」]*」|\"[^\"]*\"")


def resolve_agency(text: str, reports: Sequence[ReportMeta]) -> AgencyMatch:
    text = _QUOTED.sub(lambda m: " " * len(m.group()), text)
    known = directory(reports)
    agencies = known.agencies
    named: list[str] = []
    first: tuple[int, int] | None = None
    for start, end in agency_mentions(text):
        if _SELF.search(text[start:end]):
            continue  # 媒体报道本局工作: the report's own body
        said, best = _resolve_word(text[start:end], agencies)
        if said in _GENERIC or not said:
            continue
        span = (end - len(said), end)
        if not best:
            return AgencyMatch(unknown=said, span=span)
        if len(best) > 1 and not set(best) & set(named):
            return AgencyMatch(unknown=said, ambiguous=tuple(best), span=span)
        named.extend(a for a in best if a not in named)
        first = first or span
    if named:
        return AgencyMatch(agencies=tuple(named), loose=tuple(named), span=first)
    # No body named: a place alone (平潭2021年…, 清河教育公众号) names that place's agencies — a
    # government first, by its longest alias in the question.
    matched: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    for agency, aliases in known.aliases:
        # A body that is a place (平潭综合实验区) is named by the kind of place too: 实验区, 综合实验区.
        own = [n for n in place_names(agency) if len(n) >= 3] if not _place_forms(agency)[1] else []
        for alias in (agency, *aliases, *own):
            if alias and (at := text.find(alias)) >= 0 and len(alias) > matched.get(agency, 0):
                matched[agency] = len(alias)
                spans[agency] = (at, at + len(alias))
    if matched:
        longest = max(matched.values())
        best = tuple(a for a, n in matched.items() if n == longest)
        return AgencyMatch(agencies=best, loose=tuple(matched), span=spans[best[0]])
    by_place: dict[str, tuple[int, int]] = {}
    for agency in agencies:
        if (place := place_of(agency)) and (at := text.find(place)) >= 0:
            whole = _PLACE.match(agency)
            printed = whole.group() if whole and text.startswith(whole.group(), at) else place
            by_place.setdefault(agency, (at, at + len(printed)))
    names = tuple(by_place)
    return AgencyMatch(agencies=names, loose=names, span=by_place[names[0]] if names else None)
