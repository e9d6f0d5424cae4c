"""calls: customer phone reports, what each caller was told, and the detection race

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("incidents", sa.Column("monitoring_detected_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("incidents", sa.Column("first_call_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("incidents", sa.Column("caller_ack_due_at", sa.DateTime(timezone=True), nullable=True))
    # Incidents our monitoring opened were seen by it first.
    op.execute("UPDATE incidents SET monitoring_detected_at = detected_at WHERE detected_by <> 'customer'")
    op.create_table(
        "calls",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by", sa.String(length=200), nullable=False),
        sa.Column("caller", sa.String(length=200), nullable=True),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("callback", sa.String(length=16), nullable=False),
        sa.Column("service", sa.String(length=200), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("users_affected", sa.Integer(), nullable=True),
        sa.Column("impact", sa.String(length=16), nullable=True),
        sa.Column("attached", sa.Boolean(), nullable=False),
        sa.Column("customer_ack_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("customer_acked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("customer_acked_by", sa.String(length=200), nullable=True),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_calls_incident_id", "calls", ["incident_id"])
    op.create_index("ix_calls_received_at", "calls", ["received_at"])
    op.create_index("ix_calls_phone", "calls", ["phone"])
    op.create_table(
        "call_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_call_updates_call_id", "call_updates", ["call_id"])


def downgrade() -> None:
    op.drop_index("ix_call_updates_call_id", table_name="call_updates")
    op.drop_table("call_updates")
    for index in ("ix_calls_phone", "ix_calls_received_at", "ix_calls_incident_id"):
        op.drop_index(index, table_name="calls")
    op.drop_table("calls")
    op.drop_column("incidents", "caller_ack_due_at")
    op.drop_column("incidents", "first_call_at")
    op.drop_column("incidents", "monitoring_detected_at")
