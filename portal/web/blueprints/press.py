"""Press releases: the listing (newest first, by year, paginated) and one release."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, current_app
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from portal.db.queries import collections_by_key, release_versions, release_years, releases_page
from portal.opendata import schema_org
from portal.web.db import db_session
from portal.web.i18n import absolute_url, render_page

bp = Blueprint("press", __name__, url_prefix="/<lang:lang>/press")

# Which text prevails when a version of a release is the portal's own sample translation into this
# language: every version of the release says the same, so that its notices agree.
AUTHORITATIVE_TEXT = {
    "en": _l(
        "The authoritative text is the court's own English text on its website; the English "
        "version on this portal is a sample translation made for the portal."
    ),
    "zh": _l(
        "The authoritative text is the court's Chinese original on its website; the Chinese "
        "version on this portal is a sample translation made for the portal."
    ),
}


def _listing(lang: str, page: int, year: int | None = None) -> ResponseReturnValue:
    if page < 1:
        abort(404)
    years = release_years(db_session())
    page_size = current_app.config["PRESS_PAGE_SIZE"]
    result = releases_page(db_session(), lang, page, page_size, year=year, years=years)
    if page > result.pages or (year is not None and result.total == 0):
        abort(404)
    return render_page(
        "press/index.html",
        result=result,
        groups=[(y, list(items)) for y, items in groupby(result.items, key=lambda r: r.year)],
        years=years,
        year=year,
    )


@bp.route("/", defaults={"page": 1})
@bp.route("/page/<int:page>/")
def index(lang: str, page: int) -> ResponseReturnValue:
    return _listing(lang, page)


@bp.route("/<int(fixed_digits=4):year>/", defaults={"page": 1})
@bp.route("/<int(fixed_digits=4):year>/page/<int:page>/")
def year_index(lang: str, year: int, page: int) -> ResponseReturnValue:
    return _listing(lang, page, year=year)


@bp.route("/<int(fixed_digits=4):year>/<slug>/")
def release(lang: str, year: int, slug: str) -> ResponseReturnValue:
    versions = release_versions(db_session(), year, slug)
    item = versions.get(lang)
    if item is None:
        abort(404)
    return render_page(
        "press/release.html",
        available=tuple(versions),
        release=item,
        authoritative=[
            AUTHORITATIVE_TEXT[code]
            for code, version in versions.items()
            if version.sample_translation
        ],
        collections=collections_by_key(db_session(), item.collections, lang),
        structured_data=[
            schema_org.news_article(
                item, absolute_url("press.release", lang=lang, year=year, slug=slug)
            )
        ],
    )
