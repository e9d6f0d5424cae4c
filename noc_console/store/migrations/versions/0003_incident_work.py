"""incident work: assignment, assessment, false positives, needs review, report deadlines, SLA breaches

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("assigned_to", sa.String(length=200), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("false_positive", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("users_affected", sa.Integer(), nullable=True),
        sa.Column("services_affected", sa.Text(), nullable=True),
        sa.Column("business_impact", sa.String(length=16), nullable=True),
        sa.Column("postmortem_done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("exec_report_done_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite: other tables' foreign keys point at incidents).
    for column in _columns():
        op.add_column("incidents", column)
    op.create_index("ix_incidents_needs_review", "incidents", ["needs_review"])
    op.create_table(
        "sla_breaches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("clock", sa.String(length=32), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id", "clock", "due_at", name="ux_sla_breaches_once"),
    )
    op.create_index("ix_sla_breaches_incident_id", "sla_breaches", ["incident_id"])


def downgrade() -> None:
    op.drop_index("ix_sla_breaches_incident_id", table_name="sla_breaches")
    op.drop_table("sla_breaches")
    op.drop_index("ix_incidents_needs_review", table_name="incidents")
    for column in reversed(_columns()):
        op.drop_column("incidents", column.name)
