"""The JSON API: listings with every filter, pagination, CSV, single items, the changes list,
validators and 304 answers, CORS, problem details, and a valid OpenAPI document."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from sqlalchemy import select

from tests.support.site import SiteBuilder

BASE = "https://portal.example.test"


@pytest.fixture
def api_app(make_app, site: SiteBuilder, sqlite_url: str) -> Flask:
    site.standard().standard_cases().statistics()
    return make_app(sqlite_url)


@pytest.fixture
def api(api_app: Flask) -> FlaskClient:
    return api_app.test_client()


def ids(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in response.get_json()["items"]]


def test_the_openapi_document_is_valid_openapi_3_1(api: FlaskClient) -> None:
    response = api.get("/api/v1/openapi.json")
    document = response.get_json()
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": f"{BASE}/api/v1"}]
    assert set(document["paths"]) == {
        "/", "/press-releases", "/press-releases/{year}/{slug}", "/cases",
        "/cases/{collection}/{slug}", "/vocabularies", "/statistics", "/changes", "/search",
        "/debtors/lookup", "/victims/status", "/victims/statistics",
    }  # fmt: skip
    courts = next(
        p for p in document["paths"]["/cases"]["get"]["parameters"] if p["name"] == "court"
    )
    assert courts["schema"]["enum"] == ["minhang-district", "shanghai-no1-intermediate"]
    assert "10000 rows" in document["info"]["description"]


def test_press_releases_newest_first_with_both_languages_in_one_record(api: FlaskClient) -> None:
    response = api.get("/api/v1/press-releases")
    body = response.get_json()
    assert [item["id"] for item in body["items"]] == [
        "2021/work-report", "2021/annual-report", "2020/older-news",
    ]  # fmt: skip
    report = body["items"][1]
    assert (report["title_en"], report["title_zh"]) == ("Release annual-report (en)", "年度报告")
    assert report["languages"] == ["en", "zh"]
    assert report["sample_translations"] == ["zh"]
    assert report["url_zh"] == f"{BASE}/zh/press/2021/annual-report/"
    assert body["items"][2]["title_zh"] is None
    assert body["total"] == 3
    assert response.headers["X-Total-Count"] == "3"


def test_press_release_filters(api: FlaskClient) -> None:
    assert ids(api.get("/api/v1/press-releases?year=2020")) == ["2020/older-news"]
    assert ids(api.get("/api/v1/press-releases?language=zh")) == [
        "2021/work-report", "2021/annual-report",
    ]  # fmt: skip
    assert ids(api.get("/api/v1/press-releases?year=1999")) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["2021-discipline/01-wang", "2020-difficult/01-zhang", "2020-difficult/02-li"]),
        ("court=shanghai-no1-intermediate", ["2020-difficult/02-li"]),
        ("cause=service-contract", ["2021-discipline/01-wang"]),
        ("category=difficult-enforcement", ["2020-difficult/01-zhang", "2020-difficult/02-li"]),
        ("year=2021", ["2021-discipline/01-wang"]),
        ("measure=fine", ["2021-discipline/01-wang", "2020-difficult/01-zhang"]),
        ("measure=detention&court=minhang-district", ["2020-difficult/01-zhang"]),
        ("language=zh&year=2020", ["2020-difficult/01-zhang", "2020-difficult/02-li"]),
        ("measure=judicial-auction", []),
    ],
)
def test_case_filters(api: FlaskClient, query: str, expected: list[str]) -> None:
    assert ids(api.get(f"/api/v1/cases?{query}")) == expected


def test_a_case_record_carries_its_facts_and_both_languages(api: FlaskClient) -> None:
    record = api.get("/api/v1/cases/2020-difficult/01-zhang").get_json()
    assert record["measures"] == ["fine", "detention"]
    assert (record["court"], record["cause"], record["year"]) == (
        "minhang-district", "private-lending", 2020,
    )  # fmt: skip
    assert record["title_zh"] == "Case 01-zhang (zh)"
    assert record["url_en"] == f"{BASE}/en/cases/2020-difficult/01-zhang/"


def test_pagination_links_and_total(api: FlaskClient) -> None:
    first = api.get("/api/v1/cases?per_page=2").get_json()
    assert (first["total"], first["pages"], first["page"], len(first["items"])) == (3, 2, 1, 2)
    assert first["links"]["previous"] is None
    assert first["links"]["next"] == f"{BASE}/api/v1/cases?per_page=2&page=2"
    second = api.get("/api/v1/cases?per_page=2&page=2")
    body = second.get_json()
    assert [item["id"] for item in body["items"]] == ["2020-difficult/02-li"]
    assert body["links"]["next"] is None
    assert body["links"]["previous"] == f"{BASE}/api/v1/cases?per_page=2&page=1"
    assert 'rel="previous"' in second.headers["Link"]
    beyond = api.get("/api/v1/cases?per_page=2&page=3")
    assert beyond.status_code == 404
    assert beyond.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/cases?court=nowhere", "court"),
        ("/api/v1/cases?year=twenty", "year"),
        ("/api/v1/cases?year=3000", "year"),
        ("/api/v1/cases?language=fr", "language"),
        ("/api/v1/cases?per_page=0", "per_page"),
        ("/api/v1/cases?per_page=101", "per_page"),
        ("/api/v1/cases?page=-1", "page"),
        ("/api/v1/cases?format=xml", "format"),
        ("/api/v1/cases?colour=red", "colour"),
        ("/api/v1/press-releases?court=minhang-district", "court"),
        ("/api/v1/vocabularies?kind=animals", "kind"),
        ("/api/v1/changes?since=yesterday", "since"),
        ("/api/v1/changes?since=2021-02-30", "since"),
    ],
)
def test_a_bad_parameter_is_a_400_problem_naming_it(api: FlaskClient, url: str, parameter: str):
    response = api.get(url)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 400
    assert problem["parameter"] == parameter
    assert problem["detail"].startswith(f"{parameter}: ")
    assert problem["instance"] == url.split("?")[0]


def test_missing_items_and_wrong_methods_are_problems(api: FlaskClient) -> None:
    for url in ("/api/v1/press-releases/2021/nothing", "/api/v1/cases/x/y", "/api/v1/nope"):
        response = api.get(url)
        assert (response.status_code, response.mimetype) == (404, "application/problem+json")
        assert response.get_json()["title"] == "Not Found"
    wrong = api.post("/api/v1/cases")
    assert (wrong.status_code, wrong.mimetype) == (405, "application/problem+json")
    assert "GET" in wrong.headers["Allow"]


def test_csv_of_a_listing_has_every_row_a_bom_and_chinese_intact(api: FlaskClient) -> None:
    response = api.get("/api/v1/cases?format=csv&per_page=1&language=zh")
    assert response.mimetype == "text/csv"
    assert response.headers["X-Row-Limit"] == "10000"
    assert response.headers["X-Total-Count"] == "3"
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 3  # page and per_page do not apply
    assert rows[0]["title_zh"] == "Case 01-wang (zh)"
    assert rows[1]["measures"] == "fine;detention"


def test_the_csv_is_capped(api: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("portal.opendata.datasets.CSV_ROW_LIMIT", 2)
    response = api.get("/api/v1/cases?format=csv")
    assert len(response.data.decode("utf-8-sig").strip().splitlines()) == 1 + 2
    assert response.headers["X-Total-Count"] == "3"


def test_vocabularies_and_statistics_listings(api: FlaskClient) -> None:
    courts = api.get("/api/v1/vocabularies?kind=courts").get_json()["items"]
    assert courts[0] == {
        "kind": "courts", "key": "minhang-district", "label_en": "Minhang District Court",
        "label_zh": "闵行区人民法院", "position": 0,
    }  # fmt: skip
    assert api.get("/api/v1/vocabularies").get_json()["total"] == 9
    figures = api.get("/api/v1/statistics?year=2019").get_json()["items"]
    assert [(f["key"], f["value"], f["derived"]) for f in figures] == [("accepted", 1000, True)]
    assert figures[0]["source_url"] == f"{BASE}/en/press/2021/work-report/#p-2"
    assert figures[0]["source_url_zh"] == f"{BASE}/zh/press/2021/work-report/#p-2"
    assert figures[0]["sentence_zh"] == SiteBuilder.STATISTICS_SENTENCES_ZH[0]


def test_etag_and_last_modified_give_304(api: FlaskClient) -> None:
    first = api.get("/api/v1/cases")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = api.get("/api/v1/cases", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert api.get("/api/v1/cases", headers={"If-Modified-Since": modified}).status_code == 304
    other = api.get("/api/v1/cases?year=2020", headers={"If-None-Match": etag})
    assert other.status_code == 200
    earlier = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert api.get("/api/v1/cases", headers={"If-Modified-Since": earlier}).status_code == 200
    item = api.get("/api/v1/cases/2020-difficult/01-zhang")
    assert api.get(
        "/api/v1/cases/2020-difficult/01-zhang", headers={"If-None-Match": item.headers["ETag"]}
    ).status_code == 304  # fmt: skip


def test_cors_is_open_for_reading(api: FlaskClient) -> None:
    response = api.get("/api/v1/press-releases")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = api.options("/api/v1/press-releases", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "If-None-Match",
    })  # fmt: skip
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert api.get("/api/v1/nope").headers["Access-Control-Allow-Origin"] == "*"


def test_the_changes_list_has_additions_changes_and_removals(
    make_app, site: SiteBuilder, database_url: str
) -> None:
    from portal.db.load import load_content
    from portal.web.db import session_factory

    site.standard().standard_cases()
    app = make_app(database_url)
    api = app.test_client()
    everything = api.get("/api/v1/changes?per_page=100").get_json()
    assert {item["change"] for item in everything["items"]} == {"added"}
    assert everything["total"] == 3 + 4 + 4 + 6  # releases, pages, collections, cases
    time.sleep(0.01)
    since = dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")
    time.sleep(0.01)
    assert api.get(f"/api/v1/changes?since={since}").get_json()["items"] == []
    site.release(2020, "older-news", "en", date="2020-06-01", title="Corrected")
    (site.cases / "2020-difficult/02-li.zh.md").unlink()
    site.release(2021, "new-one", "zh")
    load_content(session_factory(app), site.content, site.cases)
    changes = api.get(f"/api/v1/changes?since={since}").get_json()["items"]
    assert {(c["kind"], c["key"], c["lang"], c["change"]) for c in changes} == {
        ("press-release", "2020/older-news", "en", "changed"),
        ("case", "2020-difficult/02-li", "zh", "removed"),
        ("press-release", "2021/new-one", "zh", "added"),
    }
    assert all(c["at"] >= since for c in changes)
    as_csv = api.get(f"/api/v1/changes?since={since}&format=csv").data.decode("utf-8-sig")
    assert as_csv.splitlines()[0] == "kind,key,lang,change,at"
    by_date = api.get("/api/v1/changes?since=2000-01-01").get_json()
    # Since 2000 every item is new: the new release is added, the removed case gone with its
    # addition, its removal listed; a changed item counts once, as added.
    assert by_date["total"] == everything["total"] + 1 - 1 + 1


def test_a_page_number_beyond_any_listing_is_refused_not_overflowed(api: FlaskClient) -> None:
    # Found by schemathesis: a huge page number once overflowed the database's integer offset.
    response = api.get("/api/v1/cases?page=1844674407371046581")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "page"


def test_a_release_year_beyond_four_digits_is_not_found(api: FlaskClient) -> None:
    # Found by schemathesis: a 19-digit year once overflowed the database's integer.
    response = api.get("/api/v1/press-releases/9223372036854775808/0")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_since_compares_instants_whatever_the_offset(
    make_app, site: SiteBuilder, database_url: str
) -> None:
    """The same instant written in UTC, +08:00, -05:00 or without an offset (taken as UTC)
    gives the same changes; one second later gives none."""
    from sqlalchemy import update

    from portal.db.models import PressRelease
    from portal.db.queries import CHANGE_MODELS
    from portal.web.db import session_factory

    site.standard()
    app = make_app(database_url)
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    instant = dt.datetime(2021, 6, 1, 12, 0, tzinfo=dt.UTC)
    with session_factory(app).begin() as session:
        for model in CHANGE_MODELS:
            session.execute(update(model).values(created_at=long_ago, updated_at=long_ago))
        first = session.scalars(select(PressRelease).order_by(PressRelease.id).limit(1)).one()
        first.created_at = first.updated_at = instant
        changed = f"{first.year}/{first.slug}"
    api = app.test_client()

    def keys(since: str) -> list[str]:
        response = api.get("/api/v1/changes", query_string={"since": since})
        assert response.status_code == 200, response.get_json()
        return [item["key"] for item in response.get_json()["items"]]

    at_or_before = ("2021-06-01T12:00:00Z", "2021-06-01T20:00:00+08:00",
                    "2021-06-01T07:00:00-05:00", "2021-06-01T12:00:00",
                    "2021-06-01T19:59:59+08:00")  # fmt: skip
    for since in at_or_before:
        assert keys(since) == [changed], since
    for later in ("2021-06-01T12:00:01Z", "2021-06-01T20:00:01+08:00", "2021-06-01T07:00:01-05:00"):
        assert keys(later) == [], later
    assert len(keys("2021-06-01T03:59:59-08:00")) == 1  # 11:59:59 UTC


@pytest.mark.parametrize(
    "since",
    ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "2021-06-01T25:00:00Z",
     "2021-06-01T12:00:00+25:00", "9" * 5000, "2021-06-01 12:00 UTC", "²⁰²¹-01-01"],
)  # fmt: skip
def test_a_bad_since_is_a_400_naming_it(api: FlaskClient, since: str) -> None:
    response = api.get("/api/v1/changes", query_string={"since": since})
    assert response.status_code == 400
    problem = response.get_json()
    assert problem["parameter"] == "since"
    assert problem["detail"].startswith("since: expected a date (2021-01-15) or a date and time")
    assert len(problem["detail"]) < 300
