"""The optional LLM, kept on a leash: a second reader of what the extractive matcher found.

Two uses, both after the matcher has decided (its answer is the fallback whatever happens):
- choose: when the matcher is unsure of a figure (low confidence, or it refused for want of a figure
  covering every word), the model picks one of the candidate figures or none. It never supplies a
  number: the pick is stated from the figure store, and only if it is a candidate and passes the
  unit and scope checks (the reports in scope; the agency, year and part the model read).
- passage: for a how/what/why question, the model writes a short answer from the sentences the
  matcher found, citing them by id. It reaches the user only if it passes the grounding check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, field_validator

from assistant.answering import Answerer, Evidence, boosted_paragraphs, report_ref, units_compatible
from assistant.config import Settings
from assistant.llm.client import ModelFailed, ask_json, chat_model
from assistant.llm.grounding import CITATION_MARK, check_grounding
from assistant.llm.prompts import load_prompt
from assistant.schemas import Answer, ModelUse
from assistant.understanding import Question
from assistant.understanding.terms import covers

# Candidates are gathered under a looser coverage threshold than the matcher answers with: the words
# a figure's clause leaves out are what the model is there to judge.
RELAXED_UNCOVERED = 2.0
MAX_CANDIDATES = 6
MAX_SENTENCES = 5
_NONE = {"", "none", "null", "无", "没有"}


class FigureChoice(BaseModel):
    """The model's reading of a figure question: a candidate id or "none", and what it understood."""

    choice: str
    agency: str | None = None
    year: int | None = None
    breakdown: str | None = None

    @field_validator("agency", "year", "breakdown", mode="before")
    @classmethod
    def _said_nothing(cls, value: object) -> object:
        # Models write "null", "none" or 无 as text as often as they write JSON null.
        return None if isinstance(value, str) and value.strip().lower() in _NONE else value


class PassageReply(BaseModel):
    answer: str
    cited: list[str] = []


@dataclass
class ModelReview:
    model: BaseChatModel
    name: str
    timeout: float
    below_confidence: float

    @classmethod
    def from_settings(cls, settings: Settings) -> ModelReview | None:
        model = chat_model(settings)
        if model is None:
            return None
        return cls(model, settings.llm_model or "", settings.llm_timeout, settings.llm_below_confidence)

    def review(self, answerer: Answerer, question: Question, answer: Answer, *, report_ids: Sequence[str],
               retrieved: Sequence[str]) -> Answer:
        """The answer, improved by the model where it may be; the extractive one otherwise.
        ``retrieved``: the paragraph ids retrieval found, best first (as the matcher had them)."""
        boosted = boosted_paragraphs(retrieved)
        if question.intent == "figure" and question.mode == "single":
            return self._choose(answerer, question, answer, report_ids, boosted, retrieved)
        if question.intent == "passage" and answer.answered:
            return self._write_passage(answerer, question, answer, report_ids, boosted)
        return answer

    # ---- choose: which figure answers ----------------------------------------------------------

    def _choose(self, answerer: Answerer, question: Question, answer: Answer, report_ids: Sequence[str],
                boosted: set[str], retrieved: Sequence[str]) -> Answer:
        if answer.answered and answer.confidence >= self.below_confidence:
            return answer
        if not report_ids or answerer.unmentioned(question, report_ids):
            return answer  # the reports never say what is asked: no candidate can answer it
        candidates = answerer.figure_candidates(question, report_ids, boosted,
                                                loose=RELAXED_UNCOVERED, limit=MAX_CANDIDATES)
        if not candidates:
            return answer
        by_id = {f"F{i}": evidence for i, evidence in enumerate(candidates, 1)}
        prompt = load_prompt("choose_figure").template.invoke({
            "question": question.text,
            "years": "、".join(f"{y}年" for y in question.years) or "未说明",
            "agency": "、".join(question.agencies) or "未说明",
            "candidates": "\n".join(f"{fid} | {_describe(evidence)}" for fid, evidence in by_id.items()),
        })
        try:
            choice = ask_json(self.model, prompt, FigureChoice, timeout=self.timeout)
        except ModelFailed as exc:
            return self._used(answer, "choose", "failed", str(exc))
        pick = choice.choice.strip().upper()
        if pick.lower() in _NONE:
            if not answer.answered:
                return self._used(answer, "choose", "accepted", "none of the candidates answers")
            refused = answerer.refuse(question, "报告中没有找到确切回答这个问题的数字。", answer.understanding,
                                      answerer.nearest_passages(retrieved))
            return self._used(refused, "choose", "accepted", "none of the candidates answers: the matcher's pick set aside")
        if pick not in by_id:
            return self._used(answer, "choose", "rejected", f"it picked {choice.choice!r}, which is not a candidate")
        evidence = by_id[pick]
        problem = _out_of_scope(question, evidence, report_ids, choice)
        if problem:
            return self._used(answer, "choose", "rejected", f"it picked {pick}, but {problem}")
        chosen = answerer.figure_answer(question, answer.understanding, evidence, confidence=0.6)
        same = answer.answered and [f.paragraph_id for f in answer.figures] == [f.paragraph_id for f in chosen.figures] \
            and [f.as_printed for f in answer.figures] == [f.as_printed for f in chosen.figures]
        return self._used(chosen, "choose", "accepted", f"it picked {pick}" + (", the matcher's pick" if same else ""))

    # ---- passage: a short answer from cited sentences -----------------------------------------

    def _write_passage(self, answerer: Answerer, question: Question, answer: Answer, report_ids: Sequence[str],
                       boosted: set[str]) -> Answer:
        sentences: list[Evidence] = []
        for evidence in answerer.passage_candidates(question, report_ids, boosted):
            if all(evidence.sentence != s.sentence for s in sentences):
                sentences.append(evidence)
            if len(sentences) == MAX_SENTENCES:
                break
        by_id = {f"S{i}": evidence for i, evidence in enumerate(sentences, 1)}
        prompt = load_prompt("passage_answer").template.invoke({
            "question": question.text,
            "sentences": "\n".join(
                f"{sid} | {e.report.meta.title} | {' › '.join(e.paragraph.section_path) or '正文'} | {e.sentence}"
                for sid, e in by_id.items()),
        })
        try:
            reply = ask_json(self.model, prompt, PassageReply, timeout=self.timeout)
        except ModelFailed as exc:
            return self._used(answer, "passage", "failed", str(exc))
        if not reply.answer.strip():
            return self._used(answer, "passage", "rejected", "it wrote no answer from the sentences")
        grounding = check_grounding(reply.answer, reply.cited, {sid: e.sentence for sid, e in by_id.items()})
        if not grounding.ok:
            return self._used(answer, "passage", "rejected", grounding.reason)
        cited = list(dict.fromkeys([*(c.strip() for c in reply.cited), *CITATION_MARK.findall(reply.answer)]))
        used = [by_id[c] for c in cited]
        titles = "》《".join(dict.fromkeys(e.report.meta.title for e in used))
        citations = []
        for e in used:
            if all(c.paragraph_id != e.paragraph.id for c in citations):
                citations.append(answerer.citation(e.report, e.paragraph))
        written = answer.model_copy(update={
            "text": f"{CITATION_MARK.sub('', reply.answer).strip()}（据《{titles}》）",
            "citations": citations,
            "report": report_ref(used[0].report),
        })
        return self._used(written, "passage", "accepted", f"it cited {', '.join(cited)}")

    def _used(self, answer: Answer, task: str, outcome: str, reason: str) -> Answer:
        answer.llm = ModelUse(task=task, outcome=outcome, reason=reason, model=self.name)  # type: ignore[arg-type]
        return answer


def _describe(evidence: list[Evidence]) -> str:
    """A candidate as the model sees it: whose report, where in it, and the words around the figure."""
    first = evidence[0]
    meta = first.report.meta
    parts = []
    for e in evidence:
        figure = e.figure
        assert figure is not None
        if figure.cell:
            parts.append(f"表“{figure.cell.table}” · {figure.cell.row} · {figure.cell.column}：{figure.as_printed}")
        else:
            section = first.paragraph.section_path[-1] if first.paragraph.section_path else "正文"
            parts.append(f"{section} | {e.sentence.strip() or figure.context}（数字：{figure.as_printed}）")
    return f"{meta.agency} {meta.year}年 | " + "；".join(parts)


def _out_of_scope(question: Question, evidence: list[Evidence], report_ids: Sequence[str], choice: FigureChoice) -> str:
    """Why the model's pick may not answer (empty when it may): the same unit and scope checks as
    any figure, and agreement with what the model itself says the question asks."""
    for e in evidence:
        figure, meta = e.figure, e.report.meta
        assert figure is not None
        if e.report.id not in report_ids:
            return f"its report ({meta.title}) is not one the question is about"
        if figure.value is not None and not units_compatible(question.unit, figure):
            return f"its unit ({figure.unit or 'none'}) does not answer a question in {question.unit}"
        if choice.year is not None and choice.year != meta.year:
            return f"it read the year as {choice.year} and the figure is from {meta.year}"
        if choice.agency and not any(choice.agency in name or name in choice.agency for name in (meta.agency, *meta.aliases)):
            return f"it read the agency as {choice.agency} and the figure is {meta.agency}'s"
        if choice.breakdown and not covers(figure.context if not figure.cell else f"{figure.cell.row} {figure.cell.column}",
                                           choice.breakdown) and not covers(e.sentence, choice.breakdown):
            return f"it read the question as asking for {choice.breakdown}, which the figure does not count"
    return ""
