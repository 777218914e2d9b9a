"""Search: the page (/<lang>/search/?q=); the API's /api/v1/search uses the same pieces.

A search holding something shaped like an identity number is not run: the page, its feed and the
API never echo it, log it or build a URL with it (`withheld_search`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from portal.db.queries import vocabulary
from portal.opendata.csv_text import csv_text
from portal.search.query import FACETS, SORTS, SearchRequest, SearchResults, SearchUnavailable
from portal.search.searcher import SearchIndex
from portal.text.identity_numbers import holds_identity_number, number_shapes
from portal.text.languages import LANGUAGES, other_languages
from portal.text.numbers import whole_number
from portal.web.db import db_session
from portal.web.filters import facet_value_label
from portal.web.i18n import FACET_NAMES, absolute_url, render_page
from portal.web.responses import data_response, private_response

bp = Blueprint("search", __name__, url_prefix="/<lang:lang>/search")

EXTENSION_KEY = "portal_search"
MAX_PAGE = 1000
# The page a search holding an identity number is sent on to says why (?withheld=number).
WITHHELD_PARAMETER = "withheld"
KIND_NAMES = {
    "press": _l("Press release"),
    "case": _l("Typical case"),
    "victims": _l("Victim notice"),
}
# The page of each kind of hit, which takes the hit's `route` and `lang`.
HIT_ENDPOINTS = {"press": "press.release", "case": "cases.case", "victims": "victims.notice"}
# The most rows a CSV of search results holds (the first ones in the search's own order).
CSV_RESULT_LIMIT = 1000
CSV_COLUMNS = ("type", "title", "date", "url", "language")
# What werkzeug's URL builder leaves unquoted in a query string (the WHATWG URL standard's
# set), so that a link built here reads exactly as `url_for` would write it.
QUERY_SAFE = "!$'()*,/:;?@"


def init_search(app: Flask) -> None:
    """Give the app its search index (opened lazily, reopened when it is rebuilt)."""
    app.extensions[EXTENSION_KEY] = SearchIndex(
        app.config["INDEX_DIR"],
        evaluator=app.config["SEARCH_EVALUATOR"],
        cache_bytes=app.config["SEARCH_CACHE_MB"] * 1024 * 1024,
        prefetch_bytes=app.config["SEARCH_PREFETCH_MB"] * 1024 * 1024,
    )


def request_from_args(args: Any, lang: str) -> SearchRequest:
    """A search from query parameters; values that make no sense are dropped, never an error."""
    filters = {name: args.get(name, "")[:100] for name in FACETS if args.get(name)}
    return SearchRequest(
        text=args.get("q", ""),
        lang=lang,
        both_languages=args.get("scope") == "all",
        filters=filters,
        sort=args.get("sort") if args.get("sort") in SORTS else "relevance",
        page=min(whole_number(args.get("page", ""), low=1) or 1, MAX_PAGE),
        page_size=current_app.config["SEARCH_PAGE_SIZE"],
    )


def run_search(search: SearchRequest) -> SearchResults:
    try:
        return current_app.extensions[EXTENSION_KEY].search(search)
    except SearchUnavailable as error:
        current_app.logger.error("search unavailable: %s", error)
        abort(503)


def hit_endpoint(hit: Any) -> str:
    """The endpoint of a search hit's page, which takes the hit's `route` and `lang`."""
    return HIT_ENDPOINTS[hit.kind]


def hit_url(hit: Any) -> str:
    """The page of a search hit."""
    return url_for(hit_endpoint(hit), lang=hit.lang, **hit.route)


def parameters_with_numbers() -> set[str]:
    """The query parameters of this request that hold something shaped like an identity number."""
    return {
        name
        for name, value in request.args.items(multi=True)
        if holds_identity_number(name) or holds_identity_number(value)
    }


def withheld_search(lang: str) -> Response | None:
    """If this search holds an identity number, a redirect (303) to the search page without it,
    which says that numbers are not searched here; the redirect is neither stored nor indexed.
    The number then stays out of the address bar, the history, later Referer headers, links,
    feeds and titles; only this one request carried it (and access logs omit query strings)."""
    tainted = parameters_with_numbers()
    if not tainted:
        return None
    kept = {name: value for name, value in search_parameters().items() if name not in tainted}
    target = url_for("search.index", lang=lang, **kept, **{WITHHELD_PARAMETER: "number"})
    return private_response(redirect(target, 303))


# Served at /<lang>/search too, so that no slash redirect is built from a query (werkzeug's would
# carry it into a Location).
@bp.route("/", strict_slashes=False)
def index(lang: str) -> ResponseReturnValue:
    if current_app.config["STATIC_SITE"]:
        # The static copy searches in the browser, with the Pagefind index the freeze builds,
        # and withholds numbers there by the same shapes.
        return render_page("search/index.html", static_search=True, facet_names=FACET_NAMES,
                           number_shapes=number_shapes())  # fmt: skip
    withheld = withheld_search(lang)
    if withheld is not None:
        return withheld
    search = request_from_args(request.args, lang)
    results = run_search(search)
    labels = vocabulary(db_session(), lang)
    params = search_parameters()
    search_url = partial(_search_url, url_for("search.index", lang=lang), params)
    return render_page(
        "search/index.html",
        search=search,
        results=results,
        elsewhere=found_elsewhere(search, results),
        past_end=results.total > 0 and results.page > results.pages,
        facet_names=FACET_NAMES,
        # Translated once a page, not once a hit.
        kind_names={kind: str(name) for kind, name in KIND_NAMES.items()},
        labels=labels,
        filters_in_use=[
            (facet, facet_value_text(facet, value, labels), search_url(**{facet: None}))
            for facet, value in search.filters.items()
        ],
        facet_links=_facet_links(search, results, labels, search_url) if results.hits else [],
        hit_url=hit_url,
        search_url=search_url,
        params=params,
        number_withheld=request.args.get(WITHHELD_PARAMETER) == "number",
        csv_limit=CSV_RESULT_LIMIT,
    )


@bp.route("/results.csv")
def results_csv(lang: str) -> ResponseReturnValue:
    """The results of a search (same parameters as the page) as CSV: the first CSV_RESULT_LIMIT,
    without snippets; X-Total-Count says how many matched."""
    if current_app.config["STATIC_SITE"]:
        abort(404)  # a static copy searches in the browser only
    withheld = withheld_search(lang)
    if withheld is not None:
        return withheld
    wanted = replace(request_from_args(request.args, lang), page=1,
                     page_size=CSV_RESULT_LIMIT, snippets=False)  # fmt: skip
    results = run_search(wanted)
    rows = (
        (
            hit.kind,
            hit.title,
            hit.date.date().isoformat() if hit.date else None,
            absolute_url(hit_endpoint(hit), lang=hit.lang, **hit.route),
            hit.lang,
        )
        for hit in results.hits
    )
    page = absolute_url("search.index", lang=lang, **search_parameters())
    return data_response(
        csv_text(CSV_COLUMNS, rows),
        "text/csv",
        cors=False,
        **{
            "Content-Disposition": 'attachment; filename="search-results.csv"',
            "Link": f'<{page}>; rel="alternate"; type="text/html"',
            "X-Total-Count": str(results.total),
            "X-Row-Limit": str(CSV_RESULT_LIMIT),
        },
    )


def found_elsewhere(search: SearchRequest, results: SearchResults) -> list[tuple[str, int]]:
    """When a search in one language finds nothing, the other languages where it finds something,
    with how many pages each (their search pages are linked to, filters left out)."""
    if results.total or search.both_languages or not results.query.include:
        return []
    found = []
    for language in other_languages(search.lang):
        there = run_search(replace(search, lang=language.code, filters={}, page=1, page_size=1))
        if there.total:
            found.append((language.code, there.total))
    return found


def search_parameters() -> dict[str, str]:
    """The query parameters of this search that a link to another page of it keeps."""
    kept = ("q", "scope", "sort", *FACETS)
    return {name: value for name, value in request.args.items() if name in kept and value}


def _search_url(path: str, params: dict[str, str], /, **changes: str | None) -> str:
    """This search (its kept `params`) with some parameters changed (None removes one), from its
    first page: the page's path, built once by `url_for`, and the query as `url_for` writes it
    (a results page has some 70 such links, and `url_for` costs 15 µs each)."""
    changed = {**params, **changes}
    query = urlencode(
        [(name, value) for name, value in changed.items() if value is not None], safe=QUERY_SAFE
    )
    return f"{path}?{query}" if query else path


def facet_value_text(facet: str, value: str, labels: Mapping[str, Mapping[str, str]]) -> str:
    """A search facet's value as a reader sees it: the kind of item, the language's name, or
    a case facet's label (facet_value_label); an unknown value as it is."""
    if facet == "kind":
        return str(KIND_NAMES.get(value, value))
    if facet == "language":
        return LANGUAGES[value].name if value in LANGUAGES else value
    return facet_value_label(facet, value, labels)


def _facet_links(
    search: SearchRequest,
    results: SearchResults,
    labels: Mapping[str, Mapping[str, str]],
    search_url: Callable[..., str],
) -> list[tuple[str, list[tuple[str, int, str | None]]]]:
    """The facets that narrow the results, each value as (label, count, the link that filters
    by it, or None for the filter in use); the languages only when both are searched."""
    return [
        (
            facet,
            [
                (
                    facet_value_text(facet, value, labels),
                    count,
                    None if search.filters.get(facet) == value else search_url(**{facet: value}),
                )
                for value, count in values
            ],
        )
        for facet, values in results.facets.items()
        if values and not (facet == "language" and not search.both_languages)
    ]


@bp.route("/opensearch.xml")
def opensearch(lang: str) -> ResponseReturnValue:
    """The OpenSearch description, so a browser can offer the portal's search as a search engine."""
    body = render_template(
        "search/opensearch.xml",
        search_url=absolute_url("search.index", lang=lang),
        self_url=absolute_url("search.opensearch", lang=lang),
        icon_url=absolute_url("static", filename="favicon.svg"),
    )
    return Response(body, mimetype="application/opensearchdescription+xml")
