"""Extractive answers: a figure exactly as printed, a yes/no from the sentence that says so, or the
best passages — each with the paragraph it comes from. When nothing in the reports answers the
question, say so and show the nearest passages: never a figure from another year or another topic.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.question import DECISIVE, Question, concepts_in
from assistant.retrieval import bigram_tokens
from assistant.schemas import Answer, Citation, FigureAnswer, ReportRef, Understanding
from ingest.model import Figure, Paragraph, Report

# Units that may answer each other. Money and percentages only answer money and percentages;
# the counting words of a question (几次, 几份, 几个) are loose, and 人 may ask for 件 (几个人申请).
_MONEY = {"元", "万元", "亿元"}
_PEOPLE = {"人", "人次", "位", "件"}
_COUNTS = {"件", "条", "次", "个", "份", "篇", "篇次", "项", "场", "期", "家", "起", "批"}
_UNIT_FAMILIES = (_MONEY, {"%"}, _PEOPLE, _COUNTS)
_SAME_UNIT = ({"篇", "篇次"}, {"人", "人次", "位"}, {"件", "起"}, {"元", "万元", "亿元"})
_NEGATION = re.compile(r"未|没有|无|暂不|不收|免费")
_SENTENCE = re.compile(r"[^。！？；;]+[。！？；;]?")
# Topics that split one total into parts: a figure for one part never answers another.
EXCLUSIVE = (frozenset({"予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"}),)
_MIN_OVERLAP = 0.34  # share of the question's bigrams a clause must hold when no topic decides


def units_compatible(asked: str | None, figure: Figure) -> bool:
    printed = figure.unit
    if asked is None:
        return printed != "%"
    if asked == printed:
        return True
    if figure.value == 0 and figure.qualifier == "" and not figure.as_printed[:1].isdigit():
        # A stated absence (未收到…) has no printed unit: it answers any count, or money for fees.
        return (asked in _MONEY) == (printed in _MONEY)
    return any(asked in family and printed in family for family in _UNIT_FAMILIES)


@dataclass(frozen=True)
class Evidence:
    report: Report
    paragraph: Paragraph
    score: float
    figure: Figure | None = None
    sentence: str = ""


class Answerer:
    def __init__(self, reports: Sequence[Report]) -> None:
        self.reports = {r.id: r for r in reports}
        self.paragraphs = {p.id: (r, p) for r in reports for p in r.paragraphs}
        # Bigram weights: 当面 tells one figure from another, 公开/信息 tell nothing.
        frequency: Counter[str] = Counter()
        for _, paragraph in self.paragraphs.values():
            frequency.update(set(bigram_tokens(paragraph.text)))
        total = max(1, len(self.paragraphs))
        self._idf = {b: math.log(1 + total / n) for b, n in frequency.items()}
        self._unseen_idf = math.log(1 + total)

    def _weight(self, bigrams: set[str]) -> float:
        return sum(self._idf.get(b, self._unseen_idf) for b in bigrams)

    # ---- scoring -------------------------------------------------------------------------

    def _topic_score(self, question: Question, q_bigrams: set[str], clause: str, sentence: str, section: str) -> float | None:
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
            elif concept in asked or not asked:
                return None
        extra = (in_clause & DECISIVE) - question.concepts
        if any(asked & group and extra & group for group in EXCLUSIVE):
            return None  # "予以公开及部分公开42件" counts two outcomes together: it answers neither
        score -= 1.5 * len(extra)
        q_weight = self._weight(q_bigrams) or 1.0
        overlap = self._weight(q_bigrams & set(bigram_tokens(clause))) / q_weight
        sentence_overlap = self._weight(q_bigrams & set(bigram_tokens(sentence))) / q_weight
        if not question.concepts and max(overlap, sentence_overlap) < _MIN_OVERLAP:
            return None
        return score + 5 * overlap + 1 * sentence_overlap

    def _question_bigrams(self, question: Question) -> set[str]:
        return set(bigram_tokens(_strip_identity(question.text, self.reports.values())))

    def best_figures(self, question: Question, report_ids: Sequence[str], boosted: set[str]) -> list[Evidence]:
        q_bigrams = self._question_bigrams(question)
        found: list[Evidence] = []
        for report_id in report_ids:
            report = self.reports[report_id]
            for figure in report.figures:
                if not units_compatible(question.unit, figure):
                    continue
                _, paragraph = self.paragraphs[figure.paragraph_id]
                sentence = _sentence_at(paragraph, figure.start - paragraph.start)
                score = self._topic_score(question, q_bigrams, figure.context, sentence, " ".join(paragraph.section_path))
                if score is None:
                    continue
                if paragraph.id in boosted:
                    score += 0.5
                if question.unit and (question.unit == figure.unit or any({question.unit, figure.unit} <= f for f in _SAME_UNIT)):
                    score += 1
                found.append(Evidence(report, paragraph, score, figure, sentence))
        found.sort(key=lambda e: (-e.score, -e.report.meta.year, e.figure.start if e.figure else 0))
        return found

    def best_sentences(self, question: Question, report_ids: Sequence[str], boosted: set[str]) -> list[Evidence]:
        q_bigrams = self._question_bigrams(question)
        found: list[Evidence] = []
        for report_id in report_ids:
            report = self.reports[report_id]
            for paragraph in report.paragraphs:
                if paragraph.is_heading:
                    continue
                for sentence in _SENTENCE.findall(paragraph.text):
                    score = self._topic_score(question, q_bigrams, sentence, sentence, " ".join(paragraph.section_path))
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
            years=list(question.years),
            agency="、".join(question.agencies) or None,
            unknown_agency=question.unknown_agency,
            unit=question.unit,
            terms=list(question.terms),
        )
        nearest = self._citations(retrieved)
        if refusal:
            return self._refuse(question, refusal, understanding, nearest)
        boosted = set(retrieved[:12])
        if question.intent == "figure":
            return self._figure_answer(question, report_ids, boosted, understanding, nearest)
        if question.intent == "yesno":
            return self._yesno_answer(question, report_ids, boosted, understanding, nearest)
        if not nearest:
            return self._refuse(question, "报告中没有找到与这个问题相关的内容。", understanding, nearest)
        first = self.paragraphs[retrieved[0]][0]
        quoted = "\n".join(f"【{' > '.join(c.section_path) or '正文'}】{c.text}" for c in nearest[:3])
        return Answer(
            question=question.text,
            answered=True,
            text=f"以下是《{first.meta.title}》中最相关的段落：\n{quoted}",
            citations=nearest[:3],
            report=_ref(first),
            confidence=0.5,
            understanding=understanding,
        )

    def _figure_answer(self, question, report_ids, boosted, understanding, nearest) -> Answer:  # type: ignore[no-untyped-def]
        candidates = self.best_figures(question, report_ids, boosted)
        if not candidates:
            return self._refuse(question, "报告中没有找到这个问题所问的数字。", understanding, nearest)
        best = candidates[0]
        figure = best.figure
        assert figure is not None
        meta = best.report.meta
        value = format(figure.value.normalize(), "f")
        normalised = f"（即{value}{figure.unit}{'，约数' if figure.qualifier else ''}）" if figure.as_printed != f"{value}{figure.unit}" else ""
        text = (
            f"{figure.as_printed}{normalised}。据《{meta.title}》"
            f"{'“' + best.paragraph.section_path[-1] + '”' if best.paragraph.section_path else ''}："
            f"{best.sentence.strip()}"
        )
        runner_up = next((c for c in candidates[1:] if c.figure and c.figure.value != figure.value), None)
        margin = best.score - runner_up.score if runner_up else best.score
        confidence = max(0.3, min(1.0, 0.5 + margin / 6))
        return Answer(
            question=question.text,
            answered=True,
            text=text,
            figures=[
                FigureAnswer(
                    as_printed=figure.as_printed,
                    value=value,
                    unit=figure.unit,
                    qualifier=figure.qualifier,
                    label=figure.context,
                    report_id=best.report.id,
                    paragraph_id=best.paragraph.id,
                )
            ],
            citations=[self._citation(best.report, best.paragraph, figure)],
            report=_ref(best.report),
            confidence=round(confidence, 3),
            understanding=understanding,
        )

    def _yesno_answer(self, question, report_ids, boosted, understanding, nearest) -> Answer:  # type: ignore[no-untyped-def]
        candidates = self.best_sentences(question, report_ids, boosted)
        if not candidates:
            return self._refuse(question, "报告中没有找到能回答这个问题的内容。", understanding, nearest)
        best = candidates[0]
        figures = [f for f in best.report.figures if f.paragraph_id == best.paragraph.id and f.as_printed in best.sentence]
        positive = any(f.value > 0 for f in figures if f.unit != "%")
        says_no = not positive and bool(_NEGATION.search(best.sentence))
        verdict = "否" if says_no else "是"
        meta = best.report.meta
        return Answer(
            question=question.text,
            answered=True,
            text=f"{verdict}。据《{meta.title}》：{best.sentence.strip()}",
            citations=[self._citation(best.report, best.paragraph)],
            report=_ref(best.report),
            confidence=round(max(0.3, min(1.0, best.score / 6)), 3),
            understanding=understanding,
        )

    def _refuse(self, question: Question, reason: str, understanding: Understanding, nearest: list[Citation]) -> Answer:
        return Answer(
            question=question.text,
            answered=False,
            text=f"报告中没有说明。{reason}" + ("以下是最接近的段落，供参考。" if nearest else ""),
            confidence=0.0,
            understanding=understanding,
            nearest=nearest,
        )

    # ---- citations -----------------------------------------------------------------------

    def _citation(self, report: Report, paragraph: Paragraph, figure: Figure | None = None) -> Citation:
        highlight = [figure.start - paragraph.start, figure.end - paragraph.start] if figure else None
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
        )

    def _citations(self, paragraph_ids: Sequence[str]) -> list[Citation]:
        citations = []
        for pid in paragraph_ids:
            report, paragraph = self.paragraphs[pid]
            if not paragraph.is_heading:
                citations.append(self._citation(report, paragraph))
        return citations


def _sentence_at(paragraph: Paragraph, offset: int) -> str:
    for match in _SENTENCE.finditer(paragraph.text):
        if match.start() <= offset < match.end():
            return match.group()
    return paragraph.text


def _strip_identity(text: str, reports: Sequence[Report] | object) -> str:
    """The question without its agency names and years, which say which report, not what figure."""
    for report in reports:  # type: ignore[attr-defined]
        for alias in sorted((report.meta.agency, *report.meta.aliases), key=len, reverse=True):
            text = text.replace(alias, "")
    return re.sub(r"(?:19|20)\d{2}\s*年度?|[〇零一二三四五六七八九]{4}年|多少|是否|有没有|几", "", text)


def _ref(report: Report) -> ReportRef:
    return ReportRef(id=report.id, agency=report.meta.agency, year=report.meta.year, title=report.meta.title)
