"""debtor records: name keys derived again under the one name rule (portal.text.names)

Revision ID: 0007_name_keys
Revises: 0006_generations
Create Date: 2026-12-01 23:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from portal.text.names import name_key


# revision identifiers, used by Alembic.
revision: str = "0007_name_keys"
down_revision: Union[str, Sequence[str], None] = "0006_generations"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH = 5000
records = sa.table(
    "debtor_records",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("name_key", sa.String),
)


def upgrade() -> None:
    """Re-derive every stored name key; only the rows whose key changes are written."""
    # The keys were NFKC, OpenCC's phrase conversion and casefold; now the rule the static check
    # shares (character by character). The static material cannot be derived here (it needs the
    # full number, which only the source file holds): its parameter id names the old rule, so
    # the freeze leaves such records out, and says so, until the file is imported again.
    connection = op.get_bind()
    update = (
        sa.update(records)
        .where(records.c.id == sa.bindparam("row_id"))
        .values(name_key=sa.bindparam("new_key"))
    )
    last = 0
    while rows := connection.execute(
        sa.select(records.c.id, records.c.name, records.c.name_key)
        .where(records.c.id > last)
        .order_by(records.c.id)
        .limit(BATCH)
    ).all():
        changed = [
            {"row_id": row.id, "new_key": key}
            for row in rows
            if (key := name_key(row.name)) != row.name_key
        ]
        if changed:
            connection.execute(update, changed)
        last = rows[-1].id


def downgrade() -> None:
    """Nothing to undo in the schema: the keys stay as the current rule derives them."""
