"""Write synthetic standard-format reports with known figures (eval/synthetic.py) to a folder.

    .venv/bin/python scripts/make_synthetic.py --n 200 --out /tmp/synthetic [--seed 0]

Each report becomes NNN-<slug>.html (UTF-8, or GBK for about one in five, declared in a meta
charset), .docx and .txt (the archive's flattened export), plus expected.json: file name → cell
key → value as a string ("12", "3.50") or null (not applicable, or no such cell in this layout).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from eval.synthetic import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    expected: dict[str, dict[str, str | None]] = {}
    for index, report in enumerate(generate(args.n, seed=args.seed)):
        stem = f"{index:03d}-{report.slug}"
        figures = {key: None if value is None else str(value) for key, value in report.expected.items()}
        for suffix, data in ((".html", report.html_bytes()), (".docx", report.docx()), (".txt", report.text().encode("utf-8"))):
            (args.out / f"{stem}{suffix}").write_bytes(data)
            expected[f"{stem}{suffix}"] = figures
    (args.out / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{args.n} reports × 3 formats and expected.json written to {args.out}")


if __name__ == "__main__":
    main()
