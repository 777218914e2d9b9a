"""generations: counters that move when the published content changes

Revision ID: 0006_generations
Revises: 0005_static_lookup
Create Date: 2026-11-28 02:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0006_generations"
down_revision: Union[str, Sequence[str], None] = "0005_static_lookup"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "generations",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_generations")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("generations")
