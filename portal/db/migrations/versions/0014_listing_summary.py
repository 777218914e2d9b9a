"""listing summary: the case facets' counts kept at load; publication days and the listing
order indexed

Revision ID: 0014_listing_summary
Revises: 0013_court_contacts
Create Date: 2026-12-05 16:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.db.facet_summary import rebuild_facet_summary


# revision identifiers, used by Alembic.
revision: str = "0014_listing_summary"
down_revision: Union[str, Sequence[str], None] = "0013_court_contacts"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SOURCED_TABLES = ("press_releases", "pages", "collections", "cases")


def upgrade() -> None:
    """Index publish_on; add case_facet_counts and count the cases already loaded."""
    for table in SOURCED_TABLES:
        op.create_index(op.f(f"ix_{table}_publish_on"), table, ["publish_on"])
    op.create_index(
        "ix_cases_listing_order", "cases", [sa.text("year DESC"), "collection", "number"]
    )
    op.create_table(
        "case_facet_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facet", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.Column("public_from", sa.Date(), nullable=True),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_facet_counts")),
    )
    op.create_index(
        op.f("ix_case_facet_counts_public_from"), "case_facet_counts", ["public_from"]
    )
    rebuild_facet_summary(Session(bind=op.get_bind()))


def downgrade() -> None:
    """Drop case_facet_counts and the publish_on indexes."""
    op.drop_index(op.f("ix_case_facet_counts_public_from"), table_name="case_facet_counts")
    op.drop_table("case_facet_counts")
    op.drop_index("ix_cases_listing_order", table_name="cases")
    for table in SOURCED_TABLES:
        op.drop_index(op.f(f"ix_{table}_publish_on"), table_name=table)
