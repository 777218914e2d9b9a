"""The static debtor check in Python: normalisation, derivation vectors, encryption, material
stored at import (only where needed, on SQLite and PostgreSQL), and the shards the freeze writes:
found with only a name, a number and the manifest; removed and expired records and numbers never
in them; stale material left out."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from portal.db.engine import make_session_factory, upgrade_schema
from portal.db.models import DebtorRecord
from portal.debtors.identity import IdentityKeys
from portal.debtors.importer import DebtorImportError, delist, import_debtors
from portal.debtors.static_lookup import (
    LOOKUP_DIR,
    StaticLookupParams,
    decrypt,
    derive,
    encrypt,
    prefix_digits,
    static_number_key,
    write_shards,
)
from tests.support.debtorfiles import (
    TEST_SECRET,
    find_in_files,
    organisation,
    person,
    resident_id,
    write_csv,
)
from tests.support.pagecheck import fetch

KEYS = IdentityKeys.from_secret(TEST_SECRET)
FAST = StaticLookupParams(salt="test court", iterations=1000)  # the defaults cost ms a record
TODAY = dt.date(2025, 6, 1)
NUMBER = resident_id()  # 310101198001011234-like, with its real check character


@pytest.fixture
def factory(engine_for, database_url: str) -> sessionmaker[Session]:
    engine = engine_for(database_url)
    upgrade_schema(engine)
    return make_session_factory(engine)


def stored(factory) -> dict[str, DebtorRecord]:
    with factory() as session:
        return {r.record_id: r for r in session.scalars(select(DebtorRecord))}


def load(factory, tmp_path: Path, rows: list[dict], params=FAST, name: str = "list.csv"):
    return import_debtors(factory, write_csv(tmp_path / name, rows), KEYS, static=params)


# -- Normalisation and derivation -----------------------------------------------------------


@pytest.mark.parametrize("variant", ["31010119800101123x", "３１０１０１１９８００１０１１２３Ｘ",
                                     "310101 19800101 123X", "310101-19800101-123X"])  # fmt: skip
def test_static_number_key_folds_the_variants_of_a_number(variant: str) -> None:
    assert static_number_key(variant) == "31010119800101123X"


def test_derivation_vectors() -> None:
    # Fixed inputs give fixed outputs: the browser's derivation is checked against these too.
    material = derive("张伟", "31010119800101123X", StaticLookupParams(salt="s", iterations=1000))
    assert material.tag == "ba75d99d5140b1102d74ba81e22afbd09cbbf5566251e02b7839d33a0d9afea7"
    assert material.key.hex() == (
        "9e31111a1525956affb69f9f735bfc7d09ff4b830650babaebfb2a94f844f956"
    )
    assert derive("張 偉", "310101-19800101-123x", StaticLookupParams(salt="s", iterations=1000)) \
        == material  # fmt: skip


def test_the_salt_and_the_iteration_count_change_everything() -> None:
    base = derive("张伟", NUMBER, FAST)
    other_salt = derive("张伟", NUMBER, StaticLookupParams(salt="other", iterations=1000))
    other_count = derive("张伟", NUMBER, StaticLookupParams(salt="test court", iterations=1001))
    assert len({base.tag, other_salt.tag, other_count.tag}) == 3
    assert len({base.params_id, other_salt.params_id, other_count.params_id}) == 3
    assert base.tag != base.key.hex()


def test_encryption_round_trip_and_a_wrong_key_fails() -> None:
    key, other = derive("张伟", NUMBER, FAST).key, derive("李强", NUMBER, FAST).key
    blob = encrypt(key, "记录".encode())
    assert decrypt(key, blob).decode() == "记录"
    assert len(base64.b64decode(blob)) == 12 + len("记录".encode()) + 16
    assert encrypt(key, b"x") != encrypt(key, b"x")  # a fresh nonce every time
    with pytest.raises(InvalidTag):
        decrypt(other, blob)


def test_prefix_length_keeps_shards_to_a_few_hundred_records() -> None:
    assert prefix_digits(0) == prefix_digits(1000) == 1
    assert prefix_digits(100_000) == 2  # 256 shards, about 390 records each
    assert prefix_digits(1_000_000) == 3


# -- Material stored at import --------------------------------------------------------------


def test_import_stores_material_and_never_the_number(factory, tmp_path: Path) -> None:
    report = load(factory, tmp_path, [person("R1"), organisation("O1")])
    assert report.derived == 2
    record = stored(factory)["R1"]
    expected = derive("张伟", NUMBER, FAST)
    assert record.static_tag == expected.tag
    assert record.static_key == expected.key.hex()
    assert record.static_params == FAST.params_id
    with factory() as session:
        dump = json.dumps([list(row) for row in session.execute(text(
            "SELECT * FROM debtor_records"))], default=str)  # fmt: skip
    assert NUMBER not in dump
    assert NUMBER[6:14] not in dump


def test_import_derives_only_for_new_and_changed_identities(factory, tmp_path: Path) -> None:
    load(factory, tmp_path, [person("R1"), person("R2", id_number=resident_id(sequence="456"))])
    before = stored(factory)
    status_change = person("R1", performance="partially_performed")
    renamed = person("R2", name="李强", id_number=resident_id(sequence="456"))
    report = load(factory, tmp_path, [status_change, renamed, person("R3", name="王芳")], name="b")
    assert (report.updated, report.added, report.derived) == (2, 1, 2)  # R2 renamed, R3 new
    after = stored(factory)
    assert after["R1"].static_tag == before["R1"].static_tag
    assert after["R2"].static_tag == derive("李强", resident_id(sequence="456"), FAST).tag
    again = load(factory, tmp_path, [status_change, renamed], name="c")
    assert (again.unchanged, again.derived) == (2, 0)


def test_reimport_gives_material_to_records_without_it_or_with_stale(factory, tmp_path) -> None:
    path = write_csv(tmp_path / "a.csv", [person("R1"), person("R2", name="李强")])
    import_debtors(factory, path, KEYS)  # as before this existed: no material
    assert stored(factory)["R1"].static_tag is None
    report = import_debtors(factory, path, KEYS, static=FAST)
    assert (report.unchanged, report.updated, report.derived) == (2, 0, 2)
    assert stored(factory)["R1"].static_params == FAST.params_id
    other = StaticLookupParams(salt="test court", iterations=1200)
    report = import_debtors(factory, path, KEYS, static=other)
    assert report.derived == 2
    assert stored(factory)["R2"].static_params == other.params_id
    # Without parameters an unchanged record keeps its material; a renamed one loses it.
    import_debtors(factory, write_csv(tmp_path / "b.csv", [person("R1", name="新名")]), KEYS)
    assert stored(factory)["R1"].static_tag is None
    assert stored(factory)["R2"].static_params == other.params_id


def test_a_refused_import_stores_no_material(factory, tmp_path: Path) -> None:
    with pytest.raises(DebtorImportError):
        load(factory, tmp_path, [person("R1"), person("R2", kind="nobody")])
    assert stored(factory) == {}


# -- Shards ---------------------------------------------------------------------------------


def standard_rows() -> list[dict]:
    return [
        person("R1", published_on="2024-03-01"),
        person("R1B", published_on="2024-05-01", case_number="（2024）沪0101执9号"),  # same person
        person("R2", name="李强", id_number=resident_id(sequence="456")),
        person("GONE", name="王芳", id_number=resident_id(sequence="789"),
               removed_on="2024-05-01", removal_reason="paid"),
        person("EXPIRED", name="赵敏", id_number=resident_id(sequence="321"),
               listed_until="2025-01-01"),
        person("LATER", name="周杰", id_number=resident_id(sequence="654"),
               published_on="2025-07-01"),
        organisation("O1"),
    ]  # fmt: skip


def test_a_listed_record_is_found_with_only_the_files_a_name_and_a_number(
    factory, tmp_path: Path
) -> None:
    load(factory, tmp_path, standard_rows())
    out = tmp_path / "site"
    with factory() as session:
        report = write_shards(session, out, TODAY, FAST)
    assert (report.records, report.stale, report.shards, report.prefix_hex_digits) == (4, 0, 16, 1)
    found = find_in_files(out, "張 偉", NUMBER)
    assert sorted(r["case_number"] for r in found) == [
        "（2023）沪0101执123号",
        "（2024）沪0101执9号",
    ]
    record = found[0]
    assert record["id_display"] == NUMBER[:6] + "********" + NUMBER[-4:]
    assert set(record) == {
        "name", "kind", "id_display", "legal_representative", "court", "case_number",
        "basis_document", "basis_issuer", "obligations", "performance", "circumstances",
        "published_on", "demo",
    }  # fmt: skip
    company = find_in_files(out, "上海某某貿易有限公司", organisation()["id_number"])
    assert company[0]["legal_representative"] == "李强"
    assert find_in_files(out, "张伟", resident_id(sequence="456")) == []  # another's number
    manifest = json.loads((out / LOOKUP_DIR / "manifest.json").read_text("utf-8"))
    assert manifest | {"as_of": None} == {
        "version": 2, "salt": "test court", "iterations": 1000, "prefix_hex_digits": 1,
        "records": 4, "as_of": None, "demo": False,
    }  # fmt: skip
    rule = json.loads((out / LOOKUP_DIR / "names.json").read_text("utf-8"))
    assert (rule["fold"]["張"], rule["fold"]["ß"]) == ("张", "ss")


def test_removed_expired_and_unpublished_records_are_never_written(factory, tmp_path) -> None:
    load(factory, tmp_path, standard_rows())
    delist(factory, "R2", "paid in full", today=TODAY)
    out = tmp_path / "site"
    with factory() as session:
        write_shards(session, out, TODAY, FAST)
    assert find_in_files(out, "李强", resident_id(sequence="456")) == []
    assert find_in_files(out, "王芳", resident_id(sequence="789")) == []
    assert find_in_files(out, "赵敏", resident_id(sequence="321")) == []
    assert find_in_files(out, "周杰", resident_id(sequence="654")) == []
    entries = sum(
        len(blobs)
        for shard in (out / LOOKUP_DIR / "shards").glob("*.json")
        for blobs in json.loads(shard.read_text("utf-8")).values()
    )
    assert entries == 3  # R1, R1B and O1


def test_the_files_hold_no_number_no_name_and_every_shard(factory, tmp_path: Path) -> None:
    rows = standard_rows()
    load(factory, tmp_path, rows)
    out = tmp_path / "site"
    with factory() as session:
        write_shards(session, out, TODAY, FAST)
    shard_files = sorted(p.name for p in (out / LOOKUP_DIR / "shards").iterdir())
    assert shard_files == [f"{prefix:x}.json" for prefix in range(16)]  # empty ones too
    everything = "".join(
        path.read_text("utf-8") for path in (out / LOOKUP_DIR / "shards").glob("*.json")
    ) + (out / LOOKUP_DIR / "manifest.json").read_text("utf-8")
    for row in rows:
        for secret in (row["id_number"], row["id_number"][6:14], row["name"], row["court"]):
            assert secret not in everything


def test_a_second_freeze_with_a_shorter_prefix_removes_the_old_shards(factory, tmp_path) -> None:
    load(factory, tmp_path, standard_rows())
    out = tmp_path / "site"
    stale = out / LOOKUP_DIR / "shards" / "ab.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", "utf-8")
    with factory() as session:
        write_shards(session, out, TODAY, FAST)
    assert not stale.exists()


def test_material_from_other_parameters_is_left_out_and_reported(factory, tmp_path) -> None:
    load(factory, tmp_path, standard_rows())
    changed = StaticLookupParams(salt="test court", iterations=2000)
    out = tmp_path / "site"
    with factory() as session:
        report = write_shards(session, out, TODAY, changed)
    assert (report.records, report.stale) == (0, 4)
    assert "re-import their source file" in report.summary()
    assert find_in_files(out, "张伟", NUMBER) == []


# -- The frozen page ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_frozen_page_asks_for_name_and_number_and_loads_the_script(
    make_app, site, sqlite_url: str, lang: str
) -> None:
    site.standard()
    app = make_app(sqlite_url, FREEZING=True, LIVE_URL="https://live.example.test/")
    page = fetch(app.test_client(), f"/{lang}/debtors/")
    form = page.html.select_one("form[data-static-lookup]")
    assert form.get("method") is None
    assert form.get("action") is None  # nothing is ever sent
    assert form.select_one("#debtor-name").has_attr("required")
    assert form.select_one("#debtor-number").has_attr("required")
    assert form["data-lookup-root"] == "../../static-lookup/"  # relative: works from a sub-path
    texts = json.loads(form["data-texts"])
    assert set(texts) >= {"on_list", "not_on_list", "no_match", "matches_one", "number_required"}
    assert "{count}" in texts["matches_one"]
    assert json.loads(form["data-labels"])["performance_names"]["unperformed"]
    scripts = page.html.select("script")
    assert all(script.get("src") for script in scripts)  # no inline script
    assert any(s["src"].endswith("js/static-lookup.js") for s in scripts)
    needs_js = page.html.select_one("[data-static-needs-js]")
    assert needs_js.select_one("a")["href"] == "https://live.example.test/"
    name_only = page.text_of(".static-check-name-only")
    assert ("live portal" if lang == "en" else "在线门户网站") in name_only
    assert page.html.select_one("[data-static-status]")["aria-live"] == "polite"


def test_the_live_page_is_unchanged_when_not_freezing(client) -> None:
    page = fetch(client, "/en/debtors/")
    assert page.html.select_one("form.debtor-form")["method"] == "post"
    assert page.html.select_one("form[data-static-lookup]") is None
