"""The evaluation as one self-contained HTML page: inline CSS, inline SVG charts drawn here, no
scripts, no fonts or images from anywhere — it opens offline. Per dataset: the metrics of every
system with the ratios ours / baseline, accuracy by category as grouped bars, the latency
distribution as a histogram, and every wrong or refused answer with what was expected, what came
back and what it cited."""

from __future__ import annotations

import html
import math
from datetime import UTC, datetime
from pathlib import Path

from eval.results import OURS, OURS_LLM, DatasetResult, fmt_ratio, fmt_threshold, fmt_value, label, metric_rows
from eval.scoring import categories

COLORS = {OURS: "#2563eb", OURS_LLM: "#7c3aed", "langchain": "#f59e0b", "chatchat": "#059669"}
EXTRA_COLORS = ("#9333ea", "#dc2626", "#0891b2")
FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif"
LATENCY_EDGES = (0, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, math.inf)
SUMMARY_METRICS = ("figure_accuracy", "yesno_accuracy", "citation_precision", "citation_recall", "refusal_precision",
                   "refusal_recall", "retrieval_hit@1", "retrieval_hit@5", "retrieval_mrr")

CSS = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {FONT}; margin: 0; color: #1f2937; background: #f8fafc; line-height: 1.45; font-size: 14px; }}
header {{ background: #0f172a; color: #f8fafc; padding: 20px 32px; }}
header h1 {{ margin: 0 0 4px; font-size: 22px; }}
header p {{ margin: 2px 0; color: #cbd5e1; }}
main {{ padding: 16px 32px 48px; max-width: 1240px; }}
section {{ background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 16px 20px; margin: 18px 0; }}
h2 {{ margin: 0 0 4px; font-size: 19px; }}
h3 {{ margin: 18px 0 8px; font-size: 15px; }}
.muted {{ color: #64748b; }}
.badge {{ display: inline-block; padding: 1px 10px; border-radius: 999px; font-weight: 600; font-size: 12px; vertical-align: middle; }}
.pass {{ background: #dcfce7; color: #166534; }}
.fail {{ background: #fee2e2; color: #991b1b; }}
table {{ border-collapse: collapse; width: 100%; margin: 8px 0; }}
th, td {{ border-bottom: 1px solid #e2e8f0; padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f1f5f9; font-weight: 600; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
tr.failed td {{ background: #fef2f2; }}
.swatch {{ display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 16px; }}
figure {{ margin: 8px 0; width: 100%; }}
figcaption {{ font-weight: 600; margin-bottom: 4px; }}
details {{ margin: 6px 0; }}
summary {{ cursor: pointer; font-weight: 600; }}
.fails td {{ font-size: 13px; }}
.fails code, code {{ font-size: 12px; background: #f1f5f9; padding: 0 3px; border-radius: 3px; }}
.cite {{ color: #475569; }}
ul.cites {{ margin: 0; padding-left: 16px; }}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _color(name: str, index: int) -> str:
    return COLORS.get(name, EXTRA_COLORS[index % len(EXTRA_COLORS)])


def _legend(systems: list[dict], x: float, y: float) -> str:
    parts = []
    for i, s in enumerate(systems):
        parts.append(f'<rect x="{x + i * 150:.0f}" y="{y - 10:.0f}" width="12" height="12" rx="2" fill="{_color(s["name"], i)}"/>'
                     f'<text x="{x + i * 150 + 18:.0f}" y="{y:.0f}" font-size="12">{_e(s["name"])}</text>')
    return "".join(parts)


def grouped_bars(groups: list[str], series: list[tuple[str, list[float | None]]], systems: list[dict], *,
                 width: int = 1120, height: int = 330, percent: bool = True, y_max: float | None = None,
                 value_format=None, group_formats=None, title: str = "", label_zero: bool = True) -> str:  # type: ignore[no-untyped-def]
    """Grouped vertical bars: one group per label, one bar per series (None: no bar, "n/a").
    ``group_formats``: a value formatter per group (else ``value_format`` for all)."""
    left, right, top, bottom = 56, 16, 48, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, vals in series for v in vals if v is not None]
    top_value = y_max if y_max is not None else (1.0 if percent else (max(values) if values else 1.0) * 1.15 or 1.0)
    fmt = value_format or ((lambda v: f"{v * 100:.0f}%") if percent else (lambda v: f"{v:g}"))
    out = [f'<svg role="img" aria-label="{_e(title)}" width="100%" style="max-width:{width}px" '
           f'viewBox="0 0 {width} {height}" font-family="{_e(FONT)}" fill="#1f2937">']
    for i in range(5):
        frac = i / 4
        y = top + plot_h * (1 - frac)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e2e8f0"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#64748b">{_e(fmt(top_value * frac))}</text>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#94a3b8"/>')
    n_groups, n_series = max(1, len(groups)), max(1, len(series))
    group_w = plot_w / n_groups
    bar_w = min(44.0, group_w * 0.8 / n_series)
    for g, name in enumerate(groups):
        gx = left + g * group_w + (group_w - bar_w * n_series) / 2
        gfmt = group_formats[g] if group_formats else fmt
        for s, (system, vals) in enumerate(series):
            value = vals[g]
            x = gx + s * bar_w
            if value is None:
                out.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h - 4:.1f}" font-size="9" text-anchor="middle" fill="#94a3b8">n/a</text>')
                continue
            h = plot_h * min(1.0, value / top_value) if top_value else 0
            y = top + plot_h - h
            out.append(f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{max(h, 0.5):.1f}" fill="{_color(system, s)}">'
                       f'<title>{_e(system)} · {_e(name)}: {_e(gfmt(value))}</title></rect>')
            if value or label_zero:
                out.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" font-size="10" text-anchor="middle">{_e(gfmt(value))}</text>')
        out.append(f'<text x="{left + g * group_w + group_w / 2:.1f}" y="{top + plot_h + 18:.1f}" font-size="12" text-anchor="middle">{_e(name)}</text>')
    out.append(_legend(systems, left, 20))
    out.append("</svg>")
    return "".join(out)


def latency_histogram(result: DatasetResult) -> str:
    bins = [f"<{LATENCY_EDGES[1]:g} ms"] + [
        f"{lo:g}–{hi:g}" if not math.isinf(hi) else f"≥{lo:g}" for lo, hi in zip(LATENCY_EDGES[1:-1], LATENCY_EDGES[2:], strict=False)
    ]
    series = []
    for s in result.systems:
        counts = [0] * (len(LATENCY_EDGES) - 1)
        for o in result.outcomes[s["name"]]:
            for i, (lo, hi) in enumerate(zip(LATENCY_EDGES, LATENCY_EDGES[1:], strict=False)):
                if lo <= o.latency_ms < hi:
                    counts[i] += 1
                    break
        series.append((s["name"], [float(c) for c in counts]))
    peak = max([v for _, vals in series for v in vals] or [1.0])
    step = max(1, math.ceil(peak / 4))
    return grouped_bars(bins, series, result.systems, percent=False, y_max=float(step * 4),
                        value_format=lambda v: f"{v:.0f}", title="latency histogram (questions per bin, ms)", label_zero=False)


def category_chart(result: DatasetResult) -> str:
    every = [o for outcomes in result.outcomes.values() for o in outcomes]
    groups = ["all"] + categories(every)
    series = []
    for s in result.systems:
        scores = result.metrics[s["name"]]
        series.append((s["name"], [scores.get("accuracy")] + [scores.get(f"category:{c}") for c in groups[1:]]))
    return grouped_bars(groups, series, result.systems, title="accuracy by category")


def summary_chart(result: DatasetResult) -> str:
    groups = [m for m in SUMMARY_METRICS if any(result.metrics[s["name"]].get(m) is not None for s in result.systems)]
    series = [(s["name"], [result.metrics[s["name"]].get(m) for m in groups]) for s in result.systems]
    names = [label(m).replace("retrieval ", "").replace(" accuracy", " acc.") for m in groups]
    formats = [(lambda v: f"{v:.2f}") if m == "retrieval_mrr" else (lambda v: f"{v * 100:.0f}%") for m in groups]
    return grouped_bars(names, series, result.systems, title="metrics by system", group_formats=formats)


def metrics_table(result: DatasetResult) -> str:
    ds = result.dataset
    ratios = result.ratios()
    head = "".join(f'<th class="num"><span class="swatch" style="background:{_color(s["name"], i)}"></span>{_e(s["name"])}</th>'
                   for i, s in enumerate(result.systems))
    head += "".join(f'<th class="num">ours / {_e(b)}</th>' for b in result.baselines)
    rows = []
    for key in metric_rows(result):
        cells = "".join(f'<td class="num">{_e(fmt_value(key, result.metrics[s["name"]].get(key)))}</td>' for s in result.systems)
        cells += "".join(f'<td class="num">{_e(fmt_ratio(ratios[b].get(key)))}</td>' for b in result.baselines)
        threshold = fmt_threshold(key, ds.thresholds.get(key))
        mark = " ✗" if key in result.failed else (" ✓" if threshold else "")
        rows.append(f'<tr class="{"failed" if key in result.failed else ""}"><td>{_e(label(key))}</td>{cells}'
                    f'<td class="num">{_e(threshold + mark)}</td></tr>')
    return f'<table class="metrics"><thead><tr><th>metric</th>{head}<th class="num">threshold (ours)</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def curve_section(result: DatasetResult) -> str:
    """The answer/refuse threshold swept: answer precision against coverage, one point per setting,
    and the same numbers as a table (the chosen setting marked)."""
    points = [p for p in result.curve if p.coverage is not None and p.precision is not None]
    if not result.curve:
        return ""
    width, height, pad = 420, 260, 44
    def x(v: float) -> float:
        return pad + v * (width - 2 * pad)
    def y(v: float) -> float:
        return height - pad - v * (height - 2 * pad)
    line = " ".join(f"{x(p.coverage):.1f},{y(p.precision):.1f}" for p in sorted(points, key=lambda p: p.coverage))  # type: ignore[arg-type]
    dots = "".join(
        f'<circle cx="{x(p.coverage):.1f}" cy="{y(p.precision):.1f}" r="{6 if p.chosen else 4}" fill="{COLORS.get(OURS, "#1f77b4")}">'  # type: ignore[arg-type]
        f'<title>max_uncovered {p.max_uncovered:g}: coverage {_pct(p.coverage)}, precision {_pct(p.precision)}</title></circle>'
        f'<text x="{x(p.coverage) + 8:.1f}" y="{y(p.precision) - 6:.1f}" font-size="11">{p.max_uncovered:g}</text>'  # type: ignore[arg-type]
        for p in points)
    axes = (f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#999"/>'
            f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#999"/>'
            f'<text x="{width / 2:.0f}" y="{height - 10}" font-size="12" text-anchor="middle">answerable questions answered</text>'
            f'<text x="12" y="{height / 2:.0f}" font-size="12" transform="rotate(-90 12 {height / 2:.0f})" text-anchor="middle">answer precision</text>'
            + "".join(f'<text x="{x(t):.0f}" y="{height - pad + 14}" font-size="10" text-anchor="middle">{t:.0%}</text>'
                      f'<text x="{pad - 4}" y="{y(t) + 3:.0f}" font-size="10" text-anchor="end">{t:.0%}</text>' for t in (0, 0.5, 1)))
    svg = (f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="precision/coverage curve">'
           f'{axes}<polyline points="{line}" fill="none" stroke="#888"/>{dots}</svg>')
    rows = "".join(
        f'<tr class="{"chosen" if p.chosen else ""}"><td class="num">{p.max_uncovered:g}{" (chosen)" if p.chosen else ""}</td>'
        f'<td class="num">{_pct(p.coverage)}</td><td class="num">{_pct(p.precision)}</td>'
        f'<td class="num">{"—" if p.wrong_answers is None else f"{p.wrong_answers:.0f}"}</td><td class="num">{_pct(p.accuracy)}</td></tr>'
        for p in result.curve)
    table = ('<table class="metrics"><thead><tr><th class="num">max_uncovered</th><th class="num">answered (answerable)</th>'
             f'<th class="num">answer precision</th><th class="num">wrong answers</th><th class="num">accuracy</th></tr></thead><tbody>{rows}</tbody></table>')
    return f'<h3>Answer or refuse: the precision/coverage curve</h3><div class="charts"><figure>{svg}</figure>{table}</div>'


def failures(result: DatasetResult) -> str:
    parts = []
    for i, s in enumerate(result.systems):
        wrong = [o for o in result.outcomes[s["name"]] if not o.correct]
        summary = f"{_e(s['name'])}: {len(wrong)} wrong or refused of {len(result.outcomes[s['name']])}"
        if not wrong:
            parts.append(f'<p><span class="swatch" style="background:{_color(s["name"], i)}"></span>{summary}</p>')
            continue
        rows = []
        for o in wrong:
            if o.citations:
                cites = "".join(f'<li><code>{_e(c["paragraph_id"])}</code> <span class="cite">{_e(c["section"])} — {_e(c["text"][:220])}</span></li>'
                                for c in o.citations)
                cited = f'<ul class="cites">{cites}</ul>'
            elif o.nearest:
                cited = "nothing (refused); nearest: " + ", ".join(f"<code>{_e(p)}</code>" for p in o.nearest[:5])
            else:
                cited = "nothing"
            got = o.text if o.answered else f"refused — {o.text}"
            rows.append(f"<tr><td>{_e(o.case.category)}</td><td>{_e(o.case.question)}</td><td>{_e(o.expected_text())}</td>"
                        f"<td>{_e(got[:400])}</td><td>{cited}</td></tr>")
        parts.append(
            f'<details{" open" if s["name"] == OURS else ""}><summary><span class="swatch" style="background:{_color(s["name"], i)}"></span>{summary}</summary>'
            '<table class="fails"><thead><tr><th>category</th><th>question</th><th>expected</th><th>got</th><th>cited</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></details>'
        )
    return "".join(parts)


def dataset_section(result: DatasetResult) -> str:
    ds = result.dataset
    badge = '<span class="badge pass">thresholds met</span>' if result.passed else '<span class="badge fail">below thresholds</span>'
    warnings = "".join(f'<p class="muted">! {_e(w)}</p>' for w in result.warnings)
    unmeasured = (f'<p class="muted">No question measures {_e(", ".join(result.unmeasured))}; not checked.</p>'
                  if result.unmeasured else "")
    build = ""
    if result.baseline_build:
        build = '<p class="muted">Baseline indexes: ' + "; ".join(
            f'{_e(n)} {b["chunks"]} chunks ({b["embedded"]} embedded now, {b["seconds"]} s)' for n, b in result.baseline_build.items()) + "</p>"
    return (
        f'<section id="{_e(ds.name)}"><h2>{_e(ds.name)} <span class="muted">· {len(ds.cases)} questions</span> {badge}</h2>'
        f'<p class="muted">{_e(ds.description)} <code>{_e(ds.path)}</code> — {result.seconds:.1f} s</p>{warnings}{unmeasured}{build}'
        f"{metrics_table(result)}"
        f'<div class="charts"><figure><figcaption>Accuracy by category</figcaption>{category_chart(result)}</figure>'
        f'<figure><figcaption>Metrics by system</figcaption>{summary_chart(result)}</figure>'
        f'<figure><figcaption>Latency distribution (questions per bin)</figcaption>{latency_histogram(result)}</figure></div>'
        f"{curve_section(result)}<h3>Wrong or refused answers</h3>{failures(result)}</section>"
    )


def render(results: list[DatasetResult], payload: dict | None = None) -> str:
    payload = payload or {}
    systems: dict[str, dict] = {}
    for r in results:
        for s in r.systems:
            systems.setdefault(s["name"], s)
    system_rows = "".join(
        f'<tr><td><span class="swatch" style="background:{_color(name, i)}"></span>{_e(name)}</td><td>{_e(s["title"])}</td><td>{_e(s["description"])}</td></tr>'
        for i, (name, s) in enumerate(systems.items())
    )
    passed = all(r.passed for r in results)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    facts = []
    if payload.get("reports_indexed") is not None:
        facts.append(f'{payload["reports_indexed"]} reports indexed')
    if payload.get("embedding_model"):
        facts.append(f'embedding model {payload["embedding_model"]}')
    if payload.get("top_k"):
        facts.append(f'k = {payload["top_k"]} chunks retrieved by every system')
    overview = "".join(
        f'<tr><td><a href="#{_e(r.dataset.name)}">{_e(r.dataset.name)}</a></td><td class="num">{len(r.dataset.cases)}</td>'
        + "".join(f'<td class="num">{_e(fmt_value("accuracy", r.metrics.get(s, {}).get("accuracy")))}</td>' for s in systems)
        + f'<td>{"met" if r.passed else "below"}</td></tr>'
        for r in results
    )
    overview_head = "".join(f'<th class="num">{_e(s)} accuracy</th>' for s in systems)
    skipped = payload.get("skipped") or []
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>nianbao evaluation</title><style>{CSS}</style></head><body>"
        f'<header><h1>nianbao · evaluation report <span class="badge {"pass" if passed else "fail"}">'
        f'{"all thresholds met" if passed else "thresholds not met"}</span></h1>'
        f'<p>{_e(when)} · {_e(" · ".join(facts))}</p></header><main>'
        '<section><h2>Systems</h2><p class="muted">Same index, same questions, same extractive answerer; the baselines '
        "differ in chunking and retrieval only (their answerer sees only the paragraphs their retrieved chunks overlap, "
        "and they do not filter by year or agency). Thresholds apply to ours.</p>"
        f"<table><thead><tr><th>system</th><th>what</th><th>chunking and retrieval</th></tr></thead><tbody>{system_rows}</tbody></table>"
        f'<table><thead><tr><th>dataset</th><th class="num">questions</th>{overview_head}<th>thresholds</th></tr></thead>'
        f"<tbody>{overview}</tbody></table>"
        + (f'<p class="muted">Skipped (corpus folder absent): {_e(", ".join(skipped))}</p>' if skipped else "")
        + "</section>"
        + "".join(dataset_section(r) for r in results)
        + "</main></body></html>"
    )


def write_report(results: list[DatasetResult], directory: Path, payload: dict | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    page = directory / "index.html"
    page.write_text(render(results, payload), encoding="utf-8")
    return page
