"""The history as staff read it: filters (literal, never SQL), paging, statistics, CSV/XLSX exports,
retention, and the `nianbao staff` / `nianbao history` commands. No model needed: answers are
built here and recorded through the HistoryStore as the API records them."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from assistant.history import HistoryStore
from assistant.history.store import utcnow
from assistant.schemas import Answer, Citation, Understanding
from assistant.staff.export import CSV_BOM, csv_lines, xlsx_bytes
from assistant.staff.query import HistoryQuery, count, entries, search
from assistant.staff.stats import history_stats, normalised

NOW = utcnow()


def make_answer(question: str, *, answered: bool = True, agency: str | None = "清河市教育局", years=(2018,),
                metric=(), report_id: str = "2018-qinghe", text: str = "17件。") -> Answer:
    citations = [Citation(report_id=report_id, agency=agency or "", year=years[0] if years else 2018, title="年报",
                          section_path=["三、依申请公开"], paragraph_id=f"{report_id}:p001", text="共收到申请17件。",
                          start=0, end=9, highlight=[5, 8])] if answered else []
    return Answer(question=question, answered=answered, text=text if answered else "报告中没有这项数据。",
                  citations=citations, confidence=0.9 if answered else 0.1,
                  understanding=Understanding(intent="figure", years=list(years), agency=agency, metric=list(metric)))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path) -> HistoryStore:
    """The history on SQLite (the default) and on PostgreSQL (for several workers)."""
    if request.param == "postgresql":
        return HistoryStore.open(request.getfixturevalue("postgres_url"), b"test-secret")
    return HistoryStore.open(f"sqlite:///{tmp_path / 'history.sqlite3'}", b"test-secret")


@pytest.fixture
def recorded(store):
    """A small history: ids by name."""
    ids = {
        "qinghe": store.record(make_answer("2018年清河市教育局共收到多少件申请?", metric=["t3.new"]), channel="widget",
                               asked_at=NOW - timedelta(days=1)),
        "baiyun": store.record(make_answer("2017年白云市商务局收到多少件申请?", agency="白云市商务局", years=(2017,),
                                           report_id="2017-baiyun-10"), channel="api", asked_at=NOW - timedelta(days=3)),
        "refused": store.record(make_answer("2019年清河市教育局收到多少件申请?", answered=False, years=(2019,)),
                                channel="widget", asked_at=NOW - timedelta(days=3)),
        "percent": store.record(make_answer("申请答复率是100%吗?", agency=None, years=()), channel="cli", asked_at=NOW),
        "underscore": store.record(make_answer("文件名a_b是什么?", answered=False, agency=None, years=()), channel="api",
                                   asked_at=NOW),
    }
    store.add_feedback(ids["qinghe"], "up")
    store.add_feedback(ids["baiyun"], "down", "数字不对")
    return ids


def found(store, **filters) -> set[str]:
    return {e.id for e in search(store.engine, HistoryQuery(**filters)).data}


@pytest.mark.parametrize("filters, expected", [
    ({}, {"qinghe", "baiyun", "refused", "percent", "underscore"}),
    ({"q": "清河"}, {"qinghe", "refused"}),
    ({"answered": True}, {"qinghe", "baiyun", "percent"}),
    ({"answered": False}, {"refused", "underscore"}),
    ({"feedback": "down"}, {"baiyun"}),
    ({"feedback": "up"}, {"qinghe"}),
    ({"feedback": "none"}, {"refused", "percent", "underscore"}),
    ({"report_id": "2017-baiyun-10"}, {"baiyun"}),
    ({"report_id": "2017-baiyun"}, set()),  # a whole id, not a prefix
    ({"agency": "商务局"}, {"baiyun"}),
    ({"year": 2019}, {"refused"}),
    ({"year": 2017}, {"baiyun"}),
    ({"channel": "widget"}, {"qinghe", "refused"}),
    ({"date_from": (NOW - timedelta(days=2)).date()}, {"qinghe", "percent", "underscore"}),
    ({"date_to": (NOW - timedelta(days=2)).date()}, {"baiyun", "refused"}),
    ({"q": "清河", "answered": False, "year": 2019}, {"refused"}),
])
def test_each_filter_selects_exactly_its_questions(store, recorded, filters, expected):
    assert found(store, **filters) == {recorded[name] for name in expected}


@pytest.mark.parametrize("hostile, expected", [
    ("%", {"percent"}),  # the character itself, not "anything"
    ("_", {"underscore"}),
    ("\\", set()),
    ("' OR 1=1 --", set()),
    ("\" OR \"\"=\"", set()),
    ("'; DROP TABLE questions; --", set()),
    ("<script>alert(1)</script>", set()),
])
@pytest.mark.parametrize("field", ["q", "agency", "report_id"])
def test_text_filters_are_matched_literally_never_run(store, recorded, hostile, expected, field):
    want = {recorded[name] for name in expected} if field == "q" else set()
    assert found(store, **{field: hostile}) == want
    assert count(store.engine, HistoryQuery()) == 5  # nothing dropped, nothing changed


def test_blank_form_fields_mean_no_filter():
    assert HistoryQuery.model_validate({"q": "", "answered": "", "year": " ", "feedback": ""}) == HistoryQuery()


def test_metrics_in_stats_are_named_as_the_tables_print_them(store):
    store.record(make_answer("2021年收到多少件申请?", metric=("t3.new.total",)), channel="api")
    store.record(make_answer("2021年行政复议多少件?", metric=("t4.reconsideration.total",)), channel="api")

    labels = {m.name: m.label for m in history_stats(store.engine, HistoryQuery()).top_metrics}

    assert labels == {"t3.new.total": "表三 一、本年新收政府信息公开申请数量 · 总计",
                      "t4.reconsideration.total": "表四 行政复议 · 总计"}


def test_a_refused_followup_counts_as_the_question_it_asked(store):
    followup = make_answer("那2030年呢?", answered=False, years=(2030,))
    followup.understanding.question = "2030年清河市教育局收到多少件申请?"
    store.record(followup, channel="widget")
    store.record(make_answer("2030年清河市教育局收到多少件申请？", answered=False, years=(2030,)), channel="api")

    top = history_stats(store.engine, HistoryQuery()).top_unanswered

    assert [(t.count, t.question.rstrip("?？")) for t in top] == [(2, "2030年清河市教育局收到多少件申请")]


def test_pages_cover_every_match_once(store):
    ids = [store.record(make_answer(f"问题{i}"), channel="api", asked_at=NOW - timedelta(minutes=i)) for i in range(7)]
    pages = [search(store.engine, HistoryQuery(per_page=3, page=p)) for p in (1, 2, 3)]
    assert [p.count for p in pages] == [7, 7, 7] and pages[0].pages == 3
    assert [e.id for p in pages for e in p.data] == ids  # newest first, none twice
    with pytest.raises(ValueError):
        HistoryQuery(per_page=201)


def test_stats_match_what_was_recorded(store, recorded):
    # the same refused question typed twice more, with other spaces, width and punctuation
    store.record(make_answer("2019年清河市教育局收到多少件申请？", answered=False, years=(2019,)), channel="api",
                 asked_at=NOW - timedelta(days=1))
    store.record(make_answer(" 2019年清河市教育局 收到多少件申请", answered=False, years=(2019,)), channel="api",
                 asked_at=NOW)

    stats = history_stats(store.engine, HistoryQuery())

    assert (stats.total, stats.answered, stats.refused) == (7, 3, 4)
    assert stats.answer_rate == pytest.approx(3 / 7)
    assert (stats.feedback_up, stats.feedback_down) == (1, 1)
    days = {d.day: (d.total, d.answered) for d in stats.per_day}
    today, yesterday = NOW.date(), (NOW - timedelta(days=1)).date()
    assert days[today] == (3, 1) and days[yesterday] == (2, 1)
    assert days[(NOW - timedelta(days=2)).date()] == (0, 0)  # a quiet day is a zero, not a gap
    assert days[(NOW - timedelta(days=3)).date()] == (2, 1)
    assert stats.top_unanswered[0].count == 3
    assert stats.top_unanswered[0].question == " 2019年清河市教育局 收到多少件申请"  # the latest wording
    assert [(m.name, m.count) for m in stats.top_metrics] == [("t3.new", 1)]
    assert [(t.name, t.count) for t in stats.top_topics] == [("申请", 5), ("答复", 1)]  # 申请答复率: 答复 is what counts
    assert (stats.top_agencies[0].name, stats.top_agencies[0].count) == ("清河市教育局", 4)
    assert [(n.id, n.comment) for n in stats.negative_feedback] == [(recorded["baiyun"], "数字不对")]

    only_widget = history_stats(store.engine, HistoryQuery(channel="widget"))
    assert (only_widget.total, only_widget.refused) == (2, 1)


def test_stats_of_nothing():
    stats = history_stats(HistoryStore.open("sqlite://", b"k").engine, HistoryQuery())
    assert stats.total == 0 and stats.answer_rate is None and stats.per_day == []


def test_normalised_questions_ignore_width_space_and_punctuation():
    assert normalised("２０１９年 清河？") == normalised("2019年清河?") == "2019年清河"


HOSTILE = "=HYPERLINK(\"http://evil\",\"点这里\")"


def test_csv_export_opens_with_the_chinese_intact(store, recorded):
    store.record(make_answer(HOSTILE, answered=False), channel="api")
    text = "".join(csv_lines(entries(store.engine, HistoryQuery(), 100)))

    assert text.startswith(CSV_BOM)  # so Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(CSV_BOM))))
    assert len(rows) == 6
    by_id = {row["编号"]: row for row in rows}
    assert by_id[recorded["qinghe"]]["问题"] == "2018年清河市教育局共收到多少件申请?"
    assert by_id[recorded["qinghe"]]["回答"] == "17件。"
    assert by_id[recorded["baiyun"]]["反馈意见"] == "数字不对"
    assert by_id[recorded["refused"]]["是否回答"] == "否"
    assert [r["问题"] for r in rows if "HYPERLINK" in r["问题"]] == ["'" + HOSTILE]  # text, not a formula


def test_xlsx_export_opens_with_the_chinese_intact(store, recorded):
    store.record(make_answer(HOSTILE + "\x07", answered=False), channel="api")
    workbook = load_workbook(io.BytesIO(xlsx_bytes(entries(store.engine, HistoryQuery(answered=False), 100))))
    sheet = workbook.worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    questions = {row[header.index("问题")] for row in rows}

    assert questions == {"2019年清河市教育局收到多少件申请?", "文件名a_b是什么?", HOSTILE}
    hostile_cell = next(c for row in sheet.iter_rows() for c in row if c.value == HOSTILE)
    assert hostile_cell.data_type == "s"  # a string cell, never a formula


def test_retention_deletes_only_older_questions(store):
    old = [store.record(make_answer("旧问题"), channel="api", asked_at=NOW - timedelta(days=d)) for d in (31, 400)]
    kept = [store.record(make_answer("新问题"), channel="api", asked_at=NOW - timedelta(days=d)) for d in (0, 29)]

    assert store.delete_older_than(30) == 2
    assert {e.id for e in search(store.engine, HistoryQuery()).data} == set(kept)
    assert all(store.get(i) is None for i in old)
    assert store.delete_older_than(30) == 0


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path, monkeypatch):
    from assistant.cli import cli as command
    from assistant.cli import console
    from assistant.config import get_settings

    monkeypatch.setattr(console, "width", 200)  # a table row on one line
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env
    get_settings.cache_clear()
    settings = get_settings()
    store = HistoryStore.open(settings.history_database_url, settings.secret())
    runner = CliRunner()

    def run(*args: str, input: str | None = None, ok: bool = True):  # type: ignore[no-untyped-def]
        result = runner.invoke(command, list(args), input=input, catch_exceptions=False)
        assert (result.exit_code == 0) is ok, result.output
        return result

    yield run, store
    get_settings.cache_clear()


def test_cli_staff_accounts_and_tokens(cli):
    from assistant.staff.accounts import StaffAccounts

    run, store = cli
    accounts = StaffAccounts(store.engine)
    run("staff", "add", "wang.fang", "--password-stdin", input="a long enough password\n")
    assert accounts.authenticate("wang.fang", "a long enough password") is not None
    assert accounts.authenticate("wang.fang", "wrong password!") is None
    assert "already exists" in run("staff", "add", "wang.fang", "--password-stdin", input="another password\n", ok=False).output
    assert "too short" in run("staff", "add", "li", "--password-stdin", input="short\n", ok=False).output
    run("staff", "add", "zhao", input="prompted password\nprompted password\n")  # prompt with confirmation
    assert accounts.authenticate("zhao", "prompted password") is not None

    run("staff", "passwd", "wang.fang", "--password-stdin", input="the new password\n")
    assert accounts.authenticate("wang.fang", "a long enough password") is None
    assert accounts.authenticate("wang.fang", "the new password") is not None

    token = run("staff", "token", "wang.fang", "--name", "weekly-export").stdout.strip()
    assert token.startswith("nbk_") and accounts.user_for_token(token).username == "wang.fang"
    listed = run("staff", "list").output
    assert "weekly-export" in listed and token not in listed  # the token is shown once only
    (token_id,) = [t.id for t in accounts.tokens()]
    run("staff", "revoke", token_id)
    assert accounts.user_for_token(token) is None
    run("staff", "revoke", "nosuchid", ok=False)

    run("staff", "disable", "zhao")
    assert accounts.user("zhao").disabled
    run("staff", "enable", "zhao")
    assert not accounts.user("zhao").disabled


def test_cli_history_list_export_and_prune(cli, tmp_path):
    run, store = cli
    store.record(make_answer("2018年清河市教育局共收到多少件申请?"), channel="widget", asked_at=NOW - timedelta(days=40))
    refused = store.record(make_answer("2019年清河市教育局收到多少件申请?", answered=False), channel="cli")

    listed = json.loads(run("history", "list", "--refused", "--format", "json").stdout)
    assert [e["id"] for e in listed["data"]] == [refused] and listed["count"] == 1
    assert "2019年清河市教育局收到多少件申请?" in run("history", "list", "--q", "清河").output
    since = (NOW - timedelta(days=1)).date().isoformat()
    rows = list(csv.DictReader(io.StringIO(run("history", "list", "--since", since, "--format", "csv").stdout)))
    assert [r["编号"] for r in rows] == [refused]

    run("history", "export", "--answered", "-o", str(tmp_path / "answered.xlsx"))
    sheet = load_workbook(tmp_path / "answered.xlsx").worksheets[0]
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["2018年清河市教育局共收到多少件申请?"]
    run("history", "export", "-o", str(tmp_path / "all.csv"))
    assert len(list(csv.reader((tmp_path / "all.csv").read_text(encoding="utf-8-sig").splitlines()))) == 3

    assert "Deleted 1 " in run("history", "prune", "--older-than", "30", "--yes").output
    assert [e.id for e in search(store.engine, HistoryQuery()).data] == [refused]
    run("history", "prune", "--older-than", "30", input="n\n", ok=False)  # asks first
