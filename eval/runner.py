"""Run evaluation datasets against an Assistant and print what evaluators need.

Figure accuracy (value and unit exactly right, qualifier too when the dataset gives one),
citation accuracy (the cited paragraph holds the figure as printed and the expected evidence),
yes/no accuracy, refusal accuracy (unanswerable questions refused, answerable ones not),
retrieval hit@1/hit@3 (a retrieved chunk holds the evidence), latency p50/p95.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from assistant.errors import AssistantError
from assistant.index import Overrides
from assistant.schemas import Answer

DATASETS_DIR = Path(__file__).parent / "datasets"
REPO = Path(__file__).resolve().parents[1]


@dataclass
class Case:
    question: str
    expect: dict | str
    category: str
    evidence: str | list[str] = ""  # text the citation must hold; a list means any one of them

    def holds_evidence(self, text: str) -> bool:
        options = self.evidence if isinstance(self.evidence, list) else [self.evidence]
        return any(o in text for o in options)

    @property
    def unanswerable(self) -> bool:
        return self.expect == "unanswerable"


@dataclass
class Dataset:
    name: str
    cases: list[Case]
    thresholds: dict[str, float] = field(default_factory=dict)
    corpus: list[str] = field(default_factory=list)  # relative to NIANBAO_CORPUS_DIR
    files: list[str] = field(default_factory=list)  # relative to the repository


@dataclass
class Outcome:
    case: Case
    answered: bool
    text: str
    correct: bool
    cited: bool | None
    hit1: bool | None
    hit3: bool | None
    latency_ms: float
    citations: list[str]


def load_dataset(path: Path) -> Dataset:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = [
        Case(question=q["question"], expect=q["expect"], category=q.get("category", "other"), evidence=q.get("evidence", ""))
        for q in raw["questions"]
    ]
    return Dataset(name=raw.get("name", path.stem), cases=cases, thresholds=raw.get("thresholds", {}),
                   corpus=raw.get("corpus", []), files=raw.get("files", []))


def judge(case: Case, answer: Answer) -> tuple[bool, bool | None]:
    """(is the answer right, does its citation hold the figure) for one case."""
    if case.unanswerable:
        return not answer.answered, None
    if not answer.answered:
        return False, False
    expect = case.expect
    assert isinstance(expect, dict)
    if "yesno" in expect:
        right = answer.text.startswith(str(expect["yesno"]))
        cited = any(case.holds_evidence(c.text) for c in answer.citations) if case.evidence else None
        return right, cited
    if "values" in expect:
        # Several years: every expected year's figure, and every missing year said to be missing.
        got = {(f.year, Decimal(f.value)) for f in answer.figures if f.value}
        right = all((int(v["year"]), Decimal(str(v["value"]))) in got for v in expect["values"])
        right = right and all(f"{y}年" in answer.text.split("报告中没有")[-1] for y in expect.get("missing_years", []))
        if "verdict" in expect:
            right = right and str(expect["verdict"]) in answer.text
        cited = all(any(c.paragraph_id == f.paragraph_id for c in answer.citations) for f in answer.figures)
        return right, cited
    if "value" in expect:
        if not answer.figures:
            return False, False
        figure = answer.figures[0]
        right = Decimal(figure.value) == Decimal(str(expect["value"])) and figure.unit == expect["unit"]
        if "qualifier" in expect:
            right = right and figure.qualifier == expect["qualifier"]
        if figure.table:
            # A table cell is cited by its row's paragraph; the evidence is the row label.
            cited = any(c.paragraph_id == figure.paragraph_id and case.holds_evidence(c.text) for c in answer.citations)
        else:
            cited = any(figure.as_printed in c.text and case.holds_evidence(c.text) for c in answer.citations)
        return right, cited
    text = str(expect.get("text", ""))
    return text in answer.text, any(text in c.text for c in answer.citations)


def evaluate(assistant, dataset: Dataset) -> list[Outcome]:  # type: ignore[no-untyped-def]
    outcomes = []
    for case in dataset.cases:
        try:
            answer = assistant.ask(case.question)
        except AssistantError as exc:
            outcomes.append(Outcome(case, False, f"error: {exc}", case.unanswerable, None, None, None, 0.0, []))
            continue
        right, cited = judge(case, answer)
        hit1 = hit3 = None
        if case.evidence:
            chunk_ids = assistant.retrieve(case.question, report_ids=assistant.scope(case.question))
            texts = {c.id: c.text for r in assistant.reports for c in r.chunks}
            holds = [case.holds_evidence(texts.get(cid, "")) for cid in chunk_ids]
            hit1, hit3 = any(holds[:1]), any(holds[:3])
        outcomes.append(
            Outcome(case, answer.answered, answer.text, right, cited, hit1, hit3, answer.latency_ms,
                    [c.paragraph_id for c in answer.citations])
        )
    return outcomes


def _rate(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def metrics(outcomes: list[Outcome]) -> dict[str, float | None]:
    figures = [o for o in outcomes if isinstance(o.case.expect, dict) and ("value" in o.case.expect or "values" in o.case.expect)]
    yesno = [o for o in outcomes if isinstance(o.case.expect, dict) and "yesno" in o.case.expect]
    refusals = [o for o in outcomes if o.case.unanswerable]
    answerable = [o for o in outcomes if not o.case.unanswerable]
    latencies = sorted(o.latency_ms for o in outcomes if o.latency_ms)
    result: dict[str, float | None] = {
        "questions": float(len(outcomes)),
        "figure_accuracy": _rate([o.correct for o in figures]),
        "citation_accuracy": _rate([bool(o.cited) for o in figures + yesno if o.correct]),
        "yesno_accuracy": _rate([o.correct for o in yesno]),
        "refusal_accuracy": _rate([o.correct for o in refusals]),
        "false_refusal_rate": _rate([not o.answered for o in answerable]),
        "retrieval_hit@1": _rate([bool(o.hit1) for o in outcomes if o.hit1 is not None]),
        "retrieval_hit@3": _rate([bool(o.hit3) for o in outcomes if o.hit3 is not None]),
        "latency_p50_ms": statistics.median(latencies) if latencies else None,
        "latency_p95_ms": latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else None,
    }
    for category in sorted({o.case.category for o in outcomes}):
        result[f"category:{category}"] = _rate([o.correct for o in outcomes if o.case.category == category])
    return result


def run(assistant, paths: list[Path], *, console: Console, json_out: Path | None = None, corpus_dir: Path | None = None) -> bool:  # type: ignore[no-untyped-def]
    """Run each dataset; True when every dataset meets its thresholds."""
    paths = paths or sorted(DATASETS_DIR.glob("*.yaml"))
    all_ok = True
    report: dict[str, dict] = {}
    for path in paths:
        dataset = load_dataset(path)
        if dataset.corpus:
            if corpus_dir is None or not Path(corpus_dir).is_dir():
                console.print(f"[yellow]Skipping {dataset.name}: it needs the corpus folder (set NIANBAO_CORPUS_DIR).[/yellow]")
                continue
            assistant.ingest([Path(corpus_dir) / p for p in dataset.corpus], overrides=Overrides())
        if dataset.files:
            assistant.ingest([REPO / p for p in dataset.files], overrides=Overrides())
        outcomes = evaluate(assistant, dataset)
        scores = metrics(outcomes)
        table = Table("metric", "value", title=f"{dataset.name}: {len(outcomes)} questions")
        for key, value in scores.items():
            table.add_row(key, "—" if value is None else (f"{value:.1f}" if key.endswith("_ms") or key == "questions" else f"{value:.1%}"))
        console.print(table)
        for o in outcomes:
            if not o.correct:
                console.print(f"[red]✗[/red] [{o.case.category}] {o.case.question}\n    expected {o.case.expect}; got: {o.text[:160]!r} {o.citations}")
        failed = {k: (scores.get(k), v) for k, v in dataset.thresholds.items() if scores.get(k) is None or scores[k] < v}  # type: ignore[operator]
        if failed:
            all_ok = False
            console.print(f"[red]{dataset.name} is below its thresholds: {failed}[/red]")
        report[dataset.name] = {"metrics": scores, "failed_thresholds": {k: v for k, v in failed.items()},
                                "outcomes": [asdict(o) for o in outcomes]}
    if json_out:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return all_ok
