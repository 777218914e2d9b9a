"""Atom feeds, with full content, per language: press releases, typical cases, and one for every
page of cases by facet value. Each is announced on the pages it follows."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from portal.content.facets import CASE_FACETS
from portal.db.queries import (
    ResultPage,
    as_utc,
    case_versions,
    cases_page,
    facet_counts,
    last_change,
    release_versions,
    releases_page,
    victim_notice_versions,
    victim_notices,
    vocabulary,
)
from portal.web.blueprints.search import (
    request_from_args,
    run_search,
    search_parameters,
    withheld_search,
)
from portal.web.db import db_session
from portal.web.filters import facet_value_label
from portal.web.i18n import FACET_NAMES, LANGUAGES, absolute_url, render_page
from portal.web.responses import data_response

bp = Blueprint("feeds", __name__)

FEED_SIZE = 50
ATOM = "application/atom+xml"
XSLT = "text/xsl"


def _feed(
    title: str, page_url: str, self_url: str, lang: str, entries: list[dict[str, Any]]
) -> ResponseReturnValue:
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.subtitle(gettext("Enforcement Transparency Portal"))
    feed.author({"name": gettext("Shanghai High People's Court")})
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.link(href=self_url, rel="self", type=ATOM)
    feed.language(LANGUAGES[lang].html_lang)
    feed.rights(gettext("Official documents of the court published here may be reproduced "
                        "freely; please cite the source."))  # fmt: skip
    updated = [entry["updated"] for entry in entries] or [last_change(db_session())]
    feed.updated(max(filter(None, updated), default=None) or dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    for item in entries:
        entry = feed.add_entry(order="append")
        entry.id(item["url"])
        entry.title(item["title"])
        entry.link(href=item["url"], rel="alternate", type="text/html", hreflang=item["hreflang"])
        entry.updated(item["updated"])
        if item.get("published"):
            entry.published(item["published"])
        entry.summary(item["summary"])
        entry.content(item["content"], type="html")
    atom = feed.atom_str(pretty=True).decode("utf-8")
    # Browsers that apply XSLT show the feed as a page; the others show the XML as before.
    declaration, rest = atom.split("\n", 1)
    stylesheet = f'<?xml-stylesheet type="{XSLT}" href="{url_for("feeds.stylesheet", lang=lang)}"?>'
    return data_response(f"{declaration}\n{stylesheet}\n{rest}", ATOM)


def _release_entry(r: Any) -> dict[str, Any]:
    return {
        "url": absolute_url("press.release", lang=r.lang, year=r.year, slug=r.slug),
        "title": r.title,
        "hreflang": LANGUAGES[r.lang].html_lang,
        "updated": as_utc(r.updated_at),
        "published": dt.datetime(r.date.year, r.date.month, r.date.day, tzinfo=dt.UTC),
        "summary": r.summary,
        "content": r.body_html,
    }


def _case_entry(case: Any, labels: dict[str, dict[str, str]]) -> dict[str, Any]:
    facts = " · ".join([
        labels.get("courts", {}).get(case.court, case.court),
        labels.get("causes", {}).get(case.cause, case.cause),
        str(case.year),
    ])  # fmt: skip
    body = case.body_html or "<p>{}</p>".format(
        gettext("The facts of this case are in the court's collection document.")
    )
    return {
        "url": absolute_url(
            "cases.case", lang=case.lang, collection=case.collection, slug=case.slug
        ),
        "title": case.title,
        "hreflang": LANGUAGES[case.lang].html_lang,
        "updated": as_utc(case.updated_at),
        "summary": f"{case.parties} · {facts}",
        "content": body,
    }


def _release_entries(result: ResultPage[Any]) -> list[dict[str, Any]]:
    return [_release_entry(release) for release in result.items]


def _case_entries(result: ResultPage[Any], lang: str) -> list[dict[str, Any]]:
    labels = vocabulary(db_session(), lang)
    return [_case_entry(case, labels) for case in result.items]


@bp.route("/<lang:lang>/feeds/")
def index(lang: str) -> ResponseReturnValue:
    """The feeds for people: what each holds and how to subscribe (browsers without XSLT show
    a feed as raw XML)."""
    session = db_session()
    labels = vocabulary(session, lang)
    facet_feeds = [
        {
            "name": FACET_NAMES[name],
            "values": [
                {
                    "label": facet_value_label(name, key, labels),
                    "url": url_for("feeds.facet", lang=lang, facet=name, key=key),
                }
                for key, _count in values
            ],
        }
        for name, values in facet_counts(session, lang).items()
        if values
    ]
    return render_page(
        "feeds/index.html",
        facet_feeds=facet_feeds,
        search_feeds=not current_app.config["STATIC_SITE"],
    )


@bp.route("/<lang:lang>/feeds/feed.xsl")
def stylesheet(lang: str) -> ResponseReturnValue:
    """The XSLT that shows a feed of this language as a page, in the site's style."""
    body = render_template(
        "feeds/stylesheet.xml",
        html_lang=LANGUAGES[lang].html_lang,
        stylesheet_url=url_for("static", filename="css/portal.css"),
        feeds_url=url_for("feeds.index", lang=lang),
    )
    return Response(body, mimetype=XSLT)


@bp.route("/feeds/<lang:lang>/press.atom")
def press(lang: str) -> ResponseReturnValue:
    result = releases_page(db_session(), lang, 1, FEED_SIZE)
    return _feed(
        gettext("Press releases"),
        absolute_url("press.index", lang=lang),
        absolute_url("feeds.press", lang=lang),
        lang,
        _release_entries(result),
    )


@bp.route("/feeds/<lang:lang>/cases.atom")
def cases(lang: str) -> ResponseReturnValue:
    result = cases_page(db_session(), lang, 1, FEED_SIZE, with_text=True)
    return _feed(
        gettext("Typical cases"),
        absolute_url("cases.index", lang=lang),
        absolute_url("feeds.cases", lang=lang),
        lang,
        _case_entries(result, lang),
    )


def _victim_notice_entry(notice: Any) -> dict[str, Any]:
    return {
        "url": absolute_url("victims.notice", lang=notice.lang, key=notice.key),
        "title": notice.title,
        "hreflang": LANGUAGES[notice.lang].html_lang,
        "updated": as_utc(notice.updated_at),
        "published": dt.datetime(
            notice.date.year, notice.date.month, notice.date.day, tzinfo=dt.UTC
        ),
        "summary": notice.summary,
        "content": notice.body_html,
    }


@bp.route("/feeds/<lang:lang>/victims.atom")
def victims(lang: str) -> ResponseReturnValue:
    notices = victim_notices(db_session(), lang)[:FEED_SIZE]
    return _feed(
        gettext("Victims of fund-raising crimes"),
        absolute_url("victims.index", lang=lang),
        absolute_url("feeds.victims", lang=lang),
        lang,
        [_victim_notice_entry(notice) for notice in notices],
    )


def facet(lang: str, facet: str, key: Any) -> ResponseReturnValue:
    """The feed of one facet value's cases, e.g. /en/cases/court/minhang-district/feed.atom."""
    labels = vocabulary(db_session(), lang)
    if not CASE_FACETS[facet].knows(key, labels):
        abort(404)
    result = cases_page(db_session(), lang, 1, FEED_SIZE, facet=facet, value=key, with_text=True)
    if result.total == 0:
        abort(404)
    value = facet_value_label(facet, key, labels)
    return _feed(
        gettext("Typical cases – %(facet)s: %(value)s", facet=FACET_NAMES[facet], value=value),
        absolute_url("cases.facet", lang=lang, facet=facet, key=key),
        absolute_url("feeds.facet", lang=lang, facet=facet, key=key),
        lang,
        _case_entries(result, lang),
    )


for _facet in CASE_FACETS.values():
    bp.add_url_rule(
        f"/<lang:lang>/cases/{_facet.name}/{_facet.key_variable}/feed.atom",
        "facet",
        facet,
        defaults={"facet": _facet.name},
    )


@bp.route("/<lang:lang>/search/feed.atom")
def search(lang: str) -> ResponseReturnValue:
    """The newest items matching a search: follow a topic (same query parameters as the page)."""
    withheld = withheld_search(lang)
    if withheld is not None:
        return withheld
    wanted = replace(request_from_args(request.args, lang), sort="date", page=1,
                     page_size=FEED_SIZE)  # fmt: skip
    results = run_search(wanted)
    session = db_session()
    labels = vocabulary(session, lang)
    entries = []
    for hit in results.hits:
        if hit.kind == "press":
            item = release_versions(session, hit.route["year"], hit.route["slug"]).get(hit.lang)
            entries += [_release_entry(item)] if item else []
        elif hit.kind == "victims":
            notice = victim_notice_versions(session, hit.route["key"]).get(hit.lang)
            entries += [_victim_notice_entry(notice)] if notice else []
        else:
            item = case_versions(session, hit.route["collection"], hit.route["slug"]).get(hit.lang)
            entries += [_case_entry(item, labels)] if item else []
    title = gettext("Search: %(query)s", query=results.query.text) if results.query.text else (
        gettext("Search"))  # fmt: skip
    return _feed(
        title,
        absolute_url("search.index", lang=lang, **search_parameters()),
        absolute_url("feeds.search", lang=lang, **search_parameters()),
        lang,
        entries,
    )


def feeds_of_page(endpoint: str, values: dict[str, Any]) -> list[dict[str, str]]:
    """The feeds a page announces: the ones that follow what it lists."""
    lang = values.get("lang")
    if lang is None:
        return []

    # Built only for the pages that announce them: most pages announce none.
    def press_feed() -> dict[str, str]:
        return {"title": gettext("Press releases"), "url": url_for("feeds.press", lang=lang)}

    def cases_feed() -> dict[str, str]:
        return {"title": gettext("Typical cases"), "url": url_for("feeds.cases", lang=lang)}

    if endpoint in ("press.index", "press.year_index"):
        return [press_feed()]
    if endpoint == "cases.index":
        return [cases_feed()]
    if endpoint == "victims.index":
        return [{"title": gettext("Victims of fund-raising crimes"),
                 "url": url_for("feeds.victims", lang=lang)}]  # fmt: skip
    if endpoint == "site.home":
        return [press_feed(), cases_feed()]
    if endpoint == "search.index":
        if current_app.config["STATIC_SITE"]:
            return []  # a static copy cannot answer a search's feed
        return [{
            "title": gettext("These search results"),
            "url": url_for("feeds.search", lang=lang, **search_parameters()),
        }]  # fmt: skip
    if endpoint == "cases.facet":
        facet_name, key = values["facet"], values["key"]
        label = facet_value_label(facet_name, key, vocabulary(db_session(), lang))
        return [{
            "title": gettext("Typical cases – %(facet)s: %(value)s",
                             facet=FACET_NAMES[facet_name], value=label),
            "url": url_for("feeds.facet", lang=lang, facet=facet_name, key=key),
        }]  # fmt: skip
    return []


@bp.app_context_processor
def feeds_context() -> dict[str, Any]:
    if request.endpoint is None:
        return {"feeds": []}
    return {"feeds": feeds_of_page(request.endpoint, dict(request.view_args or {}))}
