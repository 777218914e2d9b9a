"""SQLAlchemy 2.0 typed models: the single source the views read."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from portal.content.contacts import CONTACT_FIELDS
from portal.content.victims import Payout, payout_from_json

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
    # Indexed: pages and downloads read the latest change of their table for Last-Modified.
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, index=True
    )
    # Public only when not a draft and from `publish_on` (the courts' calendar day) on; the one
    # rule that says so is portal.db.queries.published. Indexed: Last-Modified reads the latest
    # publication day that has come.
    draft: Mapped[bool] = mapped_column(default=False, server_default=false())
    publish_on: Mapped[dt.date | None] = mapped_column(index=True)


# Rows whose class names a `change_kind` are items of the public changes list: the sync records
# their removal (as a Removal) and their created_at/updated_at tell when they were added or changed.
# `item_key` is the item's natural key without its language, as the API's URLs spell it.


class PressRelease(SourcedMixin, Base):
    """One language version of a press release; versions share `year` and `slug`."""

    __tablename__ = "press_releases"
    __table_args__ = (UniqueConstraint("year", "slug", "lang", name="uq_press_releases_key"),)
    change_kind = "press-release"

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

    @property
    def item_key(self) -> str:
        return f"{self.year}/{self.slug}"


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
    change_kind = "page"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    updated: Mapped[dt.date | None]

    @property
    def item_key(self) -> str:
        return self.slug


class VictimNotice(SourcedMixin, Base):
    """One language version of a case's victim registration notice, with the case's public
    payout aggregates (`payout`, amounts as decimal text) when the court has published them."""

    __tablename__ = "victim_notices"
    __table_args__ = (UniqueConstraint("key", "lang", name="uq_victim_notices_key"),)
    change_kind = "victim-notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(500))
    date: Mapped[dt.date] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(Text)
    court: Mapped[str] = mapped_column(String(300))
    case_number: Mapped[str] = mapped_column(String(200))
    crime: Mapped[str] = mapped_column(String(500))
    opens: Mapped[dt.date]
    closes: Mapped[dt.date]
    channel: Mapped[str] = mapped_column(Text)
    who_may_register: Mapped[str] = mapped_column(Text)
    materials: Mapped[list[str]] = mapped_column(JSON, default=list)
    anti_fraud: Mapped[str] = mapped_column(Text)
    payout_rules: Mapped[str] = mapped_column(Text)
    payout: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    body_html: Mapped[str] = mapped_column(Text)
    demonstration: Mapped[bool] = mapped_column(default=False)

    @property
    def item_key(self) -> str:
        return self.key

    @property
    def payout_figures(self) -> Payout | None:
        """The stored payout aggregates as figures the pages compute with."""
        return payout_from_json(self.payout) if self.payout is not None else None


class Term(Base):
    """A vocabulary entry (court, cause of action, category or measure) in one language."""

    __tablename__ = "terms"
    __table_args__ = (UniqueConstraint("kind", "key", "lang", name="uq_terms_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(100))
    lang: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(300))
    position: Mapped[int]


class CourtContact(Base):
    """A court's published contact details in one language (from the vocabulary); a court that
    publishes none has no row."""

    __tablename__ = "court_contacts"
    __table_args__ = (UniqueConstraint("court", "lang", name="uq_court_contacts_court"),)
    FIELDS: ClassVar[tuple[str, ...]] = CONTACT_FIELDS

    id: Mapped[int] = mapped_column(primary_key=True)
    court: Mapped[str] = mapped_column(String(100))  # the vocabulary key of the court
    lang: Mapped[str] = mapped_column(String(8))
    address: Mapped[str | None] = mapped_column(String(500))
    telephone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    office_hours: Mapped[str | None] = mapped_column(String(500))
    website: Mapped[str | None] = mapped_column(String(500))


class Collection(SourcedMixin, Base):
    """One language version of a typical-case collection."""

    __tablename__ = "collections"
    __table_args__ = (UniqueConstraint("key", "lang", name="uq_collections_key"),)
    change_kind = "collection"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text)
    year: Mapped[int] = mapped_column(index=True)
    category: Mapped[str] = mapped_column(String(100))
    total_cases: Mapped[int]
    document: Mapped[str | None] = mapped_column(String(500))
    body_html: Mapped[str] = mapped_column(Text)
    # The press release it was released with, from that release's `collections:`.
    release_year: Mapped[int | None]
    release_slug: Mapped[str | None] = mapped_column(String(200))

    @property
    def item_key(self) -> str:
        return self.key


class Case(SourcedMixin, Base):
    """One language version of a typical case; versions share `collection` and `slug`."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("collection", "slug", "lang", name="uq_cases_key"),)
    change_kind = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    collection: Mapped[str] = mapped_column(String(200), index=True)
    slug: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(8))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))
    parties: Mapped[str] = mapped_column(String(500))
    court: Mapped[str] = mapped_column(String(100))
    cause: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(index=True)
    case_number: Mapped[str | None] = mapped_column(String(200))
    body_html: Mapped[str] = mapped_column(Text)

    measure_rows: Mapped[list[CaseMeasure]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="CaseMeasure.id",  # the order the editor wrote them in
    )

    @property
    def measures(self) -> list[str]:
        """The keys of the enforcement measures taken in this case."""
        return [row.measure for row in self.measure_rows]

    @property
    def item_key(self) -> str:
        return f"{self.collection}/{self.slug}"


# A year's press listing, newest first, is read off this index in its order (the whole
# listing reads the date's index); a page stops at its last release instead of sorting the year.
Index("ix_press_releases_year_listing_order", PressRelease.year, PressRelease.date.desc(),
      PressRelease.slug)  # fmt: skip
# Listings show cases newest collection first: in this order a page is read off the index,
# for all cases and for one court, cause or category (a facet's listing stops at its page
# instead of sorting every case of the value).
Index("ix_cases_listing_order", Case.year.desc(), Case.collection, Case.number)
for _facet_column in (Case.court, Case.cause, Case.category):
    Index(
        f"ix_cases_{_facet_column.key}_listing_order",
        _facet_column,
        Case.year.desc(),
        Case.collection,
        Case.number,
    )


class CaseMeasure(Base):
    """An enforcement measure taken in a case; one row each, so measures can be counted."""

    __tablename__ = "case_measures"
    __table_args__ = (UniqueConstraint("case_id", "measure", name="uq_case_measures_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    measure: Mapped[str] = mapped_column(String(100), index=True)

    case: Mapped[Case] = relationship(back_populates="measure_rows")


class CaseFacetCount(Base):
    """How many cases of a facet value become public on a day (portal/db/facet_summary.py)."""

    __tablename__ = "case_facet_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    facet: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(100))
    # None: public from the start (no version scheduled).
    public_from: Mapped[dt.date | None] = mapped_column(index=True)
    cases: Mapped[int]


class ReleaseYearCount(Base):
    """How many press releases of a year become public on a day (portal/db/release_summary.py)."""

    __tablename__ = "release_year_counts"
    # Holds every column the press listings read, in their grouping's order: they sum it
    # without reading the table or sorting (a row a day: some 3,400 for 10,000 releases).
    __table_args__ = (Index("ix_release_year_counts_by_year", "year", "public_from", "releases"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    # None: public from the start (no version scheduled).
    public_from: Mapped[dt.date | None]
    releases: Mapped[int]


class StatisticGroup(Base):
    """A group of enforcement figures shown together, as a table and possibly a chart."""

    __tablename__ = "statistic_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    position: Mapped[int]
    title_en: Mapped[str] = mapped_column(String(300))
    title_zh: Mapped[str] = mapped_column(String(300))
    chart: Mapped[bool] = mapped_column(default=False)


class StatisticFigure(Base):
    """One enforcement figure of one year, quoted from a press release or derived from one."""

    __tablename__ = "statistic_figures"
    __table_args__ = (UniqueConstraint("key", "year", name="uq_statistic_figures_key"),)
    change_kind = "statistic"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    year: Mapped[int]
    group: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    value: Mapped[int] = mapped_column(BigInteger)
    unit: Mapped[str] = mapped_column(String(20))
    qualifier: Mapped[str] = mapped_column(String(20))
    label_en: Mapped[str] = mapped_column(String(300))
    label_zh: Mapped[str] = mapped_column(String(300))
    change_percent: Mapped[float | None] = mapped_column(Float)
    derived: Mapped[bool] = mapped_column(default=False)
    formula: Mapped[str | None] = mapped_column(Text)
    sentence: Mapped[str] = mapped_column(Text)
    release_year: Mapped[int]
    release_slug: Mapped[str] = mapped_column(String(200))
    paragraph: Mapped[str] = mapped_column(String(20))
    source_path: Mapped[str] = mapped_column(String(500))
    # The same figure's sentence in the Chinese version of the release, and its paragraph.
    sentence_zh: Mapped[str] = mapped_column(Text, default="", server_default="")
    paragraph_zh: Mapped[str] = mapped_column(String(20), default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # Indexed: pages and downloads read the latest change of their table for Last-Modified.
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, index=True
    )

    @property
    def item_key(self) -> str:
        return f"{self.key}/{self.year}"

    def source_in(self, lang: str) -> tuple[str, str, str]:
        """The sentence quoted from the `lang` version of the release, its paragraph and the
        language it is in: the English one where a row loaded before sentence_zh has none."""
        if lang == "zh" and self.sentence_zh:
            return self.sentence_zh, self.paragraph_zh, "zh"
        return self.sentence, self.paragraph, "en"


class Removal(Base):
    """An item of the changes list that a load removed: its kind, natural key, language, when."""

    __tablename__ = "removals"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(500))
    lang: Mapped[str | None] = mapped_column(String(8))
    removed_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, index=True
    )


class DebtorRecord(Base):
    """One record of the list of dishonest persons subject to enforcement.

    A person's identity number is never stored: only `id_display` (the region code alone) and
    `id_hash` (HMAC-SHA256 under a key derived from the secret key); nothing else derived from
    it. An organisation's code is public, so its `id_display` is the code itself. Whether a
    record is listed is decided at request time.
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


class RegisterDayCount(Base):
    """How many records not removed become listed (`starting`) and are listed for the last time
    (`ending`) on one day, for one value of one dimension of the register statistics. The
    records listed on day T are the sum of `starting` up to T less the sum of `ending` before
    T, so the summary stays exact as days pass without any write (portal/debtors/statistics.py)."""

    __tablename__ = "register_day_counts"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
    starting: Mapped[int]
    ending: Mapped[int]


class RegisterMonthCount(Base):
    """The same counts summed over a month (`month` as YYYYMM), so that the statistics read
    one row a month for the months before the current one, and days only within it."""

    __tablename__ = "register_month_counts"

    month: Mapped[int] = mapped_column(primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
    starting: Mapped[int]
    ending: Mapped[int]


class ImportAuditMixin:
    """What the audit trail of a register keeps of each import or refused import: when, the
    file's hash and format, and the counts; never a name, a number or a reason."""

    id: Mapped[int] = mapped_column(primary_key=True)
    happened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    action: Mapped[str] = mapped_column(String(16))  # import | refused (| delist: debtors)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_format: Mapped[str | None] = mapped_column(String(8))
    rows: Mapped[int] = mapped_column(default=0)
    added: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    removed: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    bad_rows: Mapped[int] = mapped_column(default=0)
    demo: Mapped[bool] = mapped_column(default=False)


class DebtorImport(ImportAuditMixin, Base):
    """The audit trail of the debtor list: each import, refused import and delisting."""

    __tablename__ = "debtor_imports"


class VictimRecord(Base):
    """One registered victim of a fund-raising crime case (`case_key`: the case's notice).

    As in the debtor list, an identity number is stored only as `id_display` (the mask) and
    `id_hash` (the keyed HMAC). Amounts are whole fen; `payments` is a list of
    {"batch", "amount", "paid_on", "supplementary", "failure"} (portal/victims/records.py).
    """

    __tablename__ = "victim_records"
    __table_args__ = (
        # The status check: a number, a name and a case, each constrained by the query.
        Index("ix_victim_records_id_hash_name_key_case_key", "id_hash", "name_key", "case_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), unique=True)
    case_key: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    id_display: Mapped[str] = mapped_column(String(18))
    id_hash: Mapped[str] = mapped_column(String(64))
    registered_on: Mapped[dt.date]
    claimed_fen: Mapped[int] = mapped_column(BigInteger)
    confirmed_fen: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    payments: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    demo: Mapped[bool] = mapped_column(default=False)
    row_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class VictimImport(ImportAuditMixin, Base):
    """The audit trail of the victims' register: each import and refused import."""

    __tablename__ = "victim_imports"


class VictimStatusCount(Base):
    """The victims of a case in one status: how many, and their claimed and confirmed amounts
    (fen); kept in the import's write transaction (portal/victims/summary.py)."""

    __tablename__ = "victim_status_counts"

    case_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    people: Mapped[int] = mapped_column(BigInteger)
    claimed_fen: Mapped[int] = mapped_column(BigInteger)
    confirmed_fen: Mapped[int] = mapped_column(BigInteger)


class VictimPaymentCount(Base):
    """The payments of a case's batch (or its supplementary round) made on one day: paid
    (people and fen) and failed; the day in the key gives a batch's first and last day."""

    __tablename__ = "victim_payment_counts"

    case_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    batch: Mapped[int] = mapped_column(primary_key=True)
    supplementary: Mapped[bool] = mapped_column(primary_key=True)
    paid_on: Mapped[dt.date] = mapped_column(primary_key=True)
    paid_people: Mapped[int] = mapped_column(BigInteger)
    paid_fen: Mapped[int] = mapped_column(BigInteger)
    failed: Mapped[int] = mapped_column(BigInteger)
