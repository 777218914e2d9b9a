"""The lookup: which listed records match a name, or a name and an identity number.

A record is listed while it is published, not removed and not past `listed_until`, on the
court's calendar day at the moment of the request; that rule lives in `listed_on` alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Date, and_, bindparam, or_, select
from sqlalchemy.orm import Session

# Re-exported: the debtor list's "today" is the one the publication of content uses.
from portal.db.court_day import COURT_TIMEZONE as COURT_TIMEZONE
from portal.db.court_day import court_today as court_today
from portal.db.models import DebtorImport, DebtorRecord
from portal.registers.identity import IdentityKeys
from portal.registers.query import ListState as ListState  # re-exported: the debtors' name
from portal.registers.query import LookupQuery

NAME_ONLY_LIMIT = 20


def listed_on(today: dt.date | ColumnElement[dt.date]) -> ColumnElement[bool]:
    """The records that are public on `today`: published, not removed, not expired."""
    return and_(
        DebtorRecord.published_on <= today,
        DebtorRecord.removed_on.is_(None),
        or_(DebtorRecord.listed_until.is_(None), DebtorRecord.listed_until >= today),
    )


@dataclass(frozen=True)
class LookupResult:
    """The listed records that match, whether more matched than are shown, and the state of the
    list they were found in."""

    records: list[DebtorRecord]
    by_number: bool
    state: ListState | None
    truncated: bool = False

    @property
    def found(self) -> bool:
        """Whether any listed record matches."""
        return bool(self.records)


# The latest import, as one row; the lookup reads it in the same statement as the records, so
# that the "as of" it shows belongs to the very records it found (requests run each statement
# on its own snapshot), and a lookup costs one round trip.
_LATEST_IMPORT = (
    select(DebtorImport.happened_at, DebtorImport.demo)
    .where(DebtorImport.action == "import")
    .order_by(DebtorImport.happened_at.desc(), DebtorImport.id.desc())
    .limit(1)
)
_latest = _LATEST_IMPORT.subquery("latest_import")
_NEWEST_FIRST = (DebtorRecord.published_on.desc(), DebtorRecord.record_id)
# Built once with bound parameters: a lookup runs on every POST, and building the statement
# again each time costs as much as the database answering it.
_MATCHING = (
    select(_latest.c.happened_at, _latest.c.demo, DebtorRecord)
    .select_from(_latest)
    .order_by(*_NEWEST_FIRST)
)
_MATCHING_NAME = and_(
    DebtorRecord.name_key == bindparam("name_key"), listed_on(bindparam("today", type_=Date()))
)
_BY_NUMBER = _MATCHING.outerjoin(
    DebtorRecord, and_(_MATCHING_NAME, DebtorRecord.id_hash == bindparam("id_hash"))
)
_BY_NAME = _MATCHING.outerjoin(DebtorRecord, _MATCHING_NAME).limit(NAME_ONLY_LIMIT + 1)


def lookup(
    session: Session, keys: IdentityKeys, query: LookupQuery, today: dt.date
) -> LookupResult:
    """The listed records matching the query: by name and number, or by name alone (at most
    NAME_ONLY_LIMIT, newest first, so that the masked numbers tell them apart)."""
    parameters = {"name_key": query.name_key, "today": today}
    if query.number is not None:
        statement, parameters["id_hash"] = _BY_NUMBER, keys.number_hash(query.number)
    else:
        statement = _BY_NAME
    rows = session.execute(statement, parameters).all()
    # No row at all: nothing was ever imported; one row without a record: no match.
    state = _list_state(*rows[0][:2]) if rows else None
    records = [row[2] for row in rows if row[2] is not None]
    if query.number is not None:
        return LookupResult(records=records, by_number=True, state=state)
    return LookupResult(
        records=records[:NAME_ONLY_LIMIT],
        by_number=False,
        state=state,
        truncated=len(records) > NAME_ONLY_LIMIT,
    )


def list_state(session: Session) -> ListState | None:
    """The state of the list after its latest import; None before the first one."""
    latest = session.execute(_LATEST_IMPORT).first()
    return _list_state(*latest) if latest else None


def _list_state(happened_at: dt.datetime, demo: bool) -> ListState:
    if happened_at.tzinfo is None:  # SQLite hands back naive datetimes; the portal stores UTC
        happened_at = happened_at.replace(tzinfo=dt.UTC)
    return ListState(as_of=happened_at, demo=demo)
