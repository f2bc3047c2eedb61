"""The `nianbao` command line, in-process (click's CliRunner) over a fresh data dir set through
the environment, sharing the session's loaded model: ingest, ask, reports, remove and errors."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import MODEL_DIR

from assistant import cli as cli_module
from assistant.cli import cli
from assistant.config import get_settings

SEED_QUESTION = "2017年河南省科技厅共收到多少件政府信息公开申请?"


@pytest.fixture
def run(tmp_path, monkeypatch, embedder, corpus):
    """Invoke `nianbao ARGS…` with NIANBAO_DATA_DIR pointing at a fresh folder; returns the result."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NIANBAO_MODEL_DIR", str(MODEL_DIR))  # the session's model, already loaded
    monkeypatch.setenv("NIANBAO_CORPUS_DIR", str(corpus))
    monkeypatch.delenv("NIANBAO_INGEST_PATHS", raising=False)
    monkeypatch.setattr(cli_module.console, "width", 1000)  # no wrapped lines or table cells
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        get_settings.cache_clear()
        return runner.invoke(cli, list(args), catch_exceptions=True)

    yield invoke
    get_settings.cache_clear()


def assert_clean_error(result, *phrases: str) -> None:  # type: ignore[no-untyped-def]
    """Exit 1 with an error message, not a traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in result.output, result.output


def test_ingest_ask_reports_remove(run, seed_path, tmp_path):
    good = tmp_path / "henan-kjt-2017.txt"
    shutil.copy(seed_path, good)
    bad = tmp_path / "x.txt"
    bad.write_bytes(b"\x00\x01\x02binary\x00" * 100)

    ingested = run("ingest", str(good), str(bad))

    assert ingested.exit_code == 1, ingested.output
    assert "Traceback" not in ingested.output
    lines = ingested.output.splitlines()
    good_line = next(line for line in lines if "henan-kjt-2017.txt" in line)
    assert "added" in good_line and "2017-" in good_line
    bad_line = next(line for line in lines if "x.txt" in line)
    assert bad_line.startswith("✗") and "binary" in bad_line
    assert bad_line.count(str(bad)) == 1  # named once, not twice
    assert "1 of 2 files indexed; 1 failed." in ingested.output

    asked = run("ask", "--json", SEED_QUESTION)

    assert asked.exit_code == 0, asked.output
    answer = json.loads(asked.stdout)
    assert answer["answered"] is True
    assert answer["figures"][0]["as_printed"] == "6件"
    assert answer["citations"][0]["section_path"][-1] == "三、依申请公开工作情况"
    report_id = answer["report"]["id"]

    plain = run("ask", SEED_QUESTION)
    assert plain.exit_code == 0 and "6件" in plain.output and "三、依申请公开工作情况" in plain.output

    listed = run("reports")
    assert listed.exit_code == 0, listed.output
    assert report_id in listed.output and "河南省科学技术厅" in listed.output and "2017" in listed.output

    again = run("ingest", str(good))
    assert again.exit_code == 0, again.output
    assert "unchanged" in again.output

    removed = run("remove", report_id)
    assert removed.exit_code == 0, removed.output
    assert f"Removed {report_id}" in removed.output
    assert report_id not in run("reports").output
    after = json.loads(run("ask", "--json", SEED_QUESTION).stdout)
    assert after["answered"] is False and after["figures"] == []

    assert_clean_error(run("remove", report_id), report_id, "nianbao reports")


@pytest.mark.parametrize("question", ["", "   "], ids=["empty", "whitespace"])
def test_an_empty_question_is_a_clear_error(run, question):
    result = run("ask", question)

    assert_clean_error(result, "Error:", "question is empty")


def test_file_names_with_brackets_are_printed_as_they_are(run, seed_path, tmp_path):
    folder = tmp_path / "reports["  # the path then reads …/reports[/x]… : markup-like, not markup
    folder.mkdir()
    bad = folder / "x]empty.txt"
    bad.write_bytes(b"")
    good = folder / "henan[b]2017.txt"
    shutil.copy(seed_path, good)

    result = run("ingest", str(bad), str(good))

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert str(bad) in result.output and "no text" in result.output
    assert str(good) in result.output


def test_ingest_of_a_missing_path_is_a_usage_error(run, tmp_path):
    result = run("ingest", str(tmp_path / "nowhere.txt"))

    assert result.exit_code == 2, result.output
    assert "does not exist" in result.output and "Traceback" not in result.output


def test_ingest_overrides_metadata(run, seed_path, tmp_path):
    untitled = tmp_path / "untitled.txt"
    text = seed_path.read_text(encoding="utf-8")
    # drop the title line: the agency and the year must now come from the command line
    untitled.write_text(text.split("\n", 1)[1].replace("河南省科学技术厅", "本厅"), encoding="utf-8")

    missing = run("ingest", str(untitled))
    assert missing.exit_code == 1 and "--agency" in missing.output, missing.output

    given = run("ingest", "--agency", "河南省科学技术厅", "--year", "2017", str(untitled))
    assert given.exit_code == 0, given.output
    answer = json.loads(run("ask", "--json", SEED_QUESTION).stdout)
    assert answer["answered"] is True and answer["figures"][0]["as_printed"] == "6件"


def test_an_answer_quoting_bracketed_text_is_printed_as_it_is(run, seed_path, tmp_path):
    quoted = tmp_path / "henan-kjt-2017.txt"
    text = seed_path.read_text(encoding="utf-8")
    assert "已全部及时答复。" in text
    quoted.write_text(text.replace("已全部及时答复。", "已全部及时答复[/附表][b]。"), encoding="utf-8")
    assert run("ingest", str(quoted)).exit_code == 0

    result = run("ask", SEED_QUESTION)

    assert result.exit_code == 0, repr(result.exception)
    assert "6件" in result.output and "[/附表][b]" in result.output


def test_serve_with_several_workers_and_the_embedded_chroma_is_refused_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NIANBAO_CHROMA_HOST", raising=False)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["serve", "--workers", "2", "--no-ingest"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2, result.output
    assert "needs a Chroma server" in result.output and "NIANBAO_CHROMA_HOST" in result.output
