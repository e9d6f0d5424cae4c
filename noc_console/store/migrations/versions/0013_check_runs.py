"""synthetic checks' runs

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 05:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("total_ms", sa.Float(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("slow", sa.Text(), nullable=True),
        sa.Column("limit_ms", sa.Float(), nullable=True),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_check_runs_source_at", "check_runs", ["source", "at"], unique=False)
    op.create_index("ix_check_runs_at", "check_runs", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_check_runs_at", table_name="check_runs")
    op.drop_index("ix_check_runs_source_at", table_name="check_runs")
    op.drop_table("check_runs")
