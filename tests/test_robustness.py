"""Robustness: a question reworded mechanically (tests/variants.py) gets the same answer.

For every single-turn, single-year question of the development sets (dev-departments-a/-b), each
variant must give the same figure (or yes/no verdict) as the original question's own answer, or a
refusal — never a different one. When the original is refused, a variant that answers must give
the dataset's expected answer; for a question the dataset marks unanswerable it must be refused.
The point is consistency, not accuracy: the original may be wrong, as long as its variants agree.

What is compared, by the kind of the dataset's answer:
- figure (``expect.value``) and unanswerable: ``answer.figures[0].value`` (as a decimal);
- yes/no (``expect.yesno``): the verdict the answer text starts with (是 / 否);
- passage (``expect.text``): whether the answer text holds the expected text.
An answer without a figure (verdict) is an outcome of its own, different from every figure.

One assistant for the module, over the dev sets' ``corpus:`` files and all of corpus real/ and
seed/ (so that agencies must be told apart). The dev sets are read from NIANBAO_DEV_DIR, or from
the eval/ folder next to the corpus folder.
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, corpus_dir
from variants import labelled_variants

DEV_SETS = ("dev-departments-a.yaml", "dev-departments-b.yaml")


def dev_dir() -> Path | None:
    configured = os.environ.get("NIANBAO_DEV_DIR")
    candidates = [Path(configured)] if configured else []
    corpus = corpus_dir()
    if corpus is not None:
        candidates.append(corpus.parent / "eval")
    candidates.append(ROOT.parent / "shared" / "eval")
    return next((c for c in candidates if all((c / name).is_file() for name in DEV_SETS)), None)


def load_dev_sets() -> tuple[list[dict], list[str]]:
    """The dev sets' single-turn, single-year questions (each with ``id``), and their corpus files."""
    folder = dev_dir()
    if folder is None:
        return [], []
    items, files = [], []
    for name in DEV_SETS:
        data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        short = name.removesuffix(".yaml").removeprefix("dev-departments-")
        files += [f for f in data.get("corpus") or [] if f not in files]
        for index, item in enumerate(data["questions"], 1):
            expect = item.get("expect")
            if item.get("previous") or (isinstance(expect, dict) and "values" in expect):
                continue  # follow-ups and several-year questions are out of scope
            items.append({**item, "id": f"{short}{index:02d}-{item.get('category', 'other')}"})
    return items, files


ITEMS, CORPUS_FILES = load_dev_sets()


def kind_of(expect) -> str:  # type: ignore[no-untyped-def]
    if not isinstance(expect, dict):
        return "unanswerable"
    if "yesno" in expect:
        return "yesno"
    if "value" in expect:
        return "figure"
    return "text"


def _number(value) -> Decimal | str:  # type: ignore[no-untyped-def]
    try:
        return Decimal(str(value).replace(",", "")).normalize()
    except InvalidOperation:
        return str(value)


def outcome(answer, kind: str, expect) -> tuple | None:  # type: ignore[no-untyped-def]
    """What an answer says, in the terms the item is compared in; None for a refusal."""
    if not answer.answered:
        return None
    text = (answer.text or "").strip()
    if kind == "text":
        return ("passage", str(expect["text"]) in text)
    if kind == "yesno":
        return ("verdict", text[0]) if text[:1] in ("是", "否") else ("no verdict",)
    if answer.figures:
        return ("figure", _number(answer.figures[0].value))
    if text[:1] in ("是", "否"):
        return ("verdict", text[0])
    return ("no figure",)


def expected_outcome(kind: str, expect) -> tuple | None:  # type: ignore[no-untyped-def]
    if kind == "figure":
        return ("figure", _number(expect["value"]))
    if kind == "yesno":
        return ("verdict", str(expect["yesno"]))
    if kind == "text":
        return ("passage", True)
    return None  # unanswerable: only a refusal


def describe(result: tuple | None) -> str:
    if result is None:
        return "refused"
    if result[0] == "passage":
        return "passage with the expected text" if result[1] else "passage without the expected text"
    return " ".join(format(part, "f") if isinstance(part, Decimal) else str(part) for part in result)


def consistent(original: tuple | None, variant: tuple | None, expected: tuple | None) -> bool:
    if variant is None:
        return True  # a refusal is always allowed
    if original is not None:
        return variant == original
    return expected is not None and variant == expected


@pytest.fixture(scope="module")
def robust_assistant(make_assistant, corpus):  # type: ignore[no-untyped-def]
    """One assistant for the whole module: the dev sets' reports among the real and seed reports."""
    missing = [f for f in CORPUS_FILES if not (corpus / f).is_file()]
    assert not missing, f"dev-set corpus files absent from {corpus}: {missing}"
    built = make_assistant()
    results = built.ingest([corpus / f for f in CORPUS_FILES] + [corpus / "real", corpus / "seed"])
    failed = [r for r in results if r.error]
    assert not failed, failed
    return built


@pytest.mark.parametrize("item", ITEMS, ids=[item["id"] for item in ITEMS])
def test_variants_agree(robust_assistant, item) -> None:  # type: ignore[no-untyped-def]
    question, expect = item["question"], item["expect"]
    kind = kind_of(expect)
    reworded = labelled_variants(question)
    assert 5 <= len(reworded) <= 8, reworded

    first = robust_assistant.ask(question)
    original = outcome(first, kind, expect)
    expected = expected_outcome(kind, expect)

    problems = []
    for variant_kind, variant in reworded:
        try:
            answer = robust_assistant.ask(variant)
        except Exception as error:  # noqa: BLE001 — a variant that breaks the assistant is inconsistent too
            problems.append((variant_kind, variant, f"error {type(error).__name__}", str(error)))
            continue
        got = outcome(answer, kind, expect)
        if not consistent(original, got, expected):
            problems.append((variant_kind, variant, describe(got), answer.text))
    if problems:
        lines = [
            f"{len(problems)} of {len(reworded)} variants disagree with the original question",
            f"question: {question}  [{kind}; expected {describe(expected)}]",
            f"original answer: {describe(original)} | {first.text[:80]!r}",
        ]
        for variant_kind, variant, got, text in problems:
            lines.append(f"  [{variant_kind}] {variant}")
            lines.append(f"      variant answer: {got} | {text[:80]!r}")
        pytest.fail("\n".join(lines), pytrace=False)
