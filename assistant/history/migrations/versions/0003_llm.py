"""What the optional LLM did for each answer, so the staff can find what its checks rejected.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("questions") as batch:
        batch.add_column(sa.Column("llm_outcome", sa.String(16)))
        batch.add_column(sa.Column("llm_reason", sa.Text))
        batch.create_index("ix_questions_llm_outcome", ["llm_outcome"])


def downgrade() -> None:
    with op.batch_alter_table("questions") as batch:
        batch.drop_index("ix_questions_llm_outcome")
        batch.drop_column("llm_reason")
        batch.drop_column("llm_outcome")
