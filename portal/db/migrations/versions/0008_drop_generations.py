"""drop generations: pages are cached by HTTP validators, not by a content counter

Revision ID: 0008_drop_generations
Revises: 0007_name_keys
Create Date: 2026-12-01 23:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0008_drop_generations"
down_revision: Union[str, Sequence[str], None] = "0007_name_keys"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.drop_table("generations")


def downgrade() -> None:
    """Downgrade schema."""
    op.create_table(
        "generations",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_generations")),
    )
