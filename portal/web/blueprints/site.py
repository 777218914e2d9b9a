"""Home, the plain pages (About, licence, contact), the language redirect at / and attachment
files."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from portal.db.queries import (
    attachment_at,
    collection_summaries,
    latest_releases,
    page_versions,
)
from portal.debtors.courts import court_directory
from portal.opendata import schema_org
from portal.text.languages import LANGUAGE_CODES
from portal.web.blueprints.debtors import contact_labels
from portal.web.db import db_session
from portal.web.i18n import absolute_url, current_language, preferred_language, render_page

bp = Blueprint("site", __name__)

# The main navigation; an entry shows once its area's blueprint is registered.
NAVIGATION = (
    ("site.home", _l("Home")),
    ("press.index", _l("Press releases")),
    ("cases.index", _l("Typical cases")),
    ("search.index", _l("Search")),
    ("debtors.index", _l("Debtor lookup")),
    ("statistics.index", _l("Statistics")),
    ("victims.index", _l("Victims")),
    ("data.index", _l("Open data")),
    ("site.about", _l("About")),
)
LATEST_ON_HOME = 5
FEATURED_COLLECTIONS = 3


def _is_current_section(endpoint: str) -> bool:
    """A nav entry is current on its own page and, for an area, on every page of that area."""
    here = request.endpoint or ""
    if endpoint.startswith("site."):
        return here == endpoint
    return here.split(".")[0] == endpoint.split(".")[0]


@bp.app_context_processor
def navigation_context() -> dict[str, Any]:
    available = current_app.view_functions
    return {
        "navigation": [
            {"endpoint": endpoint, "label": label, "current": _is_current_section(endpoint)}
            for endpoint, label in NAVIGATION
            if endpoint in available
        ],
        "has_endpoint": lambda endpoint: endpoint in available,
    }


@bp.route("/")
def root() -> ResponseReturnValue:
    if current_app.config["STATIC_SITE"]:
        # A static host cannot read Accept-Language: a page that offers both languages.
        return render_template("root_redirect.html", home=url_for("site.home", lang="en"))
    response = redirect(url_for("site.home", lang=preferred_language()))
    response.vary.add("Accept-Language")
    return response


@bp.route("/<lang:lang>/")
def home(lang: str) -> ResponseReturnValue:
    session = db_session()
    site = schema_org.website(
        str(_l("Enforcement Transparency Portal")),
        absolute_url("site.home", lang=lang),
        absolute_url("search.index", lang=lang) + "?q=",
        lang,
    )
    return render_page(
        "home.html",
        releases=latest_releases(session, lang, LATEST_ON_HOME),
        collections=collection_summaries(session, lang, limit=FEATURED_COLLECTIONS),
        structured_data=[site],
    )


def _plain_page(slug: str) -> ResponseReturnValue:
    versions = page_versions(db_session(), slug)
    page = versions.get(current_language().code)
    if page is None:
        abort(404)
    return render_page("pages/page.html", available=tuple(versions), page=page)


@bp.route("/<lang:lang>/about/")
def about(lang: str) -> ResponseReturnValue:
    return _plain_page("about")


@bp.route("/<lang:lang>/licence/")
def licence(lang: str) -> ResponseReturnValue:
    return _plain_page("licence")


@bp.route("/<lang:lang>/contact/")
def contact(lang: str) -> ResponseReturnValue:
    # The page's text, then the contact details of the courts that publish some. Every page
    # links here, so without its content file the page still exists, with a sentence of its own.
    session = db_session()
    versions = page_versions(session, "contact")
    page = versions.get(lang) or SimpleNamespace(
        title=_l("Contact"),
        summary=_l(
            "About a record on the list, an objection or a correction, contact the enforcing "
            "court named in the record, through the channels the court publishes."
        ),
        body_html="",
        updated=None,
        draft=False,
        publish_on=None,
    )
    return render_page(
        "pages/page.html",
        available=tuple(versions) or LANGUAGE_CODES,
        page=page,
        courts=court_directory(session, lang).courts,
        contact_labels=contact_labels(),
    )


@bp.route("/files/<path:path>")
def attachment_file(path: str) -> ResponseReturnValue:
    """Serve a published attachment; only files a release names, never other content files."""
    attachment = attachment_at(db_session(), path)
    if attachment is None:
        abort(404)
    return send_from_directory(
        Path(current_app.config["CONTENT_DIR"]),
        path,
        mimetype=attachment.media_type,
        download_name=attachment.file_name,
    )
