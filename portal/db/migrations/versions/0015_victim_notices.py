"""victim notices: registration notices of fund-raising crime cases, with payout aggregates

Revision ID: 0015_victim_notices
Revises: 0014_listing_summary
Create Date: 2026-12-05 16:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0015_victim_notices"
down_revision: Union[str, Sequence[str], None] = "0014_listing_summary"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add the victim_notices table; `portal load` fills it from content/victims/."""
    op.create_table(
        "victim_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("court", sa.String(length=300), nullable=False),
        sa.Column("case_number", sa.String(length=200), nullable=False),
        sa.Column("crime", sa.String(length=500), nullable=False),
        sa.Column("opens", sa.Date(), nullable=False),
        sa.Column("closes", sa.Date(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("who_may_register", sa.Text(), nullable=False),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("anti_fraud", sa.Text(), nullable=False),
        sa.Column("payout_rules", sa.Text(), nullable=False),
        sa.Column("payout", sa.JSON(), nullable=True),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("demonstration", sa.Boolean(), nullable=False),
        sa.Column("source_path", sa.String(length=500), nullable=False),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("draft", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("publish_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_notices")),
        sa.UniqueConstraint("key", "lang", name="uq_victim_notices_key"),
        sa.UniqueConstraint("source_path", name=op.f("uq_victim_notices_source_path")),
    )
    op.create_index(op.f("ix_victim_notices_date"), "victim_notices", ["date"])
    op.create_index(op.f("ix_victim_notices_updated_at"), "victim_notices", ["updated_at"])
    op.create_index(op.f("ix_victim_notices_publish_on"), "victim_notices", ["publish_on"])


def downgrade() -> None:
    """Drop the victim_notices table."""
    op.drop_index(op.f("ix_victim_notices_publish_on"), table_name="victim_notices")
    op.drop_index(op.f("ix_victim_notices_updated_at"), table_name="victim_notices")
    op.drop_index(op.f("ix_victim_notices_date"), table_name="victim_notices")
    op.drop_table("victim_notices")
