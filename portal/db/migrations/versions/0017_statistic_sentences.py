"""statistic sentences: each figure's sentence in the Chinese version of its release

Revision ID: 0017_statistic_sentences
Revises: 0016_victim_records
Create Date: 2026-12-05 21:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0017_statistic_sentences"
down_revision: Union[str, Sequence[str], None] = "0016_victim_records"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add sentence_zh and paragraph_zh; the next `portal load` fills them from the content."""
    with op.batch_alter_table("statistic_figures") as batch:
        batch.add_column(sa.Column("sentence_zh", sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("paragraph_zh", sa.String(length=20), nullable=False, server_default="")
        )


def downgrade() -> None:
    """Drop the Chinese sentences."""
    with op.batch_alter_table("statistic_figures") as batch:
        batch.drop_column("paragraph_zh")
        batch.drop_column("sentence_zh")
