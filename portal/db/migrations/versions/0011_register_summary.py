"""register summary: counts of the records by day and month, so the statistics read no record

Revision ID: 0011_register_summary
Revises: 0010_static_lookup_by_name
Create Date: 2026-12-05 09:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.db.register_summary import fill_register_summary


# revision identifiers, used by Alembic.
revision: str = "0011_register_summary"
down_revision: Union[str, Sequence[str], None] = "0010_static_lookup_by_name"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Create the summary and count the register as it stands into it."""
    for table, period in (
        ("register_day_counts", sa.Column("day", sa.Date(), nullable=False)),
        ("register_month_counts", sa.Column("month", sa.Integer(), nullable=False)),
    ):
        op.create_table(
            table,
            period,
            sa.Column("dimension", sa.String(length=16), nullable=False),
            sa.Column("value", sa.String(length=200), nullable=False),
            sa.Column("starting", sa.Integer(), nullable=False),
            sa.Column("ending", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint(period.name, "dimension", "value", name=op.f(f"pk_{table}")),
        )
    fill_register_summary(Session(bind=op.get_bind()))


def downgrade() -> None:
    """Drop the summary (the statistics of an older portal read the records)."""
    op.drop_table("register_month_counts")
    op.drop_table("register_day_counts")
