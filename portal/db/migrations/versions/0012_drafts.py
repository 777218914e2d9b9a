"""content: a draft flag and a publication day on releases, pages, collections and cases

Revision ID: 0012_drafts
Revises: 0010_static_lookup_by_name
Create Date: 2026-12-05 09:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0012_drafts"
down_revision: Union[str, Sequence[str], None] = "0011_register_summary"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("press_releases", "pages", "collections", "cases")


def upgrade() -> None:
    """Every row loaded so far is public: not a draft; a release is published on its date."""
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("draft", sa.Boolean(), nullable=False, server_default=sa.false())
            )
            batch.add_column(sa.Column("publish_on", sa.Date(), nullable=True))
    op.execute("UPDATE press_releases SET publish_on = date")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("publish_on")
            batch.drop_column("draft")
