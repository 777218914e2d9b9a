"""Feeds for people: each feed names the portal's XSLT, which shows it as a page in browsers that
apply XSLT, and /<lang>/feeds/ explains every feed and how to subscribe, for the others."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from portal.search.service import rebuild_search_index
from portal.web.db import session_factory
from tests.support.pagecheck import check_headers, check_html, fetch
from tests.support.site import SiteBuilder

FEEDS = [
    "/feeds/en/press.atom",
    "/feeds/zh/cases.atom",
    "/en/cases/court/minhang-district/feed.atom",
    "/zh/search/feed.atom?q=借贷",
]


@pytest.fixture
def client(make_app, site: SiteBuilder, database_url: str) -> FlaskClient:
    site.standard().standard_cases()
    app: Flask = make_app(database_url)
    rebuild_search_index(session_factory(app), Path(app.config["INDEX_DIR"]))
    return app.test_client()


def stylesheet_of(feed: bytes) -> str:
    found = re.search(rb'<\?xml-stylesheet type="text/xsl" href="([^"]+)"\?>', feed[:300])
    assert found, feed[:300]
    return found.group(1).decode()


@pytest.mark.parametrize("url", FEEDS)
def test_each_feed_names_the_stylesheet_that_shows_it_as_a_page(client: FlaskClient, url) -> None:
    feed = client.get(url)
    assert feed.mimetype == "application/atom+xml"
    assert feedparser.parse(feed.data).bozo == 0  # feed readers still read it
    lang = url.split("/")[2] if url.startswith("/feeds/") else url.split("/")[1]
    href = stylesheet_of(feed.data)
    assert href == f"/{lang}/feeds/feed.xsl"
    xslt = client.get(href)
    assert (xslt.status_code, xslt.mimetype) == (200, "text/xsl")
    check_headers(href, xslt.headers)
    transform = etree.XSLT(etree.fromstring(xslt.data))  # well-formed XSLT 1.0
    html = str(transform(etree.fromstring(feed.data)))
    page = check_html(url, html)
    titles = [entry.title for entry in feedparser.parse(feed.data).entries]
    assert titles
    assert [a.get_text() for a in page.select(".feed-entries h2 a")] == titles
    assert page.html["lang"] == ("en" if lang == "en" else "zh-Hans")
    assert page.select_one("h1").get_text() == feedparser.parse(feed.data).feed.title
    # The site's stylesheet, nothing inline: the CSP of the feed allows it as it is.
    assert [link["href"] for link in page.select("link[rel=stylesheet]")] == [
        "/static/css/portal.css"
    ]
    assert not page.select("style, script, [style]")
    assert page.select_one(".feed-notice a")["href"] == f"/{lang}/feeds/"


@pytest.mark.parametrize(
    ("lang", "heading", "subscribe"),
    [("en", "Feeds", "How to subscribe"), ("zh", "订阅源", "如何订阅")],
)
def test_the_feeds_page_lists_every_feed_and_says_how_to_subscribe(
    client: FlaskClient, lang: str, heading: str, subscribe: str
) -> None:
    page = fetch(client, f"/{lang}/feeds/")
    assert page.text_of("h1") == heading
    assert subscribe in [h.get_text() for h in page.html.select("h2")]
    listed = [a["href"] for a in page.html.select('a[type="application/atom+xml"]')]
    assert f"/feeds/{lang}/press.atom" in listed
    assert f"/feeds/{lang}/cases.atom" in listed
    assert f"/{lang}/cases/court/minhang-district/feed.atom" in listed
    for url in listed:
        assert client.get(url).status_code == 200, url
    assert page.html.select_one(f'a[href="/{lang}/search/"]')  # how to follow a search


def test_pages_with_feeds_link_the_feeds_page(client: FlaskClient) -> None:
    for url in ("/en/", "/zh/cases/", "/en/data/"):
        page = fetch(client, url)
        assert page.html.select_one(f'a[href="/{url[1:3]}/feeds/"]'), url


@pytest.mark.parametrize(
    ("lang", "facet", "key"),
    [("zh", "year", "2020"), ("en", "year", "2021"), ("en", "court", "minhang-district")],
)
def test_a_facet_feed_is_titled_as_its_listing_and_listed_so(
    client: FlaskClient, lang: str, facet: str, key: str
) -> None:
    listing = fetch(client, f"/{lang}/cases/{facet}/{key}/")
    announced = listing.html.select_one('link[rel=alternate][type="application/atom+xml"]')
    feed = feedparser.parse(client.get(announced["href"]).data).feed
    # The listing's heading, the feed's title and the link that announces it say the same.
    assert feed.title == listing.text_of("h1") == announced["title"]
    value = listing.text_of("h1").rsplit(":", 1)[-1].rsplit("：", 1)[-1].strip()
    feeds_page = fetch(client, f"/{lang}/feeds/")
    listed = feeds_page.html.select_one(f'a[href="{announced["href"]}"]')
    assert listed.get_text(strip=True) == value
