"""court contacts: the contact details each court publishes, from the vocabulary

Revision ID: 0013_court_contacts
Revises: 0012_drafts
Create Date: 2026-12-05 09:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0013_court_contacts"
down_revision: Union[str, Sequence[str], None] = "0012_drafts"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add the court_contacts table; `portal load` fills it from the vocabulary."""
    op.create_table(
        "court_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("court", sa.String(length=100), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("telephone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("office_hours", sa.String(length=500), nullable=True),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_court_contacts")),
        sa.UniqueConstraint("court", "lang", name="uq_court_contacts_court"),
    )


def downgrade() -> None:
    """Drop the court_contacts table."""
    op.drop_table("court_contacts")
