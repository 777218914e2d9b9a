"""The conventions data users' tools look for: a Frictionless data package, schema.org JSON-LD,
an OpenSearch description on every page, and /healthz for load balancers."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urlsplit

import frictionless
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from portal.search.service import rebuild_search_index
from portal.web.db import session_factory
from tests.support.pagecheck import fetch
from tests.support.pagekinds import every_page, page_ids
from tests.support.site import SiteBuilder

BASE = "https://portal.example.test"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


@pytest.fixture
def od_app(make_app, site: SiteBuilder, sqlite_url: str) -> Flask:
    """The standard site with cases and statistics, its search index built."""
    site.standard().standard_cases().statistics()
    app = make_app(sqlite_url)
    rebuild_search_index(session_factory(app), Path(app.config["INDEX_DIR"]))
    return app


@pytest.fixture
def od(od_app: Flask) -> FlaskClient:
    return od_app.test_client()


def structured_data(html: BeautifulSoup | str) -> list[dict]:
    """The JSON-LD descriptions in a page's head."""
    page = BeautifulSoup(html, "html.parser") if isinstance(html, str) else html
    return [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]


def local_path(url: str) -> str:
    """The path of an absolute URL of the test site, to request it from the test client."""
    assert url.startswith(BASE + "/"), url
    return urlsplit(url).path


# The data package


def download_package(client: FlaskClient, folder: Path) -> dict:
    """datapackage.json and every CSV it names, saved as a data user would save them."""
    response = client.get("/data/datapackage.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    (folder / "datapackage.json").write_bytes(response.data)
    descriptor = response.get_json()
    for resource in descriptor["resources"]:
        (folder / resource["path"]).write_bytes(client.get(f"/data/{resource['path']}").data)
    return descriptor


def test_the_data_package_describes_every_download_and_frictionless_accepts_it(
    od: FlaskClient, tmp_path: Path
) -> None:
    descriptor = download_package(od, tmp_path)
    catalogue = od.get("/data/catalog.jsonld").get_json()
    assert [r["name"] for r in descriptor["resources"]] == [
        d["dct:identifier"] for d in catalogue["dcat:dataset"]
    ]
    cases = next(r for r in descriptor["resources"] if r["name"] == "cases")
    assert cases["path"] == "cases.csv"  # beside the descriptor, live and in the static copy
    assert {"name": "id", "type": "string", "constraints": {"required": True}}.items() <= {
        k: v for k, v in cases["schema"]["fields"][0].items() if k != "description"
    }.items()
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert all(task.stats["rows"] > 0 for task in report.tasks)


def test_the_data_package_schema_catches_a_download_that_breaks_it(
    od: FlaskClient, tmp_path: Path
) -> None:
    download_package(od, tmp_path)
    figures = tmp_path / "statistics.csv"
    lines = figures.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    broken = lines[1].split(",")
    broken[header.index("year")] = "last year"
    figures.write_text("\ufeff" + "\r\n".join([lines[0], ",".join(broken), *lines[2:]]) + "\r\n")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    errors = report.flatten(["fieldName", "type"])
    assert ["year", "type-error"] in errors


# schema.org


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_home_page_describes_the_site_and_its_search_box(od: FlaskClient, lang: str) -> None:
    (site,) = structured_data(fetch(od, f"/{lang}/").html)
    assert site["@type"] == "WebSite"
    assert site["url"] == f"{BASE}/{lang}/"
    template = site["potentialAction"]["target"]["urlTemplate"]
    search = od.get(local_path(template).replace("{search_term_string}", "") + "?q=report")
    assert search.status_code == 200
    assert (
        "report"
        in BeautifulSoup(search.data, "html.parser")
        .select_one(".search-result__title")
        .get_text()
        .lower()
    )
    assert template.endswith("?q={search_term_string}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_release_is_a_news_article_with_its_own_title_and_date(
    od: FlaskClient, lang: str
) -> None:
    page = fetch(od, f"/{lang}/press/2021/annual-report/")
    (article,) = structured_data(page.html)
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == page.text_of("h1")
    assert article["datePublished"] == page.html.select_one(".release__meta time")["datetime"]
    assert article["url"] == page.html.select_one('link[rel="canonical"]')["href"]
    assert article["inLanguage"] == page.html.select_one("html")["lang"]


def test_structured_data_cannot_close_its_script(make_app, site: SiteBuilder, sqlite_url: str):
    title = "Ends </script><script>alert(1)</script> here"
    site.release(2024, "odd-title", title=title, date="2024-05-06", summary="S.")
    client = make_app(sqlite_url).test_client()
    text = client.get("/en/press/2024/odd-title/").get_data(as_text=True)
    head = text[: text.index("</head>")]
    assert head.count("</script>") == head.count("<script")  # none closed early, none added
    assert structured_data(text)[0]["headline"] == title


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_data_page_lists_each_dataset_with_its_downloads(od: FlaskClient, lang: str) -> None:
    page = fetch(od, f"/{lang}/data/")
    described = structured_data(page.html)
    sections = [s["id"] for s in page.html.select("section.dataset")]
    assert [d["@id"].split("#")[1] for d in described] == sections
    for dataset in described:
        assert dataset["@type"] == "Dataset"
        assert dataset["license"].startswith("https://creativecommons.org/licenses/by/4.0")
        assert dataset["name"] == page.text_of(f"#{dataset['@id'].split('#')[1]}-heading")
        for download in dataset["distribution"]:
            assert od.get(local_path(download["contentUrl"])).status_code == 200


# OpenSearch


@pytest.mark.parametrize(("kind", "lang"), list(every_page()), ids=page_ids())
def test_every_page_links_the_opensearch_description(
    proof_client: FlaskClient, kind, lang: str
) -> None:
    if kind.form is None:
        response = proof_client.get(kind.url(lang))
    else:
        response = proof_client.post(kind.url(lang), data=kind.form)
    assert response.status_code == kind.status
    links = BeautifulSoup(response.get_data(as_text=True), "html.parser").select(
        'link[rel="search"][type="application/opensearchdescription+xml"]'
    )
    assert [link["href"] for link in links] == [f"/{lang}/search/opensearch.xml"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_opensearch_description_searches_the_page_language(od: FlaskClient, lang: str) -> None:
    response = od.get(f"/{lang}/search/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    assert len(root.findtext(f"{OPENSEARCH}ShortName")) <= 16  # the specification's limit
    (html,) = [u for u in root.iter(f"{OPENSEARCH}Url") if u.get("type") == "text/html"]
    words = "年度报告" if lang == "zh" else "report"
    template = html.get("template")
    assert template == f"{BASE}/{lang}/search/?q={{searchTerms}}"
    search = od.get(local_path(template.split("?")[0]) + "?q=" + quote(words))
    assert search.status_code == 200
    assert BeautifulSoup(search.data, "html.parser").select(".search-result__title a")


# Health


def test_healthz_reports_the_database_and_the_index(od: FlaskClient) -> None:
    response = od.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["search_index"]["documents"] > 0


def test_healthz_fails_without_an_index_and_tells_no_path(od_app: Flask) -> None:
    shutil.rmtree(od_app.config["INDEX_DIR"])
    response = od_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "checks": {"database": {"status": "ok"}, "search_index": {"status": "unavailable"}},
    }
    assert od_app.config["INDEX_DIR"] not in response.get_data(as_text=True)


# The API reference


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_api_reference_shows_every_operation_of_the_openapi_document(
    od: FlaskClient, lang: str
) -> None:
    document = od.get("/api/v1/openapi.json").get_json()
    page = fetch(od, f"/{lang}/data/api/")
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            section = page.html.select_one(f"section#{operation['operationId']}")
            assert section is not None, (method, path)
            heading = section.select_one("h2").get_text()
            assert heading == f"{method.upper()} {document['servers'][0]['url']}{path}"
            names = [th.code.get_text() for th in section.select("tbody th")]
            expected = [p["name"] for p in operation.get("parameters", [])]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            expected += list(body["schema"]["properties"]) if body else []
            assert names == expected
            answers = [dt.get_text() for dt in section.select("dl dt")]
            assert answers == list(operation["responses"])
    assert page.html.select_one('a[href="/api/v1/openapi.json"]') is not None
    english = page.html.select(f"section#{'cases'} td[lang=en]")
    assert bool(english) == (lang == "zh")  # English descriptions marked as such on zh pages


def test_the_api_reference_is_linked_from_the_data_page(od: FlaskClient) -> None:
    page = fetch(od, "/zh/data/")
    assert page.html.select_one('#api a[href="/zh/data/api/"]') is not None


@pytest.mark.parametrize(
    ("live_url", "openapi"),
    [("https://live.example.test", "https://live.example.test/api/v1/openapi.json"), ("", None)],
)
def test_the_static_copy_s_api_reference_points_to_the_live_api(
    make_app, site: SiteBuilder, sqlite_url: str, live_url: str, openapi: str | None
) -> None:
    site.standard()
    static = make_app(sqlite_url, STATIC_SITE=True, LIVE_URL=live_url).test_client()
    page = fetch(static, "/en/data/api/")
    links = [a["href"] for a in page.html.select("main a") if "openapi" in a["href"]]
    assert links == ([openapi] if openapi else [])
    assert "served by the live portal" in page.text_of("main .notice")
    heading = page.html.select_one("section#cases h2").get_text()
    assert heading == f"GET {live_url}/api/v1/cases"
