"""Importing the victims' register from the court's system, all or nothing, through the import
machinery both registers share (portal/registers/importer.py)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from portal.db.court_day import court_today
from portal.db.models import VictimImport, VictimNotice, VictimRecord
from portal.registers.identity import IdentityKeys
from portal.registers.importer import (
    CountedAsStaged,
    ImportReport,
    ImportStage,
    RegisterSpec,
    Unique,
    import_register,
)
from portal.victims.records import STORED_COLUMNS, VICTIM_FORMAT, ImportContext, parse_row
from portal.victims.summary import COUNTED, VictimChanges


def _context(connection: Connection) -> ImportContext:
    """The cases with a loaded notice (drafts too: a register may come before its notice is
    public), and the courts' day."""
    keys = connection.scalars(select(VictimNotice.key).distinct())
    return ImportContext(case_keys=frozenset(keys), today=court_today())


VICTIMS = RegisterSpec(
    name="victim",
    records=VictimRecord.__table__,
    stored_columns=STORED_COLUMNS,
    file_format=VICTIM_FORMAT,
    parse=parse_row,
    audit=VictimImport,
    # Its write stores each staged row as it is: counted in as staged.
    summary=functools.partial(CountedAsStaged, COUNTED, VictimChanges),
    context=_context,
    json_text=frozenset({"payments"}),  # parse_row encodes them once, with the row hash
    # One registration a person a case: the status check finds one record by name and number.
    # id_hash first: it leads the status check's index, which the register is searched by.
    unique=Unique(
        ("id_hash", "case_key"),
        "id_number",
        "repeats the number registered in this case in row",
        "registers the same person in case {case_key} as record '{record_id}' already in the"
        " register",
    ),
)


def import_victims(
    factory: sessionmaker[Session],
    path: Path,
    keys: IdentityKeys,
    *,
    demo: bool = False,
    now: dt.datetime | None = None,
    processes: int | None = None,
    on_stage: Callable[[ImportStage], None] | None = None,
) -> ImportReport:
    """Import a victims' register file, all or nothing (RegisterImportError and no change if
    any row is bad); a record id already in the register is updated."""
    return import_register(
        VICTIMS, factory, path, keys, demo=demo, now=now, processes=processes, on_stage=on_stage
    )
