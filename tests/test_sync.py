"""Two assistants over the same stores (two workers): an ingest through one is answered by the other."""

from __future__ import annotations

from pathlib import Path

from assistant.store import catalog

ROOT = Path(__file__).resolve().parents[1]


def test_an_ingest_through_one_process_is_seen_by_another(make_assistant, tmp_path) -> None:
    first = make_assistant(data_dir=tmp_path, sync_seconds=0)
    second = make_assistant(data_dir=tmp_path, sync_seconds=0)
    with first.engine.connect() as conn:
        before = catalog.version(conn)
    assert first.reports == [] and second.reports == []

    (result,) = first.ingest([ROOT / "samples" / "baiyun-swj-2017.html"])
    with second.engine.connect() as conn:
        assert catalog.version(conn) > before

    answer = second.ask("2017年收到多少件政府信息公开申请？")
    assert [r.id for r in second.reports] == [result.report_id]
    assert answer.citations and answer.citations[0].report_id == result.report_id

    first.remove(result.report_id)
    assert not second.ask("2017年收到多少件政府信息公开申请？").answered
    assert second.reports == []
