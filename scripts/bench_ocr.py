"""OCR accuracy on rendered standard tables: cells read right / flagged / wrong (wrong must be 0).

The two standard-format samples (and, with ``--synthetic N``, N more reports of the synthetic
generator) are printed to one long PNG each (tests/rendering.py, Debian's Noto CJK font), read back
through ``ingest.read_bytes`` as any image would be, and every table cell the report prints is
compared with the value the generator put there. A cell is *flagged* when no figure was emitted for
it (its row is in ``table_issues``), *wrong* when a figure was emitted with another value.

Run: ``.venv/bin/python scripts/bench_ocr.py [--synthetic 4]``
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.rendering, eval

import ingest
from eval.synthetic import KINDS, SyntheticReport, generate, make_report
from tests.rendering import page_items, render_png


def samples() -> list[SyntheticReport]:
    """The standard-format samples, made as samples/make_samples.py makes them."""
    kinds = {kind.name: kind for kind in KINDS}
    return [
        make_report(random.Random(2021), place=("青石", "qingshi"), level="县", kind=kinds["交通运输局"],
                    year=2021, version="2021", split_other=True),
        make_report(random.Random(2020), place=("墨川", "mochuan"), level="市", kind=kinds["民政局"],
                    year=2020, version="2019", split_other=False),
    ]  # fmt: skip


def bench(report: SyntheticReport) -> tuple[int, int, list[str], float]:
    """(right, flagged, wrong cells described, seconds)."""
    started = time.perf_counter()
    read = ingest.read_bytes(render_png(page_items(report.html())), filename=f"{report.slug}.png")
    seconds = time.perf_counter() - started
    found = {figure.metric: figure.value for figure in read.figures if figure.metric}
    right = flagged = 0
    for key in report.printed:
        if key not in found:
            flagged += 1
        elif found[key] == report.expected[key]:
            right += 1
    wrong = [
        f"{key}: read {value}, expected {report.expected.get(key, 'no such cell')}"
        for key, value in found.items()
        if key not in report.expected or value != report.expected[key]
    ]
    return right, flagged, wrong, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=0, help="also this many synthetic reports (seed 7)")
    args = parser.parse_args()
    reports = samples() + generate(args.synthetic, seed=7)
    totals = [0, 0, 0]
    print(f"{'report':<40} {'right':>6} {'flagged':>8} {'wrong':>6} {'seconds':>8}")
    for report in reports:
        right, flagged, wrong, seconds = bench(report)
        totals = [totals[0] + right, totals[1] + flagged, totals[2] + len(wrong)]
        print(f"{report.slug:<40} {right:>6} {flagged:>8} {len(wrong):>6} {seconds:>8.1f}")
        for line in wrong:
            print(f"    wrong: {line}")
    cells = sum(totals[:2])
    print(
        f"{'total':<40} {totals[0]:>6} {totals[1]:>8} {totals[2]:>6}"
        f"   ({100 * totals[0] / cells:.1f}% of {cells} printed cells read right)"
    )
    sys.exit(1 if totals[2] else 0)


if __name__ == "__main__":
    main()
