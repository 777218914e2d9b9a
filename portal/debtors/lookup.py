"""The lookup: which listed records match a name, or a name and an identity number.

A record is listed while it is published, not removed and not past `listed_until`, on the
court's calendar day at the moment of the request; that rule lives in `listed_on` alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from portal.debtors.identity import IdentityKeys, is_valid_number, normalise_name, normalise_number
from portal.models import DebtorImport, DebtorRecord

# The courts are in China, which keeps UTC+8 all year: a fixed offset needs no time-zone data.
COURT_TIMEZONE = dt.timezone(dt.timedelta(hours=8), "UTC+8")
NAME_ONLY_LIMIT = 20
MAX_NAME_LENGTH = 200


def court_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date where the courts are."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(COURT_TIMEZONE).date()


def listed_on(today: dt.date) -> ColumnElement[bool]:
    """The records that are public on `today`: published, not removed, not expired."""
    return and_(
        DebtorRecord.published_on <= today,
        DebtorRecord.removed_on.is_(None),
        or_(DebtorRecord.listed_until.is_(None), DebtorRecord.listed_until >= today),
    )


@dataclass(frozen=True)
class LookupQuery:
    """A validated lookup: the normalised name and, optionally, the normalised number."""

    name_key: str
    number: str | None = field(default=None, repr=False)  # never in a repr, hence never logged


class InvalidQuery(ValueError):
    """The lookup cannot be run; `errors` maps each field to a problem code."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(", ".join(f"{name}: {code}" for name, code in errors.items()))


def parse_query(name: str | None, number: str | None) -> LookupQuery:
    """Validate what was typed. Codes: name_required, name_too_long, number_invalid."""
    errors = {}
    name_key = normalise_name(name or "")
    if not name_key:
        errors["name"] = "name_required"
    elif len(name or "") > MAX_NAME_LENGTH:
        errors["name"] = "name_too_long"
    normalised = normalise_number(number or "") or None
    if normalised is not None and not is_valid_number(normalised):
        errors["number"] = "number_invalid"
    if errors:
        raise InvalidQuery(errors)
    return LookupQuery(name_key=name_key, number=normalised)


@dataclass(frozen=True)
class LookupResult:
    """The listed records that match, and whether more matched than are shown."""

    records: list[DebtorRecord]
    by_number: bool
    truncated: bool = False

    @property
    def found(self) -> bool:
        """Whether any listed record matches."""
        return bool(self.records)


def lookup(
    session: Session, keys: IdentityKeys, query: LookupQuery, today: dt.date
) -> LookupResult:
    """The listed records matching the query: by name and number, or by name alone (at most
    NAME_ONLY_LIMIT, newest first, so that the masked numbers tell them apart)."""
    statement = select(DebtorRecord).where(
        DebtorRecord.name_key == query.name_key, listed_on(today)
    )
    if query.number is not None:
        statement = statement.where(DebtorRecord.id_hash == keys.number_hash(query.number))
        ordered = statement.order_by(DebtorRecord.published_on.desc(), DebtorRecord.record_id)
        return LookupResult(records=list(session.scalars(ordered)), by_number=True)
    ordered = statement.order_by(DebtorRecord.published_on.desc(), DebtorRecord.record_id)
    records = list(session.scalars(ordered.limit(NAME_ONLY_LIMIT + 1)))
    return LookupResult(
        records=records[:NAME_ONLY_LIMIT],
        by_number=False,
        truncated=len(records) > NAME_ONLY_LIMIT,
    )


@dataclass(frozen=True)
class ListState:
    """When the list was last imported, and whether it is fictional demonstration data."""

    as_of: dt.datetime
    demo: bool


def list_state(session: Session) -> ListState | None:
    """The state of the list after its latest import; None before the first one."""
    latest = session.scalar(
        select(DebtorImport)
        .where(DebtorImport.action == "import")
        .order_by(DebtorImport.happened_at.desc(), DebtorImport.id.desc())
        .limit(1)
    )
    if latest is None:
        return None
    as_of = latest.happened_at
    if as_of.tzinfo is None:  # SQLite hands back naive datetimes; the portal stores UTC
        as_of = as_of.replace(tzinfo=dt.UTC)
    return ListState(as_of=as_of, demo=latest.demo)
