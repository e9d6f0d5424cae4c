"""acknowledge write-back jobs, and which sources take them

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 05:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("source_health") as batch:
        batch.add_column(
            sa.Column("ack_writeback", sa.Boolean(), nullable=False, server_default=sa.text("false"))
        )
    op.create_table(
        "ack_writebacks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("remote_id", sa.String(length=400), nullable=True),
        sa.Column("remote_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"]),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("alert_id"),
    )
    op.create_index("ix_ack_writebacks_incident_id", "ack_writebacks", ["incident_id"], unique=False)
    op.create_index("ix_ack_writebacks_status", "ack_writebacks", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_ack_writebacks_status", table_name="ack_writebacks")
    op.drop_index("ix_ack_writebacks_incident_id", table_name="ack_writebacks")
    op.drop_table("ack_writebacks")
    with op.batch_alter_table("source_health") as batch:
        batch.drop_column("ack_writeback")
