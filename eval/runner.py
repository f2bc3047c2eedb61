"""Run evaluation datasets against the current index — ours and, with ``baselines=True``, two
baselines on the same index and questions with the same answerer — and report: a table in the
terminal, JSON for machines, a self-contained HTML page. Thresholds apply to our system only.

Metrics are defined in eval/scoring.py, the dataset schema in eval/dataset.py (and eval/README.md),
the baselines in eval/baselines.py.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assistant.answering import Answerer
from assistant.errors import AssistantError
from assistant.index import Overrides
from assistant.schemas import AskFilters
from eval.baselines import SPECS, Baseline
from eval.dataset import Case, Dataset, DatasetError, load_dataset
from eval.html_report import write_report
from eval.results import (
    OURS,
    OURS_LLM,
    CurvePoint,
    DatasetResult,
    fmt_ratio,
    fmt_threshold,
    fmt_value,
    label,
    metric_rows,
)
from eval.scoring import Outcome, check_thresholds, describe, failed_outcome, metrics

DATASETS_DIR = Path(__file__).parent / "datasets"
REPO = Path(__file__).resolve().parents[1]
OUR_DESCRIPTION = ("paragraph chunks within a section; dense + BM25 (jieba words) + BM25 (bigrams), RRF; "
                   "the question's year and agency filter the reports")


def default_paths() -> list[Path]:
    return sorted(p for p in DATASETS_DIR.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".jsonl", ".csv"))


# ---- systems ----------------------------------------------------------------------------------

class OurSystem:
    """Ours as served; with ``llm``, with the configured LLM as second reader and passage writer."""

    def __init__(self, assistant, *, llm: bool = False) -> None:  # type: ignore[no-untyped-def]
        self.assistant = assistant
        self.llm = llm
        self.name = OURS_LLM if llm else OURS
        model = assistant.llm.name if assistant.llm else ""
        self.title = f"nianbao with {model} (ours+llm)" if llm else "nianbao (ours)"
        self.description = OUR_DESCRIPTION + (f"; the LLM {model} picks among unsure figures and writes passage answers, "
                                              "every number checked against the cited text" if llm else "")
        self.texts = {c.id: (c.report_id, c.text) for r in assistant.reports for c in r.chunks}

    def run(self, case: Case, report_id: str | None) -> Outcome:
        filters = AskFilters(year=case.year, agency=case.agency or None) if (case.year or case.agency) else None
        started = time.perf_counter()
        try:
            answer = self.assistant.ask(case.question, filters, previous=case.previous or None, use_llm=self.llm)
        except AssistantError as exc:
            return failed_outcome(case, self.name, str(exc), round((time.perf_counter() - started) * 1000, 1))
        asked = answer.understanding.question or case.question  # a follow-up, completed
        ranked_ids = self.assistant.retrieve(asked, report_ids=self.assistant.scope(asked, filters))
        ranked = [(cid, *self.texts.get(cid, ("", ""))) for cid in ranked_ids]
        outcome = describe(case, answer, system=self.name, latency_ms=answer.latency_ms, report_id=report_id, ranked_texts=ranked)
        outcome.nearest = [c.paragraph_id for c in answer.nearest]
        return outcome


class BaselineSystem:
    def __init__(self, baseline: Baseline, assistant) -> None:  # type: ignore[no-untyped-def]
        self.baseline = baseline
        self.assistant = assistant
        self.name = baseline.name
        self.title = baseline.spec.title
        self.description = baseline.spec.description

    def run(self, case: Case, report_id: str | None) -> Outcome:
        started = time.perf_counter()
        try:
            # As in Langchain-Chatchat, the conversation's history reaches only the LLM, never retrieval.
            answer, retrieved = self.baseline.ask(self.assistant.answerer, case.question)
        except Exception as exc:  # noqa: BLE001 - a baseline's failure is its score, not the run's end
            return failed_outcome(case, self.name, f"{type(exc).__name__}: {exc}", round((time.perf_counter() - started) * 1000, 1))
        ranked = [(c.id, c.report_id, c.text) for c in retrieved.chunks]
        outcome = describe(case, answer, system=self.name, latency_ms=answer.latency_ms, report_id=report_id, ranked_texts=ranked)
        outcome.nearest = [c.paragraph_id for c in answer.nearest]
        return outcome


# ---- one dataset --------------------------------------------------------------------------------

def resolve_report(reports, ref: str) -> str | None:  # type: ignore[no-untyped-def]
    """A case's ``report``: a report id, a title, or a part of exactly one title."""
    if not ref:
        return None
    for report in reports:
        if ref in (report.id, report.meta.title):
            return report.id
    matches = [r.id for r in reports if ref in r.meta.title or ref in r.meta.source]
    return matches[0] if len(matches) == 1 else None


def evaluate(dataset: Dataset, systems: list, reports) -> DatasetResult:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    warnings = []
    report_ids: list[str | None] = []
    for case in dataset.cases:
        rid = resolve_report(reports, case.report)
        if case.report and rid is None:
            warnings.append(f"report {case.report!r} (for “{case.question}”) is not one indexed report; not checked")
        report_ids.append(rid)
    # question by question, every system in turn: a change in the machine's load hits all systems alike
    outcomes: dict[str, list[Outcome]] = {s.name: [] for s in systems}
    for case, rid in zip(dataset.cases, report_ids):
        for system in systems:
            outcomes[system.name].append(system.run(case, rid))
    scores = {name: metrics(found) for name, found in outcomes.items()}
    failed, unmeasured = check_thresholds(scores[OURS], dataset.thresholds)
    return DatasetResult(
        dataset=dataset,
        systems=[{"name": s.name, "title": s.title, "description": s.description} for s in systems],
        outcomes=outcomes,
        metrics=scores,
        failed=failed,
        unmeasured=unmeasured,
        warnings=warnings,
        seconds=time.perf_counter() - started,
    )


def print_result(console: Console, result: DatasetResult) -> None:
    ds = result.dataset
    table = Table(title=f"{ds.name}: {len(ds.cases)} questions", title_justify="left")
    table.add_column("metric")
    for system in result.systems:
        table.add_column(system["name"], justify="right")
    for b in result.baselines:
        table.add_column(f"ours/{b}", justify="right")
    table.add_column("threshold", justify="right")
    ratios = result.ratios()
    for key in metric_rows(result):
        cells = [fmt_value(key, result.metrics[s["name"]].get(key)) for s in result.systems]
        cells += [fmt_ratio(ratios[b].get(key)) for b in result.baselines]
        threshold = fmt_threshold(key, ds.thresholds.get(key))
        if key in result.failed:
            threshold = f"[red]{threshold} ✗[/red]"
        elif threshold:
            threshold = f"[green]{threshold} ✓[/green]"
        table.add_row(label(key), *cells, threshold)
    console.print(table)
    for system in result.systems:
        if system["name"] != OURS:
            console.print(f"  [dim]{system['name']}: {escape(system['description'])}[/dim]")
    for warning in result.warnings:
        console.print(f"[yellow]! {escape(warning)}[/yellow]")
    for name, outcomes in result.outcomes.items():
        wrong = [o for o in outcomes if not o.correct]
        if not wrong:
            console.print(f"[green]{name}: every answer right.[/green]")
            continue
        console.print(f"[bold]{name}: {len(wrong)} wrong or refused[/bold]")
        for o in wrong:
            cited = ", ".join(c["paragraph_id"] for c in o.citations) or "nothing"
            console.print(
                f"  [red]✗[/red] [{escape(o.case.category)}] {escape(o.case.question)}\n"
                f"      expected {escape(o.expected_text())}; got {escape(o.text.splitlines()[0][:150] if o.text else '')!r}\n"
                f"      cited: {escape(cited)}",
                highlight=False,
            )
    if result.unmeasured:
        console.print(f"[yellow]{ds.name}: no question measures {', '.join(result.unmeasured)}; its threshold is not checked.[/yellow]")
    if result.failed:
        failed = "; ".join(f"{label(k)} {fmt_value(k, v)} (threshold {fmt_threshold(k, t)})" for k, (v, t) in result.failed.items())
        console.print(f"[red]{ds.name} is below its thresholds: {failed}[/red]")


# ---- the run ----------------------------------------------------------------------------------

def _local(dataset: Dataset, name: str) -> Path:
    """A dataset's ``files`` entry: absolute, next to the dataset file, or relative to the repository."""
    path = Path(name)
    if path.is_absolute():
        return path
    beside = Path(dataset.path).parent / path
    return beside if dataset.path and beside.exists() else REPO / path


def sweep(dataset: Dataset, assistant, values: Sequence[float]) -> list[CurvePoint]:  # type: ignore[no-untyped-def]
    """Ours on ``dataset`` at each max_uncovered value (the answerer restored afterwards)."""
    chosen = assistant.answerer
    points = []
    try:
        for value in sorted({*values, chosen.max_uncovered}):
            assistant.answerer = Answerer(assistant.shelf, nearest=assistant.settings.top_k, max_uncovered=value)
            m = evaluate(dataset, [OurSystem(assistant)], assistant.reports).metrics[OURS]
            refused = m.get("false_refusal_rate")
            points.append(CurvePoint(value, None if refused is None else 1 - refused, m.get("answer_precision"),
                                     m.get("wrong_answers"), m.get("accuracy"), value == chosen.max_uncovered))
    finally:
        assistant.answerer = chosen
    return points


def run(assistant, paths: list[Path], *, console: Console, json_out: Path | None = None,  # type: ignore[no-untyped-def]
        corpus_dir: Path | None = None, baselines: bool = False, report_dir: Path | None = None,
        thresholds: dict[str, float] | None = None, curve: Sequence[float] = (), llm: bool = False) -> bool:
    """Run each dataset; True when every dataset meets its thresholds (ours). ``curve``: the
    max_uncovered values at which to measure ours again, for the precision/coverage curve; ``llm``:
    ours again with the configured LLM (a row of its own; thresholds stay on ours without it)."""
    paths = list(paths) or default_paths()
    datasets = [load_dataset(p, thresholds=thresholds) for p in paths]  # every file checked before anything runs
    results: list[DatasetResult] = []
    skipped: list[str] = []
    started = time.perf_counter()
    store_dir = Path(assistant.settings.data_dir) / "eval-baselines"
    for dataset in datasets:
        if dataset.corpus:
            if corpus_dir is None or not Path(corpus_dir).is_dir():
                console.print(f"[yellow]Skipping {dataset.name}: it needs the corpus folder (set NIANBAO_CORPUS_DIR).[/yellow]")
                skipped.append(dataset.name)
                continue
            assistant.ingest([Path(corpus_dir) / p for p in dataset.corpus], overrides=Overrides())
        if dataset.files:
            assistant.ingest([_local(dataset, p) for p in dataset.files], overrides=Overrides())
        systems: list = [OurSystem(assistant)] + ([OurSystem(assistant, llm=True)] if llm and assistant.llm else [])
        build: dict[str, dict] = {}
        if baselines:
            for spec in SPECS:
                with console.status(f"Building the {spec.name} baseline index…"):
                    baseline = Baseline(spec, assistant.reports, embedder=assistant.embedder, store_dir=store_dir,
                                        k=assistant.settings.top_k, model_name=assistant.settings.embedding_model)
                build[spec.name] = {"chunks": len(baseline.chunks), "embedded": baseline.embedded,
                                    "seconds": round(baseline.build_seconds, 1)}
                systems.append(BaselineSystem(baseline, assistant))
        with console.status(f"Asking {len(dataset.cases)} questions of {dataset.name} ({len(systems)} systems)…"):
            result = evaluate(dataset, systems, assistant.reports)
        result.baseline_build = build
        if curve:
            with console.status(f"Sweeping the answer/refuse threshold on {dataset.name}…"):
                result.curve = sweep(dataset, assistant, curve)
        print_result(console, result)
        results.append(result)
    all_ok = all(r.passed for r in results)
    payload = {
        "passed": all_ok,
        "seconds": round(time.perf_counter() - started, 1),
        "reports_indexed": len(assistant.reports),
        "embedding_model": assistant.settings.embedding_model,
        "llm_model": assistant.llm.name if llm and assistant.llm else None,
        "top_k": assistant.settings.top_k,
        "skipped": skipped,
        "datasets": {r.dataset.name: r.to_dict() for r in results},
    }
    if json_out:
        json_out = Path(json_out)
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        console.print(f"JSON results: {json_out}")
    if report_dir:
        page = write_report(results, Path(report_dir), payload)
        console.print(f"HTML report: {page}")
    summary = ", ".join(f"{r.dataset.name} {'passed' if r.passed else 'FAILED'}" for r in results) or "no dataset ran"
    console.print(("[green]" if all_ok else "[red]") + f"Evaluation: {summary} ({payload['seconds']:.0f} s).")
    return all_ok


__all__ = [
    "BaselineSystem",
    "DatasetError",
    "DatasetResult",
    "OurSystem",
    "default_paths",
    "evaluate",
    "load_dataset",
    "resolve_report",
    "run",
]
