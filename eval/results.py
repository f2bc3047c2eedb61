"""What an evaluation run produced, and how its numbers are written: shared by the terminal table
(eval/runner.py) and the HTML report (eval/html_report.py), so neither imports the other."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from eval.dataset import LOWER_IS_BETTER, Dataset
from eval.scoring import Outcome, ratio

OURS = "ours"
OURS_LLM = "ours+llm"


@dataclass(frozen=True)
class CurvePoint:
    """Ours at one setting of the answer/refuse threshold (how many of a question's words a figure
    may leave out): how much it answers, and how much of that is right."""

    max_uncovered: float
    coverage: float | None  # share of answerable questions answered
    precision: float | None  # share of answers given that are right
    wrong_answers: float | None
    accuracy: float | None
    chosen: bool  # the setting the assistant runs with


@dataclass
class DatasetResult:
    dataset: Dataset
    systems: list[dict]  # name, title, description (ours first)
    outcomes: dict[str, list[Outcome]]
    metrics: dict[str, dict[str, float | None]]
    failed: dict[str, tuple[float, float]] = field(default_factory=dict)  # ours: metric → (value, threshold)
    unmeasured: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    baseline_build: dict[str, dict] = field(default_factory=dict)
    # The answer/refuse decision swept (ours): one point per max_uncovered value tried.
    curve: list[CurvePoint] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failed

    @property
    def baselines(self) -> list[str]:
        return [s["name"] for s in self.systems if s["name"] != OURS]

    def ratios(self) -> dict[str, dict[str, float | None]]:
        ours = self.metrics[OURS]
        return {b: {k: ratio(ours.get(k), v) for k, v in self.metrics[b].items() if k != "questions"} for b in self.baselines}

    def to_dict(self) -> dict:
        def finite(value: float | None) -> float | None:
            return None if value is None or math.isinf(value) or math.isnan(value) else value

        return {
            "name": self.dataset.name,
            "description": self.dataset.description,
            "source": self.dataset.path,
            "questions": len(self.dataset.cases),
            "systems": self.systems,
            "thresholds": self.dataset.thresholds,
            "passed": self.passed,
            "failed_thresholds": {k: {"value": v, "threshold": t} for k, (v, t) in self.failed.items()},
            "unmeasured_thresholds": self.unmeasured,
            "metrics": self.metrics,
            "ratios": {b: {k: finite(v) for k, v in r.items()} for b, r in self.ratios().items()},
            "baseline_build": self.baseline_build,
            "warnings": self.warnings,
            "seconds": round(self.seconds, 1),
            "outcomes": {name: [o.to_dict() for o in outcomes] for name, outcomes in self.outcomes.items()},
            "curve": [asdict(point) for point in self.curve],
        }



# ---- formatting -----------------------------------------------------------------------------------

METRIC_LABELS = {
    "accuracy": "accuracy (all questions)",
    "figure_accuracy": "figure accuracy",
    "yesno_accuracy": "yes/no accuracy",
    "text_accuracy": "passage accuracy",
    "citation_precision": "citation precision",
    "citation_recall": "citation recall",
    "refusal_precision": "refusal precision",
    "refusal_recall": "refusal recall",
    "false_refusal_rate": "false-refusal rate",
    "wrong_answers": "wrong answers (count)",
    "answer_precision": "answer precision",
    "retrieval_hit@1": "retrieval hit@1",
    "retrieval_hit@5": "retrieval hit@5",
    "retrieval_mrr": "retrieval MRR",
    "latency_p50_ms": "latency p50",
    "latency_p95_ms": "latency p95",
}


def label(key: str) -> str:
    if key.startswith("category:"):
        return "accuracy · " + key.split(":", 1)[1]
    return METRIC_LABELS.get(key, key)


def fmt_value(key: str, value: float | None) -> str:
    if value is None:
        return "—"
    if key.endswith("_ms"):
        return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"
    if key == "retrieval_mrr":
        return f"{value:.3f}"
    if key in ("questions", "wrong_answers"):
        return f"{value:.0f}"
    return f"{value:.1%}"


def fmt_ratio(value: float | None) -> str:
    if value is None:
        return "—"
    if math.isinf(value):
        return "∞"
    return f"{value:.2f}×"


def fmt_threshold(key: str, threshold: float | None) -> str:
    if threshold is None:
        return ""
    return ("≤ " if key in LOWER_IS_BETTER else "≥ ") + fmt_value(key, threshold)


def metric_rows(result: DatasetResult) -> list[str]:
    keys: list[str] = []
    for scores in result.metrics.values():
        keys.extend(k for k in scores if k != "questions" and k not in keys)
    return keys
