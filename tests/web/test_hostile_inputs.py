"""Every route of the app's URL map (the list `portal routes` prints, so a new route is swept
without a change here) answered with a catalogue of hostile values in each path segment, each
query parameter, the request headers and the bodies of the POST routes, on SQLite and on
PostgreSQL: never a server error, never a traceback. Then the answers that matter one by one."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from portal.content.facets import CASE_FACETS, SEARCH_FACETS
from tests.support.pagekinds import DEBTOR_NAME, DEBTOR_NUMBER

# Hostile values as they travel in a URL (percent-encoded): control characters, text that is
# not UTF-8 or not Unicode, digits of other scripts, numbers beyond every integer type, signs
# and spellings that int() accepts, and a few classics.
HOSTILE_VALUES = {
    "NUL": "%00",
    "NUL inside": "a%00b",
    "control": "%01",
    "escape": "%1B",
    "tab": "%09",
    "CR LF": "%0D%0A",
    "delete": "%7F",
    "next line (C1)": "%C2%85",
    "line separator": "%E2%80%A8",
    "lone surrogate": "%ED%A0%80",
    "not UTF-8": "%FF%FE",
    "overlong slash": "%C0%AF",
    "beyond U+10FFFF": "%F4%90%80%80",
    "noncharacter": "%EF%BF%BF",
    "superscript two": "%C2%B2",
    "circled one": "%E2%91%A0",
    "Arabic-Indic three": "%D9%A3",
    "fullwidth three": "%EF%BC%93",
    "5,000 digits": "9" * 5000,
    "2^31": "2147483648",
    "2^63 - 1": "9223372036854775807",
    "2^63": "9223372036854775808",
    "2^64": "18446744073709551616",
    "zero": "0",
    "negative": "-1",
    "negative zero": "-0",
    "plus sign": "%2B1",
    "leading space": "%201",
    "underscore": "1_0",
    "exponent": "1e3",
    "leading zeros": "0000000001",
    "5,000 letters": "a" * 5000,
    "empty": "",
    "dot dot": "..",
    "encoded slash": "%2F",
    "markup": "%3Cscript%3E",
    "quotes": "%27%22",
    "percent": "%25",
    "Chinese": "%E6%B0%91%E9%97%B4",
}
# Every query parameter a page or the API reads (search, listings, the changes list, the
# downloads), every facet, and one nobody reads.
PARAMETER_NAMES = sorted(
    {"q", "page", "per_page", "since", "lang", "language", "year", "format", "scope", "sort",
     "kind", "collection", "utm_source", *SEARCH_FACETS}
)  # fmt: skip
# A value each path variable takes on the proof site, so that query parameters and headers
# reach the view itself rather than a 404.
FACET_KEYS = {"court": "minhang-district", "cause": "private-lending",
              "category": "difficult-enforcement", "year": 2020, "measure": "fine"}  # fmt: skip
assert set(FACET_KEYS) == set(CASE_FACETS)
HEADERS = [
    ("Accept-Language", "*;q=NaN, en;q=99999999999999999999, zh;q=-1"),
    ("Accept-Language", "x" * 5000),
    ("Accept-Language", "\x00\x01zh"),
    ("If-None-Match", '"'),
    ("If-None-Match", "W/" + '"x",' * 2000),
    ("If-Modified-Since", "Mon, 99 Foo 99999 99:99:99 GMT"),
    ("If-Modified-Since", "Fri, 31 Dec 9999 23:59:59 GMT"),
    ("If-Modified-Since", "Mon, 01 Jan 0001 00:00:00 GMT"),
    ("If-Modified-Since", "9" * 5000),
    ("Range", "bytes=0-99999999999999999999999999"),
    ("Range", "bytes=5-1"),
    ("Range", "bytes=" + ",".join(f"{n}-{n}" for n in range(2000))),
    ("Range", "lines=\x00"),
    ("Host", ""),
    ("Host", "[::1"),
    ("Host", "portal.example.test:99999999999"),
    ("X-Forwarded-For", "\x00, ::::, 999.999.999.999"),
]
ODD_METHODS = ("PUT", "DELETE", "PATCH", "TRACE", "PROPFIND", "BREW", "OPTIONS")
DEEP = 5000


def post_bodies() -> Iterator[tuple[str, str, bytes]]:
    """(what, Content-Type, body) of hostile bodies for the POST routes."""
    form = "application/x-www-form-urlencoded"
    for what, value in HOSTILE_VALUES.items():
        yield f"form name {what}", form, f"name={value}&number=".encode()
        yield f"form number {what}", form, f"name=x&number={value}".encode()
        # The victims' status check's case, next to a valid name and number.
        yield f"form case {what}", form, f"name=x&number={DEBTOR_NUMBER}&case={value}".encode()
    yield "form, name repeated", form, b"name=a&name=b&number=1&number=2"
    json_strings = {"NUL": "\u0000", "lone surrogate": "\ud800",
                    "surrogate pair halves": "\udc00\ud800", "noncharacter": "\uffff",
                    "5,000 digits": "9" * 5000, "Arabic-Indic digits": "٣" * 18}  # fmt: skip
    for what, value in json_strings.items():
        escaped = json.dumps(value)  # \\u escapes: the lone surrogate stays representable
        yield f"JSON name {what}", "application/json", f'{{"name": {escaped}}}'.encode()
        yield (f"JSON number {what}", "application/json",
               f'{{"name": "x", "id_number": {escaped}}}'.encode())  # fmt: skip
        yield f"JSON key {what}", "application/json", f'{{{escaped}: "x"}}'.encode()
        case = {"name": "x", "id_number": DEBTOR_NUMBER}
        yield (f"JSON case key {what}", "application/json",
               json.dumps(case)[:-1].encode() + f', "case_key": {escaped}}}'.encode())  # fmt: skip
    yield "JSON nested arrays", "application/json", b"[" * DEEP + b"]" * DEEP
    yield "JSON nested objects", "application/json", b'{"a":' * DEEP + b"1" + b"}" * DEEP
    yield "JSON name nested", "application/json", b'{"name":' + b"[" * DEEP + b"]" * DEEP + b"}"
    huge = b'{"name": "' + b"x" * 100_000 + b'"}'
    odd_json = {"null": b"null", "number": b"1e999999", "list": b'["x"]',
                "name a number": b'{"name": 1}', "name a list": b'{"name": ["x"]}',
                "number an object": b'{"name": "x", "id_number": {}}', "invalid": b'{"name": ',
                "bytes": b"\xff\xfe\x00", "empty": b"", "huge": huge}  # fmt: skip
    for what, body in odd_json.items():
        yield f"JSON {what}", "application/json", body
    name = json.dumps({"name": DEBTOR_NAME}, ensure_ascii=False)
    yield "UTF-16 declared", "application/json; charset=utf-16", name.encode("utf-16")
    yield "Latin-1 declared", "application/json; charset=latin-1", name.encode()
    yield "multipart without boundary", "multipart/form-data", b"--x\r\n\r\nname"
    yield "multipart broken", "multipart/form-data; boundary=x", b"--x\r\nContent-Disp\x00\r\n"
    yield "text", "text/plain", b"name=x"
    yield "no type", "", b"\x00" * 100
    yield "huge form", form, b"name=" + b"x" * 100_000


@dataclass(frozen=True)
class RoutePaths:
    """A route's URL with a marker in place of each path variable, and with sample values."""

    rule: Rule
    markers: dict[str, str]  # variable -> the marker text in `template`
    template: str
    sample: str

    @property
    def methods(self) -> list[str]:
        return sorted((self.rule.methods or set()) - {"HEAD", "OPTIONS"})

    def with_value(self, variable: str, value: str) -> str:
        """The sample URL with one variable's segment replaced by a raw (encoded) value."""
        url = self.template.replace(self.markers[variable], value)
        for other, marker in self.markers.items():
            if other != variable:
                url = url.replace(marker, self.sample_value(other))
        return url

    def sample_value(self, variable: str) -> str:
        defaults = self.rule.defaults or {}
        if variable == "key" and "facet" in defaults:
            return str(FACET_KEYS[defaults["facet"]])
        if variable == "key" and self.rule.endpoint == "victims.notice":
            return "demo-case"
        samples = {
            "lang": "en",
            "year": "2021",
            "page": "1",
            "slug": "02-li" if "case" in self.rule.endpoint else "annual-report",
            "collection": "2020-difficult",
            "path": "attachments/none.pdf",
            "filename": "css/portal.css",
            "key": "cases",
            "format": "csv",
        }
        assert variable in samples, f"give {self.rule.rule}'s <{variable}> a sample value here"
        return samples[variable]


# A variable in a rule's text: <name>, <converter:name> or <converter(arguments):name>.
VARIABLE = re.compile(r"<(?:[^<>]*:)?(\w+)>")


def route_paths(app: Flask) -> list[RoutePaths]:
    """Every rule of the app's URL map, each path variable marked."""
    routes = []
    for rule in app.url_map.iter_rules():
        markers = {name: f"@{name}@" for name in VARIABLE.findall(rule.rule)}
        template = VARIABLE.sub(lambda match: f"@{match[1]}@", rule.rule)
        paths = RoutePaths(rule, markers, template, "")
        sample = template
        for variable, marker in markers.items():
            sample = sample.replace(marker, paths.sample_value(variable))
        routes.append(RoutePaths(rule, markers, template, sample))
    return routes


class Sweep:
    """Requests sent to one app, and every answer that was a server error or showed a trace."""

    def __init__(self, app: Flask) -> None:
        self.client: FlaskClient = app.test_client()
        self.failures: list[str] = []
        self.sent = 0

    def send(self, method: str, url: str, what: str, **options) -> int:
        self.sent += 1
        response = self.client.open(url, method=method, **options)
        body = response.get_data()
        if response.status_code >= 500 or b"Traceback" in body:
            self.failures.append(f"{response.status_code} {method} {url[:120]} ({what})")
        return response.status_code

    def check(self) -> None:
        assert self.sent > 0
        assert self.failures == [], f"{len(self.failures)} of {self.sent}:\n" + "\n".join(
            self.failures[:40]
        )


@pytest.fixture(scope="module")
def routes(proof_app_each_database: Flask) -> list[RoutePaths]:
    return route_paths(proof_app_each_database)


# The sample URLs that are not answered 200: the root sends to a language, a first page
# named in the path redirects to its listing, the proof site has no attachment, and the
# lookup and status APIs want a body.
SAMPLE_STATUSES = {
    "/": 302,
    "/files/<path:path>": 404,
    "/api/v1/debtors/lookup": 400,
    "/api/v1/victims/status": 400,
}


def test_the_sweep_reaches_every_route(proof_app_each_database: Flask, routes) -> None:
    """Every rule of the URL map is swept, and its sample URL reaches its own view."""
    client = proof_app_each_database.test_client()
    assert {route.rule.rule for route in routes} == {
        rule.rule for rule in proof_app_each_database.url_map.iter_rules()
    }
    for route in routes:
        expected = SAMPLE_STATUSES.get(route.rule.rule, 308 if "page" in route.markers else 200)
        assert client.open(route.sample, method=route.methods[0]).status_code == expected, (
            route.sample
        )


def test_no_path_segment_causes_a_server_error(proof_app_each_database: Flask, routes) -> None:
    sweep = Sweep(proof_app_each_database)
    for route in routes:
        for variable in route.markers:
            for what, value in HOSTILE_VALUES.items():
                for method in route.methods:
                    sweep.send(method, route.with_value(variable, value), f"<{variable}> {what}")
    sweep.check()


def test_no_query_parameter_causes_a_server_error(proof_app_each_database: Flask, routes) -> None:
    """Pages read the parameters they know and ignore the others, so one request sets them
    all; the API refuses an unknown parameter before reading the rest, so there each goes
    alone."""
    sweep = Sweep(proof_app_each_database)
    for route in routes:
        for what, value in HOSTILE_VALUES.items():
            for method in route.methods:
                if route.rule.rule.startswith("/api/"):
                    for name in PARAMETER_NAMES:
                        sweep.send(method, f"{route.sample}?{name}={value}", f"{name} {what}")
                else:
                    query = "&".join(f"{name}={value}" for name in PARAMETER_NAMES)
                    sweep.send(method, f"{route.sample}?{query}", f"every parameter {what}")
        sweep.send("GET", f"{route.sample}?{'%00'}={'%ED%A0%80'}&%FF=1&=&&=", "odd names")
    sweep.check()


def test_no_header_causes_a_server_error(proof_app_each_database: Flask, routes) -> None:
    sweep = Sweep(proof_app_each_database)
    for route in routes:
        for header, value in HEADERS:
            for method in route.methods:
                sweep.send(
                    method, route.sample, f"{header}: {value[:30]!r}", headers={header: value}
                )
    sweep.check()


def test_no_method_causes_a_server_error(proof_app_each_database: Flask, routes) -> None:
    sweep = Sweep(proof_app_each_database)
    for route in routes:
        for method in ODD_METHODS:
            sweep.send(method, route.sample, method)
    sweep.check()


def test_no_body_causes_a_server_error(proof_app_each_database: Flask, routes) -> None:
    sweep = Sweep(proof_app_each_database)
    for route in routes:
        if "POST" not in route.methods:
            continue
        for what, content_type, body in post_bodies():
            sweep.send("POST", route.sample, what, data=body, content_type=content_type)
    sweep.check()


@pytest.mark.parametrize(
    "url",
    ["/en/cases/2020-difficult/%00/", "/en/cases/%00/", "/api/v1/cases/2020-difficult/a%00b",
     "/files/%00", "/en/press/2021/annual%01report/", "/en/press/page/%D9%A3/",
     "/en/press/page/9223372036854775808/", "/en/cases/year/18446744073709551616/feed.atom",
     "/en/cases/year/%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%90/",
     "/en/cases/collections/page/9223372036854775808/", "/en/cases/collections/page/%D9%A3/",
     "/zh/cases/collections/page/0/", "/en/cases/collections/02-li/"],
)  # fmt: skip
def test_a_path_segment_that_names_nothing_is_not_found(
    proof_app_each_database: Flask, url: str
) -> None:
    """Control characters and numbers no page can have: 404, never another page (٣ is not 3)."""
    assert proof_app_each_database.test_client().get(url).status_code == 404


def test_a_parameter_holding_a_nul_is_refused_naming_it(proof_app_each_database: Flask) -> None:
    client = proof_app_each_database.test_client()
    page = client.get("/zh/cases/?utm_source=a%00b")
    assert page.status_code == 400
    assert "“utm_source”的值" in page.get_data(as_text=True)
    form = client.post("/en/debtors/", data={"name": "张\x00伟", "number": ""})
    assert form.status_code == 400
    assert "“name” holds a character no text may hold" in form.get_data(as_text=True)
    assert form.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("body", "detail"),
    [('{"name": "\\u0000"}', "“name” holds"), ('{"name": "x\\ud800"}', "“name” holds"),
     ('{"name": "x", "id_number": "\\udfff"}', "“id_number” holds"),
     ("[" * DEEP + "]" * DEEP, "nested too deeply")],
)  # fmt: skip
def test_the_lookup_api_refuses_unusable_json(
    proof_app_each_database: Flask, body: str, detail: str
) -> None:
    response = proof_app_each_database.test_client().post(
        "/api/v1/debtors/lookup", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert detail in response.get_json()["detail"]


@pytest.mark.parametrize("value", ["%C2%B2", "%E2%91%A0", "%D9%A3", "9" * 5000, "%2B1", "1_0"])
def test_a_page_number_is_ascii_digits(proof_app_each_database: Flask, value: str) -> None:
    """The API names the parameter; the search page shows its first page."""
    client = proof_app_each_database.test_client()
    api = client.get(f"/api/v1/cases?page={value}")
    assert api.status_code == 400
    assert api.get_json()["parameter"] == "page"
    assert "expected a whole number from 1 to 100000" in api.get_json()["detail"]
    assert len(api.get_json()["detail"]) < 200  # 5,000 digits are not echoed back
    # 5,000 digits are shaped like an ID number too: withheld by a 303, then a page all the same.
    search = client.get(f"/en/search/?q=case&page={value}", follow_redirects=True)
    assert search.status_code == 200


def test_a_body_over_the_limit_is_refused(proof_app_each_database: Flask) -> None:
    response = proof_app_each_database.test_client().post(
        "/api/v1/debtors/lookup", data=b" " * 70_000, content_type="application/json"
    )
    assert response.status_code == 413
