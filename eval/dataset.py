"""Evaluation datasets: one schema, three formats (YAML, JSONL, CSV). See eval/README.md.

Every format gives the same fields per question — ``question``; the expected answer (a figure:
``value`` + ``unit`` [+ ``qualifier``]; ``yesno``; ``text``; several years: ``values``; or
``unanswerable``), either flat or nested under ``expect``; optional ``report``, ``agency``,
``year``, ``category`` and ``evidence`` — and the same dataset header (``name``, ``description``,
``thresholds``, ``corpus``, ``files``): the YAML top level, the first line of a JSONL file (an
object without ``question``), or ``# key: value`` lines at the top of a CSV file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".jsonl": "jsonl", ".csv": "csv"}

# Metrics a dataset may set a threshold on. Lower-is-better metrics take their threshold as a ceiling.
METRICS = (
    "accuracy", "figure_accuracy", "yesno_accuracy", "text_accuracy",
    "citation_precision", "citation_recall",
    "refusal_precision", "refusal_recall", "false_refusal_rate",
    "retrieval_hit@1", "retrieval_hit@5", "retrieval_mrr", "wrong_answers", "answer_precision",
    "latency_p50_ms", "latency_p95_ms",
)
LOWER_IS_BETTER = frozenset({"false_refusal_rate", "latency_p50_ms", "latency_p95_ms", "wrong_answers"})
ALIASES = {"refusal_accuracy": "refusal_recall"}  # the name the first datasets used
UNANSWERABLE = "unanswerable"
_UNANSWERABLE_WORDS = {"unanswerable", "not in the reports", "not_in_reports", "none", "refuse", "refusal", "报告中没有", "无法回答"}
_YES = {"是", "yes", "y", "true", "1"}
_NO = {"否", "no", "n", "false", "0"}
_HEADER_KEYS = {"name", "description", "thresholds", "corpus", "files"}
_CASE_KEYS = {
    "question", "expect", "value", "unit", "qualifier", "yesno", "text", "values", "missing_years", "verdict",
    "unanswerable", "report", "agency", "year", "category", "evidence", "id", "notes", "previous",
}


class DatasetError(ValueError):
    """A dataset file that cannot be read: says which file, which question and what is wrong."""


@dataclass
class Case:
    question: str
    expect: dict | str  # {"value", "unit", "qualifier"?} | {"yesno"} | {"text"} | {"values", ...} | "unanswerable"
    category: str = "other"
    evidence: str | list[str] = ""  # text a citation (and a retrieved chunk) must hold; a list: any one of them
    report: str = ""  # the report the answer must come from (id, title, or a unique part of the title)
    agency: str = ""  # passed to ask() as a filter
    year: int | None = None  # passed to ask() as a filter
    previous: str = ""  # the conversation's previous question: ``question`` is a follow-up to it

    @property
    def unanswerable(self) -> bool:
        return self.expect == UNANSWERABLE

    @property
    def kind(self) -> str:
        """figure | yesno | text | unanswerable"""
        if self.unanswerable:
            return "unanswerable"
        assert isinstance(self.expect, dict)
        if "yesno" in self.expect:
            return "yesno"
        if "value" in self.expect or "values" in self.expect:
            return "figure"
        return "text"

    @property
    def evidence_options(self) -> list[str]:
        options = self.evidence if isinstance(self.evidence, list) else [self.evidence]
        return [o for o in options if o]

    def holds_evidence(self, text: str) -> bool:
        return any(o in text for o in self.evidence_options)


@dataclass
class Dataset:
    name: str
    cases: list[Case]
    thresholds: dict[str, float] = field(default_factory=dict)
    corpus: list[str] = field(default_factory=list)  # relative to NIANBAO_CORPUS_DIR
    files: list[str] = field(default_factory=list)  # relative to the repository
    description: str = ""
    path: str = ""


def load_dataset(path: Path, *, thresholds: dict[str, float] | None = None) -> Dataset:
    """Read a dataset in any of the formats; ``thresholds`` (from --threshold) override the file's."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DatasetError(f"{path}: unknown dataset format {path.suffix!r}; use .yaml, .jsonl or .csv")
    text = path.read_text(encoding="utf-8-sig")
    header, rows = {"yaml": _read_yaml, "jsonl": _read_jsonl, "csv": _read_csv}[fmt](text, path)
    unknown = set(header) - _HEADER_KEYS - {"questions"}
    if unknown:
        raise DatasetError(f"{path}: unknown header field(s) {sorted(unknown)}; known: {sorted(_HEADER_KEYS)}")
    cases = [_case(row, f"{path}: question {i}") for i, row in enumerate(rows, 1)]
    if not cases:
        raise DatasetError(f"{path}: no questions")
    merged = parse_thresholds(header.get("thresholds") or {}, where=str(path))
    merged.update(thresholds or {})
    return Dataset(
        name=str(header.get("name") or path.stem),
        cases=cases,
        thresholds=merged,
        corpus=_string_list(header.get("corpus")),
        files=_string_list(header.get("files")),
        description=str(header.get("description") or ""),
        path=str(path),
    )


def parse_thresholds(raw: dict[str, Any] | list[str] | str, *, where: str = "--threshold") -> dict[str, float]:
    """{"figure_accuracy": 1.0} or ["figure_accuracy=1.0", ...] or "a=1.0, b=90%" → checked {metric: value}."""
    if isinstance(raw, str):
        raw = [p for p in re.split(r"[,\s]+", raw) if p]
    if isinstance(raw, list):
        pairs = {}
        for item in raw:
            name, sep, value = str(item).partition("=")
            if not sep:
                raise DatasetError(f"{where}: a threshold is name=value, got {item!r}")
            pairs[name.strip()] = value.strip()
        raw = pairs
    if not isinstance(raw, dict):
        raise DatasetError(f"{where}: thresholds must be a mapping of metric to value")
    result: dict[str, float] = {}
    for name, value in raw.items():
        name = ALIASES.get(str(name).strip(), str(name).strip())
        if name not in METRICS and not name.startswith("category:"):
            raise DatasetError(f"{where}: no metric is called {name!r}; known: {', '.join(METRICS)}, category:<name>")
        text = str(value).strip()
        try:
            number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            raise DatasetError(f"{where}: the threshold for {name} must be a number, got {value!r}") from None
        result[name] = number
    return result


# ---- formats --------------------------------------------------------------------------------

def _read_yaml(text: str, path: Path) -> tuple[dict, list[dict]]:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DatasetError(f"{path}: not valid YAML: {exc}") from None
    if isinstance(raw, list):  # just the questions
        return {}, raw
    if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list):
        raise DatasetError(f"{path}: a YAML dataset is a mapping with a `questions:` list (or a list of questions)")
    return {k: v for k, v in raw.items() if k != "questions"}, raw["questions"]


def _read_jsonl(text: str, path: Path) -> tuple[dict, list[dict]]:
    header: dict = {}
    rows: list[dict] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith(("#", "//")):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{number}: not valid JSON: {exc}") from None
        if not isinstance(obj, dict):
            raise DatasetError(f"{path}:{number}: each line is a JSON object")
        if "question" not in obj:
            if rows or header:
                raise DatasetError(f"{path}:{number}: only the first line may be a header (an object without `question`)")
            header = obj
            continue
        rows.append(obj)
    return header, rows


def _read_csv(text: str, path: Path) -> tuple[dict, list[dict]]:
    lines = text.splitlines(keepends=True)
    header: dict = {}
    body_start = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            body_start = i
            break
        key, sep, value = stripped.lstrip("#").strip().partition(":")
        if sep and key.strip() in _HEADER_KEYS:
            key, value = key.strip(), value.strip()
            if key in ("corpus", "files"):
                header[key] = [p.strip() for p in value.split(",") if p.strip()]
            elif key == "thresholds":
                header[key] = value  # "figure_accuracy=1.0, refusal_recall=1.0"
            else:
                header[key] = value
    else:
        body_start = len(lines)
    reader = csv.DictReader(io.StringIO("".join(lines[body_start:])))
    if not reader.fieldnames or "question" not in [f.strip() for f in reader.fieldnames]:
        raise DatasetError(f"{path}: the first CSV row (after any `# key: value` lines) names the columns, one of them `question`")
    rows = []
    for row in reader:
        cleaned = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
        if not any(cleaned.values()):
            continue
        rows.append({k: v for k, v in cleaned.items() if v != ""})
    return header, rows


# ---- one question ---------------------------------------------------------------------------

def _case(raw: Any, where: str) -> Case:
    if not isinstance(raw, dict):
        raise DatasetError(f"{where}: a question is a mapping with at least `question` and an expected answer")
    unknown = set(raw) - _CASE_KEYS
    if unknown:
        raise DatasetError(f"{where}: unknown field(s) {sorted(unknown)}; known: {sorted(_CASE_KEYS)}")
    question = str(raw.get("question") or "").strip()
    if not question:
        raise DatasetError(f"{where}: `question` is empty")
    where = f"{where} ({question})"
    expect = _expect(raw, where)
    year = raw.get("year")
    if year not in (None, ""):
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise DatasetError(f"{where}: `year` must be a year like 2017, got {year!r}") from None
    else:
        year = None
    category = str(raw.get("category") or "").strip()
    if not category:
        category = {"unanswerable": "unanswerable", "yesno": "yesno"}.get(_kind(expect), "other")
    return Case(
        question=question,
        expect=expect,
        category=category,
        evidence=_evidence(raw.get("evidence")),
        report=str(raw.get("report") or "").strip(),
        agency=str(raw.get("agency") or "").strip(),
        year=year,
        previous=str(raw.get("previous") or "").strip(),
    )


def _kind(expect: dict | str) -> str:
    if expect == UNANSWERABLE:
        return "unanswerable"
    return "yesno" if isinstance(expect, dict) and "yesno" in expect else "other"


def _expect(raw: dict, where: str) -> dict | str:
    expect = raw.get("expect")
    if isinstance(expect, str) and expect.strip().startswith("{"):
        try:
            expect = json.loads(expect)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}: `expect` is not valid JSON: {exc}") from None
    if expect is None:
        # the flat form: value/unit/qualifier, yesno, text, values, unanswerable as fields of their own
        if _truthy(raw.get("unanswerable")):
            return UNANSWERABLE
        expect = {k: raw[k] for k in ("value", "unit", "qualifier", "yesno", "text", "values", "missing_years", "verdict") if k in raw}
        if not expect:
            raise DatasetError(f"{where}: no expected answer: give `value` and `unit`, `yesno`, `text`, `values`, or `unanswerable: true`")
    if isinstance(expect, str):
        if expect.strip().lower() in _UNANSWERABLE_WORDS:
            return UNANSWERABLE
        raise DatasetError(f"{where}: `expect` is a mapping ({{value, unit}}, {{yesno}}, {{text}}, {{values}}) or `unanswerable`, got {expect!r}")
    if not isinstance(expect, dict):
        raise DatasetError(f"{where}: `expect` must be a mapping or `unanswerable`")
    expect = {k: v for k, v in expect.items() if v not in (None, "")}
    if "yesno" in expect:
        word = str(expect["yesno"]).strip().lower()
        if word in _YES or expect["yesno"] is True:
            expect["yesno"] = "是"
        elif word in _NO or expect["yesno"] is False:
            expect["yesno"] = "否"
        else:
            raise DatasetError(f"{where}: `yesno` is 是 or 否 (yes/no), got {expect['yesno']!r}")
        return {"yesno": expect["yesno"]}
    if "values" in expect:
        values = expect["values"]
        if isinstance(values, str):
            try:
                values = json.loads(values)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{where}: `values` is not valid JSON: {exc}") from None
        if not isinstance(values, list) or not all(isinstance(v, dict) and "year" in v and "value" in v for v in values):
            raise DatasetError(f"{where}: `values` is a list of {{year, value}}")
        out: dict[str, Any] = {"values": [{"year": int(v["year"]), "value": _number(v["value"], where)} for v in values]}
        missing = expect.get("missing_years") or []
        if isinstance(missing, str):
            missing = [m for m in re.split(r"[,\s|]+", missing) if m]
        if missing:
            out["missing_years"] = [int(y) for y in missing]
        if expect.get("verdict"):
            out["verdict"] = str(expect["verdict"])
        return out
    if "value" in expect:
        if not expect.get("unit"):
            raise DatasetError(f"{where}: a figure needs its `unit` (件, 条, 人次, 万元 …)")
        out = {"value": _number(expect["value"], where), "unit": str(expect["unit"]).strip()}
        if expect.get("qualifier"):
            out["qualifier"] = str(expect["qualifier"]).strip()
        return out
    if "text" in expect:
        return {"text": str(expect["text"])}
    raise DatasetError(f"{where}: `expect` needs `value`+`unit`, `yesno`, `text` or `values`; got {sorted(expect)}")


def _number(value: Any, where: str) -> str:
    """The expected value as a decimal string (exact: YAML floats are read back from their text)."""
    text = str(value).strip().replace(",", "")
    try:
        Decimal(text)
    except InvalidOperation:
        raise DatasetError(f"{where}: `value` must be a number (normalised: 3.2万人 → 32000 with unit 人), got {value!r}") from None
    return text


def _evidence(raw: Any) -> str | list[str]:
    if raw is None:
        return ""
    if isinstance(raw, list):
        return [str(x).strip() for x in raw if str(x).strip()]
    text = str(raw).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
            if isinstance(parsed, list):
                return [str(x).strip() for x in parsed if str(x).strip()]
        except json.JSONDecodeError:
            pass
    if "|" in text:
        return [p.strip() for p in text.split("|") if p.strip()]
    return text


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in {"true", "yes", "1", "y", "是", "unanswerable"}


def _string_list(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.split(",") if p.strip()]
    return [str(v) for v in value]
