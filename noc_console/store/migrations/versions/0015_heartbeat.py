"""the lease holder's dead man's switch: when its heartbeat last went out, and why not

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("poller_lease") as batch:
        batch.add_column(sa.Column("heartbeat_interval_s", sa.Float(), nullable=True))
        batch.add_column(sa.Column("heartbeat_sent_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("heartbeat_tried_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("heartbeat_error", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("poller_lease") as batch:
        batch.drop_column("heartbeat_error")
        batch.drop_column("heartbeat_tried_at")
        batch.drop_column("heartbeat_sent_at")
        batch.drop_column("heartbeat_interval_s")
