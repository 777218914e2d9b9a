"""The security headers, scored the way an HTTP Observatory scores a site.

The rules are written down here, in RULES: each test of the headers gives one result, and each
result adds or takes away points from a base of 100. Bonuses count only when the score without
them is already 90 or more (an A), as the Observatory has it. Every page kind, in both languages
and over HTTPS (where HSTS is sent), must score at least 100: grade A+. Every other response (API,
feeds, sitemap, robots, downloads, static files, errors) must carry the same headers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient

from tests.support.pagecheck import check_headers, check_public_headers
from tests.support.pagekinds import OTHER_RESPONSES, SITE_URL, every_page, page_ids

HTTPS = SITE_URL  # the test client answers as if over HTTPS, so HSTS is sent
SIX_MONTHS = 15_768_000
PRIVATE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin",
                             "strict-origin-when-cross-origin"}  # fmt: skip
UNSAFE_REFERRER_POLICIES = {"unsafe-url", "no-referrer-when-downgrade", "origin",
                            "origin-when-cross-origin"}  # fmt: skip

# test -> result -> points. Modelled on the HTTP Observatory's scoring; `base-uri` and COOP are
# this portal's own additions (its CSP must hold them).
RULES: dict[str, dict[str, int]] = {
    "content-security-policy": {
        "no-unsafe-with-default-src-none": +10,  # default-src 'none', and as below
        "no-unsafe": +5,  # no 'unsafe-inline'/'unsafe-eval', no http:, https:, data: or * for
        # scripts; object-src 'none' (or default-src 'none')
        "unsafe-inline-in-style-src-only": 0,
        "unsafe-eval": -10,
        "unsafe-inline-or-insecure-scheme": -20,
        "object-src-not-none": -20,
        "invalid": -25,
        "not-implemented": -25,
    },
    "base-uri": {"self-or-none": 0, "missing-or-open": -5},
    "cookies": {"none": 0, "secure-httponly-samesite": +5, "secure": 0, "without-secure": -20},
    "cross-origin-resource-sharing": {
        "not-implemented-or-public": 0,
        "credentials-for-any-origin": -50,
    },
    "referrer-policy": {"private": +5, "not-implemented": 0, "unsafe": -5},
    "strict-transport-security": {
        "six-months-or-more": 0,
        "less-than-six-months": -10,
        "not-implemented": -20,
    },
    "subresource-integrity": {"all-scripts-same-origin": 0, "third-party-scripts": -50},
    "x-content-type-options": {"nosniff": 0, "not-implemented": -5},
    "framing": {"csp-frame-ancestors-none": +5, "x-frame-options": 0, "not-implemented": -20},
    # Open data (API, feeds, downloads) is meant to be read by other sites: cross-origin there.
    "cross-origin-resource-policy": {
        "same-origin-or-same-site": 0,
        "cross-origin-public-data": 0,
        "not-implemented": -5,
    },
    "cross-origin-opener-policy": {"same-origin": 0, "not-implemented": -5},
}
GRADES = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"),
          (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F")]  # fmt: skip


@dataclass
class Score:
    results: dict[str, str]
    points: int
    grade: str

    def __str__(self) -> str:
        detail = ", ".join(f"{test}={result} ({RULES[test][result]:+d})"
                           for test, result in self.results.items())  # fmt: skip
        return f"{self.points} ({self.grade}): {detail}"


def parse_csp(value: str) -> dict[str, list[str]] | None:
    policy: dict[str, list[str]] = {}
    for part in value.split(";"):
        words = part.split()
        if not words:
            continue
        name = words[0].lower()
        if name in policy:
            return None  # a repeated directive: the policy is invalid
        policy[name] = words[1:]
    return policy


def csp_result(headers) -> str:
    value = headers.get("Content-Security-Policy")
    if not value:
        return "not-implemented"
    policy = parse_csp(value)
    if not policy:
        return "invalid"
    default = policy.get("default-src", [])
    scripts = policy.get("script-src", default)
    styles = policy.get("style-src", default)
    objects = policy.get("object-src", default)
    unsafe = any(s in scripts for s in ("'unsafe-inline'", "http:", "https:", "data:", "*"))
    hashed = any(s.startswith(("'nonce-", "'sha")) for s in scripts)
    if unsafe and (not hashed or "*" in scripts):
        return "unsafe-inline-or-insecure-scheme"
    if "'unsafe-eval'" in scripts:
        return "unsafe-eval"
    if objects != ["'none'"]:
        return "object-src-not-none"
    if "'unsafe-inline'" in styles:
        return "unsafe-inline-in-style-src-only"
    return "no-unsafe-with-default-src-none" if default == ["'none'"] else "no-unsafe"


def score(headers, secure: bool = True) -> Score:
    """Score a response's headers by RULES."""
    results: dict[str, str] = {}
    results["content-security-policy"] = csp_result(headers)
    policy = parse_csp(headers.get("Content-Security-Policy", "")) or {}
    base = policy.get("base-uri")
    results["base-uri"] = "self-or-none" if base in (["'self'"], ["'none'"]) else "missing-or-open"

    cookies = headers.getlist("Set-Cookie") if hasattr(headers, "getlist") else []
    lowered = [c.lower() for c in cookies]
    if not cookies:
        results["cookies"] = "none"
    elif all("secure" in c and "httponly" in c and "samesite" in c for c in lowered):
        results["cookies"] = "secure-httponly-samesite"
    elif all("secure" in c for c in lowered):
        results["cookies"] = "secure"
    else:
        results["cookies"] = "without-secure"

    origin = headers.get("Access-Control-Allow-Origin")
    credentials = headers.get("Access-Control-Allow-Credentials", "").lower() == "true"
    results["cross-origin-resource-sharing"] = (
        "credentials-for-any-origin" if origin and credentials else "not-implemented-or-public"
    )

    referrer = headers.get("Referrer-Policy", "").split(",")[-1].strip().lower()
    results["referrer-policy"] = (
        "private" if referrer in PRIVATE_REFERRER_POLICIES
        else "unsafe" if referrer in UNSAFE_REFERRER_POLICIES
        else "not-implemented"
    )  # fmt: skip

    hsts = headers.get("Strict-Transport-Security", "")
    max_age = next((int(part.split("=", 1)[1]) for part in hsts.split(";")
                    if part.strip().lower().startswith("max-age=")
                    and part.split("=", 1)[1].strip().isdigit()), None)  # fmt: skip
    if not secure:
        results["strict-transport-security"] = "six-months-or-more"  # only sent over HTTPS
    elif max_age is None:
        results["strict-transport-security"] = "not-implemented"
    else:
        results["strict-transport-security"] = (
            "six-months-or-more" if max_age >= SIX_MONTHS else "less-than-six-months"
        )

    results["subresource-integrity"] = "all-scripts-same-origin"  # checked per page below
    results["x-content-type-options"] = (
        "nosniff" if headers.get("X-Content-Type-Options", "").lower() == "nosniff"
        else "not-implemented"
    )  # fmt: skip
    if policy.get("frame-ancestors") == ["'none'"]:
        results["framing"] = "csp-frame-ancestors-none"
    elif headers.get("X-Frame-Options", "").upper() in ("DENY", "SAMEORIGIN"):
        results["framing"] = "x-frame-options"
    else:
        results["framing"] = "not-implemented"
    corp = headers.get("Cross-Origin-Resource-Policy")
    if corp in ("same-origin", "same-site"):
        results["cross-origin-resource-policy"] = "same-origin-or-same-site"
    elif corp == "cross-origin" and origin == "*" and not credentials:
        results["cross-origin-resource-policy"] = "cross-origin-public-data"
    else:
        results["cross-origin-resource-policy"] = "not-implemented"
    results["cross-origin-opener-policy"] = (
        "same-origin" if headers.get("Cross-Origin-Opener-Policy") == "same-origin"
        else "not-implemented"
    )  # fmt: skip

    penalties = sum(min(RULES[t][r], 0) for t, r in results.items())
    bonuses = sum(max(RULES[t][r], 0) for t, r in results.items())
    points = 100 + penalties
    if points >= 90:
        points += bonuses
    grade = next(grade for floor, grade in GRADES if points >= floor)
    return Score(results, points, grade)


def request(client: FlaskClient, kind, lang: str):
    if kind.form is not None:
        return client.post(kind.url(lang), data=kind.form, base_url=HTTPS)
    return client.get(kind.url(lang), base_url=HTTPS)


@pytest.mark.parametrize(("kind", "lang"), list(every_page()), ids=page_ids())
def test_every_page_kind_scores_a_plus(proof_client: FlaskClient, kind, lang: str) -> None:
    response = request(proof_client, kind, lang)
    assert response.status_code == kind.status
    result = score(response.headers)
    assert result.grade == "A+", f"{kind.url(lang)}: {result}"
    assert result.points >= 100
    policy = parse_csp(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    hsts = response.headers["Strict-Transport-Security"]
    assert int(hsts.split(";")[0].removeprefix("max-age=")) >= SIX_MONTHS


@pytest.mark.parametrize("url", OTHER_RESPONSES)
def test_every_other_response_carries_the_headers(proof_client: FlaskClient, url: str) -> None:
    for base_url in (HTTPS, "http://portal.example.test"):
        response = proof_client.get(url, base_url=base_url)
        check_public_headers(url, response.headers)
        secure = base_url.startswith("https")
        assert ("Strict-Transport-Security" in response.headers) == secure, url
        assert score(response.headers, secure=secure).grade == "A+", url


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [("POST", "/en/search/", 405), ("DELETE", "/en/", 405), ("OPTIONS", "/api/v1/cases", 200),
     ("HEAD", "/en/", 200), ("GET", "/data/no-such-thing.csv", 404)],
)  # fmt: skip
def test_other_methods_and_errors_carry_the_headers(proof_client, method, url, status) -> None:
    response = proof_client.open(url, method=method, base_url=HTTPS)
    assert response.status_code == status
    check_public_headers(url, response.headers)
    assert score(response.headers).grade == "A+"


def test_the_rate_limited_answer_carries_the_headers(make_app, site, sqlite_url) -> None:
    site.standard()
    app = make_app(sqlite_url, DEBTOR_LOOKUP_LIMITS="1 per minute")
    client = app.test_client()
    statuses = [client.post("/en/debtors/", data={"name": "王五"}, base_url=HTTPS)
                for _ in range(2)]  # fmt: skip
    assert [r.status_code for r in statuses] == [200, 429]
    check_headers("/en/debtors/", statuses[1].headers)
    assert score(statuses[1].headers).grade == "A+"


def test_the_scoring_rules_tell_weak_headers_apart() -> None:
    """The scorer itself: nothing at all is an F; an inline-script CSP loses its A."""
    from werkzeug.datastructures import Headers

    assert score(Headers()).grade == "F"
    from portal.web.security import SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY

    good = Headers({**SECURITY_HEADERS, "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY})
    assert score(good).points == 115
    weak = good.copy()
    weak["Content-Security-Policy"] = "default-src 'self'; script-src 'self' 'unsafe-inline'"
    assert score(weak).grade not in ("A+", "A")
    short = good.copy()
    short["Strict-Transport-Security"] = "max-age=86400"
    assert score(short).results["strict-transport-security"] == "less-than-six-months"
    assert score(short).points == 115 - 10
    cookie = good.copy()
    cookie.add("Set-Cookie", "session=x; Path=/")
    assert score(cookie).grade == "B+"  # 100 - 20, and no bonus below 90


def test_no_page_loads_a_script_from_elsewhere(proof_client: FlaskClient) -> None:
    """Subresource integrity is moot while every script is the portal's own."""
    from bs4 import BeautifulSoup

    for kind, lang in every_page():
        html = request(proof_client, kind, lang).get_data(as_text=True)
        for script in BeautifulSoup(html, "html.parser").find_all("script"):
            if script.get("type") == "application/ld+json":  # a data block, never run
                continue
            assert script.get("src", "").startswith("/static/"), (kind.name, script)


# -- Hosts and redirects --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "location"),
    [("POST", "/en/debtors", "/en/debtors/"), ("GET", "/zh/press", "/zh/press/"),
     ("GET", "/en/cases?court=x", "/en/cases/?court=x")],
)  # fmt: skip
def test_a_redirect_never_points_to_the_host_a_request_names(
    client: FlaskClient, method: str, url: str, location: str
) -> None:
    """werkzeug builds its slash redirects from the Host header; they leave as relative paths."""
    response = client.open(url, method=method, headers={"Host": "evil.example"})
    assert response.status_code == 308
    assert response.headers["Location"] == location


def test_a_redirect_never_carries_an_identity_number(client: FlaskClient) -> None:
    response = client.get("/en/press?q=110101199003071234")
    assert response.status_code == 308
    assert response.headers["Location"] == "/en/press/"


def test_with_trusted_hosts_a_forged_host_is_refused(make_app, site, sqlite_url) -> None:
    site.standard()
    client = make_app(sqlite_url, EXTRA_TRUSTED_HOSTS="portal.example.test").test_client()
    forged = client.post("/en/debtors", data={"name": "王五"}, headers={"Host": "evil.example"})
    assert forged.status_code == 400
    assert "Location" not in forged.headers
    assert "evil.example" not in forged.get_data(as_text=True)
    own = client.get("/en/press", headers={"Host": "portal.example.test"})
    assert (own.status_code, own.headers["Location"]) == (308, "/en/press/")
