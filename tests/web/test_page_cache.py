"""The page cache in Redis (PORTAL_PAGE_CACHE_URL): a kept page is the page itself, headers,
validators and 304 included; personal answers and searches are never kept; every command that
changes published data clears it; without Redis the pages are rendered as without a cache."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask

from portal.cli import cli
from portal.db.load import load_content
from portal.search.service import rebuild_search_index
from portal.static_site.freeze import freeze
from portal.web.db import session_factory
from portal.web.security import SECURITY_HEADERS
from tests.support.debtorfiles import TEST_SECRET, person, resident_id, write_csv
from tests.support.site import SiteBuilder

CASE_PAGE = "/en/cases/2020-difficult/01-zhang/"
CASE_PAGE_ZH = "/zh/cases/2020-difficult/01-zhang/"
HTTPS = {"base_url": "https://portal.example.test"}


@pytest.fixture
def prefix(redis_server: str) -> Iterator[str]:
    """A key prefix of the test's own in the Redis server; its keys are deleted after it."""
    name = f"portal-test-pages-{uuid.uuid4().hex}:"
    yield name
    connection = redis.Redis.from_url(redis_server)
    for key in connection.scan_iter(f"{name}*"):
        connection.delete(key)
    connection.close()


@pytest.fixture
def kept_pages(redis_server: str, prefix: str) -> Iterator[Callable[[], list[str]]]:
    """The paths the test's page cache keeps, as Redis lists them."""
    connection = redis.Redis.from_url(redis_server)
    yield lambda: sorted(key.decode()[len(prefix) :] for key in connection.scan_iter(f"{prefix}*"))
    connection.close()


@pytest.fixture
def apps(make_app, site: SiteBuilder, sqlite_url: str, redis_server: str, prefix: str):
    """The standard site with its cases, served with the page cache and without it."""
    site.standard().standard_cases()
    cached = make_app(
        sqlite_url, SECRET_KEY=TEST_SECRET, PAGE_CACHE_URL=redis_server,
        PAGE_CACHE_KEY_PREFIX=prefix,
    )  # fmt: skip
    plain = make_app(sqlite_url, load=False, SECRET_KEY=TEST_SECRET)
    rebuild_search_index(session_factory(cached), Path(cached.config["INDEX_DIR"]))
    return cached, plain


def portal_command(app: Flask, *args: str):
    """Run `portal ARGS` on `app` itself, as the operator's command would on its settings."""
    result = app.test_cli_runner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def same_answer(first, second) -> None:
    """The same status, body and headers; but Date, which says when each was rendered (a kept
    page keeps its own, so that a browser counts the minute from then)."""
    assert first.status_code == second.status_code
    assert first.get_data() == second.get_data()
    assert without_date(first.headers) == without_date(second.headers)


def without_date(headers) -> list[tuple[str, str]]:
    return sorted((name, value) for name, value in headers.items() if name != "Date")


@pytest.mark.redis
def test_a_kept_page_is_the_page_itself_with_its_validator(apps, kept_pages) -> None:
    cached, plain = apps
    client = cached.test_client()
    rendered = plain.test_client().get(CASE_PAGE, **HTTPS)
    first = client.get(CASE_PAGE, **HTTPS)
    assert kept_pages() == [CASE_PAGE]
    kept = client.get(CASE_PAGE, **HTTPS)
    for answer in (first, kept):
        same_answer(answer, rendered)
    assert kept.headers["Cache-Control"] == "public, max-age=60"
    assert kept.headers["Strict-Transport-Security"]  # added for this request, not kept
    for name, value in SECURITY_HEADERS.items():
        assert kept.headers[name] == value

    again = client.get(CASE_PAGE, headers={"If-None-Match": kept.headers["ETag"]}, **HTTPS)
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == rendered.headers["ETag"]
    assert again.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    other = client.get(CASE_PAGE, headers={"If-None-Match": '"not-this-page"'}, **HTTPS)
    same_answer(other, rendered)
    head = client.head(CASE_PAGE, **HTTPS)
    assert head.status_code == 200
    assert head.headers["ETag"] == rendered.headers["ETag"]


@pytest.mark.redis
def test_each_language_is_kept_apart(apps, kept_pages) -> None:
    cached, plain = apps
    client = cached.test_client()
    for _ in range(2):
        for url in (CASE_PAGE, CASE_PAGE_ZH, "/en/cases/", "/zh/cases/"):
            same_answer(client.get(url), plain.test_client().get(url))
    assert kept_pages() == sorted([CASE_PAGE, CASE_PAGE_ZH, "/en/cases/", "/zh/cases/"])
    assert 'lang="zh' in client.get(CASE_PAGE_ZH).get_data(as_text=True)


@pytest.mark.redis
def test_lookups_searches_and_errors_are_never_kept(apps, kept_pages) -> None:
    cached, _ = apps
    client = cached.test_client()
    for _ in range(2):
        assert client.get("/en/debtors/").headers["Cache-Control"] == "no-store"
        lookup = client.post("/en/debtors/", data={"name": "张伟", "number": resident_id()})
        assert lookup.headers["Cache-Control"] == "no-store"
        assert client.post("/api/v1/debtors/lookup", json={"name": "张伟"}).status_code == 200
        assert client.get("/en/victims/status/").headers["Cache-Control"] == "no-store"
        assert client.get("/en/search/?q=zhang").status_code == 200
        assert client.get("/api/v1/search?q=zhang").status_code == 200
        assert client.get("/en/no-such-page/").status_code == 404
        client.get("/static/css/portal.css").close()
    assert kept_pages() == []


@pytest.mark.redis
def test_a_load_clears_the_kept_pages(apps, site: SiteBuilder, kept_pages) -> None:
    cached, _ = apps
    client = cached.test_client()
    before = client.get(CASE_PAGE)
    site.case(
        "2020-difficult", "01-zhang", "en", title="Zhang, retitled", measures=["fine", "detention"]
    )
    # Loaded without the command: the kept page is still answered, as for up to a minute.
    load_content(session_factory(cached), site.content, site.cases)
    assert client.get(CASE_PAGE).get_data() == before.get_data()

    portal_command(cached, "load")
    assert kept_pages() == []
    after = client.get(CASE_PAGE, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "Zhang, retitled" in after.get_data(as_text=True)


@pytest.mark.redis
def test_a_delisting_clears_the_kept_pages(apps, tmp_path: Path, kept_pages) -> None:
    cached, plain = apps
    rows = [person("R1"), person("R2", id_number=resident_id(sequence="456"))]
    portal_command(cached, "import-debtors", str(write_csv(tmp_path / "list.csv", rows)))
    client = cached.test_client()
    before = client.get("/en/statistics/")
    assert kept_pages() == ["/en/statistics/"]

    portal_command(cached, "delist", "R1", "--reason", "paid in full")
    assert kept_pages() == []
    after = client.get("/en/statistics/")
    assert after.get_data() != before.get_data()
    same_answer(after, plain.test_client().get("/en/statistics/"))


@pytest.mark.redis
def test_the_static_copy_neither_reads_nor_writes_the_kept_pages(
    apps, tmp_path: Path, kept_pages
) -> None:
    cached, _ = apps
    cached.test_client().get(CASE_PAGE)
    freeze(cached, tmp_path / "frozen", pagefind=False)
    assert (tmp_path / "frozen" / CASE_PAGE.strip("/") / "index.html").exists()
    assert kept_pages() == [CASE_PAGE]


def test_without_redis_pages_are_rendered_and_the_log_says_so_once(
    make_app, site: SiteBuilder, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    site.standard().standard_cases()
    # Nothing listens on port 1.
    app = make_app(sqlite_url, PAGE_CACHE_URL="redis://127.0.0.1:1/0")
    plain = make_app(sqlite_url, load=False)
    client = app.test_client()
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            same_answer(client.get(CASE_PAGE), plain.test_client().get(CASE_PAGE))
        result = app.test_cli_runner().invoke(cli, ["load"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "page cache in Redis could not be cleared" in result.output
    assert caplog.text.count("page cache: Redis cannot be used") == 1
