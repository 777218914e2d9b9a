"""The open-data catalogue and downloads, the DCAT catalogue, the Atom feeds, the sitemap and
robots.txt, and the statistics page with its charts and tables, in both languages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import feedparser
import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.db.court_day import court_today
from portal.debtors.statistics import AggregateRow
from tests.support.pagecheck import fetch
from tests.support.site import SiteBuilder

BASE = "https://portal.example.test"


@pytest.fixture
def od_app(make_app, site: SiteBuilder, sqlite_url: str) -> Flask:
    site.standard().standard_cases().statistics()
    return make_app(sqlite_url)


@pytest.fixture
def od(od_app: Flask) -> FlaskClient:
    return od_app.test_client()


# The catalogue and downloads


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_catalogue_describes_every_dataset_with_its_dictionary(od: FlaskClient, lang: str):
    page = fetch(od, f"/{lang}/data/")
    sections = page.html.select("section.dataset")
    assert [s["id"] for s in sections] == [
        "dataset-press-releases", "dataset-cases", "dataset-vocabularies", "dataset-statistics",
    ]  # fmt: skip
    cases = page.html.select_one("#dataset-cases")
    fields = [row.find("code").get_text() for row in cases.select("tbody tr")]
    assert fields[:4] == ["id", "collection", "slug", "number"]
    assert {"title_en", "title_zh"} <= set(fields)
    meaning = cases.select_one("tbody tr td:last-child").get_text()
    assert meaning == (
        "标识：<案例集>/<短名>" if lang == "zh" else "Identifier: <collection>/<slug>"
    )
    links = [a["href"] for a in cases.select("a")]
    assert {"/data/cases.csv", "/data/cases.json"} <= set(links)
    assert "CC BY 4.0" in cases.get_text()
    assert cases.select_one("time")["datetime"].startswith("20")


def test_csv_downloads_keep_chinese_and_start_with_a_bom(od: FlaskClient) -> None:
    response = od.get("/data/press-releases.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="press-releases.csv"'
    assert response.data[:3] == b"\xef\xbb\xbf"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row["title_zh"] for row in rows][1] == "年度报告"
    assert rows[1]["languages"] == "en;zh"
    statistics = od.get("/data/statistics.csv").data.decode("utf-8-sig")
    assert "受理案件" in statistics
    figures = list(csv.DictReader(io.StringIO(statistics)))
    assert figures[0]["sentence_zh"] == SiteBuilder.STATISTICS_SENTENCES_ZH[0]
    assert figures[0]["source_url_zh"].endswith("/zh/press/2021/work-report/#p-2")


@pytest.mark.parametrize("key", ["press-releases", "cases", "vocabularies", "statistics"])
def test_every_download_matches_its_data_dictionary(od: FlaskClient, key: str) -> None:
    from portal.opendata.datasets import DATASETS

    fields = DATASETS[key].field_names()
    as_json = json.loads(od.get(f"/data/{key}.json").data)
    assert as_json["fields"] == fields
    assert as_json["items"]
    assert all(list(item) == fields for item in as_json["items"])
    header = od.get(f"/data/{key}.csv").data.decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == fields


def test_no_download_holds_personal_debtor_data(od: FlaskClient) -> None:
    from portal.opendata.datasets import DATASETS

    forbidden = {"name", "id_number", "legal_representative", "record_id", "obligations"}
    for dataset in DATASETS.values():
        assert not forbidden & set(dataset.field_names()), dataset.key
    assert od.get("/data/register-statistics.csv").status_code == 404  # no register yet
    assert od.get("/data/debtors.csv").status_code == 404
    assert od.get("/data/changes.csv").status_code == 404  # an API listing, not a download


def test_the_register_appears_only_as_aggregates_once_it_has_records(
    od: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        AggregateRow("court", "minhang-district", "Minhang District Court", "闵行区人民法院", 7),
        AggregateRow("kind", "person", "Person", "自然人", 5),
        AggregateRow("month", "2021-01", "January 2021", "2021年1月", 7),
    ]
    monkeypatch.setattr("portal.debtors.statistics.register_aggregates", lambda s: rows)
    monkeypatch.setattr("portal.debtors.statistics.has_listed_records", lambda s: True)
    monkeypatch.setattr("portal.web.blueprints.statistics.register_aggregates", lambda s: rows)
    text = od.get("/data/register-statistics.csv").data.decode("utf-8-sig")
    assert text.splitlines() == [
        "dimension,key,label_en,label_zh,listed_records,as_of,demonstration",
        "court,minhang-district,Minhang District Court,闵行区人民法院,7,,false",
        "kind,person,Person,自然人,5,,false",
        "month,2021-01,January 2021,2021年1月,7,,false",
    ]
    page = fetch(od, "/zh/statistics/")
    register = page.html.select_one(".register-statistics")
    assert [h.get_text() for h in register.select("h3")] == [
        "按法院统计的在列记录", "按被执行人类型统计的在列记录", "按公布月份统计的在列记录",
    ]  # fmt: skip
    assert register.select_one("td").get_text() == "7条"  # records, not cases (件)
    assert len(register.select("svg[role=img]")) == 3


def test_without_a_register_the_statistics_page_has_no_register_section(od: FlaskClient):
    assert fetch(od, "/en/statistics/").html.select_one(".register-statistics") is None


def test_the_dcat_catalogue(od: FlaskClient) -> None:
    response = od.get("/data/catalog.jsonld")
    assert response.mimetype == "application/ld+json"
    catalogue = response.get_json(force=True)
    assert catalogue["@type"] == "dcat:Catalog"
    datasets = {d["dct:identifier"]: d for d in catalogue["dcat:dataset"]}
    assert set(datasets) == {"press-releases", "cases", "vocabularies", "statistics"}
    cases = datasets["cases"]
    assert {d["dcat:mediaType"]["@id"] for d in cases["dcat:distribution"]} == {
        "http://www.iana.org/assignments/media-types/text/csv",
        "http://www.iana.org/assignments/media-types/application/json",
    }
    csv_download = cases["dcat:distribution"][0]
    assert csv_download["dct:format"]["@id"].endswith("/file-type/CSV")
    assert csv_download["dct:conformsTo"]["@id"] == f"{BASE}/data/datapackage.json"
    assert {"@value": "典型案例", "@language": "zh-Hans"} in cases["dcat:keyword"]
    assert cases["dcat:theme"]["@id"].endswith("/data-theme/JUST")
    assert cases["dcat:distribution"][0]["dcat:downloadURL"]["@id"] == f"{BASE}/data/cases.csv"
    assert cases["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "dct:modified" in cases
    assert catalogue["dcat:service"]["dcat:endpointDescription"]["@id"] == (
        f"{BASE}/api/v1/openapi.json"
    )


def test_downloads_answer_conditional_requests(od: FlaskClient) -> None:
    first = od.get("/data/cases.json")
    again = od.get("/data/cases.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert first.headers["Access-Control-Allow-Origin"] == "*"


# Feeds


@pytest.mark.parametrize(
    ("url", "entries"),
    [
        ("/feeds/en/press.atom", 3),
        ("/feeds/zh/press.atom", 3),
        ("/feeds/en/cases.atom", 3),
        ("/feeds/zh/cases.atom", 3),
        ("/en/cases/court/minhang-district/feed.atom", 2),
        ("/zh/cases/cause/service-contract/feed.atom", 1),
        ("/en/cases/category/difficult-enforcement/feed.atom", 2),
        ("/en/cases/year/2021/feed.atom", 1),
        ("/zh/cases/measure/fine/feed.atom", 2),
    ],
)
def test_every_feed_parses_cleanly_with_full_content(od: FlaskClient, url: str, entries: int):
    response = od.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == entries
    for entry in feed.entries:
        assert entry.content[0].value
        assert entry.link.startswith(BASE)
    assert feed.feed.links[1]["href"] == f"{BASE}{url}"


def test_a_feed_entry_carries_the_whole_text(od: FlaskClient) -> None:
    feed = feedparser.parse(od.get("/feeds/en/press.atom").data)
    report = next(e for e in feed.entries if e.title == "Release work-report (en)")
    assert "The courts detained more than 20 people" in report.content[0].value
    assert report.published.startswith("2021-01-20")
    zh = feedparser.parse(od.get("/feeds/zh/press.atom").data)
    assert zh.feed.language == "zh-Hans"
    assert "年度报告" in [e.title for e in zh.entries]


def test_unknown_facet_feeds_are_404(od: FlaskClient) -> None:
    assert od.get("/en/cases/court/nowhere/feed.atom").status_code == 404
    assert od.get("/en/cases/measure/judicial-auction/feed.atom").status_code == 404
    assert od.get("/en/cases/year/1999/feed.atom").status_code == 404


@pytest.mark.parametrize(
    ("page_url", "feed_urls"),
    [
        ("/en/", ["/feeds/en/press.atom", "/feeds/en/cases.atom"]),
        ("/zh/press/", ["/feeds/zh/press.atom"]),
        ("/en/press/2021/", ["/feeds/en/press.atom"]),
        ("/en/cases/", ["/feeds/en/cases.atom"]),
        ("/zh/cases/court/minhang-district/", ["/zh/cases/court/minhang-district/feed.atom"]),
        ("/en/cases/year/2020/", ["/en/cases/year/2020/feed.atom"]),
        ("/en/press/2021/annual-report/", []),
    ],
)
def test_pages_announce_the_feeds_that_follow_them(od: FlaskClient, page_url, feed_urls):
    page = fetch(od, page_url)
    announced = page.html.select('link[rel=alternate][type="application/atom+xml"]')
    assert [link["href"] for link in announced] == feed_urls
    visible = [a["href"] for a in page.html.select('.feed-links a[type="application/atom+xml"]')]
    assert visible == feed_urls
    explained = [a["href"] for a in page.html.select(".feed-links a:not([type])")]
    assert explained == ([f"/{page_url[1:3]}/feeds/"] if feed_urls else [])
    for url in feed_urls:
        assert feedparser.parse(od.get(url).data).bozo == 0


# Sitemap and robots.txt

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_the_sitemap_lists_every_public_page_with_its_alternates(od: FlaskClient) -> None:
    response = od.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    entries = {}
    for url in root.findall(f"{SITEMAP}url"):
        alternates = {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        entries[url.findtext(f"{SITEMAP}loc")] = (url.findtext(f"{SITEMAP}lastmod"), alternates)
    paths = {loc.removeprefix(BASE) for loc in entries}
    for path in [
        "/en/", "/zh/", "/en/press/", "/zh/press/2020/", "/en/press/2021/annual-report/",
        "/zh/press/2021/annual-report/", "/en/press/2020/older-news/", "/en/cases/",
        "/zh/cases/court/minhang-district/", "/en/cases/measure/detention/",
        "/en/cases/year/2021/", "/zh/cases/2020-difficult/", "/en/cases/2020-difficult/02-li/",
        "/en/about/", "/zh/licence/", "/en/data/", "/zh/statistics/",
    ]:  # fmt: skip
        assert path in paths, path
    assert "/zh/press/2020/older-news/" not in paths  # English only
    assert not any("/debtors/" in path or path.startswith("/api/") for path in paths)
    lastmod, alternates = entries[f"{BASE}/en/press/2021/annual-report/"]
    assert alternates == {
        "en": f"{BASE}/en/press/2021/annual-report/",
        "zh-Hans": f"{BASE}/zh/press/2021/annual-report/",
    }
    assert lastmod.startswith("20")
    assert lastmod.endswith("+00:00")
    assert entries[f"{BASE}/en/press/2020/older-news/"][1] == {}


def test_every_sitemap_page_exists(od: FlaskClient) -> None:
    root = ET.fromstring(od.get("/sitemap.xml").data)
    for loc in root.iter(f"{SITEMAP}loc"):
        path = loc.text.removeprefix(BASE)
        assert od.get(path).status_code == 200, path


def test_the_sitemap_lists_later_pages_of_listings(
    make_app, site: SiteBuilder, sqlite_url: str
) -> None:
    site.standard()
    client = make_app(sqlite_url, PRESS_PAGE_SIZE=1).test_client()  # two releases
    locs = [
        loc.text for loc in ET.fromstring(client.get("/sitemap.xml").data).iter(f"{SITEMAP}loc")
    ]
    assert f"{BASE}/en/press/page/2/" in locs
    assert f"{BASE}/en/press/page/3/" not in locs


def test_the_sitemap_lists_every_page_of_the_collections(
    make_app, site: SiteBuilder, sqlite_url: str
) -> None:
    site.standard().standard_cases()
    client = make_app(sqlite_url, CASES_PAGE_SIZE=1).test_client()  # two collections
    locs = [
        loc.text for loc in ET.fromstring(client.get("/sitemap.xml").data).iter(f"{SITEMAP}loc")
    ]
    for lang in ("en", "zh"):
        assert f"{BASE}/{lang}/cases/collections/" in locs
        assert f"{BASE}/{lang}/cases/collections/page/2/" in locs
        assert f"{BASE}/{lang}/cases/collections/page/3/" not in locs


def test_robots_keeps_crawlers_off_the_lookups_and_points_to_the_sitemap(od: FlaskClient):
    lines = od.get("/robots.txt").get_data(as_text=True).splitlines()
    assert lines == [
        "User-agent: *",
        "Disallow: /en/debtors/",
        "Disallow: /zh/debtors/",
        "Disallow: /api/v1/debtors/",
        "Disallow: /en/victims/status/",
        "Disallow: /zh/victims/status/",
        "Disallow: /api/v1/victims/status",
        f"Sitemap: {BASE}/sitemap.xml",
    ]


# The statistics page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_statistics_page_has_charts_with_tables_beside_them(od: FlaskClient, lang: str):
    page = fetch(od, f"/{lang}/statistics/")
    charts = page.html.select("svg")
    assert len(charts) == 1  # the caseload group asks for a chart; measures does not
    chart = charts[0]
    assert chart["role"] == "img"
    title_id, desc_id = chart["aria-labelledby"].split()
    assert chart.find("title")["id"] == title_id
    assert chart.find("desc")["id"] == desc_id
    assert "style" not in str(chart)
    tables = page.html.select("table.figures__table")
    assert len(tables) == 2
    caseload = tables[0]
    values = [td.get_text(" ", strip=True) for td in caseload.select("td.figures__value")]
    if lang == "en":
        assert chart.find("title").get_text() == "Cases"
        assert values == [
            "1,250 cases (+25.0% on the year before)",
            "about 1,000 cases",
            "900 cases",
        ]
        measures = [td.get_text() for td in tables[1].select("td.figures__value")]
        assert measures == ["more than 20 people", "RMB 5 million"]
        assert "Cases accepted, 2019 (derived)" in chart.find("desc").get_text()
    else:
        assert chart.find("title").get_text() == "案件"
        assert values == ["1,250件 (同比+25.0%)", "约1,000件", "900件"]
        measures = [td.get_text() for td in tables[1].select("td.figures__value")]
        assert measures == ["20人以上", "500万元"]
    derived = caseload.select_one("tr.figures__derived")
    assert "2019 = 2020 / (1 + 25%)" in derived.get_text()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_figure_links_to_its_sentence_in_the_release(od: FlaskClient, lang: str) -> None:
    page = fetch(od, f"/{lang}/statistics/")
    links = {a["href"] for a in page.html.select("table.figures__table a")}
    assert links == {f"/{lang}/press/2021/work-report/#p-2", f"/{lang}/press/2021/work-report/#p-3"}
    release = fetch(od, f"/{lang}/press/2021/work-report/")
    quotes = page.html.select("blockquote")
    assert [q.get_text(strip=True) for q in quotes] == list(
        SiteBuilder.STATISTICS_SENTENCES_ZH if lang == "zh" else SiteBuilder.STATISTICS_SENTENCES
    )
    for link in links:
        paragraph = release.html.find(id=link.split("#")[1])
        quote = page.html.find("blockquote", cite=link)
        assert quote["lang"] == lang
        assert quote.get_text(strip=True) in paragraph.get_text()


def test_the_bundled_statistics_page_shows_the_2020_report(make_app, site, sqlite_url) -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    app = make_app(
        sqlite_url, load=False, CONTENT_DIR=str(root / "content"), CASES_DIR=str(root / "cases")
    )
    from portal.db.load import load_content
    from portal.web.db import session_factory

    load_content(session_factory(app), root / "content", root / "cases")
    client = app.test_client()
    english = fetch(client, "/en/statistics/").html.get_text(" ", strip=True)
    for text in ["161,600 cases", "162,100 cases", "RMB 37.894 billion", "15,587 people",
                 "3,475 items", "28 cases", "208 people", "1,315 people", "RMB 369 million",
                 "more than 35,000 people", "more than RMB 500 million", "nearly 18,000 people",
                 "about 150,074 cases", "about 150,707 cases"]:  # fmt: skip
        assert text in english, text
    chinese = fetch(client, "/zh/statistics/").html.get_text(" ", strip=True)
    for text in ["378.94亿元", "3.69亿元", "5亿元以上", "近18,000人", "161,600件"]:
        assert text in chinese, text
    # The Chinese page quotes the Chinese release, not the English one; every sentence once,
    # two of one paragraph (p-4) too.
    pages = {lang: fetch(client, f"/{lang}/statistics/").html for lang in ("en", "zh")}
    quotes = {
        lang: [quote.get_text(strip=True) for quote in page.select("blockquote")]
        for lang, page in pages.items()
    }
    assert len(quotes["zh"]) == len(set(quotes["zh"])) == len(quotes["en"]) == 5
    assert "全年通过执行共向农民工兑付款项3.69亿元。" in quotes["zh"]
    assert (
        "2020年，上海法院办理拒不执行判决、裁定罪案件28件，司法拘留208人，限制出境1315人。"
        in quotes["zh"]
    )
    assert any(q.startswith("In 2020, Shanghai courts handled 28 cases") for q in quotes["en"])
    assert "Throughout the year" not in chinese
    release = fetch(client, "/en/press/2021/enforcement-work-2020/")
    assert "161,600" in release.html.find(id="p-2").get_text()


# DCAT-AP's recommended properties (DCAT-AP 2.1: Dataset and Distribution classes)
DATASET_PROPERTIES = {
    "dct:title", "dct:description", "dcat:contactPoint", "dcat:distribution", "dcat:keyword",
    "dct:publisher", "dct:spatial", "dcat:theme",
}  # fmt: skip
DISTRIBUTION_PROPERTIES = {"dcat:accessURL", "dct:description", "dct:format", "dct:license"}


def test_every_dataset_and_distribution_has_dcat_ap_s_recommended_properties(
    od: FlaskClient,
) -> None:
    catalogue = od.get("/data/catalog.jsonld").get_json(force=True)
    assert catalogue["@context"]["vcard"] == "http://www.w3.org/2006/vcard/ns#"
    for dataset in catalogue["dcat:dataset"]:
        assert DATASET_PROPERTIES - set(dataset) == set(), dataset["dct:identifier"]
        languages = {keyword["@language"] for keyword in dataset["dcat:keyword"]}
        assert languages == {"en", "zh-Hans"}, dataset["dct:identifier"]
        point = dataset["dcat:contactPoint"]
        assert point["@type"] == "vcard:Organization"
        assert {"@value": "上海市高级人民法院", "@language": "zh-Hans"} in point["vcard:fn"]
        assert point["vcard:hasURL"]["@id"] == f"{BASE}/en/contact/"
        for distribution in dataset["dcat:distribution"]:
            assert DISTRIBUTION_PROPERTIES - set(distribution) == set(), distribution["@id"]
            # The live downloads are made from the database when asked: no size is promised.
            assert "dcat:byteSize" not in distribution
            if distribution["@id"].endswith(".csv"):
                assert distribution["dct:conformsTo"]["@id"] == f"{BASE}/data/datapackage.json"
            else:
                assert distribution["dct:conformsTo"]["@id"].startswith(f"{BASE}/data/schemas/")


def test_the_contact_point_gives_what_the_publishing_court_publishes(
    make_app, site: SiteBuilder, sqlite_url: str
) -> None:
    site.vocabulary(
        courts={
            "shanghai-high": {
                "en": "Shanghai High People's Court",
                "zh": "上海市高级人民法院",
                "contact": {"telephone": "(021) 5555 0100", "email": "press@court.example"},
            },
            "minhang-district": {"en": "Minhang District Court", "zh": "闵行区人民法院"},
            "shanghai-no1-intermediate": {"en": "No.1 Intermediate Court", "zh": "第一中级"},
        }
    )
    site.standard().standard_cases()
    catalogue = make_app(sqlite_url).test_client().get("/data/catalog.jsonld").get_json(force=True)
    point = catalogue["dcat:dataset"][0]["dcat:contactPoint"]
    assert point["vcard:hasEmail"] == {"@id": "mailto:press@court.example"}
    assert point["vcard:hasTelephone"]["vcard:hasValue"] == {"@id": "tel:021-5555-0100"}
    assert "vcard:hasAddress" not in point  # the court gives none: nothing is made up


def temporal(catalogue: dict) -> dict[str, tuple[str, str]]:
    """Each dataset's temporal coverage in the DCAT catalogue, as (start, end) ISO dates."""
    return {
        dataset["dct:identifier"]: (
            dataset["dct:temporal"]["dcat:startDate"]["@value"],
            dataset["dct:temporal"]["dcat:endDate"]["@value"],
        )
        for dataset in catalogue["dcat:dataset"]
        if "dct:temporal" in dataset
    }


def test_each_dataset_s_temporal_coverage_is_that_of_its_published_data(
    make_app, site: SiteBuilder, database_url: str
) -> None:
    # Drafts and items scheduled for next year, of releases, collections and cases.
    later = court_today() + dt.timedelta(days=400)
    site.unpublished(later).statistics()
    client = make_app(database_url).test_client()
    catalogue = client.get("/data/catalog.jsonld").get_json(force=True)
    coverage = temporal(catalogue)
    # The vocabularies are about no time: they have no coverage.
    assert set(coverage) == {"press-releases", "cases", "statistics"}
    assert coverage == {
        "press-releases": ("2020-06-01", "2021-01-20"),
        "cases": ("2020-01-01", "2021-12-31"),
        "statistics": ("2019-01-01", "2020-12-31"),
    }
    # ... which is the span of the downloads themselves.
    items = {key: client.get(f"/data/{key}.json").get_json()["items"] for key in coverage}
    dates = [item["date"] for item in items["press-releases"]]
    assert coverage["press-releases"] == (min(dates), max(dates))
    for key in ("cases", "statistics"):
        years = [item["year"] for item in items[key]]
        assert coverage[key] == (f"{min(years)}-01-01", f"{max(years)}-12-31")
    period = next(d for d in catalogue["dcat:dataset"] if d["dct:identifier"] == "cases")
    assert period["dct:temporal"]["@type"] == "dct:PeriodOfTime"
    assert period["dct:temporal"]["dcat:startDate"]["@type"] == "xsd:date"


def test_a_site_with_nothing_published_gives_no_coverage(
    make_app, site: SiteBuilder, sqlite_url: str
) -> None:
    site.release(2021, "only-draft", "en", date="2021-01-15", draft=True)
    site.statistics()  # its figures quote a release that is then made a draft in both languages
    for lang, sentences in (
        ("en", site.STATISTICS_SENTENCES),
        ("zh", site.STATISTICS_SENTENCES_ZH),
    ):
        body = "\n\n".join(sentences)
        site.release(2021, "work-report", lang, body=body, date="2021-01-20", draft=True)
    catalogue = make_app(sqlite_url).test_client().get("/data/catalog.jsonld").get_json(force=True)
    assert temporal(catalogue) == {}


def test_every_json_download_validates_against_the_schema_it_conforms_to(
    od: FlaskClient,
) -> None:
    catalogue = od.get("/data/catalog.jsonld").get_json(force=True)
    for dataset in catalogue["dcat:dataset"]:
        key = dataset["dct:identifier"]
        (json_download,) = [d for d in dataset["dcat:distribution"] if d["@id"].endswith(".json")]
        schema_url = json_download["dct:conformsTo"]["@id"]
        assert schema_url == f"{BASE}/data/schemas/{key}.json"
        response = od.get(schema_url.removeprefix(BASE))
        assert response.status_code == 200
        assert response.mimetype == "application/schema+json"
        schema = response.get_json(force=True)
        jsonschema.Draft202012Validator.check_schema(schema)
        checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
        download = od.get(f"/data/{key}.json").get_json()
        assert download["items"], key
        jsonschema.validate(download, schema, format_checker=checker)


def test_a_json_schema_rejects_a_download_that_breaks_it(od: FlaskClient) -> None:
    schema = od.get("/data/schemas/cases.json").get_json(force=True)
    download = od.get("/data/cases.json").get_json()
    download["items"][0]["year"] = "2020"  # a string where the data gives a number
    with pytest.raises(jsonschema.ValidationError, match="is not of type 'integer'"):
        jsonschema.validate(download, schema)
    del download["items"][0]["year"]
    with pytest.raises(jsonschema.ValidationError, match="'year' is a required property"):
        jsonschema.validate(download, schema)


def test_no_schema_for_a_dataset_not_published(od: FlaskClient) -> None:
    assert od.get("/data/schemas/register-statistics.json").status_code == 404  # no register
    assert od.get("/data/schemas/changes.json").status_code == 404  # an API listing
    assert od.get("/data/schemas/nothing.json").status_code == 404
