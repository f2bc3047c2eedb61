"""The question history's tables: one row per question asked, as the public saw its answer; the staff who read them.

Times are UTC. The client is kept only as a salted hash (never an IP); report ids are stored
as ",id1,id2," so a filter can match one with LIKE on any database.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Float, ForeignKey, Index, MetaData, String, Table, Text

metadata = MetaData()

questions = Table(
    "questions",
    metadata,
    Column("id", String(32), primary_key=True),  # random: the public quotes it with feedback
    Column("asked_at", DateTime, nullable=False),
    Column("session", String(64)),
    Column("channel", String(16), nullable=False),  # api | widget | cli
    Column("client_hash", String(64)),
    Column("question", Text, nullable=False),
    Column("resolved_question", Text),  # a follow-up as answered ("那2018年呢?" in full)
    Column("intent", String(16), nullable=False),
    Column("mode", String(16), nullable=False),
    Column("agency", String(200)),
    Column("years", String(200), nullable=False, default=""),  # "2017,2018"
    Column("metric", Text, nullable=False, default=""),  # table cells asked for, "|"-joined
    Column("answered", Boolean, nullable=False),
    Column("answer_text", Text, nullable=False),
    Column("report_ids", Text, nullable=False, default=""),
    Column("citations", Text, nullable=False, default="[]"),  # JSON [{report_id, paragraph_id}]
    Column("answer_json", Text, nullable=False),  # the whole answer as returned
    Column("confidence", Float, nullable=False),
    Column("latency_ms", Float, nullable=False),
    Column("feedback", String(8)),  # up | down
    Column("feedback_comment", Text),
    Column("feedback_at", DateTime),
    Column("llm_outcome", String(16)),  # accepted | rejected | failed; null: the optional LLM was not asked
    Column("llm_reason", Text),
    Index("ix_questions_asked_at", "asked_at"),
    Index("ix_questions_session", "session", "asked_at"),
    Index("ix_questions_answered", "answered"),
    Index("ix_questions_feedback", "feedback"),
    Index("ix_questions_llm_outcome", "llm_outcome"),
)

# Staff who may read the history: signed in with a password (Argon2 hash) or an API token.
staff_users = Table(
    "staff_users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

# Tokens for scripts: only the SHA-256 of a token is kept; the token itself is shown once.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("username", String(64), ForeignKey("staff_users.username", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime),
    Column("revoked", Boolean, nullable=False, default=False),
)
