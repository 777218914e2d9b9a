"""The JSON API under /api/v1/: listings with filters and pagination (and CSV), single items,
the changes list, search, the debtor lookup (POST, rate limited, never cached) and the OpenAPI
document. The contract lives in portal/api_spec.py; the records
come from the serialisers of portal/opendata.py, shared with the downloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from portal.db.models import DebtorRecord
from portal.db.queries import (
    ResultPage,
    case_items,
    case_versions,
    changes_since,
    release_items,
    release_versions,
    statistic_figures,
    vocabulary,
    vocabulary_terms,
)
from portal.debtors.courts import CourtDirectory, contact_fields, court_directory
from portal.debtors.static_lookup import display_fields
from portal.opendata import datasets as opendata
from portal.opendata.api_spec import (
    LISTINGS,
    SEARCH_PARAMS,
    VOCABULARY_PARAMETERS,
    InvalidParameter,
    Listing,
    openapi_document,
    parse_params,
)
from portal.registers.query import InvalidQuery
from portal.search.query import SearchRequest
from portal.text.languages import LANGUAGE_CODES
from portal.text.times import data_time
from portal.web.blueprints.debtors import QUERY_ERRORS, list_scope_texts, run_lookup
from portal.web.blueprints.search import hit_endpoint, parameters_with_numbers, run_search
from portal.web.blueprints.victim_status import (
    FORM_ERRORS,
    parse_status_query,
    run_status_check,
    status_record,
)
from portal.web.db import db_session
from portal.web.i18n import absolute_url
from portal.web.inputs import json_body, refuse_unusable
from portal.web.responses import (
    CORS_HEADERS,
    data_response,
    json_response,
    private_response,
    problem,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")

EVERYTHING = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def vocabulary_keys() -> dict[str, list[str]]:
    """The keys each vocabulary filter accepts, as the OpenAPI document lists them."""
    return {kind: list(keys) for kind, keys in vocabulary(db_session(), "en").items()}


@bp.after_request
def allow_other_sites(response: Response) -> Response:
    """CORS on every answer of the API, preflight (OPTIONS) included: it is public data."""
    response.headers.update(CORS_HEADERS)
    return response


@bp.errorhandler(InvalidParameter)
def invalid_parameter(error: InvalidParameter) -> ResponseReturnValue:
    return problem(400, f"{error.name}: {error.reason}", parameter=error.name)


def _listing(
    listing: Listing, fetch: Callable[[dict[str, Any], int, int | None], ResultPage[Any]]
) -> ResponseReturnValue:
    """Answer a listing: parse its parameters, fetch one page (or, as CSV, everything up to the
    row limit) as records, and link the pages."""
    args = listing.parse(request.args, vocabulary_keys())
    if args["format"] == "csv":
        result = fetch(args, 1, opendata.CSV_ROW_LIMIT)
        return opendata_csv(listing, result)
    page, per_page = args["page"], args["per_page"]
    result = fetch(args, page, per_page)
    if page > result.pages:
        return problem(404, f"page {page} does not exist; this listing has {result.pages}")
    query = {k: v for k, v in request.args.items() if k not in ("page",)}

    def page_link(number: int | None) -> str | None:
        if number is None:
            return None
        return absolute_url(f"api.{listing.endpoint}", **{**query, "page": number})

    links = {
        "self": page_link(page),
        "first": page_link(1),
        "last": page_link(result.pages),
        "next": page_link(page + 1 if page < result.pages else None),
        "previous": page_link(page - 1 if page > 1 else None),
    }
    link_header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
    return json_response(
        {
            "items": result.items,
            "total": result.total,
            "page": page,
            "per_page": per_page,
            "pages": result.pages,
            "links": links,
        },
        Link=link_header,
        **{"X-Total-Count": str(result.total)},
    )


def opendata_csv(listing: Listing, result: ResultPage[Any]) -> ResponseReturnValue:
    return data_response(
        opendata.to_csv(listing.dataset, result.items),
        "text/csv",
        **{
            "Content-Disposition": f'attachment; filename="{listing.dataset.key}.csv"',
            "X-Total-Count": str(result.total),
            "X-Row-Limit": str(opendata.CSV_ROW_LIMIT),
        },
    )


def _records(result: ResultPage[Any], make: Callable[[Any], dict[str, Any]]) -> ResultPage[Any]:
    return ResultPage(
        [make(item) for item in result.items], result.page, result.pages, result.total
    )


def _in_memory(records: list[dict[str, Any]], page: int, per_page: int | None) -> ResultPage[Any]:
    """Pages of a listing small enough to be made whole first."""
    size = per_page or max(1, len(records))
    pages = max(1, -(-len(records) // size))
    return ResultPage(records[(page - 1) * size : page * size], page, pages, len(records))


@bp.route("/")
def index() -> ResponseReturnValue:
    return json_response(
        {
            "description": "Enforcement Transparency Portal API",
            "openapi": absolute_url("api.openapi"),
            "catalogue": absolute_url("data.catalogue"),
            "listings": {
                listing.endpoint: absolute_url(f"api.{listing.endpoint}")
                for listing in LISTINGS.values()
            },
        }
    )


def api_document() -> dict[str, Any]:
    """The OpenAPI document of this portal's API, on PORTAL_SITE_URL."""
    return openapi_document(absolute_url("api.index").rstrip("/"), vocabulary_keys())


@bp.route("/openapi.json")
def openapi() -> ResponseReturnValue:
    return json_response(api_document())


@bp.route("/press-releases")
def press_releases() -> ResponseReturnValue:
    def fetch(args: dict[str, Any], page: int, per_page: int | None) -> ResultPage[Any]:
        result = release_items(
            db_session(), page, per_page, year=args["year"], lang=args["language"]
        )
        return _records(result, lambda v: opendata.press_release_record(v, absolute_url))

    return _listing(LISTINGS["press_releases"], fetch)


@bp.route("/press-releases/<int(fixed_digits=4):year>/<slug>")
def press_release(year: int, slug: str) -> ResponseReturnValue:
    versions = release_versions(db_session(), year, slug)
    if not versions:
        return problem(404, f"there is no press release {year}/{slug}")
    ordered = {lang: versions[lang] for lang in sorted(versions)}
    return json_response(opendata.press_release_record(ordered, absolute_url))


@bp.route("/cases")
def cases() -> ResponseReturnValue:
    def fetch(args: dict[str, Any], page: int, per_page: int | None) -> ResultPage[Any]:
        filters = {
            facet: args[facet]
            for facet in ("court", "cause", "category", "measure", "year")
            if args[facet] is not None
        }
        result = case_items(db_session(), page, per_page, filters, lang=args["language"])
        return _records(result, lambda v: opendata.case_record(v, absolute_url))

    return _listing(LISTINGS["cases"], fetch)


@bp.route("/cases/<collection>/<slug>")
def case(collection: str, slug: str) -> ResponseReturnValue:
    versions = case_versions(db_session(), collection, slug)
    if not versions:
        return problem(404, f"there is no case {collection}/{slug}")
    ordered = {lang: versions[lang] for lang in sorted(versions)}
    return json_response(opendata.case_record(ordered, absolute_url))


@bp.route("/vocabularies")
def vocabularies() -> ResponseReturnValue:
    def fetch(args: dict[str, Any], page: int, per_page: int | None) -> ResultPage[Any]:
        records = opendata.vocabulary_records(vocabulary_terms(db_session(), args["kind"]))
        return _in_memory(records, page, per_page)

    return _listing(LISTINGS["vocabularies"], fetch)


@bp.route("/statistics")
def statistics() -> ResponseReturnValue:
    def fetch(args: dict[str, Any], page: int, per_page: int | None) -> ResultPage[Any]:
        figures = statistic_figures(db_session(), year=args["year"])
        return _in_memory(
            [opendata.statistic_record(f, absolute_url) for f in figures], page, per_page
        )

    return _listing(LISTINGS["statistics"], fetch)


@bp.route("/victims/statistics")
def victim_statistics() -> ResponseReturnValue:
    def fetch(args: dict[str, Any], page: int, per_page: int | None) -> ResultPage[Any]:
        key = opendata.VICTIM_STATISTICS.key
        records = opendata.dataset_records(db_session(), key, absolute_url)
        if args["case_key"] is not None:
            records = [record for record in records if record["case_key"] == args["case_key"]]
        return _in_memory(records, page, per_page)

    return _listing(LISTINGS["victim_statistics"], fetch)


@bp.route("/changes")
def changes() -> ResponseReturnValue:
    def fetch(args: dict[str, Any], page: int, per_page: int | None) -> ResultPage[Any]:
        since = args["since"] or EVERYTHING
        records = [opendata.change_record(*c) for c in changes_since(db_session(), since)]
        return _in_memory(records, page, per_page)

    return _listing(LISTINGS["changes"], fetch)


@bp.route("/search")
def search() -> ResponseReturnValue:
    tainted = parameters_with_numbers()
    if tainted:  # named, never repeated: see withheld_search
        refusal = problem(
            422,
            "Numbers such as resident ID numbers and unified social credit codes are not "
            "searched; to check the list of dishonest persons, POST /api/v1/debtors/lookup.",
            parameters=sorted(tainted),
        )
        return private_response(refusal)
    args = parse_params(SEARCH_PARAMS, request.args, vocabulary_keys())
    filters = {
        name: str(args[name])
        for name in ("kind", "language", *VOCABULARY_PARAMETERS, "year")
        if args[name] is not None
    }
    results = run_search(
        SearchRequest(
            text=args["q"] or "",
            lang=args["lang"],
            both_languages=args["scope"] == "all",
            filters=filters,
            sort=args["sort"],
            page=args["page"],
            page_size=current_app.config["SEARCH_PAGE_SIZE"],
        )
    )
    return json_response(
        {
            "query": results.query.text,
            "total": results.total,
            "page": results.page,
            "pages": results.pages,
            "suggestion": results.suggestion,
            "facets": {name: dict(values) for name, values in results.facets.items()},
            "results": [
                {
                    "id": hit.doc_id,
                    "kind": hit.kind,
                    "lang": hit.lang,
                    "title": hit.title,
                    "snippet_html": str(hit.snippet),
                    "date": hit.date.date().isoformat() if hit.date else None,
                    "year": hit.year,
                    "court": hit.court or None,
                    "url": absolute_url(hit_endpoint(hit), lang=hit.lang, **hit.route),
                }
                for hit in results.hits
            ],
        }
    )


def _debtor_record(record: DebtorRecord, courts: dict[str, CourtDirectory]) -> dict[str, Any]:
    """What the lookup shows of a record (the same fields the static copy encrypts), and the
    enforcing court's contact details in each language when the court publishes them."""
    fields = display_fields(record)
    found = {lang: directory.find(record.court) for lang, directory in courts.items()}
    fields["court_contact"] = {
        lang: {"court": court.label, **contact_fields(court.contact)}
        for lang, court in found.items()
        if court
    } or None
    person = record.kind == "person"
    identifier = {
        "type": "resident_id" if person else "unified_social_credit_code",
        "value": fields.pop("id_display"),
        "masked": person,
    }
    return {**fields, "identifier": identifier, "demonstration": fields.pop("demo")}


@bp.post("/debtors/lookup")
def debtor_lookup() -> ResponseReturnValue:
    """Look a debtor up: {"name": ..., "id_number": ... (optional)} in, the listed records out."""
    return private_response(_debtor_lookup())


def _debtor_lookup() -> Response:
    body = json_body()
    if not isinstance(body, dict):
        return problem(
            400,
            'Send a JSON object such as {"name": "...", "id_number": "..."} '
            "with Content-Type: application/json.",
        )
    name, number = body.get("name"), body.get("id_number")
    if not isinstance(name, str) or not isinstance(number, str | None):
        return problem(400, '"name" must be a string, and "id_number" a string or absent.')
    refuse_unusable("name", name)
    refuse_unusable("id_number", number or "")
    try:
        result = run_lookup(name, number)
    except InvalidQuery as error:
        return problem(
            422,
            "The lookup cannot be run as sent.",
            errors=[
                {"field": "id_number" if field == "number" else field, "code": code,
                 "detail": str(QUERY_ERRORS[code])}
                for field, code in error.errors.items()
            ],
        )  # fmt: skip
    state = result.state
    demo = bool(state and state.demo)
    courts = (
        {lang: court_directory(db_session(), lang) for lang in LANGUAGE_CODES}
        if result.found
        else {}
    )
    return jsonify(
        {
            "as_of": data_time(state.as_of) if state else None,
            "demonstration_data": demo,
            "list": list_scope_texts(demo),
            "found": result.found,
            "match": "name_and_number" if result.by_number else "name",
            "truncated": result.truncated,
            "records": [_debtor_record(record, courts) for record in result.records],
        }
    )


# The status check's fields as the API names them: the form's "case" is "case_key" here.
STATUS_FIELDS = {"name": "name", "number": "id_number", "case": "case_key"}


@bp.post("/victims/status")
def victim_status() -> ResponseReturnValue:
    """A registered victim's status: {"name", "id_number", "case_key"} in; one answer that
    reveals nothing when they do not match."""
    return private_response(_victim_status())


def _victim_status() -> Response:
    body = json_body()
    values = (
        {key: body.get(key) for key in STATUS_FIELDS.values()} if isinstance(body, dict) else {}
    )
    if not values or not all(isinstance(value, str) for value in values.values()):
        return problem(
            400,
            'Send a JSON object such as {"name": "...", "id_number": "...", "case_key": "..."} '
            "with Content-Type: application/json; each of the three is a string.",
        )
    for key, value in values.items():
        refuse_unusable(key, value)
    try:
        query = parse_status_query(values["name"], values["id_number"], values["case_key"])
    except InvalidQuery as error:
        return problem(
            422,
            "The status check cannot be run as sent.",
            errors=[
                {"field": STATUS_FIELDS[field], "code": code, "detail": str(FORM_ERRORS[code])}
                for field, code in error.errors.items()
            ],
        )
    return jsonify(status_record(run_status_check(query), absolute_url))
