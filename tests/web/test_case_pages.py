"""Browsing typical cases: the listing with facet counts, facet pages, collections and cases."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient

from portal.web.filters import page_numbers
from tests.support.pagecheck import fetch
from tests.support.site import SiteBuilder


@pytest.fixture
def cases_client(make_app, site: SiteBuilder, database_url: str) -> FlaskClient:
    """The standard site with two collections, on SQLite and on PostgreSQL."""
    site.standard().standard_cases()
    site.release(2021, "annual-report", "en", date="2021-01-15", translation_note="For reference.",
                 collections=["2020-difficult", "2021-discipline"])  # fmt: skip
    site.release(2021, "annual-report", "zh", date="2021-01-15", title="年度报告",
                 collections=["2020-difficult", "2021-discipline"])  # fmt: skip
    return make_app(database_url).test_client()


def facet_links(page) -> dict[str, dict[str, str]]:
    """Facet -> link text -> href, from the facet navigation."""
    links: dict[str, dict[str, str]] = {}
    for section in page.html.select(".facet"):
        facet = section.find("h3")["id"].removeprefix("facet-")
        links[facet] = {a.get_text(" ", strip=True): a["href"] for a in section.find_all("a")}
    return links


def test_the_case_list_counts_every_facet(cases_client: FlaskClient) -> None:
    page = fetch(cases_client, "/en/cases/")
    assert page.text_of(".lead").startswith("3 cases.")
    titles = [a.get_text() for a in page.html.select(".case-item__title a")]
    assert titles == ["Case 01-wang (en)", "Case 01-zhang (en)", "Case 02-li (en)"]  # newest first
    assert facet_links(page) == {
        "court": {
            "Minhang District Court (2)": "/en/cases/court/minhang-district/",
            "No.1 Intermediate Court (1)": "/en/cases/court/shanghai-no1-intermediate/",
        },
        "cause": {
            "Private lending (2)": "/en/cases/cause/private-lending/",
            "Service contract (1)": "/en/cases/cause/service-contract/",
        },
        "category": {
            "Difficult enforcement (2)": "/en/cases/category/difficult-enforcement/",
            "Joint discipline (1)": "/en/cases/category/joint-disciplinary-actions/",
        },
        "year": {"2021 (1)": "/en/cases/year/2021/", "2020 (2)": "/en/cases/year/2020/"},
        "measure": {
            "Fine (2)": "/en/cases/measure/fine/",
            "Detention (1)": "/en/cases/measure/detention/",
        },
    }


def test_the_chinese_case_list_uses_chinese_labels(cases_client: FlaskClient) -> None:
    page = fetch(cases_client, "/zh/cases/")
    assert "罚款 (2)" in facet_links(page)["measure"]
    assert "2020年 (2)" in facet_links(page)["year"]
    assert page.text_of("h1") == "典型案例"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/en/cases/court/minhang-district/", ["Case 01-wang (en)", "Case 01-zhang (en)"]),
        ("/en/cases/cause/service-contract/", ["Case 01-wang (en)"]),
        ("/en/cases/category/difficult-enforcement/", ["Case 01-zhang (en)", "Case 02-li (en)"]),
        ("/en/cases/year/2020/", ["Case 01-zhang (en)", "Case 02-li (en)"]),
        ("/en/cases/measure/fine/", ["Case 01-wang (en)", "Case 01-zhang (en)"]),
        ("/zh/cases/measure/detention/", ["Case 01-zhang (zh)"]),
    ],
)
def test_each_facet_value_has_its_own_page(
    cases_client: FlaskClient, url: str, expected: list[str]
) -> None:
    page = fetch(cases_client, url)
    assert [a.get_text() for a in page.html.select(".case-item__title a")] == expected
    assert page.html.select_one(".facet [aria-current='page']") is not None


def test_a_facet_page_names_its_value(cases_client: FlaskClient) -> None:
    page = fetch(cases_client, "/en/cases/court/minhang-district/")
    assert page.text_of("h1") == "Typical cases – Court: Minhang District Court"


@pytest.mark.parametrize(
    "url",
    [
        "/en/cases/court/nowhere/",  # not in the vocabulary
        "/en/cases/measure/judicial-auction/",  # in the vocabulary, but no case has it
        "/en/cases/year/1999/",
        "/en/cases/page/2/",
        "/en/cases/no-such-collection/",
        "/en/cases/2020-difficult/99-nobody/",
    ],
)
def test_pages_without_cases_are_not_found(cases_client: FlaskClient, url: str) -> None:
    fetch(cases_client, url, status=404)


def test_a_collection_lists_its_cases_and_its_release(cases_client: FlaskClient) -> None:
    page = fetch(cases_client, "/en/cases/2020-difficult/")
    assert page.text_of("h1") == "Collection 2020-difficult (en)"
    items = page.html.select(".case-list li")
    assert [(li["value"], li.a["href"]) for li in items] == [
        ("1", "/en/cases/2020-difficult/01-zhang/"),
        ("2", "/en/cases/2020-difficult/02-li/"),
    ]
    text = page.text_of(".facts")
    assert "2 of the 10 cases in the court's collection are published here." in text
    assert page.html.select_one(".facts a[href='/en/press/2021/annual-report/']")


def test_a_case_page_shows_its_facts_context_and_neighbours(cases_client: FlaskClient) -> None:
    page = fetch(cases_client, "/en/cases/2020-difficult/01-zhang/")
    facts = dict(zip(
        [dt.get_text(strip=True) for dt in page.html.select(".facts dt")],
        [dd.get_text(" ", strip=True) for dd in page.html.select(".facts dd")],
        strict=True,
    ))  # fmt: skip
    assert facts == {
        "Parties": "A v. B",
        "Court": "Minhang District Court",
        "Cause of action": "Private lending",
        "Category": "Difficult enforcement",
        "Enforcement measures": "Fine Detention",
        "Case number": "Not recorded here",
        "Year": "2020",
    }
    assert page.html.select_one(".facts a[href='/en/cases/measure/detention/']")
    context = {a["href"] for a in page.html.select(".case-context a")}
    assert context == {"/en/cases/2020-difficult/", "/en/press/2021/annual-report/"}
    assert (
        page.html.select_one(".case-pager a[rel='next']")["href"]
        == "/en/cases/2020-difficult/02-li/"
    )
    assert page.html.select_one(".case-pager a[rel='prev']") is None
    assert "The facts of this case are not published on this portal." in page.text_of(".notice")
    citation = page.html.select_one("#citation-text")["value"]
    assert citation.startswith("Case 01-zhang (en), Minhang District Court, 2020. Case 1 of")
    assert citation.endswith("https://portal.example.test/en/cases/2020-difficult/01-zhang/")


def test_a_case_with_sections_shows_them(cases_client: FlaskClient) -> None:
    page = fetch(cases_client, "/en/cases/2020-difficult/02-li/")
    assert page.html.select_one(".prose h3").get_text() == "Basic facts"
    assert page.html.select_one(".notice") is None
    assert (
        page.html.select_one(".case-pager a[rel='prev']")["href"]
        == "/en/cases/2020-difficult/01-zhang/"
    )


def test_a_case_links_to_its_translation(cases_client: FlaskClient) -> None:
    page = fetch(cases_client, "/zh/cases/2020-difficult/01-zhang/")
    links = page.html.find_all("link", rel="alternate")
    alternates = {link["hreflang"]: link["href"] for link in links}
    assert alternates["en"] == "https://portal.example.test/en/cases/2020-difficult/01-zhang/"
    assert page.text_of(".facts dd:nth-of-type(2)") == "闵行区人民法院"


def test_the_press_release_links_to_its_collections(cases_client: FlaskClient) -> None:
    page = fetch(cases_client, "/zh/press/2021/annual-report/")
    links = {a["href"]: a.get_text() for a in page.html.select(".released-collections a")}
    assert links == {
        "/zh/cases/2020-difficult/": "Collection 2020-difficult (zh)",
        "/zh/cases/2021-discipline/": "Collection 2021-discipline (zh)",
    }


def test_the_home_page_features_the_newest_collections(cases_client: FlaskClient) -> None:
    page = fetch(cases_client, "/en/")
    hrefs = [a["href"] for a in page.html.select(".home-collections a")]
    assert hrefs == ["/en/cases/2021-discipline/", "/en/cases/2020-difficult/"]
    assert page.html.select_one(".main-nav a[href='/en/cases/']").get_text() == "Typical cases"


def test_the_case_list_is_paginated(make_app, site: SiteBuilder, sqlite_url: str) -> None:
    site.collection("2020-difficult", total_cases=30)
    for number in range(1, 8):
        site.case("2020-difficult", f"{number:02d}-case")
    client = make_app(sqlite_url, CASES_PAGE_SIZE=3).test_client()
    seen = []
    for url in ("/en/cases/", "/en/cases/page/2/", "/en/cases/page/3/"):
        seen += [a["href"] for a in fetch(client, url).html.select(".case-item__title a")]
    assert seen == [f"/en/cases/2020-difficult/{n:02d}-case/" for n in range(1, 8)]
    facet_page_2 = fetch(client, "/en/cases/court/minhang-district/page/2/")
    assert len(facet_page_2.html.select(".case-item")) == 3


@pytest.mark.parametrize(
    ("page", "pages", "expected"),
    [
        (1, 1, [1]),
        (1, 4, [1, 2, 3, 4]),
        (1, 200, [1, 2, 3, None, 200]),
        (100, 200, [1, None, 98, 99, 100, 101, 102, None, 200]),
        (4, 200, [1, 2, 3, 4, 5, 6, None, 200]),
        (200, 200, [1, None, 198, 199, 200]),
    ],
)
def test_pagination_links_the_ends_and_the_neighbourhood(
    page: int, pages: int, expected: list[int | None]
) -> None:
    assert page_numbers(page, pages) == expected


def test_a_long_listing_links_every_page_through_its_neighbours(
    make_app, site: SiteBuilder, sqlite_url: str
) -> None:
    site.standard().standard_cases()
    for number in range(3, 10):
        for lang in ("en", "zh"):
            site.case("2020-difficult", f"{number:02d}-extra", lang, number=number)
    app = make_app(sqlite_url, CASES_PAGE_SIZE=1)
    client = app.test_client()
    first = client.get("/en/cases/").get_data(as_text=True)
    assert 'href="/en/cases/page/3/"' in first
    assert 'href="/en/cases/page/5/"' not in first  # left out, with a gap...
    assert 'href="/en/cases/page/10/"' in first  # ...before the last page
    assert "pagination__gap" in first
    # Following "next" from the first page reaches every page once, in order.
    url: str | None = "/en/cases/"
    seen: list[str] = []
    while url:
        html = client.get(url).get_data(as_text=True)
        seen.append(url)
        before_next = html.split('rel="next"')[0] if 'rel="next"' in html else None
        url = before_next.rsplit('href="', 1)[1].split('"', 1)[0] if before_next else None
    assert seen == ["/en/cases/"] + [f"/en/cases/page/{n}/" for n in range(2, 11)]


def test_measures_are_promised_only_when_some_case_has_one(
    make_app, site: SiteBuilder, database_url: str
) -> None:
    site.standard().standard_cases()
    with_measures = fetch(make_app(database_url).test_client(), "/en/cases/")
    assert "year or measure" in with_measures.text_of(".lead")
    assert "measure" in facet_links(with_measures)


def test_no_measure_is_promised_when_no_case_has_one(
    make_app, site: SiteBuilder, database_url: str
) -> None:
    site.standard()
    for lang in ("en", "zh"):
        site.collection("2020-difficult", lang, year=2020)
        site.case("2020-difficult", "01-zhang", lang)
    client = make_app(database_url).test_client()
    page = fetch(client, "/en/cases/")
    assert "measure" not in page.text_of(".lead")
    assert "measure" not in page.html.find("meta", attrs={"name": "description"})["content"]
    assert "measure" not in facet_links(page)
    assert "measure" not in fetch(client, "/en/").text_of(".entry-list")
    fetch(client, "/en/cases/measure/detention/", status=404)


def test_the_collections_page_lists_each_collection_with_its_cases(
    cases_client: FlaskClient,
) -> None:
    for lang, lead, counts in (
        ("en", "2 collections, newest first.", ["(2021 · 1 case)", "(2020 · 2 cases)"]),
        ("zh", "共 2 个案例集，最新的在前。", ["(2021 · 1 个案例)", "(2020 · 2 个案例)"]),
    ):
        page = fetch(cases_client, f"/{lang}/cases/collections/")
        assert page.text_of(".lead") == lead
        links = [a["href"] for a in page.html.select(".collection-list a")]
        assert links == [f"/{lang}/cases/2021-discipline/", f"/{lang}/cases/2020-difficult/"]
        assert [s.get_text() for s in page.html.select(".collection-list .count")] == counts


def test_the_case_list_shows_the_newest_collections_and_links_to_all(
    make_app, site: SiteBuilder, database_url: str
) -> None:
    for year in range(2001, 2009):
        site.collection(f"{year}-collection", year=year)
        site.case(f"{year}-collection", "01-only", year=year)
    client = make_app(database_url, CASES_PAGE_SIZE=3).test_client()
    page = fetch(client, "/en/cases/")
    newest = [a["href"] for a in page.html.select(".collection-list a")]
    assert newest == [f"/en/cases/{year}-collection/" for year in range(2008, 2003, -1)]
    assert page.html.find("a", string="All collections (8)")["href"] == "/en/cases/collections/"
    # The later pages of the case list do not repeat them; the list of collections has pages.
    assert not fetch(client, "/en/cases/page/2/").html.select(".collection-list")
    seen = []
    for url in ("/en/cases/collections/", "/en/cases/collections/page/2/",
                "/en/cases/collections/page/3/"):  # fmt: skip
        seen += [a["href"] for a in fetch(client, url).html.select(".collection-list a")]
    assert seen == [f"/en/cases/{year}-collection/" for year in range(2008, 2000, -1)]
    for url in ("/en/cases/collections/page/4/", "/en/cases/collections/page/0/"):
        assert client.get(url).status_code == 404


def test_the_collections_page_counts_only_published_cases(
    make_app, site: SiteBuilder, database_url: str
) -> None:
    for lang in ("en", "zh"):
        site.collection("2020-difficult", lang, total_cases=5)
    site.case("2020-difficult", "01-public")
    site.case("2020-difficult", "01-public", "zh")  # two languages, one case
    site.case("2020-difficult", "02-draft", draft=True)
    site.case("2020-difficult", "03-later", publish_on=dt.date(2999, 1, 1))
    page = fetch(make_app(database_url).test_client(), "/en/cases/collections/")
    assert page.text_of(".collection-list .count") == "(2020 · 1 case)"


def test_the_collections_page_without_collections_says_so(
    make_app, site: SiteBuilder, database_url: str
) -> None:
    site.standard()
    client = make_app(database_url).test_client()
    page = fetch(client, "/zh/cases/collections/")
    assert page.text_of("main p:not(.lead)") == "暂无典型案例集。"
    assert "All collections" not in fetch(client, "/en/cases/").html.get_text()
