"""Indexing into both stores: idempotent re-ingest, replacement, removal, bad files in a batch,
all-or-nothing on failure, and reconcile after a crash between Chroma and the catalog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

import ingest
from assistant.index import Outcome
from assistant.service import Assistant
from assistant.store import catalog
from assistant.store.vectors import VectorStore

SEED_QUESTION = "2017年河南省科技厅共收到多少件政府信息公开申请?"
TABLES = (catalog.reports, catalog.paragraphs, catalog.figures, catalog.chunks)


# --- helpers ------------------------------------------------------------------------------------


def catalog_counts(a: Assistant, report_id: str | None = None) -> dict[str, int]:
    """Row counts of every catalog table (optionally of one report)."""
    counts = {}
    with a.engine.connect() as conn:
        for table in TABLES:
            column = table.c.id if table is catalog.reports else table.c.report_id
            query = select(func.count()).select_from(table)
            if report_id is not None:
                query = query.where(column == report_id)
            counts[table.name] = conn.execute(query).scalar_one()
    return counts


def catalog_hashes(a: Assistant) -> dict[str, str]:
    with a.engine.connect() as conn:
        return catalog.report_hashes(conn)


def chroma_chunks(a: Assistant) -> dict[str, dict]:
    """chunk id → metadata, for every chunk in the vector store."""
    got = a.vectors._collection.get(include=["metadatas"])
    return dict(zip(got["ids"], got["metadatas"]))


def assert_stores_agree(a: Assistant) -> None:
    """Chroma holds exactly the catalog's chunks, each embedded from the catalog's content hash."""
    wanted: dict[str, str] = {}
    hashes = catalog_hashes(a)
    with a.engine.connect() as conn:
        for report in catalog.load_reports(conn):
            for chunk in report.chunks:
                wanted[chunk.id] = hashes[report.id]
    stored = chroma_chunks(a)
    assert set(stored) == set(wanted)
    for chunk_id, meta in stored.items():
        assert meta["content_hash"] == wanted[chunk_id], chunk_id
        assert chunk_id.startswith(meta["report_id"] + ":")


def count_embeddings(monkeypatch: pytest.MonkeyPatch, a: Assistant) -> list[int]:
    """Wrap the embedder's embed_documents; the list collects how many texts each call embedded."""
    calls: list[int] = []
    real = a.embedder.embed_documents

    def counting(texts):  # type: ignore[no-untyped-def]
        calls.append(len(texts))
        return real(texts)

    monkeypatch.setattr(a.embedder, "embed_documents", counting)
    return calls


def altered_seed(seed_path: Path, target: Path) -> Path:
    """The seed with one figure changed (6件 → 7件) and its last section dropped (fewer chunks)."""
    text = seed_path.read_text(encoding="utf-8")
    assert "共收到依申请6件" in text and "六、存在问题及下一步工作" in text
    text = text.replace("共收到依申请6件", "共收到依申请7件")
    text = text[: text.index("六、存在问题及下一步工作")]
    target.write_text(text, encoding="utf-8")
    return target


@pytest.fixture
def fresh(make_assistant) -> Assistant:
    return make_assistant()


# --- re-ingest, replace, remove -----------------------------------------------------------------


def test_ingesting_the_same_file_twice_changes_nothing(fresh, seed_path, monkeypatch):
    (first,) = fresh.ingest([seed_path])
    assert first.outcome is Outcome.ADDED and first.report_id
    counts = catalog_counts(fresh)
    assert counts["reports"] == 1 and counts["chunks"] > 0 and counts["paragraphs"] > 0
    chunks = chroma_chunks(fresh)
    assert len(chunks) == counts["chunks"]
    paragraph_ids = [p.id for p in fresh.reports[0].paragraphs]
    with fresh.engine.connect() as conn:
        ingested_at = conn.execute(select(catalog.reports.c.ingested_at)).scalar_one()

    embedded = count_embeddings(monkeypatch, fresh)

    def parse_again(*args, **kwargs):
        raise AssertionError("an unchanged file is known by its digest, not parsed again")

    monkeypatch.setattr(ingest, "read_bytes", parse_again)
    (second,) = fresh.ingest([seed_path])

    assert second.outcome is Outcome.UNCHANGED
    assert second.report_id == first.report_id
    assert embedded == [], "nothing may be re-embedded for an unchanged file"
    assert catalog_counts(fresh) == counts
    assert chroma_chunks(fresh) == chunks
    assert [p.id for p in fresh.reports[0].paragraphs] == paragraph_ids
    with fresh.engine.connect() as conn:
        assert conn.execute(select(catalog.reports.c.ingested_at)).scalar_one() == ingested_at


def test_a_changed_file_replaces_the_old_version(fresh, seed_path, tmp_path):
    copy = tmp_path / "henan-kjt-2017.txt"
    shutil.copy(seed_path, copy)
    (first,) = fresh.ingest([copy])
    assert first.outcome is Outcome.ADDED
    old = fresh.reports[0]

    altered_seed(seed_path, copy)
    new = ingest.read_path(copy)
    assert new.id == old.id and new.content_hash != old.content_hash
    assert len(new.chunks) < len(old.chunks)  # so leftover old chunks would show in the count

    (second,) = fresh.ingest([copy])

    assert second.outcome is Outcome.REPLACED and second.report_id == old.id
    stored = chroma_chunks(fresh)
    assert len(stored) == fresh.vectors.count() == len(new.chunks)
    assert set(stored) == {c.id for c in new.chunks}
    assert {m["content_hash"] for m in stored.values()} == {new.content_hash}
    assert catalog_hashes(fresh) == {old.id: new.content_hash}
    assert catalog_counts(fresh, old.id) == {
        "reports": 1,
        "paragraphs": len(new.paragraphs),
        "figures": len(new.figures),
        "chunks": len(new.chunks),
    }
    answer = fresh.ask(SEED_QUESTION)
    assert answer.answered and answer.figures[0].as_printed == "7件"


def test_removing_a_report_empties_both_stores_of_it(fresh, seed_path, corpus):
    other_path = corpus / "real" / "2012-pingtan-county.txt"
    results = fresh.ingest([seed_path, other_path])
    assert [r.outcome for r in results] == [Outcome.ADDED, Outcome.ADDED]
    seed_id, other_id = results[0].report_id, results[1].report_id
    other_counts = catalog_counts(fresh, other_id)
    other_chunks = {cid: m for cid, m in chroma_chunks(fresh).items() if m["report_id"] == other_id}

    assert fresh.remove(seed_id) is True

    assert catalog_counts(fresh, seed_id) == {t.name: 0 for t in TABLES}
    assert not any(m["report_id"] == seed_id for m in chroma_chunks(fresh).values())
    assert seed_id not in {r.id for r in fresh.reports}
    # the other report is untouched
    assert catalog_counts(fresh, other_id) == other_counts
    assert chroma_chunks(fresh) == other_chunks
    assert_stores_agree(fresh)
    assert not fresh.ask(SEED_QUESTION).answered
    assert fresh.remove(seed_id) is False


# --- bad files ----------------------------------------------------------------------------------


def test_one_bad_file_in_a_batch_fails_alone(fresh, seed_path, tmp_path):
    good = tmp_path / "henan-kjt-2017.txt"
    shutil.copy(seed_path, good)
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    unknown = tmp_path / "report.xyz"
    unknown.write_text("河南省科学技术厅2017年政府信息公开工作年度报告", encoding="utf-8")
    corrupt = tmp_path / "report.docx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip archive")

    results = fresh.ingest([binary, good, empty, unknown, corrupt])

    by_path = {Path(r.path).name: r for r in results}
    assert by_path["henan-kjt-2017.txt"].outcome is Outcome.ADDED
    expected = {
        "x.txt": "binary",
        "empty.txt": "no text",
        "report.xyz": "unsupported file format '.xyz'",
        "report.docx": "not a valid DOCX",
    }
    for name, phrase in expected.items():
        result = by_path[name]
        assert result.outcome is Outcome.FAILED, name
        assert result.report_id is None
        assert name in result.error and phrase in result.error, result.error
    assert [r.id for r in fresh.reports] == [by_path["henan-kjt-2017.txt"].report_id]
    assert fresh.vectors.count() == len(fresh.reports[0].chunks)
    assert_stores_agree(fresh)


# --- all or nothing -----------------------------------------------------------------------------


class Boom(RuntimeError):
    pass


def fail_upsert_halfway(monkeypatch: pytest.MonkeyPatch, content_hash: str) -> list[str]:
    """VectorStore.upsert of the report with this content hash writes half of its chunks then
    raises, once; every other call works. The list records the failure."""
    real = VectorStore.upsert
    failed: list[str] = []

    def upsert(self, chunks, *, content_hash, vectors=None):  # type: ignore[no-untyped-def]
        if content_hash == target and not failed:
            failed.append(content_hash)
            half = len(chunks) // 2
            real(self, chunks[:half], content_hash=content_hash, vectors=None if vectors is None else vectors[:half])
            raise Boom("the vector store went away mid-write")
        return real(self, chunks, content_hash=content_hash, vectors=vectors)

    target = content_hash
    monkeypatch.setattr(VectorStore, "upsert", upsert)
    return failed


def test_failure_mid_index_leaves_no_trace_of_a_new_report(fresh, seed_path, corpus, monkeypatch):
    other_path = corpus / "real" / "2012-pingtan-county.txt"
    report = ingest.read_path(seed_path)
    assert len(report.chunks) >= 2
    failed = fail_upsert_halfway(monkeypatch, report.content_hash)

    with pytest.raises(Boom):
        fresh.ingest([other_path, seed_path])

    assert failed == [report.content_hash]  # the failure did happen mid-write of this report
    assert catalog_counts(fresh, report.id) == {t.name: 0 for t in TABLES}
    assert report.id not in fresh.vectors.stored_hashes()
    assert_stores_agree(fresh)
    # the file indexed before the failure is complete, and served
    other = ingest.read_path(other_path)
    assert catalog_hashes(fresh) == {other.id: other.content_hash}
    assert [r.id for r in fresh.reports] == [other.id]

    monkeypatch.undo()
    results = fresh.ingest([other_path, seed_path])
    assert [r.outcome for r in results] == [Outcome.UNCHANGED, Outcome.ADDED]
    assert_stores_agree(fresh)


def test_failure_mid_index_keeps_the_old_version(fresh, seed_path, tmp_path, monkeypatch):
    copy = tmp_path / "henan-kjt-2017.txt"
    shutil.copy(seed_path, copy)
    fresh.ingest([copy])
    old = fresh.reports[0]
    old_counts = catalog_counts(fresh)
    old_chunks = chroma_chunks(fresh)
    altered_seed(seed_path, copy)
    new_hash = ingest.read_path(copy).content_hash
    failed = fail_upsert_halfway(monkeypatch, new_hash)

    with pytest.raises(Boom):
        fresh.ingest([copy])

    assert failed == [new_hash]
    assert catalog_hashes(fresh) == {old.id: old.content_hash}
    assert catalog_counts(fresh) == old_counts
    assert chroma_chunks(fresh) == old_chunks
    assert_stores_agree(fresh)
    assert fresh.indexer.reconcile() == []
    assert fresh.ask(SEED_QUESTION).figures[0].as_printed == "6件"


# --- reconcile ----------------------------------------------------------------------------------


def test_reconcile_deletes_orphan_chunks(fresh, seed_path, corpus):
    other_path = corpus / "real" / "2012-pingtan-county.txt"
    fresh.ingest([other_path])
    kept = chroma_chunks(fresh)
    # a crash after the vectors were written but before the catalog committed
    orphan = ingest.read_path(seed_path)
    fresh.vectors.upsert(orphan.chunks, content_hash=orphan.content_hash)
    assert fresh.vectors.count() == len(kept) + len(orphan.chunks)

    assert fresh.indexer.reconcile() == [orphan.id]

    assert chroma_chunks(fresh) == kept
    assert_stores_agree(fresh)
    assert fresh.indexer.reconcile() == []


def test_reconcile_reembeds_stale_chunks(fresh, seed_path, tmp_path, monkeypatch):
    copy = tmp_path / "henan-kjt-2017.txt"
    shutil.copy(seed_path, copy)
    fresh.ingest([copy])
    old = fresh.reports[0]
    # a crash after a new version's vectors replaced the old ones but before the catalog committed
    new = ingest.read_path(altered_seed(seed_path, copy))
    fresh.vectors.delete_report(new.id)
    fresh.vectors.upsert(new.chunks, content_hash=new.content_hash)
    assert fresh.vectors.stored_hashes() == {old.id: {new.content_hash}}
    embedded = count_embeddings(monkeypatch, fresh)

    assert fresh.indexer.reconcile() == [old.id]

    assert sum(embedded) == len(old.chunks)
    assert set(chroma_chunks(fresh)) == {c.id for c in old.chunks}
    assert fresh.vectors.stored_hashes() == {old.id: {old.content_hash}}
    assert_stores_agree(fresh)


def test_reconcile_repairs_chunks_with_mixed_hashes(fresh, seed_path):
    fresh.ingest([seed_path])
    report = fresh.reports[0]
    ids = [c.id for c in report.chunks]
    stale = {"report_id": report.id, "content_hash": "0" * 64}
    fresh.vectors._collection.update(ids=ids[:1], metadatas=[stale])
    assert fresh.vectors.stored_hashes()[report.id] == {report.content_hash, "0" * 64}

    assert fresh.indexer.reconcile() == [report.id]
    assert_stores_agree(fresh)


def test_a_new_assistant_reconciles_at_start_up(fresh, seed_path, tmp_path, corpus, embedder):
    copy = tmp_path / "henan-kjt-2017.txt"
    shutil.copy(seed_path, copy)
    fresh.ingest([copy])
    old = fresh.reports[0]
    orphan = ingest.read_path(corpus / "real" / "2012-pingtan-county.txt")
    # two ingests killed after their vectors went in, before the catalog committed: each had
    # marked its report pending first
    with fresh.engine.begin() as conn:
        catalog.mark_pending(conn, orphan.id)
        catalog.mark_pending(conn, old.id)
    fresh.vectors.upsert(orphan.chunks, content_hash=orphan.content_hash)
    new = ingest.read_path(altered_seed(seed_path, copy))
    fresh.vectors.delete_report(new.id)
    fresh.vectors.upsert(new.chunks, content_hash=new.content_hash)
    assert set(fresh.vectors.stored_hashes()) == {old.id, orphan.id}

    restarted = Assistant(fresh.settings, embedder=embedder)

    with restarted.engine.connect() as conn:
        assert catalog.pending_reports(conn) == []
    assert restarted.vectors.stored_hashes() == {old.id: {old.content_hash}}
    assert restarted.vectors.count() == len(old.chunks)
    assert_stores_agree(restarted)
    answer = restarted.ask(SEED_QUESTION)
    assert answer.answered and answer.figures[0].as_printed == "6件"


# --- findable -----------------------------------------------------------------------------------


def test_an_ingested_report_answers_the_seed_question(fresh, seed_path):
    before = fresh.ask(SEED_QUESTION)
    assert not before.answered and not before.figures

    fresh.ingest([seed_path])
    answer = fresh.ask(SEED_QUESTION)

    assert answer.answered
    assert answer.figures[0].as_printed == "6件"
    assert answer.figures[0].value == "6" and answer.figures[0].unit == "件"
    citation = answer.citations[0]
    assert citation.section_path[-1] == "三、依申请公开工作情况"
    assert "6件" in citation.text
    assert citation.report_id == fresh.reports[0].id
