"""Importing the debtor list, on SQLite and PostgreSQL: every kind of bad row, all or nothing,
idempotent re-imports, updates and removals, the audit trail, and no plain number stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from portal.db.engine import bulk_write_cache, make_session_factory, upgrade_schema
from portal.db.models import DebtorImport, DebtorRecord
from portal.debtors import importer
from portal.debtors.importer import UnknownRecord, delist, import_debtors
from portal.debtors.lookup import list_state, lookup
from portal.registers import importer as machinery
from portal.registers.identity import IdentityKeys
from portal.registers.importer import ImportStage, RegisterImportError
from portal.registers.query import parse_query
from tests.support.debtorfiles import (
    TEST_SECRET,
    credit_code,
    organisation,
    person,
    resident_id,
    write_csv,
    write_json,
    write_lines,
)

KEYS = IdentityKeys.from_secret(TEST_SECRET)
OBLIGATIONS = 'Pay 1,000 yuan\n"in full"\nby 1 May'


def records(factory: sessionmaker[Session]) -> dict[str, DebtorRecord]:
    with factory() as session:
        return {r.record_id: r for r in session.scalars(select(DebtorRecord))}


def problems_of(factory, path: Path, demo: bool = False) -> list[str]:
    with pytest.raises(RegisterImportError) as caught:
        import_debtors(factory, path, KEYS, demo=demo)
    return [str(problem) for problem in caught.value.problems]


def find(factory, name: str, number: str | None = None, today=dt.date(2025, 6, 1)):
    with factory() as session:
        return lookup(session, KEYS, parse_query(name, number), today)


# -- Bad rows -------------------------------------------------------------------------------


def wrong_check(number: str) -> str:
    """The number with a wrong check character."""
    return number[:17] + ("1" if number[17] == "0" else "0")


BAD_ROWS = [
    (person(name=""), "name", "is required"),
    (person(kind="company"), "kind", "must be one of person, organisation, not 'company'"),
    (person(id_number=wrong_check(resident_id())), "id_number",
     "is not a valid resident ID number: the check character does not match"),
    (person(id_number="990101198001011234"), "id_number",
     "is not a valid resident ID number: the region code"),
    (person(id_number="310101198002301234"), "id_number",
     "is not a valid resident ID number: the birth date in the number is not a real date"),
    (person(id_number=resident_id(birth="20100101")), "id_number",
     "belongs to a minor on published_on: minors are never listed"),
    (organisation(id_number=wrong_check(credit_code())), "id_number",
     "is not a valid unified social credit code: the check character does not match"),
    (organisation(legal_representative=""), "legal_representative",
     "is required for an organisation"),
    (person(legal_representative="李强"), "legal_representative", "must be empty for a person"),
    (person(published_on="2024-02-30"), "published_on",
     "must be a date written YYYY-MM-DD, not '2024-02-30'"),
    (person(published_on="01/03/2024"), "published_on",
     "must be a date written YYYY-MM-DD, not '01/03/2024'"),
    (person(listed_until="2024-01-01"), "listed_until", "is before published_on"),
    (person(removed_on="2024-05-01"), "removal_reason", "is required when removed_on is given"),
    (person(removal_reason="paid"), "removed_on", "is required when removal_reason is given"),
    (person(performance="done"), "performance",
     "must be one of unperformed, partially_performed, not 'done'"),
    (person(circumstances=""), "circumstances", "is required"),
    (person(circumstances="refuses_despite_ability;lying"), "circumstances",
     "'lying' is not one of"),
    (person(record_id="R 1"), "record_id", "may hold only letters, digits"),
    (person(record_id="DEMO-1"), "record_id",
     "only demonstration data, imported with --demo, has ids starting with DEMO-"),
    (person(court="法" * 201), "court", "is longer than 200 characters"),
]  # fmt: skip


@pytest.mark.parametrize(("row", "field", "reason"), BAD_ROWS)
def test_each_kind_of_bad_row_is_reported_with_row_field_and_reason(
    factory, tmp_path: Path, row, field: str, reason: str
) -> None:
    problems = problems_of(factory, write_csv(tmp_path / "list.csv", [row]))
    expected = f"row 2, field '{field}': {reason}"
    assert any(problem.startswith(expected) for problem in problems), problems
    assert records(factory) == {}


def test_problems_never_quote_a_name_or_a_number(factory, tmp_path: Path) -> None:
    bad = person(name="王秘密", id_number=resident_id()[:17] + "Y", kind="person")
    report = "\n".join(problems_of(factory, write_csv(tmp_path / "list.csv", [bad])))
    assert "王秘密" not in report
    assert resident_id()[:17] not in report


def test_every_bad_row_is_listed_and_nothing_is_imported(factory, tmp_path: Path) -> None:
    rows = [person("R1"), person("R2", kind="x"), person("R3"), person("R4", published_on="")]
    rows += [person("R1", name="李四")]  # a repeated record id
    problems = problems_of(factory, write_csv(tmp_path / "list.csv", rows))
    assert problems == [
        "row 3, field 'kind': must be one of person, organisation, not 'x'",
        "row 5, field 'published_on': is required",
        "row 6, field 'record_id': repeats the record id of row 2",
    ]
    assert records(factory) == {}


def test_a_bad_row_after_thousands_of_good_ones_changes_nothing(factory, tmp_path: Path) -> None:
    import_debtors(factory, write_csv(tmp_path / "first.csv", [person("KEEP", name="原名")]), KEYS)
    rows = [person("KEEP", name="新名")]
    rows += [
        person(f"R{n}", id_number=resident_id(sequence=f"{n % 1000:03d}")) for n in range(5000)
    ]
    rows.append(person("LAST", kind="nobody"))
    problems = problems_of(factory, write_csv(tmp_path / "list.csv", rows))
    assert problems == ["row 5003, field 'kind': must be one of person, organisation, not 'nobody'"]
    assert [r.name for r in records(factory).values()] == ["原名"]


def test_validating_in_several_processes_gives_the_same_records_and_problems(
    factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(machinery, "PIECE_BYTES", 700)  # a small file in many pieces
    good = [person(f"R{n}", id_number=resident_id(sequence=f"{n:03d}")) for n in range(40)]
    good.append(organisation("O1"))
    # A quoted field with line breaks and quotes: a piece never ends inside it.
    good[20]["obligations"] = OBLIGATIONS
    bad = [*good[:10], person("X", kind="x"), *good[10:25], person("R3", name="李四"), *good[25:]]
    bad_path = write_csv(tmp_path / "bad.csv", bad)
    with pytest.raises(RegisterImportError) as in_one:
        import_debtors(factory, bad_path, KEYS, processes=1)
    with pytest.raises(RegisterImportError) as in_two:
        import_debtors(factory, bad_path, KEYS, processes=2)
    assert (
        [str(p) for p in in_two.value.problems]
        == [str(p) for p in in_one.value.problems]
        == [
            "row 12, field 'kind': must be one of person, organisation, not 'x'",
            "row 28, field 'record_id': repeats the record id of row 5",
        ]
    )
    assert records(factory) == {}
    path = write_csv(tmp_path / "good.csv", good)
    assert import_debtors(factory, path, KEYS, processes=2).added == 41
    # The same file validated in this process finds every stored record exactly as it is.
    assert import_debtors(factory, path, KEYS, processes=1).unchanged == 41
    assert find(factory, "张伟", resident_id(sequence="017")).records[0].record_id == "R17"
    assert records(factory)["R20"].obligations == OBLIGATIONS


def test_broken_csv_is_reported_at_the_same_row_however_it_is_read(
    factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(machinery, "PIECE_BYTES", 700)
    rows = [person(f"R{n}", id_number=resident_id(sequence=f"{n:03d}")) for n in range(12)]
    path = write_csv(tmp_path / "list.csv", rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[9] = lines[9].replace("张伟", '"张"伟', 1)  # text after a closing quote
    write_lines(path, lines)
    with pytest.raises(RegisterImportError) as in_one:
        import_debtors(factory, path, KEYS, processes=1)
    with pytest.raises(RegisterImportError) as in_two:
        import_debtors(factory, path, KEYS, processes=2)
    assert [str(p) for p in in_two.value.problems] == [str(p) for p in in_one.value.problems]
    assert str(in_one.value.problems[0]).startswith("row 10: is not valid CSV")
    assert records(factory) == {}


def test_a_first_import_and_a_failed_one_leave_the_lookup_indexes_as_they_were(
    factory, engine: Engine, tmp_path: Path
) -> None:
    def indexes() -> list[tuple[str, list]]:
        found = inspect(engine).get_indexes("debtor_records")
        return sorted((index["name"], index["column_names"]) for index in found)

    before = indexes()
    assert ("ix_debtor_records_name_key_published_on", ["name_key", "published_on"]) in before
    bad = write_csv(tmp_path / "bad.csv", [person("R1"), person("R2", kind="x")])
    with pytest.raises(RegisterImportError):
        import_debtors(factory, bad, KEYS)
    assert indexes() == before
    good = write_csv(tmp_path / "good.csv", [person("R1"), organisation("O1")])

    def stop_in_the_write(stage: ImportStage) -> None:
        if stage is ImportStage.WRITTEN:  # the rows added, the indexes rebuilt, not committed
            raise RuntimeError("stopped in the write")

    with pytest.raises(RuntimeError):
        import_debtors(factory, good, KEYS, on_stage=stop_in_the_write)
    assert indexes() == before
    assert records(factory) == {}
    assert import_debtors(factory, good, KEYS).added == 2
    assert indexes() == before
    assert find(factory, "张伟", resident_id()).records[0].record_id == "R1"
    assert import_debtors(factory, good, KEYS).unchanged == 2  # no longer empty: compared


def test_ragged_rows_are_reported(factory, tmp_path: Path) -> None:
    header = ",".join(person().keys())
    good = write_csv(tmp_path / "good.csv", [person()]).read_text("utf-8").splitlines()[1]
    path = write_lines(
        tmp_path / "list.csv", [header, good, good + ",extra", good.rsplit(",", 2)[0]]
    )
    assert problems_of(factory, path) == [
        "row 3: has 17 fields where the header has only 16",
        "row 4: has 14 fields where the header has 16",
    ]


def test_a_header_with_an_unknown_or_missing_column_is_refused(factory, tmp_path: Path) -> None:
    unknown = write_lines(tmp_path / "a.csv", ["record_id,name,nickname"])
    assert problems_of(factory, unknown) == [
        "row 1, field 'nickname': is not a column of the format; columns are " + ", ".join(person())
    ]
    missing = write_lines(tmp_path / "b.csv", ["record_id,name"])
    assert problems_of(factory, missing) == [
        "row 1, field 'kind': is a required column, missing from the header"
    ]


def test_a_gbk_file_is_refused_with_the_conversion_to_run(factory, tmp_path: Path) -> None:
    header = ",".join(person().keys())
    path = write_lines(tmp_path / "export.csv", [header, "R1,张伟"], encoding="gbk")
    (problem,) = problems_of(factory, path)
    assert problem.startswith("file: is not UTF-8 text (byte ")
    assert "iconv -f GBK -t UTF-8 export.csv > export-utf8.csv" in problem
    with factory() as session:
        refused = session.scalars(select(DebtorImport)).one()
    assert (refused.action, refused.rows, refused.bad_rows) == ("refused", 0, 1)


def test_csv_with_a_byte_order_mark_and_json_are_read_alike(factory, tmp_path: Path) -> None:
    import_debtors(factory, write_csv(tmp_path / "a.csv", [person("R1")], bom=True), KEYS)
    row = person("R2", circumstances=["refuses_despite_ability", "evades_enforcement"])
    json_path = tmp_path / "b.json"
    json_path.write_bytes(b"\xef\xbb\xbf" + write_json(tmp_path / "plain.json", [row]).read_bytes())
    import_debtors(factory, json_path, KEYS)
    stored = records(factory)
    assert set(stored) == {"R1", "R2"}
    assert stored["R2"].circumstances == ["refuses_despite_ability", "evades_enforcement"]


def test_json_problems_name_the_record(factory, tmp_path: Path) -> None:
    path = write_json(
        tmp_path / "list.json", [person("R1"), "oops", person("R3", id_number=31010119800101123)]
    )
    assert problems_of(factory, path) == [
        "row 2: must be an object with the record's fields",
        "row 3, field 'id_number': must be text (quote it in JSON: a number loses its check X)",
    ]
    broken = tmp_path / "broken.json"
    broken.write_text('[{"record_id": "R1",}]', "utf-8")
    assert problems_of(factory, broken)[0].startswith("file: is not valid JSON: ")


def test_demo_files_need_the_demo_flag_and_only_demo_ids(factory, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [person("R1")])
    assert problems_of(factory, path, demo=True) == [
        "row 2, field 'record_id': with --demo every record id must start with DEMO-"
    ]


# -- Idempotence, updates, removals -------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(factory, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [person("R1"), organisation("O1")])
    first = import_debtors(factory, path, KEYS)
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    before = {key: (r.row_hash, r.updated_at) for key, r in records(factory).items()}
    again = import_debtors(factory, path, KEYS)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 2)
    assert {key: (r.row_hash, r.updated_at) for key, r in records(factory).items()} == before


def test_two_imports_adding_the_same_record_at_once_refuse_the_second_cleanly(
    factory, tmp_path: Path
) -> None:
    mine = write_csv(tmp_path / "mine.csv", [person("R1"), person("R2", name="李四")])
    theirs = write_csv(tmp_path / "theirs.csv", [person("R2", name="王五")])
    others: list[machinery.ImportReport] = []

    def another_import_meanwhile(stage: machinery.ImportStage) -> None:
        # After this import compared its rows (R2 was new then), before its write.
        if stage is machinery.ImportStage.STAGED and not others:
            others.append(import_debtors(factory, theirs, KEYS))

    with pytest.raises(RegisterImportError) as refused:
        import_debtors(factory, mine, KEYS, on_stage=another_import_meanwhile)
    assert [str(problem) for problem in refused.value.problems] == [
        f"file, field 'record_id': {machinery.ADDED_MEANWHILE}"
    ]
    assert others[0].added == 1
    assert {key: record.name for key, record in records(factory).items()} == {"R2": "王五"}
    with factory() as session:
        actions = list(session.scalars(select(DebtorImport.action).order_by(DebtorImport.id)))
    assert actions == ["import", "refused"]
    assert import_debtors(factory, mine, KEYS).added == 1  # run again, it goes through


def test_a_changed_row_updates_its_record_and_others_stay(factory, tmp_path: Path) -> None:
    import_debtors(factory, write_csv(tmp_path / "a.csv", [person("R1"), person("R2")]), KEYS)
    changed = person("R1", performance="partially_performed", name="張 偉")
    report = import_debtors(factory, write_csv(tmp_path / "b.csv", [changed]), KEYS)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    stored = records(factory)
    assert stored["R1"].performance == "partially_performed"
    assert stored["R1"].name == "張 偉"  # kept as published
    assert stored["R1"].name_key == "张伟"
    assert "R2" in stored  # an import is not a full replacement


def test_removed_on_removes_and_removal_is_final(factory, tmp_path: Path) -> None:
    import_debtors(factory, write_csv(tmp_path / "a.csv", [person("R1")]), KEYS)
    assert find(factory, "张伟", resident_id()).found
    removal = person("R1", removed_on="2025-01-10", removal_reason="已全部履行")
    report = import_debtors(factory, write_csv(tmp_path / "b.csv", [removal]), KEYS)
    assert (report.updated, report.removed) == (1, 1)
    assert not find(factory, "张伟", resident_id()).found
    assert not find(factory, "张伟").found
    # An older export that still lists the record does not bring it back.
    import_debtors(factory, write_csv(tmp_path / "c.csv", [person("R1", obligations="x")]), KEYS)
    assert records(factory)["R1"].removed_on == dt.date(2025, 1, 10)
    assert not find(factory, "张伟").found


def test_delist_removes_one_record_at_once(factory, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [person("R1"), person("R2", name="李四")])
    import_debtors(factory, path, KEYS)
    assert delist(factory, "R1", "court order", today=dt.date(2025, 6, 1)) is True
    assert not find(factory, "张伟").found
    assert find(factory, "李四").found
    assert delist(factory, "R1", "again", today=dt.date(2025, 6, 2)) is False
    with pytest.raises(UnknownRecord):
        delist(factory, "NOPE", "x", today=dt.date(2025, 6, 1))
    import_debtors(factory, path, KEYS)  # re-importing the old file does not undo it
    assert not find(factory, "张伟").found
    assert records(factory)["R1"].removal_reason == "court order"


# -- What is stored and audited -----------------------------------------------------------


def test_no_column_of_any_table_holds_a_plain_person_number(
    factory, engine: Engine, tmp_path: Path, database_url: str
) -> None:
    numbers = [resident_id(sequence=f"{n:03d}") for n in range(1, 4)]
    rows = [person(f"R{n}", id_number=number) for n, number in enumerate(numbers)]
    import_debtors(factory, write_csv(tmp_path / "a.csv", rows), KEYS)
    dumped = []
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                dumped.extend(str(value) for value in row)
    everything = "\n".join(dumped)
    for number in numbers:
        assert number not in everything
        assert number[:17] not in everything  # not even without its check character
        assert number[6:] not in everything  # nor its birth date, sequence and check character
    assert f"{numbers[0][:6]}{'*' * 12}" in everything  # the masked form is


def test_an_organisation_code_is_stored_in_full(factory, tmp_path: Path) -> None:
    import_debtors(factory, write_csv(tmp_path / "a.csv", [organisation("O1")]), KEYS)
    assert records(factory)["O1"].id_display == credit_code()


def test_each_import_is_audited_without_personal_data(factory, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [person("R1", name="王秘密")])
    import_debtors(factory, path, KEYS, now=dt.datetime(2025, 5, 1, 8, tzinfo=dt.UTC))
    import_debtors(factory, path, KEYS, now=dt.datetime(2025, 5, 2, 8, tzinfo=dt.UTC))
    with pytest.raises(RegisterImportError):
        import_debtors(factory, write_csv(tmp_path / "b.csv", [person(kind="?")]), KEYS)
    delist(factory, "R1", "王秘密 paid", today=dt.date(2025, 5, 3))
    with factory() as session:
        audit = list(session.scalars(select(DebtorImport).order_by(DebtorImport.id)))
        state = list_state(session)
    assert [(a.action, a.rows, a.added, a.unchanged, a.bad_rows, a.removed) for a in audit] == [
        ("import", 1, 1, 0, 0, 0),
        ("import", 1, 0, 1, 0, 0),
        ("refused", 1, 0, 0, 1, 0),
        ("delist", 0, 0, 0, 0, 1),
    ]
    assert audit[0].file_sha256 == audit[1].file_sha256 != audit[2].file_sha256
    assert all("王秘密" not in str(vars(a)) for a in audit)
    assert state is not None
    assert state.as_of == dt.datetime(2025, 5, 2, 8, tzinfo=dt.UTC)  # the last successful import
    assert state.demo is False


# -- The lookup on the database -----------------------------------------------------------


def test_lookup_by_name_and_number_finds_only_that_record(factory, tmp_path: Path) -> None:
    other = resident_id(sequence="456")
    rows = [person("R1"), person("R2", id_number=other), organisation("O1")]
    import_debtors(factory, write_csv(tmp_path / "a.csv", rows), KEYS)
    found = find(factory, "張 偉", resident_id().lower())
    assert [r.record_id for r in found.records] == ["R1"]
    assert found.records[0].id_display == resident_id()[:6] + "*" * 12
    assert [r.record_id for r in find(factory, "上海某某貿易有限公司", credit_code()).records] == [
        "O1"
    ]
    assert not find(factory, "李四", resident_id()).found  # the number alone is not enough
    assert not find(factory, "张伟", resident_id(sequence="789")).found


def test_lookup_by_name_alone_returns_at_most_twenty_newest_first(factory, tmp_path: Path) -> None:
    rows = [
        person(f"R{n:02d}", id_number=resident_id(sequence=f"{n:03d}"),
               published_on=(dt.date(2024, 1, 1) + dt.timedelta(days=n)).isoformat())
        for n in range(25)
    ]  # fmt: skip
    import_debtors(factory, write_csv(tmp_path / "a.csv", rows), KEYS)
    result = find(factory, "张伟")
    assert result.truncated
    assert [r.record_id for r in result.records] == [f"R{n:02d}" for n in range(24, 4, -1)]
    assert not find(factory, "%").found  # names are compared whole, never as patterns
    assert not find(factory, "张").found


def test_removed_expired_and_future_records_are_never_returned(factory, tmp_path: Path) -> None:
    rows = [
        person("LISTED", listed_until="2025-06-01"),
        person("EXPIRED", listed_until="2025-05-31"),
        person("REMOVED", removed_on="2025-01-01", removal_reason="paid"),
        person("FUTURE", published_on="2025-06-02"),
    ]
    import_debtors(factory, write_csv(tmp_path / "a.csv", rows), KEYS)
    on_first_of_june = find(factory, "张伟", resident_id(), today=dt.date(2025, 6, 1))
    assert [r.record_id for r in on_first_of_june.records] == ["LISTED"]
    # The same query a day later: the listing period of LISTED has ended, FUTURE is published.
    next_day = find(factory, "张伟", resident_id(), today=dt.date(2025, 6, 2))
    assert [r.record_id for r in next_day.records] == ["FUTURE"]


def test_a_lookup_tells_the_state_of_the_list_it_searched(factory, tmp_path: Path) -> None:
    def states(*queries: tuple[str, str | None]) -> list:
        return [find(factory, name, number).state for name, number in queries]

    queries = [("张伟", resident_id()), ("张伟", None), ("李四", resident_id()), ("李四", None)]
    assert states(*queries) == [None] * 4  # nothing imported yet: no list to search
    first = dt.datetime(2025, 5, 1, 8, tzinfo=dt.UTC)
    path = write_csv(tmp_path / "a.csv", [person("R1")])
    import_debtors(factory, path, KEYS, now=first)
    # Found or not, by number or by name alone: each answer says which import it searched.
    assert {(s.as_of, s.demo) for s in states(*queries)} == {(first, False)}
    with pytest.raises(RegisterImportError):
        import_debtors(factory, write_csv(tmp_path / "b.csv", [person(kind="?")]), KEYS)
    delist(factory, "R1", "paid", today=dt.date(2025, 5, 2))
    later = dt.datetime(2025, 5, 3, 8, tzinfo=dt.UTC)
    assert {s.as_of for s in states(*queries)} == {first}  # refusals and delistings are not imports
    import_debtors(factory, path, KEYS, now=later)
    assert {s.as_of for s in states(*queries)} == {later}
    with factory() as session:
        assert find(factory, "李四").state == list_state(session)  # the same as the form shows


def test_the_bulk_page_cache_is_given_back_after_an_import(sqlite_url: str, engine_for) -> None:
    engine = engine_for(sqlite_url)
    upgrade_schema(engine)
    with engine.connect() as connection:
        default = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    factory = make_session_factory(engine)
    with factory() as session, bulk_write_cache(session):
        assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() < default
    with engine.connect() as connection:  # the same pooled connection, back to the default
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == default


# -- PostgreSQL's staging by COPY -----------------------------------------------------------

AWKWARD = [
    'a, b; "c"',
    "tab\there",
    "back\\slash \\N \\.",
    "line\nbreak\r\nend",
    "é 中文 🙂 \u2028",
    "control \x01 \x02 \x0b \x0c \x08 characters",  # the first two mark NULLs and rows in COPY
]


def stored(factory: sessionmaker[Session]) -> dict[str, tuple]:
    """Every record's stored values, as the import wrote them."""
    return {
        record_id: tuple(getattr(record, name) for name in importer.STORED_COLUMNS)
        for record_id, record in records(factory).items()
    }


@pytest.mark.postgres
def test_postgresql_stages_by_copy_and_stores_what_sqlite_stores(
    postgres_url: str, sqlite_url: str, engine_for, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Validated in other processes, a few rows a piece: the rows come as lines of COPY, some
    # pieces with nothing to escape and some with awkward text.
    monkeypatch.setattr(machinery, "PIECE_BYTES", 700)
    first = [person("C1"), organisation("C2", removed_on="2024-04-01", removal_reason="paid")]
    changed = [
        person("C1", obligations=AWKWARD[0], basis_issuer=AWKWARD[1]),
        organisation("C2", obligations=AWKWARD[2], removed_on="2024-05-01", removal_reason="x"),
    ]
    new = [
        person(f"N{n}", obligations=text, basis_document=text, id_number=resident_id(
            sequence=f"{n:03d}"), circumstances="refuses_despite_ability;evades_enforcement")
        for n, text in enumerate(AWKWARD)
    ]  # fmt: skip
    new.append(organisation("N9", listed_until="2025-03-01", basis_issuer="\\"))
    before = write_csv(tmp_path / "before.csv", first)
    after = write_csv(tmp_path / "after.csv", [*changed, *new])
    results = []
    for url in (sqlite_url, postgres_url):
        engine = engine_for(url)
        upgrade_schema(engine)
        factory = make_session_factory(engine)
        with engine.connect() as connection:
            sending = machinery._staging_insert(
                connection, importer.DEBTORS.statements.new, ("record_id",)
            )
            assert isinstance(sending, machinery._PostgresCopy) == (url == postgres_url)
        import_debtors(factory, before, KEYS, processes=2)
        report = import_debtors(factory, after, KEYS, processes=2)
        results.append((report, stored(factory)))
    (sqlite_report, on_sqlite), (postgres_report, on_postgres) = results
    assert sqlite_report == postgres_report
    assert (postgres_report.added, postgres_report.updated) == (7, 2)
    assert on_postgres == on_sqlite
    assert on_postgres["N3"][importer.STORED_COLUMNS.index("obligations")] == AWKWARD[3]
    assert on_postgres["C1"][importer.STORED_COLUMNS.index("legal_representative")] is None
    assert on_postgres["C2"][importer.STORED_COLUMNS.index("removal_reason")] == "paid"


@pytest.mark.postgres
@pytest.mark.parametrize("text", ["start \x01 end", "start \x02 end"], ids=["soh", "stx"])
def test_the_characters_marking_nulls_and_rows_in_copy_lines_are_stored_as_text(
    postgres_url: str, engine_for, tmp_path: Path, text: str
) -> None:
    # Nothing else in the file to escape: the rows are encoded all at once but for these.
    rows = [person(f"R{n}", id_number=resident_id(sequence=f"{n:03d}")) for n in range(20)]
    rows[7]["obligations"] = text
    engine = engine_for(postgres_url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    assert (
        import_debtors(factory, write_csv(tmp_path / "list.csv", rows), KEYS, processes=2).added
        == 20
    )
    on_postgres = stored(factory)
    assert on_postgres["R7"][importer.STORED_COLUMNS.index("obligations")] == text
    assert on_postgres["R8"][importer.STORED_COLUMNS.index("legal_representative")] is None
