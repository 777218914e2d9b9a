"""Every public page of the portal, with its languages and when it last changed: what the
sitemap lists (and what a freeze writes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.db.court_day import start_of_court_day
from portal.db.models import Case, Collection, Page, PressRelease, StatisticFigure, VictimNotice
from portal.db.queries import (
    as_utc,
    facet_counts,
    last_change,
    modified,
    publication,
    published,
    release_years,
)
from portal.text.languages import LANGUAGE_CODES


@dataclass(frozen=True)
class PublicPage:
    """A page: its endpoint and URL values (without `lang`), its languages, its last change."""

    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)
    languages: tuple[str, ...] = LANGUAGE_CODES
    lastmod: dt.datetime | None = None


def _pages(total: int, page_size: int) -> range:
    """The page numbers after the first of a listing with `total` items."""
    return range(2, max(1, -(-total // page_size)) + 1)


def _versions(
    session: Session, model: Any, *key_columns: Any
) -> Iterator[tuple[tuple, tuple, Any]]:
    """(key, languages, last change) of each published item of `model`; an item that went
    public on its day changed then."""
    query = (
        select(*key_columns, model.lang, model.updated_at, model.publish_on)
        .where(published(model))
        .order_by(*key_columns, model.lang)
    )
    items: dict[tuple, tuple[list[str], list[dt.datetime]]] = {}
    for *key, lang, updated, day in session.execute(query, publication(session)):
        langs, times = items.setdefault(tuple(key), ([], []))
        langs.append(lang)
        times.append(max(as_utc(updated), start_of_court_day(day)) if day else as_utc(updated))
    for key, (langs, times) in items.items():
        yield key, tuple(code for code in LANGUAGE_CODES if code in langs), max(times)


def _count(session: Session, model: Any, *key_columns: Any) -> int:
    """How many published items `model` has (rows sharing `key_columns` are one item)."""
    items = select(*key_columns).where(published(model)).distinct().subquery()
    return session.scalar(select(func.count()).select_from(items), publication(session)) or 0


def public_pages(session: Session, press_page_size: int, cases_page_size: int) -> list[PublicPage]:
    """Every public page, listings' later pages included."""
    everything = last_change(session)
    press = modified(session, PressRelease)
    cases = modified(session, Case)
    pages = [PublicPage("site.home", lastmod=everything)]
    release_count = _count(session, PressRelease, PressRelease.year, PressRelease.slug)
    pages.append(PublicPage("press.index", lastmod=press))
    pages += [PublicPage("press.index", {"page": n}, lastmod=press)
              for n in _pages(release_count, press_page_size)]  # fmt: skip
    for year, count in release_years(session):
        pages.append(PublicPage("press.year_index", {"year": year}, lastmod=press))
        pages += [PublicPage("press.year_index", {"year": year, "page": n}, lastmod=press)
                  for n in _pages(count, press_page_size)]  # fmt: skip
    for (year, slug), langs, lastmod in _versions(
        session, PressRelease, PressRelease.year, PressRelease.slug
    ):
        pages.append(PublicPage("press.release", {"year": year, "slug": slug}, langs, lastmod))
    case_count = _count(session, Case, Case.collection, Case.slug)
    pages.append(PublicPage("cases.index", lastmod=cases))  # the navigation always links it
    if case_count:
        pages += [PublicPage("cases.index", {"page": n}, lastmod=cases)
                  for n in _pages(case_count, cases_page_size)]  # fmt: skip
        for facet, values in facet_counts(session, LANGUAGE_CODES[0]).items():
            for key, count in values:
                base = {"facet": facet, "key": key}
                pages.append(PublicPage("cases.facet", base, lastmod=cases))
                pages += [PublicPage("cases.facet", {**base, "page": n}, lastmod=cases)
                          for n in _pages(count, cases_page_size)]  # fmt: skip
    # The list of collections counts their cases, so it changes with either.
    collections = max(
        (t for t in (modified(session, Collection), cases) if t is not None),
        default=None,
    )
    collection_count = _count(session, Collection, Collection.key)
    pages.append(PublicPage("cases.collections", lastmod=collections))
    pages += [PublicPage("cases.collections", {"page": n}, lastmod=collections)
              for n in _pages(collection_count, cases_page_size)]  # fmt: skip
    for (key,), langs, lastmod in _versions(session, Collection, Collection.key):
        pages.append(PublicPage("cases.collection", {"collection": key}, langs, lastmod))
    for (collection, slug), langs, lastmod in _versions(session, Case, Case.collection, Case.slug):
        pages.append(
            PublicPage("cases.case", {"collection": collection, "slug": slug}, langs, lastmod)
        )
    for (slug,), langs, lastmod in _versions(session, Page, Page.slug):
        if slug in ("about", "licence"):
            pages.append(PublicPage(f"site.{slug}", {}, langs, lastmod))
    # Every page links to the contact page, which exists in every language even without its
    # content file (then with a sentence of its own and the courts' contact details).
    pages.append(PublicPage("site.contact", lastmod=everything))
    pages.append(PublicPage("data.index", lastmod=everything))
    pages.append(PublicPage("data.api_reference", lastmod=everything))
    pages.append(PublicPage("statistics.index", lastmod=modified(session, StatisticFigure)))
    notices = modified(session, VictimNotice)
    pages.append(PublicPage("victims.index", lastmod=notices))  # the navigation always links it
    for (key,), langs, lastmod in _versions(session, VictimNotice, VictimNotice.key):
        pages.append(PublicPage("victims.notice", {"key": key}, langs, lastmod))
    return pages
