"""facet listing order: each facet's cases indexed in the listings' order

Revision ID: 0018_facet_listing_order
Revises: 0017_statistic_sentences
Create Date: 2026-12-06 02:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0018_facet_listing_order"
down_revision: Union[str, Sequence[str], None] = "0017_statistic_sentences"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

FACET_COLUMNS = ("court", "cause", "category")


def upgrade() -> None:
    """Replace the court, cause and category indexes by ones that also hold the order."""
    for column in FACET_COLUMNS:
        op.create_index(
            f"ix_cases_{column}_listing_order",
            "cases",
            [column, sa.text("year DESC"), "collection", "number"],
        )
        op.drop_index(f"ix_cases_{column}", table_name="cases")


def downgrade() -> None:
    """The single-column indexes again."""
    for column in FACET_COLUMNS:
        op.create_index(f"ix_cases_{column}", "cases", [column])
        op.drop_index(f"ix_cases_{column}_listing_order", table_name="cases")
