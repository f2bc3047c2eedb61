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


def test_a_scoped_question_is_scored_against_its_reports_stored_vectors_as_chroma_would(served, make_assistant, monkeypatch):
    from assistant.store.vectors import VectorStore

    _, data_dir = served
    serving = make_assistant(data_dir=data_dir)
    dense = serving.retriever.retrievers[0]
    assert dense.scoped is not None and dense.scoped.shape[0] == len(serving.retriever.retrievers[1].index)
    question = "2017年清河市教育局收到多少件政府信息公开申请?"
    scope = serving.scope(question)
    vector = serving.vectors.embed_query(question)
    through_chroma = serving.vectors.search(vector, k=5, report_ids=scope)

    searched: list[object] = []
    search = VectorStore.search
    monkeypatch.setattr(VectorStore, "search", lambda self, *a, **kw: searched.append(kw) or search(self, *a, **kw))
    direct = dense.invoke(question, report_ids=scope)[:5]

    assert [d.metadata["chunk_id"] for d in direct] == [h.chunk_id for h in through_chroma]
    assert [round(d.metadata["score"], 4) for d in direct] == [round(h.score, 4) for h in through_chroma]
    assert all(not kw["report_ids"] for kw in searched), "Chroma is not asked about reports the stored vectors hold"


def test_reports_newer_than_the_stored_vectors_are_searched_in_chroma(served, make_assistant, tmp_path):
    ingesting, data_dir = served
    serving = make_assistant(data_dir=data_dir)
    dense = serving.retriever.retrievers[0]
    newest = max(ingesting.reports, key=lambda r: r.id)
    # As a worker sees it between another process's ingest and its rebuild of the index: the
    # report is in Chroma but not among the stored rows.
    held = [r.id for r in ingesting.reports if r.id != newest.id]
    rows, _ = dense.scoped.index.rows_of(held)
    dense.scoped.index._rows.pop(newest.id)

    found = dense.invoke("政府信息公开申请", report_ids=[newest.id])

    assert found and {d.metadata["report_id"] for d in found} == {newest.id}
    assert len(rows) == len(dense.scoped.index) - len(newest.chunks)


def test_the_next_index_copies_the_vectors_of_unchanged_reports_and_fetches_the_rest(served, make_assistant, monkeypatch):
    from dataclasses import replace

    from assistant.store.vectors import VectorStore

    ingesting, data_dir = served
    changed = ingesting.reports[0]
    fetched: list[str] = []
    vectors_of = VectorStore.vectors_of
    monkeypatch.setattr(VectorStore, "vectors_of", lambda self, ids: fetched.extend(ids) or vectors_of(self, ids))

    ingesting.indexer.index(replace(changed, text=changed.text + "\n", content_hash="changed-" + changed.content_hash))
    ingesting.refresh()

    assert sorted(fetched) == sorted(c.id for c in changed.chunks)
    dense = ingesting.retriever.retrievers[0].scoped
    assert dense.hashes[changed.id] == "changed-" + changed.content_hash
    ranges, _ = dense.index.ranges_of([r.id for r in ingesting.reports])
    assert (abs(1 - (dense.rows(ranges) ** 2).sum(axis=1)) < 1e-4).all(), "every row is a unit vector"


def test_an_index_stored_without_vectors_gets_them_when_an_ingesting_process_starts(served, make_assistant):
    from assistant.store.dense import MATRIX

    ingesting, data_dir = served
    folder = lexical.newest(data_dir / "lexical")
    (folder / MATRIX).unlink()

    reading = make_assistant(data_dir=data_dir)  # starts like `nianbao serve`: refresh(build=True)

    assert (folder / MATRIX).is_file()
    assert reading.retriever.retrievers[0].scoped is not None


def test_a_question_is_resolved_against_bodies_derived_once_per_metadata_list(monkeypatch):
    from assistant.understanding import directory as directory_module
    from assistant.understanding import understand
    from ingest.model import ReportMeta

    made: list[int] = []
    of = directory_module.Directory.of.__func__
    monkeypatch.setattr(directory_module.Directory, "of", classmethod(lambda cls, reports: made.append(1) or of(cls, reports)))
    metas = [ReportMeta(agency=f"清河市{kind}", year=year, title="") for kind in ("教育局", "科技局") for year in range(2008, 2026)]

    for question in ("2017年清河市教育局收到多少件申请", "2018年清河市科技局收到多少件申请", "科技局呢"):
        understand(question, metas)
    assert understand("2019年清河市科技局收到多少件申请", metas).agencies == ("清河市科技局",)
    assert len(made) == 1

    grown = [*metas, ReportMeta(agency="清河市民政局", year=2020, title="")]
    assert understand("2020年清河市民政局收到多少件申请", grown).agencies == ("清河市民政局",)
    assert len(made) == 2


def test_the_reports_of_some_bodies_come_in_the_shelfs_order():
    from assistant.store.shelf import InMemoryShelf
    from ingest.model import Report, ReportMeta

    def report(agency: str, year: int) -> Report:
        return Report(id=f"{agency}-{year}", meta=ReportMeta(agency=agency, year=year, title=""), text="",
                      content_hash="", sections=(), paragraphs=(), figures=(), chunks=())

    shelf = InMemoryShelf([report(a, y) for y in (2019, 2020) for a in ("甲局", "乙局", "丙局")])

    assert [e.id for e in shelf.of_agencies(["丙局", "甲局"])] == ["甲局-2019", "丙局-2019", "甲局-2020", "丙局-2020"]
    assert shelf.of_agencies(["丁局"]) == []


@pytest.mark.parametrize("field", ["words", "bigrams"])
def test_bm25_within_a_few_reports_scores_as_over_the_whole_index(served, make_assistant, monkeypatch, field):
    from assistant.retrieval import QUERY_TOKENS

    ingesting, data_dir = served
    index = make_assistant(data_dir=data_dir).retriever.retrievers[1].index
    tokens = QUERY_TOKENS[field]("收到政府信息公开申请 行政复议 不予公开 主动公开")
    reports = list(dict.fromkeys(index.report_ids))
    for scope in (reports[:1], reports[1:3], reports[::2]):
        monkeypatch.setattr(lexical, "MAX_SCOPED_REPORTS", 0)
        whole = index.search(field, tokens, k=8, report_ids=scope)
        monkeypatch.setattr(lexical, "MAX_SCOPED_REPORTS", 64)
        within = index.search(field, tokens, k=8, report_ids=scope)

        assert whole and [c for c, _, _ in within] == [c for c, _, _ in whole]
        assert [round(s, 4) for _, _, s in within] == [round(s, 4) for _, _, s in whole]


def test_every_vectors_hash_is_read_a_page_at_a_time(served, monkeypatch):
    from assistant.store import vectors

    ingesting, _ = served
    whole = {r.id: {r.content_hash} for r in ingesting.reports}
    assert ingesting.vectors.stored_hashes() == whole
    pages: list[int] = []
    get = ingesting.vectors._collection.get
    monkeypatch.setattr(ingesting.vectors._collection, "get", lambda **kw: pages.append(kw["offset"]) or get(**kw))
    monkeypatch.setattr(vectors, "PAGE", 7)

    assert ingesting.vectors.stored_hashes() == whole
    assert len(pages) == ingesting.vectors.count() // 7 + 1, "one read per page, none past the end"
