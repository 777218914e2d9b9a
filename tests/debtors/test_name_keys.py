"""Names under the one rule in both lookups: a record imported under a traditional or ß name is
found by the live lookup and by the static check with any equivalent spelling; stored keys of
an older rule are derived again by the migration, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, update

from portal.db.engine import alembic_config, make_session_factory, upgrade_schema
from portal.db.models import DebtorRecord
from portal.debtors.importer import import_debtors
from portal.debtors.static_lookup import StaticLookupParams, write_shards
from portal.registers.identity import IdentityKeys
from portal.web.db import session_factory
from tests.support.debtorfiles import (
    TEST_SECRET,
    TODAY,
    find_in_files,
    organisation,
    person,
    resident_id,
    write_csv,
)

FAST = StaticLookupParams(salt="name test court", iterations=1000)
KEYS = IdentityKeys.from_secret(TEST_SECRET)
API = "/api/v1/debtors/lookup"
ROWS = [
    person("T1", name="張偉"),
    person("S1", name="Anna Straße", id_number=resident_id(sequence="456")),
    organisation("O1", name="乾隆貿易有限公司"),
]


@pytest.mark.parametrize(
    ("record_id", "typed"),
    [("T1", "张伟"), ("T1", "張 偉"), ("S1", "ANNA STRASSE"), ("S1", "anna strasse"),
     ("S1", "Ａｎｎａ　Ｓｔｒａßｅ"), ("O1", "干隆贸易有限公司"), ("O1", "乾隆贸易有限公司")],
)  # fmt: skip
def test_a_record_is_found_by_both_lookups_under_any_spelling(
    make_app, database_url: str, tmp_path: Path, record_id: str, typed: str
) -> None:
    app = make_app(database_url, SECRET_KEY=TEST_SECRET, RATELIMIT_ENABLED=False)
    factory = session_factory(app)
    import_debtors(factory, write_csv(tmp_path / "list.csv", ROWS), KEYS)
    row = next(row for row in ROWS if row["record_id"] == record_id)

    answer = app.test_client().post(API, json={"name": typed, "id_number": row["id_number"]})
    assert answer.get_json()["found"] is True
    assert [record["name"] for record in answer.get_json()["records"]] == [row["name"]]

    with factory() as session:
        write_shards(session, tmp_path / "site", TODAY, FAST)
    found = find_in_files(tmp_path / "site", typed, row["id_number"])
    assert [record["name"] for record in found] == [row["name"]]


def test_the_migration_derives_older_keys_again(engine_for, database_url, tmp_path) -> None:
    engine = engine_for(database_url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    import_debtors(factory, write_csv(tmp_path / "list.csv", ROWS), KEYS)
    # The keys the live lookup stored before: lower case, phrases kept (乾隆), ß kept.
    older = {"T1": "张伟", "S1": "annastraße", "O1": "乾隆贸易有限公司"}
    with factory.begin() as session:
        for record_id, key in older.items():
            session.execute(
                update(DebtorRecord).where(DebtorRecord.record_id == record_id).values(name_key=key)
            )
    command.downgrade(alembic_config(engine), "0006_generations")
    upgrade_schema(engine)
    with factory() as session:
        keys = dict(session.execute(select(DebtorRecord.record_id, DebtorRecord.name_key)).all())
    assert keys == {"T1": "张伟", "S1": "annastrasse", "O1": "干隆贸易有限公司"}
