"""victim records: the victims' register, its import audit and its public aggregates

Revision ID: 0016_victim_records
Revises: 0015_victim_notices
Create Date: 2026-12-05 21:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0016_victim_records"
down_revision: Union[str, Sequence[str], None] = "0015_victim_notices"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add the victims' register, its audit trail and its summary (all empty until an import)."""
    op.create_table(
        "victim_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("case_key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("id_display", sa.String(length=18), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("claimed_fen", sa.BigInteger(), nullable=False),
        sa.Column("confirmed_fen", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payments", sa.JSON(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_records")),
        sa.UniqueConstraint("record_id", name=op.f("uq_victim_records_record_id")),
    )
    op.create_index(op.f("ix_victim_records_case_key"), "victim_records", ["case_key"])
    op.create_index(
        "ix_victim_records_id_hash_name_key_case_key",
        "victim_records",
        ["id_hash", "name_key", "case_key"],
    )
    op.create_table(
        "victim_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("happened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("file_format", sa.String(length=8), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("bad_rows", sa.Integer(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_imports")),
    )
    op.create_index(op.f("ix_victim_imports_happened_at"), "victim_imports", ["happened_at"])
    op.create_table(
        "victim_status_counts",
        sa.Column("case_key", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("people", sa.BigInteger(), nullable=False),
        sa.Column("claimed_fen", sa.BigInteger(), nullable=False),
        sa.Column("confirmed_fen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("case_key", "status", name=op.f("pk_victim_status_counts")),
    )
    op.create_table(
        "victim_payment_counts",
        sa.Column("case_key", sa.String(length=200), nullable=False),
        sa.Column("batch", sa.Integer(), nullable=False),
        sa.Column("supplementary", sa.Boolean(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("paid_people", sa.BigInteger(), nullable=False),
        sa.Column("paid_fen", sa.BigInteger(), nullable=False),
        sa.Column("failed", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "case_key", "batch", "supplementary", "paid_on", name=op.f("pk_victim_payment_counts")
        ),
    )


def downgrade() -> None:
    """Drop the victims' register, its audit trail and its summary."""
    op.drop_table("victim_payment_counts")
    op.drop_table("victim_status_counts")
    op.drop_index(op.f("ix_victim_imports_happened_at"), table_name="victim_imports")
    op.drop_table("victim_imports")
    op.drop_index("ix_victim_records_id_hash_name_key_case_key", table_name="victim_records")
    op.drop_index(op.f("ix_victim_records_case_key"), table_name="victim_records")
    op.drop_table("victim_records")
