"""The victims' register in public, only in aggregate: each case's figures on its notice page
(beside the court's own published figures, labelled as of the register's import and whether it
is a demonstration), on the statistics page, as the victim-statistics dataset and in the API;
no figure over fewer than 10 people, no row of a person, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import frictionless
import pytest
from flask import Flask

from portal.db.models import VictimImport
from portal.registers.identity import IdentityKeys
from portal.web.db import session_factory
from tests.support.debtorfiles import TEST_SECRET, resident_id
from tests.support.pagecheck import fetch
from tests.support.victimfiles import CASE_KEY, add_victims, confirmed_victim, victim

KEYS = IdentityKeys.from_secret(TEST_SECRET)


def confirmed(count: int) -> list[dict]:
    """`count` confirmed victims, each paid 22,115.00 in batch 1, their batch 2 failing."""
    return [
        confirmed_victim(f"V{n}", name=f"测试{n:03d}", id_number=resident_id(sequence=f"{n:03d}"))
        for n in range(1, count + 1)
    ]


PEOPLE = [
    *confirmed(12),
    victim("D1", name="孤单", status="disputed", id_number=resident_id(sequence="901")),
]


@pytest.fixture
def figures_app(make_app, site, database_url: str) -> Flask:
    site.standard().statistics()
    for lang in ("en", "zh"):
        site.victim_notice(key=CASE_KEY, lang=lang)
    app = make_app(database_url, SECRET_KEY=TEST_SECRET)
    with session_factory(app)() as session:
        add_victims(session, KEYS, PEOPLE)
        # What an import records: the time the figures are as of, and a demonstration import.
        session.add(VictimImport(happened_at=dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC),
                                 action="import", demo=True))  # fmt: skip
        session.commit()
    return app


@pytest.fixture
def client(figures_app: Flask):
    return figures_app.test_client()


def table(page, caption: str) -> dict[str, list[str]]:
    """A figures table by its caption: row heading → cells."""
    found = next(t for t in page.html.select("table") if t.caption.get_text() == caption)
    return {
        row.th.get_text(" ", strip=True): [cell.get_text(" ", strip=True) for cell in row("td")]
        for row in found.select("tbody tr")
    }


def test_the_notice_shows_the_register_figures_beside_the_courts(client) -> None:
    page = fetch(client, f"/en/victims/{CASE_KEY}/")
    assert "As the court published them in this notice." in page.text_of("#payout-heading + p")
    figures = page.html.select_one(".victim-figures")
    about = " ".join(figures.select_one(".figures__about").get_text().split())
    assert about.startswith("Demonstration data: counted from the fictional demonstration")
    assert "Jun 1, 2026, 10:00 AM (UTC+8)" in about
    statuses = table(page, "Registered victims by status")
    assert statuses["Confirmed"] == ["12 people", "1,800,000.00 yuan", "1,440,000.00 yuan"]
    assert statuses["Disputed"] == ["withheld"] * 3  # one person
    batches = table(page, "Batches paid")
    assert batches["Batch 1"][1:] == ["12 people", "265,380.00 yuan", "withheld"]
    assert batches["Batch 2"][1:] == ["withheld", "withheld", "12"]
    text = figures.get_text(" ", strip=True)
    assert "13 people" in text  # registered
    for person in PEOPLE:
        assert person["name"] not in page.response.get_data(as_text=True)


def test_the_chinese_notice_labels_its_figures_in_chinese(client) -> None:
    page = fetch(client, f"/zh/victims/{CASE_KEY}/")
    about = page.text_of(".victim-figures .figures__about")
    assert about.startswith("演示数据")
    assert table(page, "登记被害人（按状态）")["有争议"] == ["不予公布"] * 3


def test_the_statistics_page_has_each_cases_figures(client) -> None:
    page = fetch(client, "/en/statistics/")
    section = page.html.select_one("[aria-labelledby='victims-register-heading']")
    assert section.select_one(f"a[href='/en/victims/{CASE_KEY}/']") is not None
    assert "12 people" in section.get_text(" ", strip=True)


def test_the_dataset_holds_aggregates_only_and_none_under_ten(client) -> None:
    text = client.get("/data/victim-statistics.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    by_key = {(row["dimension"], row["key"]): row for row in rows}
    assert by_key[("registered", "all")]["people"] == "13"
    assert by_key[("status", "confirmed")]["confirmed_amount"] == "1440000.00"
    assert by_key[("status", "disputed")]["people"] == ""  # withheld
    assert by_key[("batch", "1")]["paid_amount"] == "265380.00"
    assert by_key[("batch", "2")]["failed_payments"] == "12"
    assert {row["demonstration"] for row in rows} == {"true"}
    for row in rows:
        people = row["people"] or row["failed_payments"]
        assert people == "" or int(people) >= 10 or row["dimension"] == "batch"
    data = client.get("/data/victim-statistics.json").get_data(as_text=True)
    for person in PEOPLE:
        assert person["name"] not in text + data
        assert person["id_number"][:6] + "*" not in text + data
    api = client.get(f"/api/v1/victims/statistics?case_key={CASE_KEY}").get_json()
    assert api["total"] == len(rows)
    assert client.get("/api/v1/victims/statistics?case_key=nothing").get_json()["total"] == 0


def test_the_dataset_is_catalogued_and_its_package_validates(client, tmp_path) -> None:
    catalogue = client.get("/data/catalog.jsonld").get_data(as_text=True)
    assert "victim-statistics.csv" in catalogue
    (dataset,) = [
        d
        for d in json.loads(catalogue)["dcat:dataset"]
        if d["dct:identifier"] == "victim-statistics"
    ]
    # From the year of the earliest registration (2026-03-20: not the day, which is one
    # person's) to the courts' day of the import (2026-06-01 10:00 there).
    assert dataset["dct:temporal"]["dcat:startDate"]["@value"] == "2026-01-01"
    assert dataset["dct:temporal"]["dcat:endDate"]["@value"] == "2026-06-01"
    package = client.get("/data/datapackage.json").get_json()
    assert "victim-statistics" in [resource["name"] for resource in package["resources"]]
    for resource in package["resources"]:
        body = client.get(f"/data/{resource['path']}").get_data()
        (tmp_path / resource["path"]).write_bytes(body)
    (tmp_path / "datapackage.json").write_text(json.dumps(package), "utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    page = fetch(client, "/en/data/")
    assert "Demonstration data" in page.text_of("#dataset-victim-statistics .notice")


def test_no_figures_no_dataset(make_app, site, sqlite_url: str) -> None:
    site.standard()
    for lang in ("en", "zh"):
        site.victim_notice(key=CASE_KEY, lang=lang)
    client = make_app(sqlite_url).test_client()
    assert client.get("/data/victim-statistics.csv").status_code == 404
    assert fetch(client, f"/en/victims/{CASE_KEY}/").html.select(".victim-figures") == []
