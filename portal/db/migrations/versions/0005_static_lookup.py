"""debtor records: the static check's lookup tag, record key and parameter id

Revision ID: 0005_static_lookup
Revises: 0004_debtors
Create Date: 2026-11-29 00:50:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0005_static_lookup"
down_revision: Union[str, Sequence[str], None] = "0004_debtors"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # Records imported before stay without material until their source file is imported again.
    with op.batch_alter_table('debtor_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('static_tag', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('static_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('static_params', sa.String(length=16), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('debtor_records', schema=None) as batch_op:
        batch_op.drop_column('static_params')
        batch_op.drop_column('static_key')
        batch_op.drop_column('static_tag')
