"""Benchmark the standard-table reader (ingest.tables) on synthetic reports, per format.

    .venv/bin/python scripts/bench_tables.py --n 200 [--seed 0] [--show 5]

For the portal page, the Word document and the archive's flattened text of each generated report:
cells the tables print, read correctly, read wrong, missing or flagged, % read, and time per report
(ingest.read_bytes, then read_standard_tables). Prints figures; asserts nothing
(tests/test_tables_synthetic.py holds the thresholds).
"""

from __future__ import annotations

import argparse

from eval.synthetic import generate
from eval.table_reading import FORMATS, score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=5, help="wrong readings to list per format")
    args = parser.parse_args()

    reports = generate(args.n, seed=args.seed)
    print(f"{args.n} synthetic reports (seed {args.seed})")
    print(f"{'format':<7}{'cells':>8}{'correct':>9}{'wrong':>7}{'missing':>9}{'flagged rows':>14}{'% read':>9}"
          f"{'read ms':>9}{'tables ms':>11}")
    wrong: dict[str, list[str]] = {}
    for fmt in FORMATS:
        result = score(reports, fmt)
        wrong[fmt] = result.wrong
        print(f"{fmt:<7}{result.expected:>8}{result.correct:>9}{len(result.wrong):>7}{len(result.missing):>9}"
              f"{result.flagged_rows:>14}{result.percent:>8.2f}%"
              f"{1000 * result.read_seconds / result.reports:>9.1f}{1000 * result.table_seconds / result.reports:>11.1f}")
    for fmt, lines in wrong.items():
        for line in lines[: args.show]:
            print(f"  wrong ({fmt}): {line}")


if __name__ == "__main__":
    main()
