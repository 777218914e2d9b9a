"""release year listing order: a year's releases indexed in the listing's order

Revision ID: 0020_release_year_listing_order
Revises: 0019_release_year_counts
Create Date: 2026-12-06 05:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0020_release_year_listing_order"
down_revision: Union[str, Sequence[str], None] = "0019_release_year_counts"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """A year's releases, newest first: a page of them is read in order, not sorted."""
    op.create_index(
        "ix_press_releases_year_listing_order",
        "press_releases",
        ["year", sa.text("date DESC"), "slug"],
    )


def downgrade() -> None:
    """Without it."""
    op.drop_index("ix_press_releases_year_listing_order", table_name="press_releases")
