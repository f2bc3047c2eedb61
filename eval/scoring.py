"""Judging one answer against its case, and the metrics over many (the same for every system).

- figure accuracy: the value exactly right and the unit right (the qualifier too when the dataset
  gives one; the report too when the case names one); several years: every expected year's figure,
  every missing year said to be missing, and the verdict of a comparison;
- yes/no accuracy: the answer starts with the expected 是/否;
- citation precision: of the passages cited by answers that state figures, the share that contain a
  stated figure (as printed, or the table row a cell comes from);
- citation recall: of the answerable questions with evidence, the share whose answer cites a passage
  holding the evidence (a refusal cites nothing);
- refusal precision: of the refusals, the share on unanswerable questions; refusal recall: of the
  unanswerable questions, the share refused; false-refusal rate: answerable questions refused;
- retrieval hit@1 / hit@5 / MRR: the rank of the first retrieved chunk holding the evidence
  (reciprocal rank 0 when none of the first 5 does);
- latency p50 / p95 (nearest rank), and accuracy per category.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from assistant.schemas import Answer
from eval.dataset import LOWER_IS_BETTER, METRICS, Case

RETRIEVAL_DEPTH = 5


@dataclass
class Outcome:
    case: Case
    system: str
    answered: bool
    text: str
    correct: bool
    latency_ms: float
    figures: list[dict] = field(default_factory=list)  # as_printed, value, unit, qualifier, report_id, paragraph_id, table
    citations: list[dict] = field(default_factory=list)  # report_id, paragraph_id, text, supported (holds a stated figure)
    evidence_cited: bool | None = None  # None: no evidence given, or the question is unanswerable
    rank: int | None = None  # 1-based rank of the first retrieved chunk holding the evidence; 0: not retrieved; None: no evidence
    retrieved: list[str] = field(default_factory=list)  # chunk ids, best first
    nearest: list[str] = field(default_factory=list)  # paragraph ids a refusal shows
    llm: dict | None = None  # what the optional LLM did: task, outcome, reason, model
    error: str = ""

    @property
    def refused(self) -> bool:
        return not self.answered

    def expected_text(self) -> str:
        expect = self.case.expect
        if self.case.unanswerable:
            return "not in the reports (a refusal)"
        assert isinstance(expect, dict)
        if "yesno" in expect:
            return str(expect["yesno"])
        if "values" in expect:
            parts = [f"{v['year']}年 {v['value']}" for v in expect["values"]]
            if expect.get("missing_years"):
                parts.append("missing " + "、".join(f"{y}年" for y in expect["missing_years"]))
            if expect.get("verdict"):
                parts.append(str(expect["verdict"]))
            return "; ".join(parts)
        if "value" in expect:
            return f"{expect.get('qualifier', '')}{expect['value']} {expect['unit']}".strip()
        return f"a passage with “{expect.get('text', '')}”"

    def to_dict(self) -> dict:
        return {
            "question": self.case.question,
            "category": self.case.category,
            "expected": self.case.expect,
            "expected_text": self.expected_text(),
            "evidence": self.case.evidence,
            "report": self.case.report,
            "agency": self.case.agency,
            "year": self.case.year,
            "system": self.system,
            "answered": self.answered,
            "correct": self.correct,
            "text": self.text,
            "figures": self.figures,
            "citations": self.citations,
            "evidence_cited": self.evidence_cited,
            "retrieval_rank": self.rank,
            "retrieved": self.retrieved,
            "nearest": self.nearest,
            "latency_ms": self.latency_ms,
            "llm": self.llm,
            "error": self.error,
        }


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def judge(case: Case, answer: Answer, *, report_id: str | None = None) -> bool:
    """Is the answer right. ``report_id``: the report the case names, resolved (None: any report)."""
    if case.unanswerable:
        return not answer.answered
    if not answer.answered:
        return False
    expect = case.expect
    assert isinstance(expect, dict)
    if "yesno" in expect:
        right = answer.text.startswith(str(expect["yesno"]))
        return right and (report_id is None or any(c.report_id == report_id for c in answer.citations))
    if "values" in expect:
        got = {(f.year, _decimal(f.value)) for f in answer.figures if f.value}
        right = all((int(v["year"]), Decimal(str(v["value"]))) in got for v in expect["values"])
        right = right and all(f"{y}年" in answer.text.split("报告中没有")[-1] for y in expect.get("missing_years", []))
        if "verdict" in expect:
            right = right and str(expect["verdict"]) in answer.text
        return right
    if "value" in expect:
        if not answer.figures:
            return False
        figure = answer.figures[0]
        right = figure.value != "" and _decimal(figure.value) == Decimal(str(expect["value"])) and figure.unit == expect["unit"]
        if "qualifier" in expect:
            right = right and figure.qualifier == expect["qualifier"]
        return right and (report_id is None or figure.report_id == report_id)
    return str(expect.get("text", "")) in answer.text


def describe(case: Case, answer: Answer, *, system: str, latency_ms: float, report_id: str | None,
             ranked_texts: list[tuple[str, str, str]]) -> Outcome:
    """An Outcome from an answer; ``ranked_texts``: (chunk id, report id, text) of the retrieved chunks, best first."""
    figures = [
        {"as_printed": f.as_printed, "value": f.value, "unit": f.unit, "qualifier": f.qualifier, "year": f.year,
         "report_id": f.report_id, "paragraph_id": f.paragraph_id, "table": f.table}
        for f in answer.figures
    ]
    citations = []
    for c in answer.citations:
        supported = None
        if answer.figures:
            supported = any(
                (f.table and f.paragraph_id == c.paragraph_id) or (not f.table and f.as_printed and f.as_printed in c.text)
                for f in answer.figures
            )
        citations.append({"report_id": c.report_id, "paragraph_id": c.paragraph_id, "section": " > ".join(c.section_path),
                          "text": c.text, "supported": supported})
    evidence_cited = None
    rank = None
    if case.evidence_options and not case.unanswerable:
        evidence_cited = any(case.holds_evidence(c.text) and (report_id is None or c.report_id == report_id)
                             for c in answer.citations)
        rank = 0
        for i, (_, rid, text) in enumerate(ranked_texts[:RETRIEVAL_DEPTH], 1):
            if case.holds_evidence(text) and (report_id is None or rid == report_id):
                rank = i
                break
    return Outcome(
        case=case, system=system, answered=answer.answered, text=answer.text,
        correct=judge(case, answer, report_id=report_id), latency_ms=latency_ms,
        figures=figures, citations=citations, evidence_cited=evidence_cited, rank=rank,
        retrieved=[cid for cid, _, _ in ranked_texts],
        llm=answer.llm.model_dump() if answer.llm else None,
    )


def failed_outcome(case: Case, system: str, error: str, latency_ms: float = 0.0) -> Outcome:
    """An exception instead of an answer: counted as a refusal."""
    return Outcome(case=case, system=system, answered=False, text=f"error: {error}", correct=case.unanswerable,
                   latency_ms=latency_ms, evidence_cited=False if case.evidence_options and not case.unanswerable else None,
                   rank=0 if case.evidence_options and not case.unanswerable else None, error=error)


# ---- metrics --------------------------------------------------------------------------------

def _rate(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def metrics(outcomes: list[Outcome]) -> dict[str, float | None]:
    figures = [o for o in outcomes if o.case.kind == "figure"]
    yesno = [o for o in outcomes if o.case.kind == "yesno"]
    texts = [o for o in outcomes if o.case.kind == "text"]
    unanswerable = [o for o in outcomes if o.case.unanswerable]
    answerable = [o for o in outcomes if not o.case.unanswerable]
    refused = [o for o in outcomes if o.refused]
    cited = [c["supported"] for o in outcomes if o.answered and o.figures for c in o.citations]
    ranked = [o.rank for o in outcomes if o.rank is not None]
    latencies = [o.latency_ms for o in outcomes if o.latency_ms]
    result: dict[str, float | None] = {
        "questions": float(len(outcomes)),
        "accuracy": _rate([o.correct for o in outcomes]),
        "figure_accuracy": _rate([o.correct for o in figures]),
        "yesno_accuracy": _rate([o.correct for o in yesno]),
        "text_accuracy": _rate([o.correct for o in texts]),
        "citation_precision": _rate([bool(s) for s in cited]),
        "citation_recall": _rate([bool(o.evidence_cited) for o in outcomes if o.evidence_cited is not None]),
        "refusal_precision": _rate([o.case.unanswerable for o in refused]),
        "refusal_recall": _rate([o.refused for o in unanswerable]),
        "false_refusal_rate": _rate([o.refused for o in answerable]),
        # Exact or silent: answers given that are wrong (a wrong figure, verdict or passage, or an
        # answer where the reports do not say), and the share of answers given that are right.
        "wrong_answers": float(sum(1 for o in outcomes if not o.refused and not o.correct)),
        "answer_precision": _rate([o.correct for o in outcomes if not o.refused]),
        "retrieval_hit@1": _rate([r == 1 for r in ranked]),
        "retrieval_hit@5": _rate([0 < r <= 5 for r in ranked]),
        "retrieval_mrr": (sum(1 / r for r in ranked if r) / len(ranked)) if ranked else None,
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
    }
    for category in categories(outcomes):
        result[f"category:{category}"] = _rate([o.correct for o in outcomes if o.case.category == category])
    return result


CATEGORY_ORDER = ("prose_figure", "table_figure", "cross_year", "comparison", "yesno", "paraphrased", "unanswerable")


def categories(outcomes: list[Outcome]) -> list[str]:
    present = {o.case.category for o in outcomes}
    return [c for c in CATEGORY_ORDER if c in present] + sorted(present - set(CATEGORY_ORDER))


def ratio(ours: float | None, baseline: float | None) -> float | None:
    """ours / baseline; None when undefined (a missing value, or 0/0); inf when only the baseline is 0."""
    if ours is None or baseline is None:
        return None
    if baseline == 0:
        return None if ours == 0 else math.inf
    return ours / baseline


def check_thresholds(scores: dict[str, float | None], thresholds: dict[str, float]) -> tuple[dict, list[str]]:
    """({metric: (value, threshold)} not met, [metrics with a threshold that measured nothing])."""
    failed: dict[str, tuple[float, float]] = {}
    unmeasured: list[str] = []
    for name, threshold in thresholds.items():
        value = scores.get(name)
        if value is None:
            unmeasured.append(name)
            continue
        if (value > threshold) if name in LOWER_IS_BETTER else (value < threshold):
            failed[name] = (value, threshold)
    return failed, unmeasured


__all__ = [
    "CATEGORY_ORDER",
    "METRICS",
    "RETRIEVAL_DEPTH",
    "Outcome",
    "categories",
    "check_thresholds",
    "describe",
    "failed_outcome",
    "judge",
    "metrics",
    "percentile",
    "ratio",
]
