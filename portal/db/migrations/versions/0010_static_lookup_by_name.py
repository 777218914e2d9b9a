"""debtor records: no material derived from the full number; persons' numbers masked to the region

Revision ID: 0010_static_lookup_by_name
Revises: 0009_updated_at_indexes
Create Date: 2026-12-01 23:55:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0010_static_lookup_by_name"
down_revision: Union[str, Sequence[str], None] = "0009_updated_at_indexes"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KEPT = 6  # portal.registers.identity.MASK_KEEP_START: the region code
records = sa.table(
    "debtor_records",
    sa.column("kind", sa.String),
    sa.column("id_display", sa.String),
)


def upgrade() -> None:
    """Drop the static material (an offline oracle for the full number) and re-mask persons'
    numbers from the stored display, whose first six characters are the region code."""
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        # Freed pages are zeroed, so the old material and displays do not linger in the file.
        connection.exec_driver_sql("PRAGMA secure_delete=ON")
    connection.execute(
        sa.update(records)
        .where(records.c.kind == "person")
        .values(
            id_display=sa.type_coerce(sa.func.substr(records.c.id_display, 1, KEPT), sa.String)
            + "*" * (18 - KEPT)
        )
    )
    with op.batch_alter_table("debtor_records", schema=None) as batch_op:
        batch_op.drop_column("static_params")
        batch_op.drop_column("static_key")
        batch_op.drop_column("static_tag")


def downgrade() -> None:
    """The columns come back empty (the old material needs the full numbers: re-import the
    source file); the masked numbers stay masked to the region."""
    with op.batch_alter_table("debtor_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("static_tag", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("static_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("static_params", sa.String(length=16), nullable=True))
