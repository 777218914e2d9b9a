"""Drafts and scheduled items: out of every page, listing, feed, download, search and the API
until their day at the courts; shown, marked, in a local preview only."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from portal.config import ConfigurationError, check_production_settings
from portal.db import queries
from portal.db.court_day import court_today
from portal.opendata.datasets import published_datasets
from portal.search.service import rebuild_search_index
from portal.web.db import session_factory
from tests.support.site import UNPUBLISHED_MARKERS, SiteBuilder

TODAY = court_today()
LATER = TODAY + dt.timedelta(days=40)
# Every unpublished item's title or key holds one of these; a public answer holds none.
MARKERS = UNPUBLISHED_MARKERS


@pytest.fixture
def unpublished_app(make_app: Callable[..., Flask], site: SiteBuilder, database_url: str) -> Flask:
    site.unpublished(LATER)
    # A page whose Chinese version is a draft, the English one public. (The footer links each
    # language's licence page whether it exists or not, so a freeze would refuse this site.)
    site.page("licence", "zh", draft=True, title="Draftmarker 许可")
    app = make_app(database_url)
    rebuild_search_index(session_factory(app), Path(app.config["INDEX_DIR"]))
    return app


def public_urls(app: Flask) -> list[str]:
    """Every page the sitemap lists, and every listing, feed, download and search."""
    client = app.test_client()
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    urls = [
        re.sub(r"^https://portal\.example\.test", "", u)
        for u in re.findall(r"<loc>([^<]+)", sitemap)
    ]
    with session_factory(app)() as session:
        keys = [dataset.key for dataset in published_datasets(session)]
    urls += [f"/data/{key}.{form}" for key in keys for form in ("csv", "json")]
    for lang in ("en", "zh"):
        urls += [
            f"/{lang}/", f"/{lang}/press/{LATER.year}/", f"/{lang}/cases/",
            f"/{lang}/cases/measure/judicial-auction/", f"/{lang}/data/",
            f"/{lang}/statistics/", f"/feeds/{lang}/press.atom", f"/feeds/{lang}/cases.atom",
            f"/{lang}/search/?q=zebracorn&scope=all", f"/{lang}/search/?q=zebracorn",
            f"/{lang}/search/?q=&kind=case", f"/{lang}/search/feed.atom?q=zebracorn",
        ]  # fmt: skip
    urls += [
        "/sitemap.xml", "/data/catalog.jsonld", "/api/v1/press-releases", "/api/v1/cases",
        "/api/v1/cases?measure=judicial-auction", "/api/v1/changes", "/api/v1/statistics",
        "/api/v1/search?q=zebracorn", "/api/v1/search?q=text",
        "/api/v1/press-releases?language=zh", "/api/v1/cases?year=2023",
    ]  # fmt: skip
    return list(dict.fromkeys(urls))


DETAIL_URLS = (
    "/en/press/2021/draftmarker/",
    f"/en/press/{LATER.year}/schedmarker/",
    f"/zh/press/{LATER.year}/schedmarker/",
    "/en/cases/2020-difficult/03-draftmarker/",
    "/en/cases/2020-difficult/04-schedmarker/",
    "/en/cases/2022-draftmarker/",
    "/en/cases/2022-draftmarker/01-inherits/",
    "/en/cases/2023-schedmarker/",
    "/en/cases/2023-schedmarker/01-inherits/",
    "/api/v1/press-releases/2021/draftmarker",
    f"/api/v1/press-releases/{LATER.year}/schedmarker",
    "/api/v1/cases/2020-difficult/03-draftmarker",
    "/api/v1/cases/2023-schedmarker/01-inherits",
    "/files/press/2021/draftmarker-annex.pdf",
    "/en/cases/measure/judicial-auction/",  # only a draft case has this measure
)


def test_no_public_answer_shows_a_draft_or_a_scheduled_item(unpublished_app: Flask) -> None:
    client = unpublished_app.test_client()
    urls = public_urls(unpublished_app)
    assert len(urls) > 60
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = response.get_data(as_text=True)
        assert not [m for m in MARKERS if m in body], f"{url} shows an unpublished item"
    for url in DETAIL_URLS:
        assert client.get(url).status_code == 404, url


def test_counts_leave_unpublished_items_out(unpublished_app: Flask) -> None:
    with session_factory(unpublished_app)() as session:
        counts = queries.facet_counts(session, "en")
        assert queries.listed_total(counts, None, None) == 3  # the standard three cases
        assert dict(counts["year"]) == {2021: 1, 2020: 2}
        assert "judicial-auction" not in dict(counts["measure"])
        assert queries.release_years(session) == [(2021, 1), (2020, 1)]
        assert queries.releases_page(session, "en", 1, 20).total == 2
        assert queries.release_items(session).total == 2
        assert queries.case_items(session).total == 3
        assert len(queries.collection_summaries(session, "en")) == 2
    api = unpublished_app.test_client().get("/api/v1/cases").get_json()
    assert api["total"] == 3


def test_a_page_with_a_draft_language_version_shows_only_the_public_one(
    unpublished_app: Flask,
) -> None:
    client = unpublished_app.test_client()
    english = client.get("/en/licence/").get_data(as_text=True)
    assert "Page licence (en)" in english
    assert 'hreflang="zh' not in english  # no link to a version that is not public
    chinese = client.get("/zh/licence/")
    assert "Draftmarker" not in chinese.get_data(as_text=True)


def test_a_scheduled_item_appears_on_its_day_at_the_courts(
    unpublished_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = unpublished_app.test_client()
    url = f"/en/press/{LATER.year}/schedmarker/"
    before = client.get("/api/v1/press-releases")
    assert client.get(url).status_code == 404
    monkeypatch.setattr(queries, "court_today", lambda: LATER - dt.timedelta(days=1))
    assert client.get(url).status_code == 404  # the day before, still nothing
    monkeypatch.setattr(queries, "court_today", lambda: LATER)
    assert client.get(url).status_code == 200
    assert "Schedmarker case" in client.get("/en/cases/").get_data(as_text=True)
    assert "Schedmarker release (en)" in client.get("/feeds/en/press.atom").get_data(as_text=True)
    # Its listing's validators change with it: a client's cached copy is not confirmed.
    after = client.get("/api/v1/press-releases", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.last_modified > before.last_modified
    changes = client.get("/api/v1/changes").get_json()["items"]
    added = [c for c in changes if c["key"] == f"{LATER.year}/schedmarker"]
    assert {c["change"] for c in added} == {"added"}
    # Added when its day began at the courts (UTC+8), not when it was loaded.
    assert {c["at"] for c in added} == {f"{LATER - dt.timedelta(days=1)}T16:00:00Z"}


def test_a_preview_shows_drafts_and_scheduled_items_marked_as_such(
    make_app: Callable[..., Flask], site: SiteBuilder, sqlite_url: str
) -> None:
    site.unpublished(LATER)
    client = make_app(sqlite_url, PREVIEW=True).test_client()
    draft = client.get("/en/press/2021/draftmarker/")
    assert draft.status_code == 200
    assert draft.headers["Cache-Control"] == "no-store"
    text = draft.get_data(as_text=True)
    assert "Draft</strong>" in text
    assert "Not public: shown only in this preview." in text
    scheduled = client.get("/en/cases/2023-schedmarker/01-inherits/").get_data(as_text=True)
    assert f"Scheduled for {LATER:%B} {LATER.day}, {LATER.year}" in scheduled
    listing = client.get("/en/press/").get_data(as_text=True)
    assert "Draftmarker release" in listing
    assert 'class="unpublished-mark"' in listing
    public = client.get("/en/press/2021/annual-report/").get_data(as_text=True)
    assert "unpublished" not in public  # a public item carries no mark


def test_the_production_guard_refuses_a_preview() -> None:
    settings = {"ENV": "production", "SECRET_KEY": "k" * 64, "SITE_URL": "https://court.example"}
    check_production_settings(settings)
    with pytest.raises(ConfigurationError, match="PORTAL_PREVIEW must be off"):
        check_production_settings({**settings, "PREVIEW": True})
