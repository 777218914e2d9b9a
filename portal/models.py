"""SQLAlchemy 2.0 typed models: the single source the views read."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so that Alembic migrations name them the same on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utc_now() -> dt.datetime:
    """The current time in UTC; every timestamp the portal stores is UTC."""
    return dt.datetime.now(dt.UTC)


class SourcedMixin:
    """A row made from a content file: where it came from, and the hash that tells a change."""

    source_path: Mapped[str] = mapped_column(String(500), unique=True)
    source_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class PressRelease(SourcedMixin, Base):
    """One language version of a press release; versions share `year` and `slug`."""

    __tablename__ = "press_releases"
    __table_args__ = (UniqueConstraint("year", "slug", "lang", name="uq_press_releases_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    slug: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(500))
    date: Mapped[dt.date] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    collections: Mapped[list[str]] = mapped_column(JSON, default=list)
    translation_note: Mapped[str | None] = mapped_column(Text)
    sample_translation: Mapped[bool] = mapped_column(default=False)

    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="release",
        cascade="all, delete-orphan",
        order_by="Attachment.position",
        lazy="selectin",
    )


class Attachment(Base):
    """A document released with a press release; `path` is None when only its title is known."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(
        ForeignKey("press_releases.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))
    path: Mapped[str | None] = mapped_column(String(500))
    media_type: Mapped[str | None] = mapped_column(String(120))
    format_name: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))

    release: Mapped[PressRelease] = relationship(back_populates="attachments")

    @property
    def file_name(self) -> str | None:
        """The file's own name, used in its download URL."""
        return self.path.rsplit("/", 1)[-1] if self.path else None


class Page(SourcedMixin, Base):
    """One language version of a plain page such as About or the re-use licence."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("slug", "lang", name="uq_pages_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    updated: Mapped[dt.date | None]


class DebtorRecord(Base):
    """One record of the list of dishonest persons subject to enforcement.

    A person's identity number is never stored: only `id_display` (masked) and `id_hash`
    (HMAC-SHA256 under a key derived from the secret key). An organisation's code is public, so
    its `id_display` is the code itself. Whether a record is listed is decided at request time.
    """

    __tablename__ = "debtor_records"
    __table_args__ = (
        # A name alone: that name's records, newest first.
        Index("ix_debtor_records_name_key_published_on", "name_key", "published_on"),
        # A name and a number: every column the query constrains, so that SQLite's planner
        # never prefers the index above and scans every namesake (a company name can have
        # thousands); with only (id_hash, name_key) it did, and p95 went from 0.5 to 7 ms.
        Index(
            "ix_debtor_records_id_hash_name_key_published_on", "id_hash", "name_key", "published_on"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    id_display: Mapped[str] = mapped_column(String(18))
    id_hash: Mapped[str] = mapped_column(String(64))
    legal_representative: Mapped[str | None] = mapped_column(String(200))
    court: Mapped[str] = mapped_column(String(200))
    case_number: Mapped[str] = mapped_column(String(100))
    basis_document: Mapped[str] = mapped_column(String(200))
    basis_issuer: Mapped[str] = mapped_column(String(200))
    obligations: Mapped[str] = mapped_column(Text)
    performance: Mapped[str] = mapped_column(String(32))
    circumstances: Mapped[list[str]] = mapped_column(JSON)
    published_on: Mapped[dt.date]
    listed_until: Mapped[dt.date | None]
    removed_on: Mapped[dt.date | None]
    removal_reason: Mapped[str | None] = mapped_column(Text)
    demo: Mapped[bool] = mapped_column(default=False)
    row_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class DebtorImport(Base):
    """The audit trail of the debtor list: each import, refused import and delisting, with the
    file's hash and the counts; never a name, a number or a reason."""

    __tablename__ = "debtor_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    happened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    action: Mapped[str] = mapped_column(String(16))  # import | refused | delist
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_format: Mapped[str | None] = mapped_column(String(8))
    rows: Mapped[int] = mapped_column(default=0)
    added: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    removed: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    bad_rows: Mapped[int] = mapped_column(default=0)
    demo: Mapped[bool] = mapped_column(default=False)
