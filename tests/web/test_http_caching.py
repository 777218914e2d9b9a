"""HTTP caching: public pages say how long a browser or a shared cache may keep them and carry
an ETag of their body, answering 304 when the client has the page already; personal answers
(the debtor lookup) are never kept; a content load gives a changed page a new validator."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.db.load import load_content
from portal.web.db import session_factory
from tests.support.pagekinds import LANGUAGES, PAGE_KINDS, PageKind
from tests.support.site import SiteBuilder

# The lookups in the registers: the debtor lookup and the victims' status check.
PRIVATE_KINDS = [kind for kind in PAGE_KINDS if kind.name.startswith(("lookup", "victim-status"))]
PUBLIC_KINDS = [kind for kind in PAGE_KINDS if kind.status == 200 and kind not in PRIVATE_KINDS]
CASE_PAGE = "/en/cases/2020-difficult/01-zhang/"


def public_cases(kinds: list[PageKind]) -> list[tuple[PageKind, str]]:
    return [(kind, lang) for kind in kinds for lang in LANGUAGES]


def case_ids(kinds: list[PageKind]) -> list[str]:
    return [f"{kind.name}-{lang}" for kind in kinds for lang in LANGUAGES]


def max_age(cache_control: str) -> int:
    directives = dict(
        part.strip().partition("=")[::2] for part in cache_control.split(",") if part.strip()
    )
    return int(directives["max-age"])


@pytest.mark.parametrize(("kind", "lang"), public_cases(PUBLIC_KINDS), ids=case_ids(PUBLIC_KINDS))
def test_a_public_page_may_be_cached_and_answers_304_to_its_etag(
    proof_client: FlaskClient, kind: PageKind, lang: str
) -> None:
    first = proof_client.get(kind.url(lang))
    assert first.status_code == 200
    assert "public" in first.headers["Cache-Control"]
    assert 0 < max_age(first.headers["Cache-Control"]) <= 60
    etag = first.headers["ETag"]
    again = proof_client.get(kind.url(lang), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    # A validator the page never had gets the page itself.
    other = proof_client.get(kind.url(lang), headers={"If-None-Match": '"not-this-page"'})
    assert other.status_code == 200
    assert other.get_data() == first.get_data()


def test_each_language_of_a_page_has_its_own_validator(proof_client: FlaskClient) -> None:
    english = proof_client.get("/en/cases/2020-difficult/02-li/")
    chinese = proof_client.get("/zh/cases/2020-difficult/02-li/")
    assert english.headers["ETag"] != chinese.headers["ETag"]
    crossed = proof_client.get(
        "/zh/cases/2020-difficult/02-li/", headers={"If-None-Match": english.headers["ETag"]}
    )
    assert crossed.status_code == 200


@pytest.mark.parametrize(("kind", "lang"), public_cases(PRIVATE_KINDS), ids=case_ids(PRIVATE_KINDS))
def test_a_lookup_is_never_stored_nor_given_a_validator(
    proof_client: FlaskClient, kind: PageKind, lang: str
) -> None:
    if kind.form is None:
        response = proof_client.get(kind.url(lang))
    else:
        response = proof_client.post(kind.url(lang), data=kind.form)
    assert response.status_code == kind.status
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


def test_the_api_lookup_is_never_stored(proof_client: FlaskClient) -> None:
    response = proof_client.post("/api/v1/debtors/lookup", json={"name": "王五"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", ["/en/no-such-page/", "/api/v1/no-such-thing"])
def test_an_error_is_not_marked_public(proof_client: FlaskClient, url: str) -> None:
    response = proof_client.get(url)
    assert response.status_code == 404
    assert "public" not in (response.headers.get("Cache-Control") or "")
    assert "ETag" not in response.headers


def test_pages_with_the_registers_figures_are_kept_a_shorter_while(
    proof_client: FlaskClient,
) -> None:
    case = max_age(proof_client.get("/en/cases/").headers["Cache-Control"])
    statistics = max_age(proof_client.get("/en/statistics/").headers["Cache-Control"])
    assert statistics < case


def test_static_files_keep_their_own_caching(proof_client: FlaskClient) -> None:
    response = proof_client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert "public" not in response.headers["Cache-Control"]
    response.close()


def test_a_hostile_search_stays_escaped_in_the_translated_title(
    proof_client: FlaskClient,
) -> None:
    for lang in LANGUAGES:
        html = proof_client.get(f"/{lang}/search/?q=<script>x</script>").get_data(as_text=True)
        title = html.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "&lt;script&gt;x&lt;/script&gt;" in title
        assert "<script>x" not in html


@pytest.fixture
def cases_app(make_app, site: SiteBuilder, database_url: str) -> Flask:
    site.standard().standard_cases()
    return make_app(database_url)


def test_a_load_that_changes_a_page_gives_it_a_new_validator(
    cases_app: Flask, site: SiteBuilder
) -> None:
    client = cases_app.test_client()
    before = client.get(CASE_PAGE)
    listing = client.get("/en/cases/")
    load_content(session_factory(cases_app), site.content, site.cases)  # nothing changed
    unchanged = client.get(CASE_PAGE, headers={"If-None-Match": before.headers["ETag"]})
    assert unchanged.status_code == 304

    site.case(
        "2020-difficult", "01-zhang", "en", title="Zhang, retitled", measures=["fine", "detention"]
    )
    load_content(session_factory(cases_app), site.content, site.cases)
    for url, seen in ((CASE_PAGE, before), ("/en/cases/", listing)):
        after = client.get(url, headers={"If-None-Match": seen.headers["ETag"]})
        assert after.status_code == 200
        assert "Zhang, retitled" in after.get_data(as_text=True)
        assert after.headers["ETag"] != seen.headers["ETag"]


def test_a_removed_case_is_gone_at_once(cases_app: Flask, site: SiteBuilder) -> None:
    client = cases_app.test_client()
    etag = client.get(CASE_PAGE).headers["ETag"]
    for lang in ("en", "zh"):
        (site.cases / f"2020-difficult/01-zhang.{lang}.md").unlink()
    load_content(session_factory(cases_app), site.content, site.cases)
    assert client.get(CASE_PAGE, headers={"If-None-Match": etag}).status_code == 404
