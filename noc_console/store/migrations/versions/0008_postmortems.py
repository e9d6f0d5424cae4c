"""post-mortems and their action items

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 20:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "postmortems",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("timeline", sa.JSON(), nullable=False),
        sa.Column("users_affected", sa.Integer(), nullable=True),
        sa.Column("services", sa.Text(), nullable=True),
        sa.Column("root_cause", sa.Text(), nullable=True),
        sa.Column("contributing_factors", sa.Text(), nullable=True),
        sa.Column("why_not_detected", sa.Text(), nullable=True),
        sa.Column("corrective_actions", sa.Text(), nullable=True),
        sa.Column("service_credit", sa.Text(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("follow_up_done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_by", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("incident_id"),
    )
    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["postmortems.incident_id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_action_items_incident_id", "action_items", ["incident_id"], unique=False)
    op.create_index("ix_action_items_due_on", "action_items", ["due_on"], unique=False)
    # the early warning signs of a post-mortem: the alerts of a service that started in a time range
    op.create_index("ix_alerts_service_starts", "alerts", ["service", "starts_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_alerts_service_starts", table_name="alerts")
    op.drop_index("ix_action_items_due_on", table_name="action_items")
    op.drop_index("ix_action_items_incident_id", table_name="action_items")
    op.drop_table("action_items")
    op.drop_table("postmortems")
