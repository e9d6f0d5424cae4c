"""metrics: a per-service, per-day rollup of closed days, kept current through the change feed

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 20:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "metric_cells",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=200), nullable=True),
        sa.Column("incidents", sa.Integer(), nullable=False),
        sa.Column("internal", sa.Integer(), nullable=False),
        sa.Column("false_positive", sa.Integer(), nullable=False),
        sa.Column("detect_s", sa.Float(), nullable=False),
        sa.Column("detected", sa.Integer(), nullable=False),
        sa.Column("ack_s", sa.Float(), nullable=False),
        sa.Column("acknowledged", sa.Integer(), nullable=False),
        sa.Column("resolve_s", sa.Float(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_metric_cells_day", "metric_cells", ["day"], unique=False)
    rollup = op.create_table(
        "metric_rollup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("last_day", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(rollup, [{"id": 1, "seq": 0, "last_day": -1, "refreshed_at": None}])


def downgrade() -> None:
    op.drop_table("metric_rollup")
    op.drop_index("ix_metric_cells_day", table_name="metric_cells")
    op.drop_table("metric_cells")
