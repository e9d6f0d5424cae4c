"""metrics: indexes for detection-coverage aggregation

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 19:00:00
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_incidents_detected_at", "incidents", ["detected_at"], unique=False)
    op.create_index("ix_alerts_service_source", "alerts", ["service", "source", "silenced"], unique=False)
    op.create_index("ix_calls_incident_started", "calls", ["incident_id", "started_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_calls_incident_started", table_name="calls")
    op.drop_index("ix_alerts_service_source", table_name="alerts")
    op.drop_index("ix_incidents_detected_at", table_name="incidents")
