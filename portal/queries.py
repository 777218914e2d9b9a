"""Read queries the views use; plain SQLAlchemy, no Flask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from portal.models import Page, PressRelease


@dataclass(frozen=True)
class PageOfReleases:
    """One page of a press-release listing."""

    items: list[PressRelease]
    page: int
    pages: int
    total: int


def _listed_releases(lang: str):
    """Each release once: in `lang` where that version exists, otherwise in the language it has."""
    translated = aliased(PressRelease)
    has_version_in_lang = exists().where(
        and_(
            translated.year == PressRelease.year,
            translated.slug == PressRelease.slug,
            translated.lang == lang,
        )
    )
    return select(PressRelease).where((PressRelease.lang == lang) | ~has_version_in_lang)


def latest_releases(session: Session, lang: str, limit: int) -> list[PressRelease]:
    """The newest releases for the home page."""
    query = _listed_releases(lang).order_by(PressRelease.date.desc(), PressRelease.slug)
    return list(session.scalars(query.limit(limit)))


def releases_page(
    session: Session, lang: str, page: int, page_size: int, year: int | None = None
) -> PageOfReleases:
    """Page `page` (from 1) of the releases, newest first, optionally of one year."""
    query = _listed_releases(lang)
    if year is not None:
        query = query.where(PressRelease.year == year)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // page_size))
    ordered = query.order_by(PressRelease.date.desc(), PressRelease.slug)
    items = list(session.scalars(ordered.offset((page - 1) * page_size).limit(page_size)))
    return PageOfReleases(items=items, page=page, pages=pages, total=total)


def release_years(session: Session) -> list[tuple[int, int]]:
    """Each year that has releases, newest first, with how many releases it has."""
    query = (
        select(PressRelease.year, func.count(func.distinct(PressRelease.slug)))
        .group_by(PressRelease.year)
        .order_by(PressRelease.year.desc())
    )
    return [(year, count) for year, count in session.execute(query)]


def release_versions(session: Session, year: int, slug: str) -> dict[str, PressRelease]:
    """Every language version of one release, by language code."""
    query = select(PressRelease).where(PressRelease.year == year, PressRelease.slug == slug)
    return {release.lang: release for release in session.scalars(query)}


def page_versions(session: Session, slug: str) -> dict[str, Page]:
    """Every language version of one plain page, by language code."""
    return {page.lang: page for page in session.scalars(select(Page).where(Page.slug == slug))}
