"""Checks every page a test fetches: well-formed HTML, language, title, one h1, unique ids,
labelled form fields, no asset from another host, and the security headers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

import html5lib
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.web.security import SECURITY_HEADERS

# Elements that load something into the page, and the attribute that names it.
ASSET_ATTRIBUTES = {"script": "src", "img": "src", "iframe": "src", "source": "src",
                    "video": "src", "audio": "src", "embed": "src", "object": "data"}  # fmt: skip
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


class PageProblem(AssertionError):
    """A page broke one of the rules every page of the portal keeps."""


def check_headers(url: str, headers) -> None:
    """Every response carries the portal's security headers."""
    for name, value in SECURITY_HEADERS.items():
        if headers.get(name) != value:
            raise PageProblem(f"{url}: header {name} is {headers.get(name)!r}, expected {value!r}")
    if "Set-Cookie" in headers:
        raise PageProblem(f"{url}: sets a cookie: {headers['Set-Cookie']}")


def check_html(url: str, text: str) -> BeautifulSoup:
    """Parse a page strictly and check its markup; return the parsed page for more assertions."""
    try:
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)
    except html5lib.html5parser.ParseError as error:
        raise PageProblem(f"{url}: not well-formed HTML: {error}") from error
    page = BeautifulSoup(text, "html.parser")
    html = page.find("html")
    if html is None or not html.get("lang"):
        raise PageProblem(f"{url}: <html> has no lang attribute")
    title = page.find("title")
    if title is None or not title.get_text(strip=True):
        raise PageProblem(f"{url}: no <title>")
    headings = page.find_all("h1")
    if len(headings) != 1:
        raise PageProblem(f"{url}: expected one <h1>, found {len(headings)}")
    ids = Counter(element["id"] for element in page.find_all(id=True))
    repeated = [value for value, count in ids.items() if count > 1]
    if repeated:
        raise PageProblem(f"{url}: ids used more than once: {repeated}")
    for link in page.find_all("a", href=True):
        if link["href"].startswith("#") and len(link["href"]) > 1 and link["href"][1:] not in ids:
            raise PageProblem(f"{url}: link to missing fragment {link['href']}")
    _check_form_fields(url, page)
    _check_assets(url, page)
    return page


def _check_form_fields(url: str, page: BeautifulSoup) -> None:
    for field in page.find_all(["input", "select", "textarea"]):
        if field.name == "input" and field.get("type", "text") in UNLABELLED_INPUT_TYPES:
            continue
        labelled = (
            field.get("aria-label")
            or field.get("aria-labelledby")
            or (field.get("id") and page.find("label", attrs={"for": field["id"]}))
            or field.find_parent("label")
        )
        if not labelled:
            raise PageProblem(f"{url}: form field {field} has no label")


def _check_assets(url: str, page: BeautifulSoup) -> None:
    assets = [
        element.get(attribute)
        for tag, attribute in ASSET_ATTRIBUTES.items()
        for element in page.find_all(tag)
    ]
    assets += [
        element.get("href")
        for element in page.find_all("link")
        if {"stylesheet", "icon", "preload", "modulepreload", "manifest"}
        & set(element.get("rel", []))
    ]
    for asset in filter(None, assets):
        parts = urlsplit(asset)
        if parts.scheme or parts.netloc:
            raise PageProblem(f"{url}: loads an asset from another host: {asset}")


@dataclass
class FetchedPage:
    """A page a test fetched: the response, and its parsed HTML."""

    response: TestResponse
    html: BeautifulSoup

    def text_of(self, selector: str) -> str:
        """The text of the first element matching a CSS selector."""
        element = self.html.select_one(selector)
        assert element is not None, f"no element matches {selector!r}"
        return element.get_text(" ", strip=True)


def fetch(client: FlaskClient, url: str, status: int = 200, **kwargs) -> FetchedPage:
    """GET a page, assert its status, and check its headers and markup."""
    response = client.get(url, **kwargs)
    assert response.status_code == status, f"{url}: {response.status_code}, expected {status}"
    check_headers(url, response.headers)
    assert response.mimetype == "text/html", f"{url}: {response.mimetype}"
    return FetchedPage(response, check_html(url, response.get_data(as_text=True)))


def submit(client: FlaskClient, url: str, data: dict, status: int = 200, **kwargs) -> FetchedPage:
    """POST a form, assert the status, and check the page as `fetch` does."""
    response = client.post(url, data=data, **kwargs)
    assert response.status_code == status, f"POST {url}: {response.status_code}, expected {status}"
    check_headers(url, response.headers)
    assert response.mimetype == "text/html", f"{url}: {response.mimetype}"
    return FetchedPage(response, check_html(url, response.get_data(as_text=True)))


def check_public_headers(url: str, headers) -> None:
    """The portal's headers, except that open data (CORS for any origin, no credentials) is
    cross-origin readable."""
    if headers.get("Access-Control-Allow-Origin") == "*":
        assert "Access-Control-Allow-Credentials" not in headers, url
        assert headers["Cross-Origin-Resource-Policy"] == "cross-origin", url
        headers = headers.copy()
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
    check_headers(url, headers)
