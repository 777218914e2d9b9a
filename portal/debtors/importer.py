"""Importing a debtor file into the database, all or nothing (the register machinery of
portal/registers/importer.py, driven by the debtor list's spec), and delisting one record."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Table, bindparam, case, func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import UpdateBase

from portal.db.engine import begin_writing
from portal.db.models import DebtorImport, DebtorRecord, utc_now
from portal.db.register_summary import COUNTED, RegisterChanges, count_delisting
from portal.debtors.records import DEBTOR_FORMAT, parse_row
from portal.registers.files import RowProblem
from portal.registers.identity import IdentityKeys
from portal.registers.importer import (
    CountedAroundWrite,
    ImportReport,
    RegisterSpec,
    import_register,
)

# What an import writes of a record, in the table's order: each row of a batch is a tuple of these.
STORED_COLUMNS = (
    "record_id", "name", "name_key", "kind", "id_display", "id_hash", "legal_representative",
    "court", "case_number", "basis_document", "basis_issuer", "obligations", "performance",
    "circumstances", "published_on", "listed_until", "removed_on", "removal_reason", "demo",
    "row_hash",
)  # fmt: skip


def _parse_debtor(
    row_number: int, raw: dict[str, Any], keys: IdentityKeys, problems: list[RowProblem],
    demo: bool, _context: Any,
) -> tuple[Any, ...] | None:  # fmt: skip
    """A debtor row's stored values, or None after adding its problems."""
    row = parse_row(row_number, raw, keys, problems, demo=demo)
    if row is None:
        return None
    return (
        row.record_id, row.name, row.name_key, row.kind.value, row.id_display, row.id_hash,
        row.legal_representative, row.court, row.case_number, row.basis_document,
        row.basis_issuer, row.obligations, row.performance.value,
        tuple(item.value for item in row.circumstances), row.published_on, row.listed_until,
        row.removed_on, row.removal_reason, row.demo, row.row_hash,
    )  # fmt: skip


def _changes_applied(records: Table, staged_changes: Table, stored: tuple[str, ...]) -> UpdateBase:
    """The staged changes, applied so that no import brings a record back: a removal stays
    (with its reason), and so does the end of a listing period that has passed on the courts'
    day of the write, however the file and the register differ, and whatever happened to the
    record after it was compared (a delisting while the import ran)."""
    live, staged = records.c, staged_changes.c
    ended = live.listed_until < bindparam("today", type_=Date())
    values: dict[str, Any] = {name: staged[name] for name in stored if name != "record_id"}
    values["removed_on"] = func.coalesce(live.removed_on, staged.removed_on)
    values["removal_reason"] = case(
        (live.removed_on.is_(None), staged.removal_reason), else_=live.removal_reason
    )
    values["listed_until"] = case((ended, live.listed_until), else_=staged.listed_until)
    values["updated_at"] = bindparam("now", type_=live.updated_at.type)
    return records.update().where(live.id == staged.record_pk).values(values)


DEBTORS = RegisterSpec(
    name="debtor",
    records=DebtorRecord.__table__,
    stored_columns=STORED_COLUMNS,
    file_format=DEBTOR_FORMAT,
    parse=_parse_debtor,
    audit=DebtorImport,
    # The statistics' summary: the changed records out as they are, every written one in as
    # the write leaves it (a removal kept, a passed end kept), in the same transaction.
    summary=functools.partial(CountedAroundWrite, COUNTED, RegisterChanges),
    apply_changes=_changes_applied,
    removed_column="removed_on",
)


def import_debtors(
    factory: sessionmaker[Session], path: Path, keys: IdentityKeys, **options: Any
) -> ImportReport:
    """Import a debtor file (portal.registers.importer.import_register's options)."""
    return import_register(DEBTORS, factory, path, keys, **options)


class UnknownRecord(LookupError):
    """No record has this record id."""


def delist(
    factory: sessionmaker[Session],
    record_id: str,
    reason: str,
    *,
    today: dt.date,
    now: dt.datetime | None = None,
) -> bool:
    """Remove one record from the list at once; False if it was already removed."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    now = now or utc_now()
    with factory.begin() as session:
        begin_writing(session.connection())
        record = session.scalar(select(DebtorRecord).where(DebtorRecord.record_id == record_id))
        if record is None:
            raise UnknownRecord(record_id)
        if record.removed_on is not None:
            return False
        count_delisting(session, record.id)
        record.removed_on, record.removal_reason, record.updated_at = today, reason, now
        session.add(DebtorImport(happened_at=now, action="delist", removed=1, demo=record.demo))
    return True
