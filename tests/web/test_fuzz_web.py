"""Hypothesis fuzzes every query parameter of every page and API endpoint, and every form field
(the lookup page's name and number, the status check's name, number and case, the JSON bodies
of both APIs): no input gives a server error.
Every answer, whatever it is, carries the security headers."""

from __future__ import annotations

import json
from urllib.parse import quote, quote_from_bytes

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from portal.search.query import FACETS
from tests.support.pagecheck import check_headers, check_public_headers

# One URL for every route of the app (each with path values the proof site has).
ENDPOINT_URLS = [
    "/", "/en/", "/zh/about/", "/en/licence/", "/files/attachments/none.pdf",
    "/en/press/", "/en/press/page/2/", "/en/press/2021/", "/en/press/2021/page/2/",
    "/en/press/2021/annual-report/",
    "/en/cases/", "/en/cases/page/2/",
    "/en/cases/court/minhang-district/", "/en/cases/cause/private-lending/",
    "/en/cases/category/difficult-enforcement/", "/en/cases/year/2020/", "/en/cases/measure/fine/",
    "/en/cases/court/minhang-district/page/2/", "/en/cases/cause/private-lending/page/2/",
    "/en/cases/category/difficult-enforcement/page/2/", "/en/cases/year/2020/page/2/",
    "/en/cases/measure/fine/page/2/", "/en/cases/collections/", "/zh/cases/collections/page/2/",
    "/en/cases/2020-difficult/", "/zh/cases/2020-difficult/02-li/",
    "/en/search/", "/zh/search/", "/en/debtors/", "/en/data/", "/data/cases.csv",
    "/data/press-releases.json", "/data/catalog.jsonld", "/zh/statistics/", "/en/victims/",
    "/zh/victims/demo-case/", "/feeds/zh/victims.atom", "/en/victims/status/",
    "/api/v1/victims/statistics",
    "/data/datapackage.json", "/data/schemas/cases.json", "/en/data/api/",
    "/zh/search/opensearch.xml", "/en/contact/",
    "/healthz",
    "/feeds/en/press.atom", "/feeds/zh/cases.atom", "/en/cases/court/minhang-district/feed.atom",
    "/en/cases/cause/private-lending/feed.atom",
    "/en/cases/category/difficult-enforcement/feed.atom",
    "/en/cases/year/2020/feed.atom", "/en/cases/measure/fine/feed.atom", "/en/search/feed.atom",
    "/en/search/results.csv", "/en/feeds/", "/en/feeds/feed.xsl",
    "/sitemap.xml", "/robots.txt", "/api/v1/", "/api/v1/openapi.json", "/api/v1/press-releases",
    "/api/v1/press-releases/2021/annual-report", "/api/v1/cases",
    "/api/v1/cases/2020-difficult/02-li", "/api/v1/vocabularies", "/api/v1/statistics",
    "/api/v1/changes", "/api/v1/search", "/static/css/portal.css",
]  # fmt: skip
# Every parameter name a page or the API reads, and a few it does not.
PARAMETER_NAMES = sorted(
    {"q", "scope", "sort", "page", "per_page", "lang", "format", "since", "year", "kind",
     "language", "collection", "release", *FACETS, "utm_source", "", "q[]", "page ", "name",
     "number", "case", "case_key"}
)  # fmt: skip
HOSTILE = st.sampled_from(
    ["", "0", "-1", "1e9", "99999999999999999999", "1000", "1001", "NaN", "true", "null", "*",
     "'", '"', "\\", "<script>", "%", "%%", "%00", "\x00", "\x7f", "\u202e", "\ufeff", "a" * 5000,
     "民间借贷", "年度报告", "en", "zh", "all", "date", "case", "press", "2020", "minhang-district",
     '"unclosed phrase', "-", "--", "- -", "((", "title:x", "x AND y", "?", "\r\n"]
)  # fmt: skip
VALUES = st.one_of(HOSTILE, st.text(max_size=60))


def encode(value: str | bytes) -> str:
    if isinstance(value, bytes):
        return quote_from_bytes(value, safe="")
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


QUERY_STRINGS = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(PARAMETER_NAMES), st.text(max_size=10)),
        st.one_of(VALUES, st.binary(max_size=30)),  # bytes: percent-encoded, often not UTF-8
    ),
    max_size=6,
).map(lambda pairs: "&".join(f"{encode(name)}={encode(value)}" for name, value in pairs))

FUZZ = settings(
    max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    check_public_headers(what, response.headers) if response.status_code != 304 else None


def test_every_route_is_fuzzed(proof_app: Flask) -> None:
    adapter = proof_app.url_map.bind("portal.example.test")
    reached = set()
    for url in ENDPOINT_URLS:
        try:
            reached.add(adapter.match(url, method="GET", return_rule=True)[0].rule)
        except RequestRedirect:  # pragma: no cover - every URL above is canonical
            pytest.fail(f"{url} redirects")
    routes = {rule.rule for rule in proof_app.url_map.iter_rules() if "GET" in rule.methods}
    assert routes - reached == set()
    with pytest.raises((NotFound, MethodNotAllowed)):
        adapter.match("/no/such/route/at/all", method="GET")


@pytest.mark.parametrize("url", ENDPOINT_URLS)
def test_query_parameters_never_cause_a_server_error(proof_client, url: str) -> None:
    @FUZZ
    @given(QUERY_STRINGS)
    def run(query: str) -> None:
        response = proof_client.get(f"{url}?{query}")
        assert_no_server_error(response, f"GET {url}?{query}")

    run()


# The forms that answer a POST: the debtor lookup, the victims' status check.
FORMS = ["/{lang}/debtors/", "/{lang}/victims/status/"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("form", FORMS)
def test_the_lookup_forms_never_cause_a_server_error(proof_client, form: str, lang: str) -> None:
    fields = st.one_of(VALUES, st.binary(max_size=60))
    url = form.format(lang=lang)

    @FUZZ
    @given(name=fields, number=fields, case=fields, extra=QUERY_STRINGS)
    def run(name, number, case, extra: str) -> None:
        body = f"name={encode(name)}&number={encode(number)}&case={encode(case)}&{extra}"
        response = proof_client.post(
            url,
            data=body.encode("ascii"),
            content_type="application/x-www-form-urlencoded",
        )
        assert_no_server_error(response, f"POST {url} {body[:200]}")
        assert response.status_code in (200, 400, 422)  # 400: a field holds a NUL or the like

    run()


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), VALUES),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)
    ),
    max_leaves=8,
)  # fmt: skip


@pytest.mark.parametrize("api", ["/api/v1/debtors/lookup", "/api/v1/victims/status"])
def test_the_lookup_apis_never_cause_a_server_error(proof_client, api: str) -> None:
    fields = {"name": JSON_VALUES, "id_number": JSON_VALUES, "case_key": JSON_VALUES}
    bodies = st.one_of(
        st.fixed_dictionaries({}, optional=fields)
        .map(json.dumps).map(str.encode),
        JSON_VALUES.map(json.dumps).map(str.encode),
        st.binary(max_size=80),
    )  # fmt: skip
    types = st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded",
                             "application/json; charset=latin-1", ""])  # fmt: skip

    @FUZZ
    @given(body=bodies, content_type=types)
    def run(body: bytes, content_type: str) -> None:
        response = proof_client.post(api, data=body, content_type=content_type)
        assert_no_server_error(response, f"POST {api} {body[:200]!r} ({content_type})")

    run()


def test_search_queries_with_every_facet(proof_client) -> None:
    """The search page and API with its text and every facet fuzzed at once."""
    facets = st.fixed_dictionaries({}, optional=dict.fromkeys((*FACETS, "q", "page"), VALUES))

    @FUZZ
    @given(params=facets, lang=st.sampled_from(["en", "zh"]))
    def run(params: dict[str, str], lang: str) -> None:
        query = "&".join(f"{encode(k)}={encode(v)}" for k, v in params.items())
        for url in (f"/{lang}/search/?{query}", f"/api/v1/search?lang={lang}&{query}",
                    f"/{lang}/search/feed.atom?{query}"):  # fmt: skip
            assert_no_server_error(proof_client.get(url), url)

    run()


def test_headers_are_checked_on_errors_too(proof_client) -> None:
    response = proof_client.get("/en/cases/court/no-such-court/?page=%ff")
    assert response.status_code == 404
    check_headers("/en/cases/court/no-such-court/", response.headers)
