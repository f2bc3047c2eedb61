"""Extractive answers: a figure exactly as printed, a yes/no from the sentence that says so, or the
best passages — each with the paragraph it comes from. When nothing in the reports answers the
question, say so and show the nearest passages: never a figure from another year or another topic.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from assistant.schemas import Answer, Citation, FigureAnswer, ReportRef, Understanding
from assistant.store.shelf import InMemoryShelf, Shelf
from assistant.tokens import bigram_tokens
from assistant.understanding.parse import CONCEPTS, DECISIVE, Question, concepts_in
from assistant.understanding.terms import Term, covers, opposite_in, part_words, topic_terms, uncovered
from ingest.model import Figure, Paragraph, Report, ReportMeta, TableCell
from ingest.numbers import UNITS as _UNIT_NAMES
from ingest.standard import T3_ROWS, t3_key

# Units that may answer each other. Money and percentages only answer money and percentages;
# the counting words of a question (几次, 几份, 几个) are loose, and 人 may ask for 件 (几个人申请).
_MONEY = {"元", "万元", "亿元"}
_PEOPLE = {"人", "人次", "位", "名"}
_DAYS = {"天", "工作日"}
_COUNTS = {"件", "条", "次", "回", "个", "份", "篇", "篇次", "项", "家", "起"}
# 几个人申请 counts requests: 人 may be answered in 件, but 名 (staff) may not.
# Issues (期), batches (批次) and sessions (场) are their own kinds: 几条信息 is never answered in 期.
_UNIT_FAMILIES = (_MONEY, {"%"}, _PEOPLE, {"人", "件"}, {"次", "回", "人次"}, {"次", "回", "场"}, {"场", "件", "起"}, {"期"}, {"批", "批次"},
                  _COUNTS, _DAYS)
_SAME_UNIT = ({"篇", "篇次"}, {"人", "人次", "位"}, {"件", "起"}, {"元", "万元", "亿元"}, {"批", "批次"})
_NEAR = 12  # characters before a figure that say what it counts
_STANDARD_CELL = re.compile(r"t[234]\.")
_NEGATION = re.compile(r"未|没有|无|暂不|不收|免费")
_SENTENCE = re.compile(r"[^。！？；;]+[。！？；;]?")
# Topics that split one total into parts: a figure for one part never answers another.
EXCLUSIVE = (frozenset({"予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"}),)
# Words of the question a figure's own words may leave out before it no longer answers: chosen on the
# development sets for no wrong figure first, coverage second (``nianbao eval --curve 0,1,2``).
MAX_UNCOVERED = 0.0
_MIN_OVERLAP = 0.34  # share of the question's bigrams a clause must hold when no topic decides
# The words of the genre itself (政府信息公开申请, 申请公开, 公开信息): nearly every clause of a report
# holds some of them, so they count for little when telling one figure from another.
_GENRE_BIGRAMS = frozenset(bigram_tokens("政府信息公开申请 申请公开 公开信息 信息公开"))
_GENRE_WEIGHT = 0.25


def units_compatible(asked: str | None, figure: Figure) -> bool:
    printed = figure.unit
    if asked is None:
        return printed != "%"
    if asked == printed:
        return True
    if figure.value == 0 and figure.qualifier == "" and not figure.as_printed[:1].isdigit():
        # A stated absence (未收到…) has no printed unit: it answers any count, or money for fees.
        return asked in _MONEY if printed in _MONEY else asked in _COUNTS | _PEOPLE | {"期", "场", "批", "批次"}
    return any(asked in family and printed in family for family in _UNIT_FAMILIES)


@dataclass(frozen=True)
class Evidence:
    report: Report
    paragraph: Paragraph
    score: float
    figure: Figure | None = None
    sentence: str = ""


_WEIGHTS_KEPT = 512  # reports whose weights stay computed


@dataclass(frozen=True)
class _ReportWeights:
    """What the matcher derives from one report, computed when a question first reads it."""

    # Bigram weights within the report: 当面 tells one of its figures from another, 公开/信息 tell
    # nothing. Per report, so what else is indexed never changes which figure answers.
    idf: dict[str, float]
    unseen: float
    # What the report's figures count, all together: a word of the question found here but not in
    # a figure's own words names a part that figure is not (当面 for a total of requests).
    figure_words: list[str]

    @classmethod
    def of(cls, report: Report) -> _ReportWeights:
        frequency: Counter[str] = Counter()
        for paragraph in report.paragraphs:
            frequency.update(set(bigram_tokens(paragraph.text)))
        total = max(1, len(report.paragraphs))
        return cls({b: math.log(1 + total / n) for b, n in frequency.items()}, math.log(1 + total),
                   [_figure_words(f) for f in report.figures])


class Answerer:
    def __init__(self, reports: Shelf | Sequence[Report], *, nearest: int = 5, max_uncovered: float = MAX_UNCOVERED) -> None:
        shelf = reports if isinstance(reports, Shelf) else InMemoryShelf(reports)
        self.reports: Mapping[str, Report] = shelf  # what answers are read from (a baseline narrows it)
        self._shelf = shelf  # every report whole: paragraphs by id, and the weights below
        self.max_uncovered = max_uncovered
        self.nearest = nearest  # passages a refusal shows (a table chunk alone holds dozens of row paragraphs)
        self._weights: OrderedDict[str, _ReportWeights] = OrderedDict()
        self._weights_lock = threading.Lock()
        self._distinguishing: dict[tuple[str, str], bool] = {}
        self._names = {n for m in shelf.metas for n in (m.agency, *m.aliases)}
        self._names_longest_first = sorted(self._names, key=len, reverse=True)

    @property
    def metas(self) -> list[ReportMeta]:
        """Every report's metadata (what questions are understood against)."""
        return self._shelf.metas

    def paragraph(self, paragraph_id: str) -> tuple[Report, Paragraph] | None:
        return self._shelf.paragraph(paragraph_id)

    def _paragraph_of(self, paragraph_id: str) -> Paragraph:
        found = self._shelf.paragraph(paragraph_id)
        if found is None:
            raise KeyError(paragraph_id)
        return found[1]

    def _report_weights(self, report_id: str) -> _ReportWeights:
        with self._weights_lock:
            if report_id in self._weights:
                self._weights.move_to_end(report_id)
                return self._weights[report_id]
        weights = _ReportWeights.of(self._shelf[report_id])
        with self._weights_lock:
            self._weights[report_id] = weights
            while len(self._weights) > _WEIGHTS_KEPT:
                self._weights.popitem(last=False)
        return weights

    def _names_a_part(self, report_id: str, word: str) -> bool:
        """Whether ``word`` is what some of the report's figures count and most do not (当面, 信函):
        a question naming it asks for that part. A word most figures share (申请) is the genre."""
        key = (report_id, word)
        if key not in self._distinguishing:
            words = self._report_weights(report_id).figure_words
            count = sum(1 for text in words if covers(text, word))
            if len(self._distinguishing) > 100_000:
                self._distinguishing.clear()
            self._distinguishing[key] = 0 < count <= max(2, 0.15 * len(words))
        return self._distinguishing[key]

    def coverage(self, question: Question, context: str, report: Report, loose: float | None = None) -> float | None:
        """How much of what the question names a figure's own words leave out (a penalty), or None
        when the figure is about something else: the question names a number it does not print, the
        opposite of what it counts, a part other figures are about, or a thing the report never says.

        ``loose``: the threshold for gathering candidates for a second reader (the optional LLM),
        who judges the words a clause leaves out: a part or an unsaid noun then costs a point."""
        penalty = 0.0
        # A topic's own words (申请, 复议, 粉丝 …) are matched by its synonyms in _topic_score and the
        # metric lexicon; coverage is about the rest of what the question names.
        topical = [w for c in question.concepts & DECISIVE for w in CONCEPTS[c]]
        if opposite_in(question.topic or question.text, context):
            return None
        for term in uncovered(topic_terms(question.topic or question.text), context):
            if term.word.isdigit():
                return None
            if any(w in term.word or term.word in w for w in topical):
                continue
            if self._names_a_part(report.id, term.word) or (term.strict and not covers(report.text, term.word)):
                if loose is None:
                    return None
                penalty += 1.0
                continue
            if not term.strict or not any(term.word in name for name in self._names):
                # an adverb or adjective that may narrow what is counted (当面, 完全, 平均), or a noun
                # the report says elsewhere (多少条文章 for 主动公开政府信息159条) — not a word of a
                # body's name (实验区), which says whose report, not what is counted
                penalty += 1.0
        return penalty if penalty <= (self.max_uncovered if loose is None else loose) else None

    def _weight(self, bigrams: set[str], report_id: str) -> float:
        weights = self._report_weights(report_id)
        idf, unseen = weights.idf, weights.unseen
        return sum(idf.get(b, unseen) * (_GENRE_WEIGHT if b in _GENRE_BIGRAMS else 1.0) for b in bigrams)

    # ---- scoring -------------------------------------------------------------------------

    def _topic_score(self, question: Question, q_bigrams: set[str], clause: str, sentence: str, section: str,
                     report_id: str, terms: tuple[Term, ...] = ()) -> float | None:
        """How well a clause matches the question's topics; None when it is about something else.

        Every decisive topic of the question (申请, 复议, 诉讼 …) must be in the clause, its sentence
        or its section; so must the other topics when no decisive one is asked.
        """
        in_clause, in_sentence, in_section = concepts_in(clause), concepts_in(sentence), concepts_in(section)
        asked = question.concepts & DECISIVE
        score = 0.0
        for concept in question.concepts:
            weight = 1.0 if concept in asked else 0.3
            if concept in in_clause:
                score += 3 * weight
            elif concept in in_sentence:
                score += 2 * weight
            elif concept in in_section:
                score += 1 * weight
            elif concept in asked:
                return None
            elif not asked:
                score -= 1.0  # a soft topic (发布, 信息, 网络) the clause may say in other words (公布 → 主动公开)
        extra = (in_clause & DECISIVE) - question.concepts
        if any(asked & group and extra & group for group in EXCLUSIVE):
            return None  # "予以公开及部分公开42件" counts two outcomes together: it answers neither
        if extra and asked - in_clause:
            return None  # the clause names what it counts, and it is something else
        score -= 1.5 * len(extra)
        q_weight = self._weight(q_bigrams, report_id) or 1.0
        overlap = self._weight(q_bigrams & set(bigram_tokens(clause)), report_id) / q_weight
        sentence_overlap = self._weight(q_bigrams & set(bigram_tokens(sentence)), report_id) / q_weight
        soft_said = not asked and question.concepts & (in_clause | in_sentence | in_section)
        # With no topic to decide, the clause must share enough of the question's words, or say
        # every content word it names (历年累计主动公开…837条 for 历年加起来一共主动公开过多少条).
        names_all = bool(terms) and not uncovered(terms, f"{clause} {sentence}")
        if not asked and not soft_said and not names_all and max(overlap, sentence_overlap) < _MIN_OVERLAP:
            return None
        return score + 5 * overlap + 1 * sentence_overlap

    def _question_bigrams(self, question: Question) -> set[str]:
        return set(bigram_tokens(_strip_identity(question.topic or question.text, self._names_longest_first)))

    def best_figures(self, question: Question, report_ids: Sequence[str], boosted: set[str],
                     loose: float | None = None) -> list[Evidence]:
        q_bigrams = self._question_bigrams(question)
        asked = asked_noun(question.topic or question.text)
        part = asked_part(question.topic or question.text)
        terms = topic_terms(question.topic or question.text)
        near_terms: dict[tuple[str, int], set[str]] = {}
        found: list[Evidence] = []
        for report_id in report_ids:
            report = self.reports[report_id]
            for figure in report.figures:
                if _STANDARD_CELL.match(figure.metric) or figure.value is None or not units_compatible(question.unit, figure):
                    continue  # the standard tables' cells are asked by their metric (finding)
                paragraph = self._paragraph_of(figure.paragraph_id)
                previous, sentence = ("", figure.context) if figure.cell else _sentence_at(paragraph, figure.start - paragraph.start)
                # The sentence before often names what this one goes on counting (…开通官方微信公众号，
                # 关注用户达1255人；截至目前累计总关注用户达1331人): it counts as the section does.
                section = " ".join((*paragraph.section_path, previous))
                if _REPORT_OUTLINE.search(sentence) or (figure.cell and not _asks_for_cell(question, figure.cell)):
                    continue
                score = self._topic_score(question, q_bigrams, figure.context, sentence, section, report.id, terms)
                if score is None:
                    continue
                penalty = self.coverage(question, f"{figure.context} {sentence} {section}", report, loose)
                if penalty is None or (part and not _names_part(figure.context, part)):
                    continue
                score -= penalty
                # What a figure counts is named right by it (累计发送了1603条信息, 关注用户达34641人):
                # the question's topics there outweigh the same topics elsewhere in the sentence.
                near = figure.context if figure.cell else \
                    figure.context[max(0, figure.context.find(figure.as_printed) - _NEAR):][: _NEAR + len(figure.as_printed) + 6]
                score += 1.5 * len(question.concepts & concepts_in(near))
                if asked and covers(near, asked):
                    score += 3  # 多少粉丝 → 关注用户达34641人, not 发送了1603条信息
                # A part or a running total (其中…, 其他…, 历年累计…) answers only a question that names it.
                score += 1.5 * sum(1 if re.search(asks, question.text) else -1 for w, asks in PART_WORDS.items() if w in near)
                if paragraph.id in boosted:
                    score += 0.5
                near_terms[(report.id, figure.start)] = {t.word for t in terms if covers(near, t.word)}
                if question.unit == figure.unit:
                    score += 3
                elif question.unit and any({question.unit, figure.unit} <= f for f in _SAME_UNIT):
                    score += 1.5
                found.append(Evidence(report, paragraph, score, figure, sentence))
        # A word of the question said right by one figure and by few others tells them apart (当面申请数18条
        # among 共收到申请21条，其中当面申请数18条).
        shared: Counter[str] = Counter(w for words in near_terms.values() for w in words)
        for i, e in enumerate(found):
            bonus = sum(3 / shared[w] for w in near_terms.get((e.report.id, e.figure.start), ()))  # type: ignore[union-attr]
            found[i] = Evidence(e.report, e.paragraph, e.score + bonus, e.figure, e.sentence)
        found.sort(key=lambda e: (-e.score, -e.report.meta.year, e.figure.start if e.figure else 0))
        return found

    def _sentences(self, report_ids: Sequence[str]):  # type: ignore[no-untyped-def]
        """Every body sentence of the reports: (report, paragraph, its section path as text, sentence)."""
        for report_id in report_ids:
            report = self.reports[report_id]
            for paragraph in report.paragraphs:
                if not paragraph.is_heading:
                    section = " ".join(paragraph.section_path)
                    for sentence in _SENTENCE.findall(paragraph.text):
                        yield report, paragraph, section, sentence

    def best_sentences(self, question: Question, report_ids: Sequence[str], boosted: set[str]) -> list[Evidence]:
        q_bigrams = self._question_bigrams(question)
        found: list[Evidence] = []
        for report, paragraph, section, sentence in self._sentences(report_ids):
            score = self._topic_score(question, q_bigrams, sentence, sentence, section, report.id)
            if score is None:
                continue
            found.append(Evidence(report, paragraph, score + (0.5 if paragraph.id in boosted else 0), sentence=sentence))
        found.sort(key=lambda e: (-e.score, -e.report.meta.year))
        return found

    # ---- answers -------------------------------------------------------------------------

    def answer(
        self, question: Question, *, report_ids: Sequence[str], retrieved: Sequence[str], refusal: str | None = None
    ) -> Answer:
        """``retrieved``: paragraph ids of the retrieved chunks, best first."""
        understanding = Understanding(
            intent=question.intent,  # type: ignore[arg-type]
            mode=question.mode,  # type: ignore[arg-type]
            metric=list(question.metric.keys) if question.metric else [],
            years=list(question.years),
            agency="、".join(question.agencies) or None,
            unknown_agency=question.unknown_agency,
            unit=question.unit,
            terms=list(question.terms),
        )
        nearest = self.nearest_passages(retrieved)
        if refusal:
            return self.refuse(question, refusal, understanding, nearest)
        if not _asks_anything(question):
            # 😀😀😀, '; DROP TABLE reports; --: nothing the reports could match; no passages either.
            return Answer(question=question.text, answered=False, text=NOT_A_QUESTION, confidence=0.0,
                          understanding=understanding)
        boosted = boosted_paragraphs(retrieved)
        if question.intent == "figure":
            return self._figure_answer(question, report_ids, boosted, understanding, nearest)
        if question.intent == "yesno":
            return self._yesno_answer(question, report_ids, boosted, understanding, nearest)
        return self._passage_answer(question, report_ids, boosted, understanding, nearest)

    # ---- passages: the one or two sentences that answer ----------------------------------

    def passage_candidates(self, question: Question, report_ids: Sequence[str], boosted: set[str]) -> list[Evidence]:
        """The sentences that may answer a how/what/where question, best first — scored by the
        question's words they cover and by what kind of passage is asked (a phone number, an address,
        next year's plans, the problems found)."""
        terms = topic_terms(question.topic or question.text)
        slots = [slot for slot in PASSAGE_SLOTS if slot.asked.search(question.text)]
        scored: list[Evidence] = []
        for report, paragraph, section, sentence in self._sentences(report_ids):
            covered = len(terms) - len(uncovered(terms, f"{sentence} {section}"))
            score = covered + 0.5 * len(question.concepts & concepts_in(sentence))
            for slot in slots:
                score += slot.answer_weight * bool(slot.answer.search(sentence))
                score += slot.section_weight * bool(slot.section.search(section))
            if _REPORT_OUTLINE.search(sentence):
                score -= 3  # 本报告包括总体情况、…存在的主要问题…: names every topic, answers none
            if any(f"{y}年" in sentence for y in question.years if y > report.meta.year):
                score += 2  # 2024年，我局将…: the year asked about, in the report before it
            if paragraph.id in boosted:
                score += 0.5
            if score >= 2:
                scored.append(Evidence(report, paragraph, score, sentence=sentence.strip()))
        scored.sort(key=lambda e: (-e.score, -e.report.meta.year, e.paragraph.index))
        return scored

    def _passage_answer(self, question, report_ids, boosted, understanding, nearest) -> Answer:  # type: ignore[no-untyped-def]
        """A how/what/where question: the one or two sentences that say it, with their section."""
        scored = self.passage_candidates(question, report_ids, boosted)
        if not scored:
            return self.refuse(question, "报告中没有找到能回答这个问题的句子。", understanding, nearest)
        first = scored[0]
        sentences = [s.strip() for s in _SENTENCE.findall(first.paragraph.text)]
        at = sentences.index(first.sentence) if first.sentence in sentences else len(sentences)
        # 下一步，我局将…：一是…二是…: the items that follow belong to the answer.
        following = [s for s in sentences[at + 1: at + 4] if _ENUMERATION.match(s)]
        best = [first, *(Evidence(first.report, first.paragraph, 0, sentence=s) for s in following)]
        # A second sentence that answers as well (the channels in 总体情况 and again in 主动公开) goes with
        # the first: which of two near-equal sentences wins must not decide whether the answer holds.
        runner_up = next((e for e in scored[1:] if e.report.id == first.report.id and e.sentence != first.sentence
                          and e.paragraph.id != first.paragraph.id), None)
        second = ""
        if runner_up and not following and runner_up.score >= first.score - 1.0:
            where = f"“{runner_up.paragraph.section_path[-1]}”" if runner_up.paragraph.section_path else ""
            second = f"又{where}：{runner_up.sentence}"
        section = f"“{first.paragraph.section_path[-1]}”" if first.paragraph.section_path else ""
        note = ""
        if question.years and first.report.meta.year not in question.years:
            note = f"（{question.years[0]}年的打算写在{first.report.meta.year}年的报告里。）"
        return Answer(
            question=question.text,
            answered=True,
            text=f"据《{first.report.meta.title}》{section}：{''.join(e.sentence for e in best)}{second}{note}",
            citations=[self.citation(first.report, first.paragraph)]
            + ([self.citation(runner_up.report, runner_up.paragraph)] if second and runner_up else []),
            report=report_ref(first.report),
            confidence=round(min(1.0, 0.3 + first.score / 10), 3),
            understanding=understanding,
        )

    # ---- figures: one report, several years, comparisons -----------------------------------

    def finding(self, question: Question, report: Report, boosted: set[str], loose: float | None = None) -> list[Evidence]:
        """What one report says for the question: table cell(s) when the question names a table
        metric the report has, else its best prose figure. Empty when the report does not say."""
        return self._finding(question, report, boosted, loose)[0]

    def _finding(self, question: Question, report: Report, boosted: set[str],
                 loose: float | None) -> tuple[list[Evidence], list[Evidence]]:
        """The finding, and the report's prose figures ranked (the runners-up a second reader may weigh)."""
        cells = []
        if question.metric:
            by_key = {f.metric: f for f in report.figures if f.metric}
            cells = [by_key[k] for key in question.metric.keys for k in _printed_keys(key, by_key)]
            if any(not units_compatible(question.unit, c) for c in cells if c.value is not None):
                cells = []  # 多少个项目 is not answered by an amount in 万元
            if question.unit == "条" and any(c.metric.startswith("t2.") and c.unit == "件" for c in cells):
                cells = []  # 行政许可类的信息有多少条 asks for disclosed items, not the decisions counted in 件
            words = " ".join(question.metric.words)
            part = asked_part(question.topic or question.text)
            if part and not any(w in part for w in question.metric.words) \
                    and not any(_names_part(f"{c.cell.row} {c.cell.column} {words}", part) for c in cells if c.cell):
                cells = []  # 18件申请里有几件是当面交的: the table does not split by what is asked
            if any(self.coverage(question, f"{c.cell.table} {c.cell.row} {c.cell.column} {words}", report, loose) is None
                   for c in cells if c.cell):
                cells = []  # the question names more than the cell counts (当面, 60岁以上)
        prose = self.best_figures(question, [report.id], boosted, loose)
        if cells:
            # The same number in a sentence reads better than table cells: cite the sentence when
            # it states exactly what the cells add up to (行政诉讼案件7件 = 5 direct + 2 after review).
            if prose and prose[0].figure and question.metric and any(w in prose[0].figure.context for w in question.metric.words) \
                    and _total([Evidence(report, prose[0].paragraph, 0, c) for c in cells]) == prose[0].figure.value:
                return prose[:1], prose
            return [Evidence(report, self._paragraph_of(c.paragraph_id), 10.0, c) for c in cells], prose
        return prose[:1], prose

    def figure_candidates(self, question: Question, report_ids: Sequence[str], boosted: set[str], *,
                          loose: float, limit: int) -> list[list[Evidence]]:
        """The figures that might answer, best first, each as the evidence it would be stated from:
        every report's finding and its runners-up, under a looser coverage threshold. For a second
        reader (the optional LLM) to choose among when the matcher is unsure; units and the reports
        in scope are checked as for any answer."""
        seen: set[tuple] = set()
        candidates: list[list[Evidence]] = []
        for report_id in report_ids:
            finding, prose = self._finding(question, self.reports[report_id], boosted, loose)
            for evidence in [finding, *([e] for e in prose[:limit])]:
                key = tuple((e.report.id, e.figure.metric, e.figure.start, e.figure.as_printed) for e in evidence if e.figure)
                if evidence and key not in seen:
                    seen.add(key)
                    candidates.append(evidence)
        candidates.sort(key=lambda f: (-f[0].score, -f[0].report.meta.year))
        return candidates[:limit]

    def unmentioned(self, question: Question, report_ids: Sequence[str]) -> list[str]:
        """What the question names that none of the reports says (a figure question is refused then)."""
        if question.concepts & DECISIVE or question.metric:
            return []
        return _unmentioned(question, [self.reports[r] for r in report_ids])

    def figure_answer(self, question: Question, understanding: Understanding, evidence: list[Evidence], *,
                      confidence: float) -> Answer:
        """The answer stating ``evidence`` (one finding) as printed, with where it is printed."""
        return self._answer(question, understanding, text=self._statement(evidence, with_source=True),
                            evidence=evidence, confidence=confidence)

    def _figure_answer(self, question, report_ids, boosted, understanding, nearest) -> Answer:  # type: ignore[no-untyped-def]
        reports = [self.reports[r] for r in report_ids]
        unknown = self.unmentioned(question, report_ids)
        if unknown:
            return self.refuse(question, f"报告中没有提到“{unknown[0]}”。", understanding, nearest)
        if question.mode != "single":
            return self._years_answer(question, reports, boosted, understanding, nearest)
        findings = [f for f in (self.finding(question, r, boosted) for r in reports) if f]
        if not findings:
            unread = [r for r in reports if question.metric and any(_row_of(k) in i for k in question.metric.keys for i in r.table_issues)]
            reason = (f"《{unread[0].meta.title}》表格中这一行的数字粘连在一起，无法唯一确定，因此没有读取。"
                      if unread else "报告中没有找到这个问题所问的数字。")
            return self.refuse(question, reason, understanding, nearest)
        findings.sort(key=lambda f: (-f[0].score, -f[0].report.meta.year))
        best = findings[0]
        runner_up = next((f for f in findings[1:] if f[0].figure.value != best[0].figure.value), None)  # type: ignore[union-attr]
        margin = best[0].score - runner_up[0].score if runner_up else best[0].score
        return self.figure_answer(question, understanding, best, confidence=max(0.3, min(1.0, 0.5 + margin / 6)))

    def _years_answer(self, question, reports, boosted, understanding, nearest) -> Answer:  # type: ignore[no-untyped-def]
        by_year: dict[int, list[Evidence]] = {}
        for report in sorted(reports, key=lambda r: r.meta.year):
            found = self.finding(question, report, boosted)
            if found and (report.meta.year not in by_year or found[0].score > by_year[report.meta.year][0].score):
                by_year[report.meta.year] = found
        asked = list(question.years) if question.years else sorted({r.meta.year for r in reports})
        missing = [y for y in asked if y not in by_year]
        present = [y for y in asked if y in by_year]
        gap = f"报告中没有{'、'.join(f'{y}年' for y in missing)}的这项数据。" if missing else ""
        if not present:
            return self.refuse(question, gap or "报告中没有找到这个问题所问的数字。", understanding, nearest)
        evidence = [e for y in present for e in by_year[y]]
        several = len({by_year[y][0].report.meta.agency for y in present}) > 1
        lines = [f"{y}年{'（' + by_year[y][0].report.meta.agency + '）' if several else ''}：{self._statement(by_year[y])}"
                 for y in present]
        if question.mode == "compare":
            if missing:
                answer = self._answer(question, understanding, text="\n".join(lines + [gap + "无法比较。"]),
                                      evidence=evidence, confidence=0.0)
                answer.answered = False
                return answer
            (a, b) = (by_year[question.years[0]], by_year[question.years[1]])
            va, vb = _total(a), _total(b)
            if va is None or vb is None:
                verdict = "其中一年该项不适用，无法比较。"
            elif va == vb:
                verdict = f"{question.years[0]}年与{question.years[1]}年持平。"
            else:
                more = "多" if va > vb else "少"
                verdict = (f"{question.years[0]}年比{question.years[1]}年{more}"
                           f"{_fmt(abs(va - vb))}{a[0].figure.unit}。")  # type: ignore[union-attr]
            lines.append(verdict)
        if question.mode == "extreme":
            valued = [(y, _total(by_year[y])) for y in present if _total(by_year[y]) is not None]
            if valued:
                pick = max if question.extreme == "max" else min
                target = pick(v for _, v in valued)
                winners = [y for y, v in valued if v == target]
                word = "最多" if question.extreme == "max" else "最少"
                lines.append(f"在已有数据的{len(valued)}个年份中，{'、'.join(f'{y}年' for y in winners)}{word}。")
        if gap:
            lines.append(gap)
        return self._answer(question, understanding, text="\n".join(lines), evidence=evidence,
                            confidence=0.8 if not missing else 0.6)

    def _statement(self, evidence: list[Evidence], *, with_source: bool = False) -> str:
        """The figure(s) as printed, and where they are printed."""
        first = evidence[0]
        parts = []
        for e in evidence:
            figure = e.figure
            assert figure is not None
            if figure.cell:
                label = f"{figure.cell.row}（{figure.cell.column}）" if len(evidence) > 1 or with_source else ""
                shown = "“/”，不适用" if figure.value is None else f"{_fmt(figure.value)}{figure.unit}"
                parts.append(f"{label}{'：' if label else ''}{shown}")
            else:
                value = _fmt(figure.value) if figure.value is not None else ""
                plain = f"{value}{figure.unit}"
                parts.append(figure.as_printed + ("" if figure.as_printed == plain else f"（即{plain}{'，约数' if figure.qualifier else ''}）"))
        text = "；".join(parts)
        total = _total(evidence) if len(evidence) > 1 else None
        if total is not None:
            # The table splits what was asked (行政诉讼: direct and after reconsideration): the total
            # is the sum of the cited cells, and the cells are shown with it.
            text = f"共{_fmt(total)}{first.figure.unit}（{text}）"  # type: ignore[union-attr]
        if not with_source:
            return text
        meta = first.report.meta
        if first.figure and first.figure.cell:
            return f"{text}。据《{meta.title}》表“{first.figure.cell.table}”。"
        section = f"“{first.paragraph.section_path[-1]}”" if first.paragraph.section_path else ""
        return f"{text}。据《{meta.title}》{section}：{first.sentence.strip()}"

    def _answer(self, question: Question, understanding: Understanding, *, text: str, evidence: list[Evidence], confidence: float) -> Answer:
        figures = []
        citations: list[Citation] = []
        total = _total(evidence) if question.mode == "single" and len(evidence) > 1 else None
        if total is not None:
            first = evidence[0]
            cell = first.figure.cell  # type: ignore[union-attr]
            figures.append(
                FigureAnswer(
                    as_printed="+".join(e.figure.as_printed for e in evidence),  # type: ignore[union-attr]
                    value=_fmt(total),
                    unit=first.figure.unit,  # type: ignore[union-attr]
                    label="合计（表中各项之和）: " + " + ".join(e.figure.context for e in evidence),  # type: ignore[union-attr]
                    report_id=first.report.id,
                    year=first.report.meta.year,
                    paragraph_id=first.paragraph.id,
                    table=cell.table if cell else None,
                    row=question.metric.label if question.metric else None,
                    column="合计",
                    ocr=any(e.paragraph.ocr for e in evidence),
                )
            )
        for e in evidence:
            figure = e.figure
            assert figure is not None
            figures.append(
                FigureAnswer(
                    as_printed=figure.as_printed,
                    value="" if figure.value is None else _fmt(figure.value),
                    unit=figure.unit,
                    qualifier=figure.qualifier,
                    label=figure.context,
                    report_id=e.report.id,
                    year=e.report.meta.year,
                    paragraph_id=e.paragraph.id,
                    table=figure.cell.table if figure.cell else None,
                    row=figure.cell.row if figure.cell else None,
                    column=figure.cell.column if figure.cell else None,
                    ocr=e.paragraph.ocr,
                )
            )
            citation = self.citation(e.report, e.paragraph, figure)
            if all(c.paragraph_id != citation.paragraph_id for c in citations):
                citations.append(citation)
        return Answer(
            question=question.text,
            answered=True,
            text=text,
            figures=figures,
            citations=citations,
            report=report_ref(evidence[-1].report),
            confidence=round(confidence, 3),
            understanding=understanding,
        )

    def _yesno_from_table(self, question: Question, report_ids: Sequence[str], understanding: Understanding) -> Answer | None:
        """有没有被复议/起诉: the table's cells say it (总计 0 is 否), when the report has them."""
        if not question.metric or question.metric.keys[0].split(".")[0] != "t4":
            return None
        keys = list(question.metric.keys)
        if {"复议", "诉讼"} <= question.concepts:  # 复议或者被告: either counts
            keys = list(dict.fromkeys([k.replace(k.split(".")[1], g) for k in keys
                                       for g in ("reconsideration", "litigation_direct", "litigation_after_reconsideration")]))
        for report_id in report_ids:
            report = self.reports[report_id]
            by_key = {f.metric: f for f in report.figures if f.metric}
            asked = keys
            if not any(k in by_key for k in keys):
                # before 2019 the table counted 行政复议数 and 行政诉讼数 in one row each, this year's column
                asked = list(dict.fromkeys(_OLD_TABLE_ROW[k.split(".")[1]] for k in keys if k.endswith(".total")))
            cells = [by_key[k] for k in asked if k in by_key and by_key[k].value is not None]
            if not cells:
                continue
            evidence = [Evidence(report, self._paragraph_of(c.paragraph_id), 10.0, c) for c in cells]
            total = _total(evidence) or 0
            answer = self._answer(question, understanding, text="", evidence=evidence, confidence=0.9)
            verdict = "是" if total > 0 else "否"
            answer.text = f"{verdict}。{self._statement(evidence, with_source=True)}"
            return answer
        return None

    def _yesno_answer(self, question, report_ids, boosted, understanding, nearest) -> Answer:  # type: ignore[no-untyped-def]
        from_table = self._yesno_from_table(question, report_ids, understanding)
        if from_table:
            return from_table
        decisive = question.concepts & DECISIVE
        candidates = [c for c in self.best_sentences(question, report_ids, boosted)
                      if decisive <= concepts_in(c.sentence) and not _REPORT_OUTLINE.search(c.sentence)
                      and not _TABLE_RUN.search(c.sentence)
                      and self.coverage(question, f"{c.sentence} {' '.join(c.paragraph.section_path)}", c.report) is not None]
        if not candidates:
            return self.refuse(question, "报告中没有找到能回答这个问题的内容。", understanding, nearest)
        # A sentence that says no outright (不收取费用, 无提起行政诉讼的情况) settles it over one that only
        # mentions the topic with the same score (…超过合理范围的，将收取信息处理费).
        top = [c for c in candidates if c.score >= candidates[0].score - 1.0]
        best = next((c for c in top if _NEGATION.search(c.sentence)), candidates[0])
        figures = [f for f in best.report.figures if f.paragraph_id == best.paragraph.id and f.as_printed in best.sentence]
        positive = any(f.value is not None and f.value > 0 for f in figures if f.unit != "%")
        says_no = not positive and bool(_NEGATION.search(best.sentence))
        verdict = "否" if says_no else "是"
        meta = best.report.meta
        return Answer(
            question=question.text,
            answered=True,
            text=f"{verdict}。据《{meta.title}》：{best.sentence.strip()}",
            citations=[self.citation(best.report, best.paragraph)],
            report=report_ref(best.report),
            confidence=round(max(0.3, min(1.0, best.score / 6)), 3),
            understanding=understanding,
        )

    def refuse(self, question: Question, reason: str, understanding: Understanding, nearest: list[Citation]) -> Answer:
        return Answer(
            question=question.text,
            answered=False,
            text=f"报告中没有说明。{reason}" + ("以下是最接近的段落，供参考。" if nearest else ""),
            confidence=0.0,
            understanding=understanding,
            nearest=nearest,
        )

    # ---- citations -----------------------------------------------------------------------

    def citation(self, report: Report, paragraph: Paragraph, figure: Figure | None = None) -> Citation:
        highlight = [figure.start - paragraph.start, figure.end - paragraph.start] if figure and not figure.cell else None
        return Citation(
            report_id=report.id,
            agency=report.meta.agency,
            year=report.meta.year,
            title=report.meta.title,
            section_path=list(paragraph.section_path),
            paragraph_id=paragraph.id,
            text=paragraph.text,
            start=paragraph.start,
            end=paragraph.end,
            highlight=highlight,
            ocr=paragraph.ocr,
        )

    def nearest_passages(self, retrieved: Sequence[str]) -> list[Citation]:
        """What a refusal shows: the first distinct body paragraphs of the retrieved chunks."""
        return self._citations(retrieved)[: self.nearest]

    def _citations(self, paragraph_ids: Sequence[str]) -> list[Citation]:
        citations = []
        for pid in dict.fromkeys(paragraph_ids):
            found = self.paragraph(pid)
            if found is None:  # its report was removed since it was retrieved
                continue
            report, paragraph = found
            if not paragraph.is_heading:
                citations.append(self.citation(report, paragraph))
        return citations


_OLD_TABLE_ROW = {"reconsideration": "t0.reconsideration.year", "litigation_direct": "t0.litigation.year",
                  "litigation_after_reconsideration": "t0.litigation.year"}


@dataclass(frozen=True)
class PassageSlot:
    """A kind of passage people ask for: how they ask, what the answer looks like, where it stands."""

    asked: re.Pattern[str]
    answer: re.Pattern[str]
    section: re.Pattern[str]
    answer_weight: float = 4.0
    section_weight: float = 0.0


# Plans are said in the future tense (下一步, 我局将认真落实, 将进一步): 进一步推进 alone may be the past year's work.
PLANS = PassageSlot(re.compile(r"打算|计划|下一步|以后|今后|明年|改进|怎么做|如何做|准备"),
                    re.compile(r"下一步|今后|(?:将|要)(?:进一步|继续|持续|认真|着力|加强|不断|切实|深入|全面|围绕)|计划|打算"),
                    re.compile(r"改进|下一步|计划|打算|措施|思路|工作安排"), 2.0, 3.0)
_ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]是|（[一二三四五六七八九十]）|\d+[.、])")
# How the report describes itself (报告全文由…共6个部分组成, 本报告中所列数据): never an answer.
# A table row printed as text (4.无正当理由大量反复申请 0 0 0 0 0 0 0, 行政诉讼数件00): its cells say
# yes or no only through the table reader, never as a sentence.
_TABLE_RUN = re.compile(r"(?:\d+\s+){3,}\d+|[条件元]\d{2,}(?!\d*[条件元年月日%])")
_REPORT_OUTLINE = re.compile(r"(?:本|年度)?(?:报告|年报)(?:全文)?(?:包括|由|分为)|(?:报告|年报)中?所列数据")
PASSAGE_SLOTS = (
    PassageSlot(re.compile(r"电话|号码|热线|打哪|联系方式"), re.compile(r"\d{3,4}-\d{7,8}|电话[:：]?\s*\d{7,}"), re.compile(r"$^")),
    PassageSlot(re.compile(r"地址|在哪|哪里办公|哪个楼|在什么地方|位置"), re.compile(r"地址|号楼|\d+号|\d+层"), re.compile(r"$^")),
    PLANS,
    PassageSlot(re.compile(r"问题|不足|短板|差距|毛病"), re.compile(r"存在.{0,6}(问题|不足)|不足|不够|较弱|单一"),
                re.compile(r"存在.{0,6}问题|不足"), 1.0, 3.0),
    PassageSlot(re.compile(r"渠道|途径|平台|通过什么|哪些方式"), re.compile(r"(?:通过|利用|依托|借助).{0,30}(网|报|公众号|平台|栏|媒体)"),
                re.compile(r"平台|渠道|载体|形式"), 2.0, 1.0),
)


# Words that make a figure a part of a total, or a total over years, each with how a question asks
# for it (一年涨了多少粉 asks for 新增关注用户, 从开通到现在 for 累计总关注用户).
PART_WORDS = {
    "其中": "其中",
    "其他": "其他|别的",
    "累计": "累计|历年|至今|到现在|以来|加起来|总共有",
    "历年": "历年|累计|以来|加起来",
    "新增": "新增|新|增|涨",
    "合计": "合计|加起来",
}
_ASKED_NOUN = re.compile(r"(?:多少|几)(?:" + "|".join(sorted(_UNIT_NAMES, key=len, reverse=True)) + r")?(?P<noun>[\u4e00-\u9fff]{2,8})")
_ASKED_NOUN_END = re.compile(r"[的了吗呢啊吧是在有和与].*$")


# “N件申请里有几件是Y的”, “申请里Y的有几条”: the question asks for a part Y of a total.
_ASKED_PART = (
    re.compile(r"(?:里|中|当中)(?:面)?[，,]?\s*(?:一共|总共|共)?(?:有)?(?:多少|几)[件份条个位名人次]?(?:是|为)(?P<part>[\u4e00-\u9fff]{2,10}?)(?:的|$|[?？])"),
    re.compile(r"(?:里|中|当中)(?:面)?[，,]?\s*(?P<part>[\u4e00-\u9fff]{2,10}?)的(?:一共|总共|共)?(?:有)?(?:多少|几)"),
    re.compile(r"其中(?P<part>[\u4e00-\u9fff]{2,10}?)的?(?:一共|总共|共)?(?:有|占|是)?(?:多少|几)"),
)


def asked_part(topic: str) -> str:
    for pattern in _ASKED_PART:
        if match := pattern.search(topic):
            return match["part"]
    return ""


def _names_part(text: str, part: str) -> bool:
    """Whether a figure's own words name the part asked for: each of its nouns and modifiers."""
    words = part_words(part)
    return all(covers(text, w) for w in words) if words else covers(text, part)


def asked_noun(topic: str) -> str:
    """What the question counts, in its words: 有多少粉丝 → 粉丝, 多少批不合格 → 不合格."""
    match = _ASKED_NOUN.search(topic)
    if not match:
        return ""
    noun = _ASKED_NOUN_END.sub("", match["noun"])
    return noun if len(noun) >= 2 else ""


def _figure_words(figure: Figure) -> str:
    """What a figure counts in the report's words: its clause, or its table, row and column."""
    if figure.cell:
        return f"{figure.cell.row} {figure.cell.column}"
    return figure.context


def _sentence_at(paragraph: Paragraph, offset: int) -> tuple[str, str]:
    """The sentence at ``offset`` and the one before it in the paragraph ("" for the first)."""
    previous = ""
    for match in _SENTENCE.finditer(paragraph.text):
        if match.start() <= offset < match.end():
            return previous, match.group()
        previous = match.group()
    return "", paragraph.text


def _strip_identity(text: str, names_longest_first: Sequence[str]) -> str:
    """The question without its agency names and years, which say which report, not what figure."""
    for name in names_longest_first:
        if name in text:
            text = text.replace(name, "")
    return re.sub(r"(?:19|20)\d{2}\s*年度?|[〇零一二三四五六七八九]{4}年|多少|是否|有没有|几", "", text)


NOT_A_QUESTION = "请就政府信息公开工作年度报告提问，例如“2023年某某局收到多少件政府信息公开申请？”。"


def _asks_anything(question: Question) -> bool:
    """Whether the question has a word the reports could match: a topic, a table metric, or a
    content word in Chinese (years and agency names alone ask nothing)."""
    return bool(question.concepts or question.metric or topic_terms(question.topic or question.text)
                or (question.years and re.search(r"[\u4e00-\u9fff]{2}", question.topic or question.text)))


def _unmentioned(question: Question, reports: Sequence[Report]) -> list[str]:
    """Nouns of the question's topic that no candidate report says, even abbreviated (短视频, 专职,
    年纪): the reports cannot state a figure about them. Only asked of questions without a decisive
    topic; those are matched by their topic's synonyms instead."""
    return [t.word for t in topic_terms(question.topic or question.text)
            if t.strict and not t.word.isdigit() and not any(covers(r.text, t.word) for r in reports)]


def _asks_for_cell(question: Question, cell: TableCell) -> bool:
    """A sub-row (其中：当面申请数) answers only a question that names it, the 历年累计 column only
    one that asks for a running total: a table's part never stands in for the total asked."""
    asked = question.topic or question.text
    if "累计" in cell.column and not re.search(PART_WORDS["累计"], asked):
        return False
    if "其中：" in cell.row:
        part = topic_terms(cell.row.rsplit("其中：", 1)[1])
        return any(covers(asked, t.word) for t in part if t.word not in CONCEPTS["申请"])
    return True


def _printed_keys(key: str, by_key: dict[str, Figure]) -> list[str]:
    """The cells that hold ``key``: itself, or the sub-rows that add up to it when the table prints
    only those (the 2021 revision splits （六）其他处理 into three rows and prints no row of its own)."""
    if key in by_key:
        return [key]
    table, *row, column = key.split(".")
    if table != "t3":
        return []
    parts = [t3_key(r.key, column) for r in T3_ROWS if r.group == ".".join(row)]
    return parts if parts and all(k in by_key for k in parts) else []


def _row_of(key: str) -> str:
    """t2.s20_1.normative_documents.made → t2.s20_1.normative_documents (how table issues name rows)."""
    return key.rsplit(".", 1)[0]


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _total(evidence: list[Evidence]) -> Decimal | None:
    """A year's figure for comparing years: the cell itself, or the sum of the cells it is split into."""
    values = [e.figure.value for e in evidence if e.figure]
    if any(v is None for v in values):
        return None
    return sum(values, Decimal(0))  # type: ignore[arg-type]


def boosted_paragraphs(retrieved: Sequence[str]) -> set[str]:
    """The retrieved paragraphs that earn a candidate a small bonus: those of the best chunks."""
    return set(retrieved[:12])


def report_ref(report: Report) -> ReportRef:
    return ReportRef(id=report.id, agency=report.meta.agency, year=report.meta.year, title=report.meta.title)
