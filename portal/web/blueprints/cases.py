"""Typical cases: all cases with facet counts, a page per facet value, collections and cases."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app
from flask.typing import ResponseReturnValue

from portal.content.facets import CASE_FACETS
from portal.db.queries import (
    case_versions,
    cases_page,
    collection_case_links,
    collection_cases,
    collection_heading,
    collection_summaries,
    collection_versions,
    collections_by_key,
    collections_page,
    facet_counts,
    listed_total,
    neighbours,
    published_case_counts,
    release_of_collection,
    vocabulary,
)
from portal.web.db import db_session
from portal.web.i18n import FACET_NAMES, render_page

bp = Blueprint("cases", __name__, url_prefix="/<lang:lang>/cases")

# How many of the newest collections the case list shows; the rest are a link away, so that
# the list's first page does not grow with every collection published.
NEWEST_COLLECTIONS = 5


def _browsing_context(lang: str) -> dict[str, Any]:
    """What every case listing shows beside its cases: the labels and the facet counts."""
    session = db_session()
    return {
        "labels": vocabulary(session, lang),
        "facets": facet_counts(session, lang),
        "facet_names": FACET_NAMES,
    }


def _listing(
    lang: str, page: int, facet: str | None = None, key: Any = None
) -> ResponseReturnValue:
    context = _browsing_context(lang)
    if facet is not None and not CASE_FACETS[facet].knows(key, context["labels"]):
        abort(404)
    session = db_session()
    total = listed_total(context["facets"], facet, key)
    page_size = current_app.config["CASES_PAGE_SIZE"]
    result = cases_page(session, lang, page, page_size, facet, key, total=total)
    if page < 1 or page > result.pages or (facet is not None and result.total == 0):
        abort(404)
    first_of_all = facet is None and page == 1
    newest = collection_summaries(session, lang, NEWEST_COLLECTIONS) if first_of_all else ()
    return render_page(
        "cases/index.html",
        result=result,
        facet=facet,
        key=key,
        newest_collections=newest,
        collections=collections_by_key(session, {c.collection for c in result.items}, lang),
        **context,
    )


@bp.route("/", defaults={"page": 1})
@bp.route("/page/<int:page>/")
def index(lang: str, page: int) -> ResponseReturnValue:
    return _listing(lang, page)


@bp.route("/collections/", defaults={"page": 1})
@bp.route("/collections/page/<int:page>/")
def collections(lang: str, page: int) -> ResponseReturnValue:
    """Every collection, newest first, with how many of its cases are published."""
    if page < 1:
        abort(404)
    session = db_session()
    result = collections_page(session, lang, page, current_app.config["CASES_PAGE_SIZE"])
    if page > result.pages:
        abort(404)
    counts = published_case_counts(session, [c.key for c in result.items])
    return render_page("cases/collections.html", result=result, case_counts=counts)


def facet(lang: str, facet: str, key: Any, page: int) -> ResponseReturnValue:
    """One facet value's cases, e.g. /en/cases/court/minhang-district/."""
    return _listing(lang, page, facet=facet, key=key)


# One rule per facet with a fixed first segment, so that /cases/court/<key>/ can never be
# mistaken for /cases/<collection>/<case>/ (collection keys may not be facet names).
for _facet in CASE_FACETS.values():
    _path = f"/{_facet.name}/{_facet.key_variable}/"
    bp.add_url_rule(_path, "facet", facet, defaults={"facet": _facet.name, "page": 1})
    bp.add_url_rule(f"{_path}page/<int:page>/", "facet", facet, defaults={"facet": _facet.name})


@bp.route("/<collection>/")
def collection(lang: str, collection: str) -> ResponseReturnValue:
    session = db_session()
    versions = collection_versions(session, collection)
    item = versions.get(lang)
    if item is None:
        abort(404)
    return render_page(
        "cases/collection.html",
        available=tuple(versions),
        collection=item,
        cases=collection_cases(session, collection, lang),
        release=release_of_collection(session, item, lang),
        labels=vocabulary(session, lang),
    )


@bp.route("/<collection>/<slug>/")
def case(lang: str, collection: str, slug: str) -> ResponseReturnValue:
    session = db_session()
    versions = case_versions(session, collection, slug)
    item = versions.get(lang)
    heading = collection_heading(session, collection, lang)
    if item is None or heading is None:
        abort(404)
    links = collection_case_links(session, collection, lang)
    previous_case, next_case = neighbours(links, slug)
    return render_page(
        "cases/case.html",
        available=tuple(versions),
        case=item,
        collection=heading,
        release=heading.release,
        previous_case=previous_case,
        next_case=next_case,
        labels=vocabulary(session, lang),
    )
