"""updated_at indexes: the latest change of a table is read for Last-Modified on every request

Revision ID: 0009_updated_at_indexes
Revises: 0008_drop_generations
Create Date: 2026-12-01 23:55:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = "0009_updated_at_indexes"
down_revision: Union[str, Sequence[str], None] = "0008_drop_generations"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("press_releases", "pages", "collections", "cases", "statistic_figures")


def upgrade() -> None:
    """Upgrade schema."""
    for table in TABLES:
        op.create_index(op.f(f"ix_{table}_updated_at"), table, ["updated_at"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_updated_at"), table_name=table)
