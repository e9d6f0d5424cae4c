"""pending alerts: shown on their incident, counted per source

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 05:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite: other tables' foreign keys point at alerts).
    op.add_column("alerts", sa.Column("pending", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column(
        "source_health", sa.Column("pending_count", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.drop_column("source_health", "pending_count")
    op.drop_column("alerts", "pending")
