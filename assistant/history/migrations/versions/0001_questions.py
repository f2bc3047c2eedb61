"""The questions table.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("asked_at", sa.DateTime, nullable=False),
        sa.Column("session", sa.String(64)),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("client_hash", sa.String(64)),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("resolved_question", sa.Text),
        sa.Column("intent", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("agency", sa.String(200)),
        sa.Column("years", sa.String(200), nullable=False),
        sa.Column("metric", sa.Text, nullable=False),
        sa.Column("answered", sa.Boolean, nullable=False),
        sa.Column("answer_text", sa.Text, nullable=False),
        sa.Column("report_ids", sa.Text, nullable=False),
        sa.Column("citations", sa.Text, nullable=False),
        sa.Column("answer_json", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("feedback", sa.String(8)),
        sa.Column("feedback_comment", sa.Text),
        sa.Column("feedback_at", sa.DateTime),
    )
    op.create_index("ix_questions_asked_at", "questions", ["asked_at"])
    op.create_index("ix_questions_session", "questions", ["session", "asked_at"])
    op.create_index("ix_questions_answered", "questions", ["answered"])
    op.create_index("ix_questions_feedback", "questions", ["feedback"])


def downgrade() -> None:
    op.drop_table("questions")
