"""The precision/coverage curve of the answer/refuse decision: how many of a question's words a
figure's own words may leave out (``max_uncovered``), against answers given, right and wrong.

    python scripts/sweep.py --dataset ../shared/eval/dev-departments-a.yaml --dataset ... [--values 0,1,2,3]

Ingests each dataset's corpus into NIANBAO_DATA_DIR first (idempotent). The default (0) was chosen
here: no wrong answer first, coverage second.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from assistant.answering import Answerer
from assistant.config import Settings
from assistant.index import Overrides
from assistant.service import Assistant
from eval.dataset import load_dataset
from eval.runner import OurSystem, evaluate


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", action="append", type=Path, required=True)
    parser.add_argument("--values", default="0,1,2,3")
    args = parser.parse_args()
    settings = Settings()
    assistant = Assistant(settings)
    datasets = [load_dataset(p) for p in args.dataset]
    for dataset in datasets:
        if dataset.corpus and settings.corpus_dir:
            assistant.ingest([settings.corpus_dir / p for p in dataset.corpus], overrides=Overrides())
    table = Table(title="answer/refuse threshold: max_uncovered")
    for column in ("max_uncovered", "dataset", "answerable answered", "answer precision", "wrong answers", "accuracy"):
        table.add_column(column, justify="right")
    for value in (float(v) for v in args.values.split(",")):
        assistant.answerer = Answerer(assistant.reports, nearest=settings.top_k, max_uncovered=value)
        for dataset in datasets:
            m = evaluate(dataset, [OurSystem(assistant)], assistant.reports).metrics["ours"]
            table.add_row(f"{value:g}", dataset.name, _pct(1 - m["false_refusal_rate"]) if m["false_refusal_rate"] is not None else "—",
                          _pct(m["answer_precision"]), f"{m['wrong_answers']:.0f}", _pct(m["accuracy"]))
    Console().print(table)


if __name__ == "__main__":
    main()
