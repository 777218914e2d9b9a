"""release year counts: the press releases' count per year and publication day, kept at load

Revision ID: 0019_release_year_counts
Revises: 0018_facet_listing_order
Create Date: 2026-12-06 04:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.db.release_summary import rebuild_release_summary


# revision identifiers, used by Alembic.
revision: str = "0019_release_year_counts"
down_revision: Union[str, Sequence[str], None] = "0018_facet_listing_order"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add release_year_counts and count the releases already loaded."""
    op.create_table(
        "release_year_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("public_from", sa.Date(), nullable=True),
        sa.Column("releases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_year_counts")),
    )
    op.create_index(
        "ix_release_year_counts_by_year",
        "release_year_counts",
        ["year", "public_from", "releases"],
    )
    rebuild_release_summary(Session(bind=op.get_bind()))


def downgrade() -> None:
    """Drop release_year_counts."""
    op.drop_index("ix_release_year_counts_by_year", table_name="release_year_counts")
    op.drop_table("release_year_counts")
