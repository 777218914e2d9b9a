"""The register's statistics: counts of the records listed now, never a record itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from portal.db.engine import make_session_factory, upgrade_schema
from portal.debtors.identity import IdentityKeys
from portal.debtors.importer import import_debtors
from portal.debtors.statistics import register_aggregates
from portal.web.db import database_engine
from tests.support.debtorfiles import TEST_SECRET, organisation, person, resident_id, write_csv
from tests.support.pagecheck import fetch

LISTED_ROWS = [
    person("R1", published_on="2024-03-01", circumstances="refuses_despite_ability"),
    person("R2", name="王芳", id_number=resident_id(sequence="456"), published_on="2024-03-20",
           circumstances="refuses_despite_ability;evades_enforcement"),
    organisation("O1", court="上海市闵行区人民法院", published_on="2024-04-02"),
    # Neither of these is listed: one removed, one past its listing.
    person("R3", name="赵敏", id_number=resident_id(sequence="789"), removed_on="2024-05-01",
           removal_reason="performed"),
    person("R4", name="钱进", id_number=resident_id(sequence="246"), listed_until="2024-12-31"),
]  # fmt: skip


def import_rows(factory: sessionmaker, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", LISTED_ROWS)
    import_debtors(factory, path, IdentityKeys.from_secret(TEST_SECRET),
                   now=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))  # fmt: skip


def test_only_listed_records_are_counted(engine_for, database_url: str, tmp_path: Path) -> None:
    engine = engine_for(database_url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    import_rows(factory, tmp_path)
    with factory() as session:
        rows = {(r.dimension, r.key): r for r in register_aggregates(session)}
    counts = {key: row.listed_records for key, row in rows.items()}
    assert counts == {
        ("court", "上海市黄浦区人民法院"): 2,
        ("court", "上海市闵行区人民法院"): 1,
        ("kind", "person"): 2,
        ("kind", "organisation"): 1,
        ("circumstance", "refuses_despite_ability"): 3,
        ("circumstance", "evades_enforcement"): 1,
        ("month", "2024-03"): 2,
        ("month", "2024-04"): 1,
    }
    assert rows[("kind", "organisation")].label_zh == "法人或其他组织"
    assert rows[("circumstance", "evades_enforcement")].label_en.startswith("Evades enforcement")


def test_the_statistics_page_and_download_show_counts_and_no_record(
    make_app, site, sqlite_url: str, tmp_path: Path
) -> None:
    site.standard()
    app = make_app(sqlite_url, SECRET_KEY=TEST_SECRET)
    import_rows(sessionmaker(database_engine(app)), tmp_path)
    client = app.test_client()
    register = fetch(client, "/en/statistics/").html.select_one(".register-statistics")
    assert register is not None
    assert len(register.select("svg[role=img]")) == 4
    download = client.get("/data/register-statistics.csv").data.decode("utf-8-sig")
    assert "kind,person,Person,自然人,2" in download.splitlines()
    for secret in ("张伟", "王芳", resident_id(), "R1", "支付货款"):
        assert secret not in download
        assert secret not in register.get_text()
