"""The register's statistics: counts of the records listed now, never a record itself."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from portal.db import register_summary
from portal.db.engine import alembic_config, make_session_factory, upgrade_schema
from portal.db.models import DebtorRecord, RegisterDayCount, RegisterMonthCount
from portal.debtors import statistics
from portal.debtors.demo import generate
from portal.debtors.importer import delist, import_debtors
from portal.debtors.lookup import listed_on
from portal.debtors.statistics import has_listed_records, register_aggregates
from portal.registers.identity import IdentityKeys
from portal.registers.importer import RegisterImportError
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


# With seconds and microseconds, as a real import has them: pages show minutes, data seconds.
IMPORTED_AT = dt.datetime(2025, 6, 1, 0, 0, 5, 123456, tzinfo=dt.UTC)


def import_rows(factory: sessionmaker, tmp_path: Path, demo: bool = False) -> None:
    # Demonstration records carry ids starting with DEMO-, as demo-debtors writes them.
    rows = (
        [row | {"record_id": f"DEMO-{row['record_id']}"} for row in LISTED_ROWS]
        if demo
        else LISTED_ROWS
    )
    path = write_csv(tmp_path / "list.csv", rows)
    import_debtors(factory, path, IdentityKeys.from_secret(TEST_SECRET),
                   now=IMPORTED_AT, demo=demo)  # fmt: skip


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
    assert "kind,person,Person,自然人,2,2025-06-01T00:00:05Z,false" in download.splitlines()
    for secret in ("张伟", "王芳", resident_id(), "R1", "支付货款"):
        assert secret not in download
        assert secret not in register.get_text()


@pytest.mark.parametrize("demo", [True, False])
def test_the_counts_say_what_they_are_counted_from_and_when(
    make_app, site, sqlite_url: str, tmp_path: Path, demo: bool
) -> None:
    # The vocabulary is read with the cases; its Minhang court named as the register names it.
    site.standard().standard_cases()
    courts = {
        "minhang-district": {"en": "Minhang District Court", "zh": "上海市闵行区人民法院"},
        "shanghai-no1-intermediate": {"en": "No.1 Intermediate Court", "zh": "第一中级人民法院"},
    }
    site.vocabulary(courts=courts)
    app = make_app(sqlite_url, SECRET_KEY=TEST_SECRET)
    import_rows(sessionmaker(database_engine(app)), tmp_path, demo=demo)
    client = app.test_client()
    # Imported at 2025-06-01 00:00 UTC, which is 08:00 in Shanghai.
    english = fetch(client, "/en/statistics/").html.select_one(".register-statistics")
    chinese = fetch(client, "/zh/statistics/").html.select_one(".register-statistics")
    # (Babel writes a narrow no-break space before AM; any space will do here.)
    assert "As of Jun 1, 2025, 8:00 AM (UTC+8)." in " ".join(english.get_text().split())
    assert "截至2025年6月1日 08:00 (UTC+8)。" in chinese.get_text()
    assert ("fictional demonstration list" in english.get_text()) is demo
    assert ("虚构演示名单" in chinese.get_text()) is demo
    data_page = fetch(client, "/en/data/").html.select_one("#dataset-register-statistics")
    assert ("Demonstration data" in data_page.get_text()) is demo
    assert "As of Jun 1, 2025" in data_page.get_text()
    # Records, not cases; a court the vocabulary knows in the page's language, another as given.
    english_rows = [
        [c.get_text() for c in tr.select("th, td")] for tr in english.select("tbody tr")
    ]
    assert ["Minhang District Court", "1 record"] in english_rows
    assert ["上海市黄浦区人民法院", "2 records"] in english_rows
    chinese_rows = [
        [c.get_text() for c in tr.select("th, td")] for tr in chinese.select("tbody tr")
    ]
    assert ["上海市闵行区人民法院", "1条"] in chinese_rows
    assert "case" not in english.get_text()
    assert "件" not in chinese.get_text()
    download = client.get("/data/register-statistics.csv").data.decode("utf-8-sig").splitlines()
    flag = "true" if demo else "false"
    assert download[0].endswith(",listed_records,as_of,demonstration")
    assert (
        "court,上海市闵行区人民法院,Minhang District Court,上海市闵行区人民法院,1,"
        f"2025-06-01T00:00:05Z,{flag}" in download
    )
    items = client.get("/data/register-statistics.json").get_json()["items"]
    assert {(item["demonstration"], item["as_of"]) for item in items} == {
        (demo, "2025-06-01T00:00:05Z")
    }


def test_the_catalogue_s_coverage_runs_from_the_earliest_listed_month_to_the_import(
    make_app, site, database_url: str, tmp_path: Path
) -> None:
    site.standard()
    app = make_app(database_url, SECRET_KEY=TEST_SECRET)
    # Published before every listed record, but removed: it does not widen the period.
    earlier = person("R9", name="孙丽", id_number=resident_id(sequence="357"),
                     published_on="2023-01-05", removed_on="2023-06-01",
                     removal_reason="performed")  # fmt: skip
    path = write_csv(tmp_path / "list.csv", [*LISTED_ROWS, earlier])
    import_debtors(sessionmaker(database_engine(app)), path, IdentityKeys.from_secret(TEST_SECRET),
                   now=IMPORTED_AT)  # fmt: skip
    catalogue = app.test_client().get("/data/catalog.jsonld").get_json(force=True)
    (dataset,) = [
        d for d in catalogue["dcat:dataset"] if d["dct:identifier"] == "register-statistics"
    ]
    period = dataset["dct:temporal"]
    # The earliest month of publication counted (March 2024) to the day of the import.
    assert period["dcat:startDate"]["@value"] == "2024-03-01"
    assert period["dcat:endDate"]["@value"] == "2025-06-01"


def test_months_are_named_in_the_page_s_language_and_kept_iso_in_the_data(
    make_app, site, database_url: str, tmp_path: Path
) -> None:
    site.standard()
    app = make_app(database_url, SECRET_KEY=TEST_SECRET)
    import_rows(sessionmaker(database_engine(app)), tmp_path)
    client = app.test_client()
    by_month = {}
    for lang in ("en", "zh"):
        table = fetch(client, f"/{lang}/statistics/").html.select_one("#table-register-month")
        rows = table.find_parent("table").select("tbody tr")
        by_month[lang] = [[c.get_text(" ", strip=True) for c in tr.select("th, td")] for tr in rows]
    assert by_month["en"] == [["March 2024", "2 records"], ["April 2024", "1 record"]]
    assert by_month["zh"] == [["2024年3月", "2条"], ["2024年4月", "1条"]]
    download = client.get("/data/register-statistics.csv").data.decode("utf-8-sig").splitlines()
    assert any(line.startswith("month,2024-03,2024-03,2024-03,2,") for line in download)


# The generated registers below are written relative to this day, whatever the clock says.
TODAY = dt.date(2026, 6, 15)
KEYS = IdentityKeys.from_secret(TEST_SECRET)


def counted_one_by_one(session: Session, day: dt.date) -> dict[tuple[str, str], int]:
    """The aggregates the straightforward way: every record listed on `day` (the lookup's
    rule), counted one by one."""
    counts: Counter[tuple[str, str]] = Counter()
    for record in session.scalars(select(DebtorRecord).where(listed_on(day))):
        counts["court", record.court] += 1
        counts["kind", record.kind] += 1
        counts["month", f"{record.published_on:%Y-%m}"] += 1
        for circumstance in record.circumstances:
            counts["circumstance", circumstance] += 1
    return dict(counts)


def aggregates_on(session: Session, day: dt.date) -> dict[tuple[str, str], int]:
    return {(r.dimension, r.key): r.listed_records for r in register_aggregates(session, day)}


def boundary_days(session: Session) -> list[dt.date]:
    """Days where the counts change (a record's first and last listed day, the day after it)
    and a few around them, far before and after the register."""
    records = session.scalars(select(DebtorRecord)).all()
    edges = {record.published_on for record in records}
    edges |= {record.listed_until for record in records if record.listed_until}
    days = {TODAY, TODAY - dt.timedelta(days=3000), TODAY + dt.timedelta(days=3000)}
    for edge in sorted(edges)[:: max(1, len(edges) // 25)]:
        days |= {edge - dt.timedelta(days=1), edge, edge + dt.timedelta(days=1)}
    return sorted(days)


def assert_same_counts(factory: sessionmaker, days: list[dt.date] | None = None) -> None:
    with factory() as session:
        for day in days or boundary_days(session):
            assert aggregates_on(session, day) == counted_one_by_one(session, day), day


def generated_rows(count: int, seed: int) -> list[dict[str, str]]:
    return [values for values, _ in generate(count, seed, TODAY)]


@pytest.fixture
def factory(engine_for, database_url: str) -> sessionmaker:
    engine = engine_for(database_url)
    upgrade_schema(engine)
    return make_session_factory(engine)


def test_the_counts_are_those_of_the_records_listed_on_each_day(
    factory: sessionmaker, tmp_path: Path
) -> None:
    rows = generated_rows(400, seed=3)
    # Records not listed yet: published after TODAY, one of them for a single day.
    later = [
        person(f"DEMO-L{i}", name=f"示例后{i}", id_number=resident_id(sequence=f"{i + 100:03d}"),
               published_on=(TODAY + dt.timedelta(days=i)).isoformat(),
               listed_until=(TODAY + dt.timedelta(days=2 * i - 1)).isoformat())
        for i in range(1, 6)
    ]  # fmt: skip
    import_debtors(factory, write_csv(tmp_path / "first.csv", rows + later), KEYS, demo=True)
    listed_in_file = sum(state == "listed" for _, state in generate(400, 3, TODAY))
    with factory() as session:
        assert sum(aggregates_on(session, TODAY)[k] for k in [("kind", "person"),
                   ("kind", "organisation")]) == listed_in_file  # fmt: skip
    assert_same_counts(factory)

    # A second export: records moved to another court, given other circumstances, another
    # listing period, removed; removed ones listed again (removal is final); new records.
    changed = [dict(row) for row in rows]
    for index, row in enumerate(changed):
        if index % 7 == 0:
            row["court"] = "上海市第一中级人民法院"
        if index % 11 == 0:
            row["circumstances"] = "breaches_settlement;obstructs_enforcement"
        if index % 13 == 0:
            row["listed_until"] = (TODAY + dt.timedelta(days=index % 5)).isoformat()
        if index % 17 == 0 and not row["removed_on"]:
            row["removed_on"], row["removal_reason"] = TODAY.isoformat(), "已全部履行"
        elif index % 19 == 0 and row["removed_on"]:
            row["removed_on"] = row["removal_reason"] = ""
    changed += generated_rows(450, seed=3)[400:]
    import_debtors(factory, write_csv(tmp_path / "second.csv", changed), KEYS, demo=True)
    assert_same_counts(factory)

    with factory() as session:
        listed = session.scalars(
            select(DebtorRecord.record_id).where(listed_on(TODAY)).order_by(DebtorRecord.id)
        ).all()
    for record_id in listed[::9]:
        assert delist(factory, record_id, "performed", today=TODAY)
    assert not delist(factory, listed[0], "again", today=TODAY)
    # Re-importing the first file brings no delisted record back, and changes the rest back.
    import_debtors(factory, write_csv(tmp_path / "first.csv", rows + later), KEYS, demo=True)
    assert_same_counts(factory)


def test_a_record_stops_being_counted_the_day_after_its_last_day(
    factory: sessionmaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    rows = [
        person("R1", listed_until=TODAY.isoformat()),  # its last day is today
        person("R2", id_number=resident_id(sequence="456"), published_on=tomorrow.isoformat()),
    ]
    import_debtors(factory, write_csv(tmp_path / "list.csv", rows), KEYS)
    with factory() as session:
        for day, month in ((TODAY, "2024-03"), (tomorrow, "2026-06")):
            # The pages call it without a day: it is then the courts' today.
            monkeypatch.setattr(statistics, "court_today", lambda day=day: day)
            assert {r.key: r.listed_records for r in register_aggregates(session)
                    if r.dimension == "month"} == {month: 1}  # fmt: skip
            assert has_listed_records(session)
        day_after = tomorrow + dt.timedelta(days=1)
        assert aggregates_on(session, day_after) == {
            ("court", "上海市黄浦区人民法院"): 1, ("kind", "person"): 1,
            ("circumstance", "refuses_despite_ability"): 1, ("month", "2026-06"): 1,
        }  # fmt: skip


def test_nothing_listed_means_no_register_statistics(factory: sessionmaker, tmp_path: Path) -> None:
    with factory() as session:
        assert not has_listed_records(session, TODAY)
        assert register_aggregates(session, TODAY) == []
    import_debtors(factory, write_csv(tmp_path / "list.csv", [person("R1")]), KEYS)
    with factory() as session:
        assert has_listed_records(session, TODAY)
        assert not has_listed_records(session, dt.date(2024, 2, 29))  # before its publication
    delist(factory, "R1", "performed", today=TODAY)
    with factory() as session:
        assert not has_listed_records(session, TODAY)
        assert register_aggregates(session, TODAY) == []


def summary_rows(factory: sessionmaker) -> list[tuple]:
    with factory() as session:
        days = session.execute(
            select(RegisterDayCount.__table__).order_by(*RegisterDayCount.__table__.primary_key)
        ).all()
        months = session.execute(
            select(RegisterMonthCount.__table__).order_by(*RegisterMonthCount.__table__.primary_key)
        ).all()
    return [tuple(row) for row in days + months]


def test_a_refused_import_changes_no_count(factory: sessionmaker, tmp_path: Path) -> None:
    rows = generated_rows(300, seed=5)
    import_debtors(factory, write_csv(tmp_path / "first.csv", rows), KEYS, demo=True)
    before = summary_rows(factory)
    # Many good rows (written in batches) changing every record, then a bad one.
    changed = [{**row, "court": "上海市第二中级人民法院"} for row in generated_rows(2500, seed=5)]
    changed.append({**changed[0], "record_id": "DEMO-BAD", "published_on": "2024-02-30"})
    with pytest.raises(RegisterImportError):
        import_debtors(factory, write_csv(tmp_path / "bad.csv", changed), KEYS, demo=True)
    assert summary_rows(factory) == before
    assert_same_counts(factory)


def test_the_upgrade_counts_an_existing_register(
    engine_for, database_url: str, tmp_path: Path
) -> None:
    engine: Engine = engine_for(database_url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    import_debtors(factory, write_csv(tmp_path / "list.csv", generated_rows(300, seed=7)),
                   KEYS, demo=True)  # fmt: skip
    counted = summary_rows(factory)
    assert counted
    command.downgrade(alembic_config(engine), "0010_static_lookup_by_name")
    upgrade_schema(engine)  # the summary is made again from the records
    assert summary_rows(factory) == counted
    assert_same_counts(factory)


def test_a_delisting_during_an_import_that_changes_the_record_is_counted_once(
    factory: sessionmaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = generated_rows(200, seed=9)
    import_debtors(factory, write_csv(tmp_path / "first.csv", rows), KEYS, demo=True)
    with factory() as session:
        record_id = session.scalars(
            select(DebtorRecord.record_id).where(listed_on(TODAY)).order_by(DebtorRecord.id)
        ).first()
    # The import moves the record to another court, and the delisting runs while the import's
    # write transaction holds it: the delisting must wait, then subtract the record as the
    # import left it.
    moved = [{**row, "court": "上海市第三中级人民法院"} if row["record_id"] == record_id else row
             for row in rows]  # fmt: skip
    apply = register_summary.RegisterChanges.apply
    delisting: list[threading.Thread] = []
    delisted: list[bool] = []

    def apply_while_delisting(changes, session) -> None:
        if not delisting:  # the import's own apply, the delisting's comes later
            delisting.append(threading.Thread(target=lambda: delisted.append(
                delist(factory, record_id, "performed", today=TODAY))))  # fmt: skip
            delisting[0].start()
            delisting[0].join(timeout=0.5)  # it waits for the import's transaction
            assert delisted == []
        apply(changes, session)

    monkeypatch.setattr(register_summary.RegisterChanges, "apply", apply_while_delisting)
    import_debtors(factory, write_csv(tmp_path / "moved.csv", moved), KEYS, demo=True)
    delisting[0].join(timeout=10)
    assert delisted == [True]
    with factory() as session:
        assert ("court", "上海市第三中级人民法院") not in aggregates_on(session, TODAY)
    assert_same_counts(factory)
