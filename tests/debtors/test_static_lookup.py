"""The static debtor check in Python: derivation vectors from the name alone, encryption, and
the shards the freeze writes: a name's listed records found with only the files and the name, the
same answer whatever number is typed, entries of one length in shards of one count; removed and
expired records, numbers and anything a guessed number reproduces never in the files or the
database (SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from pathlib import Path

import pytest
from alembic import command
from cryptography.exceptions import InvalidTag
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from portal.db.engine import alembic_config, make_session_factory, upgrade_schema
from portal.db.models import DebtorRecord
from portal.debtors.importer import delist, import_debtors
from portal.debtors.lookup import NAME_ONLY_LIMIT
from portal.debtors.static_lookup import (
    LOOKUP_DIR,
    StaticLookupParams,
    decrypt,
    derive,
    encrypt,
    prefix_digits,
    write_shards,
)
from portal.registers.identity import IdentityKeys
from portal.search.service import rebuild_search_index
from portal.static_site.freeze import freeze
from portal.web.db import database_engine, session_factory
from tests.support.debtorfiles import (
    TEST_SECRET,
    files_holding,
    find_in_files,
    number_traces,
    organisation,
    person,
    resident_id,
    write_csv,
)
from tests.support.pagecheck import fetch

KEYS = IdentityKeys.from_secret(TEST_SECRET)
FAST = StaticLookupParams(salt="test court", iterations=1000)  # the defaults cost ms a name
TODAY = dt.date(2025, 6, 1)
NUMBER = resident_id()  # 310101198001011234-like, with its real check character
# Another valid number that shows the same mask: same region, another birth date and sequence.
SAME_MASK = resident_id(birth="19750612", sequence="555")


@pytest.fixture
def factory(engine_for, database_url: str) -> sessionmaker[Session]:
    engine = engine_for(database_url)
    upgrade_schema(engine)
    return make_session_factory(engine)


def stored(factory) -> dict[str, DebtorRecord]:
    with factory() as session:
        return {r.record_id: r for r in session.scalars(select(DebtorRecord))}


def load(factory, tmp_path: Path, rows: list[dict], name: str = "list.csv"):
    return import_debtors(factory, write_csv(tmp_path / name, rows), KEYS)


def shard_entries(out: Path) -> list[dict[str, str]]:
    return [
        json.loads(path.read_text("utf-8"))
        for path in sorted((out / LOOKUP_DIR / "shards").glob("*.json"))
    ]


# -- Derivation and encryption --------------------------------------------------------------


def test_derivation_vectors() -> None:
    # Fixed inputs give fixed outputs: the browser's derivation is checked against these too.
    material = derive("张伟", StaticLookupParams(salt="s", iterations=1000))
    assert material.key.hex() == (
        "71f3b45ac16713f24ba560efb8b58b091822e1cffa27e67b2cd7a96156395ec5"
    )
    assert material.tag(0) == "ea834a290d283781670bc9a21417433cd8362f52bda82b155b60d44f6fe38183"
    assert material.tag(1) == "941797a34bd6473b5a8d6f60dcbb43ed60701ff77ae1d339d7ec67c0b843951f"


def test_the_salt_and_the_iteration_count_change_everything() -> None:
    base = derive("张伟", FAST)
    other_salt = derive("张伟", StaticLookupParams(salt="other", iterations=1000))
    other_count = derive("张伟", StaticLookupParams(salt="test court", iterations=1001))
    assert len({base.tag(0), other_salt.tag(0), other_count.tag(0)}) == 3
    assert len({base.tag(0), base.tag(1), base.key.hex()}) == 3


def test_encryption_round_trip_and_a_wrong_key_fails() -> None:
    key, other = derive("张伟", FAST).key, derive("李强", FAST).key
    blob = encrypt(key, "记录".encode())
    assert decrypt(key, blob).decode() == "记录"
    assert len(base64.b64decode(blob)) == 12 + len("记录".encode()) + 16
    assert encrypt(key, b"x") != encrypt(key, b"x")  # a fresh nonce every time
    with pytest.raises(InvalidTag):
        decrypt(other, blob)


def test_prefix_length_keeps_shards_to_a_few_hundred_entries() -> None:
    assert prefix_digits(0) == prefix_digits(1000) == 1
    assert prefix_digits(100_000) == 2  # 256 shards, about 390 entries each
    assert prefix_digits(1_000_000) == 3


# -- Shards ---------------------------------------------------------------------------------


def standard_rows() -> list[dict]:
    return [
        person("R1", published_on="2024-03-01"),
        person("R1B", published_on="2024-05-01", case_number="（2024）沪0101执9号"),  # same person
        person("NAMESAKE", id_number=resident_id(region="440305", sequence="777")),
        person("R2", name="李强", id_number=resident_id(sequence="456")),
        person("GONE", name="王芳", id_number=resident_id(sequence="789"),
               removed_on="2024-05-01", removal_reason="paid"),
        person("EXPIRED", name="赵敏", id_number=resident_id(sequence="321"),
               listed_until="2025-01-01"),
        person("LATER", name="周杰", id_number=resident_id(sequence="654"),
               published_on="2025-07-01"),
        organisation("O1"),
    ]  # fmt: skip


def freeze_shards(factory, tmp_path: Path, rows: list[dict] | None = None) -> Path:
    load(factory, tmp_path, standard_rows() if rows is None else rows)
    out = tmp_path / "site"
    with factory() as session:
        write_shards(session, out, TODAY, FAST)
    return out


def test_a_name_finds_its_listed_records_as_the_live_name_only_answer(
    factory, tmp_path: Path
) -> None:
    load(factory, tmp_path, standard_rows())
    out = tmp_path / "site"
    with factory() as session:
        report = write_shards(session, out, TODAY, FAST)
    assert (report.records, report.names, report.stale) == (5, 3, 0)
    found = find_in_files(out, "張 偉")
    # Newest first, namesakes included, told apart by the region the mask shows.
    assert [r["case_number"] for r in found] == ["（2024）沪0101执9号", "（2023）沪0101执123号",
                                                 "（2023）沪0101执123号"]  # fmt: skip
    assert sorted(r["id_display"] for r in found) == [
        "310101************",
        "310101************",
        "440305************",
    ]
    assert set(found[0]) == {
        "name", "kind", "id_display", "legal_representative", "court", "case_number",
        "basis_document", "basis_issuer", "obligations", "performance", "circumstances",
        "published_on", "listed_until", "demo",
    }  # fmt: skip
    company = find_in_files(out, "上海某某貿易有限公司")
    assert company[0]["legal_representative"] == "李强"
    assert company[0]["id_display"] == organisation()["id_number"]  # a public code, in full
    assert find_in_files(out, "张伟 某") == []
    manifest = json.loads((out / LOOKUP_DIR / "manifest.json").read_text("utf-8"))
    assert manifest | {"as_of": None} == {
        "version": 3, "salt": "test court", "iterations": 1000, "prefix_hex_digits": 1,
        "limit": NAME_ONLY_LIMIT, "as_of": None, "demo": False,
    }  # fmt: skip
    rule = json.loads((out / LOOKUP_DIR / "names.json").read_text("utf-8"))
    assert (rule["fold"]["張"], rule["fold"]["ß"]) == ("张", "ss")


def test_the_answer_is_the_same_for_the_full_number_and_another_of_the_same_mask(
    factory, tmp_path: Path
) -> None:
    out = freeze_shards(factory, tmp_path)
    assert SAME_MASK[:6] == NUMBER[:6]
    assert SAME_MASK != NUMBER
    with_number = find_in_files(out, "张伟", NUMBER)
    assert with_number == find_in_files(out, "张伟", SAME_MASK) == find_in_files(out, "张伟")
    assert len(with_number) == 3


def test_every_entry_has_one_length_and_every_shard_one_count(factory, tmp_path) -> None:
    # A person and an organisation, short and long fields: the lengths once told them apart.
    rows = [*standard_rows(), person("LONG", name="欧阳娜娜", obligations="支付" * 300)]
    out = freeze_shards(factory, tmp_path, rows)
    shards = shard_entries(out)
    assert len(shards) == 16
    assert len({len(shard) for shard in shards}) == 1  # random entries fill the others up
    assert len({len(blob) for shard in shards for blob in shard.values()}) == 1
    assert len({tag for shard in shards for tag in shard}) == 16 * len(shards[0])


def test_more_namesakes_than_the_live_limit_give_the_limit(factory, tmp_path) -> None:
    rows = [
        person(
            f"N{i:02}",
            id_number=resident_id(sequence=f"{i:03}"),
            published_on=f"2024-01-{i + 1:02}",
        )
        for i in range(NAME_ONLY_LIMIT + 2)
    ]
    out = freeze_shards(factory, tmp_path, rows)
    found = find_in_files(out, "张伟")
    assert len(found) == NAME_ONLY_LIMIT
    assert found[0]["published_on"] == f"2024-01-{NAME_ONLY_LIMIT + 2:02}"  # the newest first


def test_removed_expired_and_unpublished_records_are_never_written(factory, tmp_path) -> None:
    load(factory, tmp_path, standard_rows())
    delist(factory, "R2", "paid in full", today=TODAY)
    out = tmp_path / "site"
    with factory() as session:
        report = write_shards(session, out, TODAY, FAST)
    for name in ("李强", "王芳", "赵敏", "周杰"):
        assert find_in_files(out, name) == []
    assert report.records == 4  # R1, R1B, NAMESAKE and O1


def test_no_file_and_no_database_holds_a_number_or_what_a_guess_reproduces(
    factory, tmp_path: Path, database_url: str
) -> None:
    rows = standard_rows()
    out = freeze_shards(factory, tmp_path, rows)
    assert sorted(p.name for p in (out / LOOKUP_DIR / "shards").iterdir()) == [
        f"{prefix:x}.json" for prefix in range(16)
    ]
    traces = [
        trace
        for row in rows
        for trace in number_traces(row["name"], row["id_number"], FAST.salt, FAST.iterations)
        if row["kind"] == "person"
    ]
    everything = [row["name"].encode() for row in rows] + [rows[0]["court"].encode()]
    assert files_holding(out / LOOKUP_DIR, traces + everything) == {}
    with factory() as session:
        dump = json.dumps([list(row) for row in session.execute(text(
            "SELECT * FROM debtor_records"))], default=str).encode()  # fmt: skip
    assert [trace for trace in traces if trace in dump] == []
    if database_url.startswith("sqlite"):
        database = Path(database_url.removeprefix("sqlite:///"))
        for path in database.parent.glob(database.name + "*"):  # the file and its WAL
            assert files_holding(path, traces) == {}


def test_a_second_freeze_with_a_shorter_prefix_removes_the_old_shards(factory, tmp_path) -> None:
    load(factory, tmp_path, standard_rows())
    out = tmp_path / "site"
    stale = out / LOOKUP_DIR / "shards" / "ab.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", "utf-8")
    with factory() as session:
        write_shards(session, out, TODAY, FAST)
    assert not stale.exists()


def test_other_parameters_make_other_files(factory, tmp_path) -> None:
    load(factory, tmp_path, standard_rows())
    out = tmp_path / "site"
    with factory() as session:
        write_shards(session, out, TODAY, StaticLookupParams(salt="test court", iterations=2000))
    assert len(find_in_files(out, "张伟")) == 3  # derived at the freeze: nothing goes stale


# -- The frozen page ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_frozen_page_asks_for_a_name_and_sends_numbers_to_the_live_lookup(
    make_app, site, sqlite_url: str, lang: str
) -> None:
    site.standard()
    app = make_app(sqlite_url, STATIC_SITE=True, LIVE_URL="https://live.example.test/")
    page = fetch(app.test_client(), f"/{lang}/debtors/")
    form = page.html.select_one("form[data-static-lookup]")
    assert form.get("method") is None
    assert form.get("action") is None  # nothing is ever sent
    assert form.select_one("#debtor-name").has_attr("required")
    assert not form.select_one("#debtor-number").has_attr("required")
    assert form["data-lookup-root"] == "../../static-lookup/"  # relative: works from a sub-path
    texts = json.loads(form["data-texts"])
    assert set(texts) >= {"on_list", "not_on_list", "no_match", "matches_one", "number_live"}
    assert "{count}" in texts["matches_one"]
    assert json.loads(form["data-labels"])["performance_names"]["unperformed"]
    scripts = page.html.select("script")
    assert all(script.get("src") for script in scripts)  # no inline script
    assert any(s["src"].endswith("js/static-lookup.js") for s in scripts)
    needs_js = page.html.select_one("[data-static-needs-js]")
    live_page = f"https://live.example.test/{lang}/debtors/"
    assert needs_js.select_one("a")["href"] == live_page
    confirm = page.html.select_one(".static-check-confirm-live")
    assert confirm.select_one("a")["href"] == live_page
    assert ("full number" if lang == "en" else "完整号码") in confirm.get_text()
    assert page.html.select_one("[data-static-status]")["aria-live"] == "polite"


def test_the_live_page_is_unchanged_when_not_freezing(client) -> None:
    page = fetch(client, "/en/debtors/")
    assert page.html.select_one("form.debtor-form")["method"] == "post"
    assert page.html.select_one("form[data-static-lookup]") is None


# -- The migration --------------------------------------------------------------------------


def test_the_migration_drops_the_material_and_masks_to_the_region(
    engine_for, database_url: str, tmp_path: Path
) -> None:
    engine = engine_for(database_url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    load(factory, tmp_path, [person("R1"), organisation("O1")])
    command.downgrade(alembic_config(engine), "0009_updated_at_indexes")
    # As an import before this change stored them: the old mask and the format-2 material.
    old_display = NUMBER[:6] + "********" + NUMBER[-4:]
    old_tag = number_traces("张伟", NUMBER, FAST.salt, FAST.iterations)[-2].decode()
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE debtor_records SET id_display = :display, static_tag = :tag,"
                " static_key = :tag, static_params = 'p' WHERE record_id = 'R1'"
            ),
            {"display": old_display, "tag": old_tag},
        )
    upgrade_schema(engine)
    with engine.connect() as connection:
        rows = dict(
            connection.execute(text("SELECT record_id, id_display FROM debtor_records")).all()
        )
    assert rows == {"R1": "310101************", "O1": organisation()["id_number"]}
    columns = {column["name"] for column in inspect(engine).get_columns("debtor_records")}
    assert not {"static_tag", "static_key", "static_params"} & columns
    engine.dispose()  # SQLite checkpoints its WAL into the file
    if database_url.startswith("sqlite"):
        database = Path(database_url.removeprefix("sqlite:///"))
        for path in database.parent.glob(database.name + "*"):
            assert files_holding(path, [old_display.encode(), old_tag.encode()]) == {}


def test_a_frozen_site_its_database_index_state_and_log_hold_no_number(
    make_app, site, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The whole path of a number: import, live lookups by name and number, a freeze.
    caplog.set_level(logging.DEBUG)
    site.standard()
    work = tmp_path / "instance"
    work.mkdir()
    database = work / "portal.sqlite3"
    app = make_app(
        f"sqlite:///{database}", SECRET_KEY=TEST_SECRET, RATELIMIT_ENABLED=False,
        STATIC_LOOKUP_SALT=FAST.salt,
        STATIC_LOOKUP_ITERATIONS=FAST.iterations,
    )  # fmt: skip
    rows = standard_rows()
    source = write_csv(tmp_path / "list.csv", rows)
    import_debtors(session_factory(app), source, KEYS)
    source.unlink()  # the one file that is meant to hold the numbers
    client = app.test_client()
    for row in rows:
        answer = client.post("/api/v1/debtors/lookup",
                             json={"name": row["name"], "id_number": row["id_number"]})  # fmt: skip
        assert answer.status_code == 200
    index = Path(app.config["INDEX_DIR"])
    rebuild_search_index(session_factory(app), index)  # as `portal load` does
    freeze(app, work / "out", pagefind=False)
    database_engine(app).dispose()
    traces = [
        trace
        for row in rows
        if row["kind"] == "person"
        for trace in number_traces(row["name"], row["id_number"], FAST.salt, FAST.iterations)
    ]
    assert files_holding(work, traces) == {}  # database, WAL, freeze state, frozen copy
    assert any(index.iterdir())
    assert files_holding(index, traces) == {}
    assert not [trace for trace in traces if trace.decode() in caplog.text]
