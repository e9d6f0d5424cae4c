"""hardening: commit-ordered change feed, fenced lease, one firing row per alert, incident times

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

EPOCH = "1970-01-01 00:00:00"


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"

    # The change feed: sequence numbers are stamped at commit from one counter row.
    counter = op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    last = bind.execute(sa.text("SELECT COALESCE(MAX(seq), 0) FROM changes")).scalar_one()
    op.bulk_insert(counter, [{"id": 1, "seq": int(last)}])
    if not sqlite:
        op.alter_column("changes", "seq", server_default=None)
        op.execute("DROP SEQUENCE IF EXISTS changes_seq_seq")

    # The lease: one row always present, database time, a fencing epoch.
    with op.batch_alter_table("poller_lease") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column(
                "epoch", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False,
                server_default="0",
            )
        )  # fmt: skip
    op.execute("UPDATE poller_lease SET expires_at = beat_at")
    has_row = bind.execute(sa.text("SELECT COUNT(*) FROM poller_lease WHERE id = 1")).scalar_one()
    if not has_row:
        bind.execute(
            sa.text(
                "INSERT INTO poller_lease (id, holder, pid, host, acquired_at, beat_at, expires_at, epoch) "
                "VALUES (1, '', 0, '', :epoch, :epoch, :epoch, 0)"
            ),
            {"epoch": EPOCH},
        )
    with op.batch_alter_table("poller_lease") as batch:
        batch.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)

    # Staleness is judged from time by readers; the writer's flag goes.
    with op.batch_alter_table("source_health") as batch:
        batch.add_column(sa.Column("interval_s", sa.Float(), nullable=False, server_default="10"))
        batch.drop_column("stale")

    # Incidents keep impact start apart from detection; clearing, silenced and orphaned are shown.
    # Plain ADD COLUMN (no table rebuild on SQLite: other tables' foreign keys point at these).
    op.add_column("incidents", sa.Column("impact_started_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("incidents", sa.Column("clearing_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "incidents", sa.Column("suppressed_count", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("incidents", sa.Column("orphaned", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(
        "UPDATE incidents SET impact_started_at = COALESCE("
        "(SELECT MIN(alerts.starts_at) FROM alerts WHERE alerts.incident_id = incidents.id), detected_at)"
    )

    op.add_column("alerts", sa.Column("absent_since", sa.DateTime(timezone=True), nullable=True))
    op.add_column("alerts", sa.Column("clears_at", sa.DateTime(timezone=True), nullable=True))
    # Two writers could leave two firing rows for one alert; keep the newest before the unique index.
    op.execute(
        "UPDATE alerts SET state = 'resolved', resolved_at = last_seen_at "
        "WHERE state = 'firing' AND id < ("
        "SELECT MAX(newer.id) FROM alerts AS newer WHERE newer.source = alerts.source "
        "AND newer.fingerprint = alerts.fingerprint AND newer.state = 'firing')"
    )
    op.create_index(
        "ux_alerts_firing",
        "alerts",
        ["source", "fingerprint"],
        unique=True,
        sqlite_where=sa.text("state = 'firing'"),
        postgresql_where=sa.text("state = 'firing'"),
    )


def downgrade() -> None:
    op.drop_index("ux_alerts_firing", table_name="alerts")
    for table, column in (
        ("alerts", "clears_at"), ("alerts", "absent_since"), ("incidents", "orphaned"),
        ("incidents", "suppressed_count"), ("incidents", "clearing_at"), ("incidents", "impact_started_at"),
    ):  # fmt: skip
        op.drop_column(table, column)
    with op.batch_alter_table("source_health") as batch:
        batch.add_column(sa.Column("stale", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.drop_column("interval_s")
    op.execute("DELETE FROM poller_lease WHERE holder = ''")
    with op.batch_alter_table("poller_lease") as batch:
        batch.drop_column("epoch")
        batch.drop_column("expires_at")
    op.drop_table("change_counter")
