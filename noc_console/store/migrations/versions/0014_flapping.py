"""flapping: an alert's recent changes of state, and since when it (and its incident) flaps

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 09:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite: other tables' foreign keys point at alerts).
    op.add_column("alerts", sa.Column("flap_changes", sa.JSON(), nullable=True))
    op.add_column("alerts", sa.Column("last_change_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("alerts", sa.Column("flapping_since", sa.DateTime(timezone=True), nullable=True))
    op.add_column("incidents", sa.Column("flapping_since", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_alerts_source_changed", "alerts", ["source", "last_change_at"])


def downgrade() -> None:
    op.drop_index("ix_alerts_source_changed", table_name="alerts")
    op.drop_column("incidents", "flapping_since")
    op.drop_column("alerts", "flapping_since")
    op.drop_column("alerts", "last_change_at")
    op.drop_column("alerts", "flap_changes")
