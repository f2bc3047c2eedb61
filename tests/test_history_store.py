"""The history store. Its schema comes from its Alembic migrations: a new database is brought to the
newest revision, an older one is upgraded without losing questions, and the migrations agree
with the table definitions the code uses. Client hashes are salted, and a session's previous
question goes back only to the client that asked it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select

from assistant.history.model import metadata, questions
from assistant.history.store import MIGRATIONS, HistoryStore, connect
from assistant.schemas import Answer, Understanding

VERSION_TABLE = "history_alembic_version"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    """A new, empty history database: SQLite (the default) and PostgreSQL (for several workers)."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'h.sqlite3'}"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()


def answer(question: str = "2018年清河市教育局收到多少件申请?") -> Answer:
    return Answer(question=question, answered=True, text="17件。", confidence=0.9,
                  understanding=Understanding(intent="figure", years=[2018], agency="清河市教育局"))


def test_a_new_database_is_created_at_the_newest_revision(url):
    store = HistoryStore.open(url, b"k")

    assert current(store.engine) == head()
    assert "questions" in inspect(store.engine).get_table_names()


def test_opening_again_changes_nothing_and_keeps_the_questions(url):
    entry_id = HistoryStore.open(url, b"k").record(answer(), channel="api")

    reopened = HistoryStore.open(url, b"k")

    assert current(reopened.engine) == head()
    assert reopened.get(entry_id).question == "2018年清河市教育局收到多少件申请?"


def test_a_database_at_the_first_revision_is_upgraded_without_losing_questions(url):
    engine = connect(url)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    # A question recorded as revision 0001 had it: only the columns that revision created.
    at_0001 = {c["name"] for c in inspect(engine).get_columns("questions")}
    row = {"id": "q-recorded-at-0001", "asked_at": datetime(2024, 3, 1), "session": "sess-0001", "channel": "widget",
           "question": answer().question, "intent": "figure", "mode": "single", "years": "2018", "metric": "",
           "answered": True, "answer_text": "17件。", "report_ids": "", "citations": "[]",
           "answer_json": answer().model_dump_json(), "confidence": 0.9, "latency_ms": 1.0}
    assert set(row) <= at_0001
    with engine.begin() as conn:
        conn.execute(questions.insert().values(row))

    upgraded = HistoryStore.open(url, b"k")

    assert current(upgraded.engine) == head()
    entry = upgraded.get("q-recorded-at-0001")
    assert entry.session == "sess-0001" and entry.answer_text == "17件。" and entry.llm_outcome is None


def test_the_migrations_match_the_tables_the_code_uses(url):
    store = HistoryStore.open(url, b"k")

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        differences = compare_metadata(context, metadata)

    assert differences == []


def test_client_hashes_are_salted_and_never_the_address(tmp_path):
    url = f"sqlite:///{tmp_path / 'h.sqlite3'}"
    one, other = HistoryStore.open(url, b"key-one"), HistoryStore.open(url, b"key-two")

    assert one.client_hash("203.0.113.7") == one.client_hash("203.0.113.7")
    assert one.client_hash("203.0.113.7") != one.client_hash("203.0.113.8")
    assert one.client_hash("203.0.113.7") != other.client_hash("203.0.113.7")  # the secret salts it
    assert "203.0.113.7" not in one.client_hash("203.0.113.7")
    entry = one.get(one.record(answer(), channel="api", client="203.0.113.7"))
    assert entry.client_hash == one.client_hash("203.0.113.7")


def test_a_session_s_previous_question_goes_back_only_to_its_client(url):
    store = HistoryStore.open(url, b"k")
    store.record(answer("2018年清河市教育局收到多少件申请?"), channel="widget", session="sess-private", client="198.51.100.1")
    store.record(answer("2017年白云市商务局收到多少件申请?"), channel="cli", session="sess-cli")

    assert store.previous_question("sess-private", "198.51.100.1") == "2018年清河市教育局收到多少件申请?"
    assert store.previous_question("sess-private", "198.51.100.2") is None  # a guessed session id reveals nothing
    assert store.previous_question("sess-private") is None
    assert store.previous_question("sess-cli") == "2017年白云市商务局收到多少件申请?"


def test_questions_recorded_at_once_by_several_threads_all_land(url):
    store = HistoryStore.open(url, b"k")
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda i: store.record(answer(f"问题{i}"), channel="api", session=f"sess-{i % 5:04d}"),
                            range(100)))

    assert len(set(ids)) == 100
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(questions)).scalar_one() == 100
    assert store.delete_older_than(0) == 100
