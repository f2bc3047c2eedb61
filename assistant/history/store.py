"""Record every question and its answer; read a session's previous question; keep feedback.

One HistoryStore per process over any SQLAlchemy database (SQLite in the data dir by default);
its schema is brought up to date by the Alembic migrations beside this module when it opens.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, delete, event, select, update

from assistant.history.model import questions
from assistant.schemas import Answer, CitedParagraph, HistoryEntry

MIGRATIONS = Path(__file__).with_name("migrations")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def connect(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            # WAL: the staff console reads while the public writes; NORMAL is durable enough with WAL.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the history's schema to the newest revision (a no-op when it is there)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


class HistoryStore:
    def __init__(self, engine: Engine, secret: bytes) -> None:
        self.engine = engine
        self._secret = secret

    @classmethod
    def open(cls, url: str, secret: bytes) -> HistoryStore:
        engine = connect(url)
        migrate(engine)
        return cls(engine, secret)

    def client_hash(self, client: str | None) -> str | None:
        """A salted hash that groups one client's questions without keeping its address."""
        if not client:
            return None
        return hmac.new(self._secret, b"client:" + client.encode(), hashlib.sha256).hexdigest()

    def record(self, answer: Answer, *, channel: str, session: str | None = None, client: str | None = None,
               asked_at: datetime | None = None) -> str:
        """Keep one question and its answer; returns its id (also set on the answer)."""
        entry_id = secrets.token_hex(16)
        answer.id = entry_id
        understood = answer.understanding
        report_ids = list(dict.fromkeys(c.report_id for c in answer.citations))
        if not report_ids and answer.report:
            report_ids = [answer.report.id]
        with self.engine.begin() as conn:
            conn.execute(questions.insert().values(
                id=entry_id,
                asked_at=asked_at or utcnow(),
                session=session,
                channel=channel,
                client_hash=self.client_hash(client),
                question=answer.question,
                resolved_question=understood.question,
                intent=understood.intent,
                mode=understood.mode,
                agency=understood.agency or (answer.report.agency if answer.report else None),
                years=",".join(str(y) for y in understood.years),
                metric="|".join(understood.metric),
                answered=answer.answered,
                answer_text=answer.text,
                report_ids="," + ",".join(report_ids) + "," if report_ids else "",
                citations=json.dumps([{"report_id": c.report_id, "paragraph_id": c.paragraph_id} for c in answer.citations],
                                     ensure_ascii=False),
                answer_json=answer.model_dump_json(),
                confidence=answer.confidence,
                latency_ms=answer.latency_ms,
                llm_outcome=answer.llm.outcome if answer.llm else None,
                llm_reason=answer.llm.reason if answer.llm else None,
            ))
        return entry_id

    def previous_question(self, session: str, client: str | None = None) -> str | None:
        """The session's last question as it was answered (a follow-up in full), if any. Only the
        client that asked it gets it back: a guessed session id reveals nobody's question."""
        client_hash = self.client_hash(client)
        same_client = questions.c.client_hash.is_(None) if client_hash is None else questions.c.client_hash == client_hash
        with self.engine.connect() as conn:
            row = conn.execute(
                select(questions.c.question, questions.c.resolved_question)
                .where(questions.c.session == session, same_client)
                .order_by(questions.c.asked_at.desc())
                .limit(1)
            ).first()
        return (row.resolved_question or row.question) if row else None

    def add_feedback(self, entry_id: str, rating: str, comment: str | None = None) -> bool:
        """Keep a thumbs up/down (the latest wins); False when there is no such question."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(questions).where(questions.c.id == entry_id)
                .values(feedback=rating, feedback_comment=(comment or "").strip() or None, feedback_at=utcnow())
            )
        return result.rowcount > 0

    def get(self, entry_id: str) -> HistoryEntry | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(questions).where(questions.c.id == entry_id)).first()
        return entry_from_row(row, with_answer=True) if row else None

    def delete_older_than(self, days: int) -> int:
        """Delete questions asked more than ``days`` days ago; returns how many."""
        if days < 0:
            raise ValueError("days must be 0 or more")
        cutoff = utcnow() - timedelta(days=days)
        with self.engine.begin() as conn:
            return conn.execute(delete(questions).where(questions.c.asked_at < cutoff)).rowcount


def entry_from_row(row, *, with_answer: bool = False) -> HistoryEntry:  # type: ignore[no-untyped-def]
    return HistoryEntry(
        id=row.id,
        asked_at=row.asked_at,
        session=row.session,
        channel=row.channel,
        client_hash=row.client_hash,
        question=row.question,
        resolved_question=row.resolved_question,
        intent=row.intent,
        mode=row.mode,
        agency=row.agency,
        years=[int(y) for y in row.years.split(",") if y],
        metric=[m for m in row.metric.split("|") if m],
        answered=row.answered,
        answer_text=row.answer_text,
        report_ids=[r for r in row.report_ids.split(",") if r],
        citations=[CitedParagraph(**c) for c in json.loads(row.citations)],
        confidence=row.confidence,
        latency_ms=row.latency_ms,
        feedback=row.feedback,
        feedback_comment=row.feedback_comment,
        feedback_at=row.feedback_at,
        llm_outcome=row.llm_outcome,
        llm_reason=row.llm_reason,
        answer=Answer.model_validate_json(row.answer_json) if with_answer else None,
    )
