"""What lets one process serve thousands of reports: whole reports are read from the catalog only
when a question needs them, and the BM25 indexes are built once at ingest and loaded from disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.store import lexical

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


@pytest.fixture
def served(make_assistant, tmp_path):
    ingesting = make_assistant(data_dir=tmp_path)
    results = ingesting.ingest([SAMPLES])
    assert results and not [r for r in results if r.error]
    return ingesting, tmp_path


def test_the_lexical_index_is_built_at_ingest_and_loaded_not_rebuilt(served, make_assistant, monkeypatch):
    ingesting, data_dir = served
    folder = lexical.newest(data_dir / "lexical")
    assert folder is not None and int(folder.name) == ingesting._version
    assert len(list((data_dir / "lexical").iterdir())) == 1, "older indexes are pruned"

    def rebuild(*args, **kwargs):
        raise AssertionError("a serving process loads the stored index")

    monkeypatch.setattr(lexical.LexicalIndex, "build", rebuild)
    serving = make_assistant(data_dir=data_dir)
    index = serving.retriever.retrievers[1].index
    assert len(index) == sum(1 for _ in ingesting.reports for _ in _.chunks)
    question = "2017年清河市教育局收到多少件政府信息公开申请?"
    assert serving.retrieve(question, report_ids=serving.scope(question))


def test_a_serving_process_reads_only_the_reports_a_question_is_about(served, make_assistant):
    _, data_dir = served
    serving = make_assistant(data_dir=data_dir)
    assert len(serving.shelf) == len(list(SAMPLES.glob("*-20*.*")))
    assert not serving.shelf._cached, "no report is read whole at start-up"

    answer = serving.ask("2017年清河市教育局收到多少件政府信息公开申请?")

    assert answer.answered
    read = set(serving.shelf._cached)
    assert answer.citations[0].report_id in read
    assert len(read) < len(serving.shelf)


def test_a_question_naming_no_report_reads_only_reports_its_passages_come_from(served, make_assistant, monkeypatch):
    from assistant import service

    _, data_dir = served
    serving = make_assistant(data_dir=data_dir)
    monkeypatch.setattr(service, "MAX_REPORTS_READ", 2)
    read: list[list[str]] = []
    answer = serving.answerer.answer

    def recorded(question, *, report_ids, retrieved, refusal=None):  # type: ignore[no-untyped-def]
        read.append(list(report_ids))
        return answer(question, report_ids=report_ids, retrieved=retrieved, refusal=refusal)

    monkeypatch.setattr(serving.answerer, "answer", recorded)
    question = "政府信息公开申请一般怎么办理"  # no agency, no year: every report is in scope
    assert serving.scope(question) and len(serving.scope(question)) > 2

    serving.ask(question)

    found = {serving.shelf.chunk(cid).report_id for cid in serving.retrieve(question)}
    assert read and 0 < len(read[0]) <= 2 and set(read[0]) <= found
