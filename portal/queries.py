"""Read queries the views use; plain SQLAlchemy, no Flask."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from portal.cases import FACETS
from portal.models import Case, CaseMeasure, Collection, Page, PressRelease, Term

Item = TypeVar("Item")


@dataclass(frozen=True)
class ResultPage(Generic[Item]):
    """One page of a listing."""

    items: list[Item]
    page: int
    pages: int
    total: int


def paginate(session: Session, query: Select[Any], page: int, page_size: int) -> ResultPage[Any]:
    """Page `page` (from 1) of an ordered query, with the total count."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // page_size))
    items = list(session.scalars(query.offset((page - 1) * page_size).limit(page_size)))
    return ResultPage(items=items, page=page, pages=pages, total=total)


def _one_version_each(
    model: Any, lang: str, same_item: Callable[[Any], ColumnElement[bool]]
) -> Select[Any]:
    """Each item once: its version in `lang` where one exists, otherwise the one it has."""
    other = aliased(model)
    has_version_in_lang = exists().where(and_(same_item(other), other.lang == lang))
    return select(model).where((model.lang == lang) | ~has_version_in_lang)


# Press releases


def _listed_releases(lang: str) -> Select[Any]:
    return _one_version_each(
        PressRelease,
        lang,
        lambda other: and_(other.year == PressRelease.year, other.slug == PressRelease.slug),
    )


def latest_releases(session: Session, lang: str, limit: int) -> list[PressRelease]:
    """The newest releases for the home page."""
    query = _listed_releases(lang).order_by(PressRelease.date.desc(), PressRelease.slug)
    return list(session.scalars(query.limit(limit)))


def releases_page(
    session: Session, lang: str, page: int, page_size: int, year: int | None = None
) -> ResultPage[PressRelease]:
    """Page `page` (from 1) of the releases, newest first, optionally of one year."""
    query = _listed_releases(lang)
    if year is not None:
        query = query.where(PressRelease.year == year)
    ordered = query.order_by(PressRelease.date.desc(), PressRelease.slug)
    return paginate(session, ordered, page, page_size)


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


# Typical cases


def vocabulary(session: Session, lang: str) -> dict[str, dict[str, str]]:
    """The vocabulary's labels in `lang`: kind -> key -> label, in the vocabulary's order."""
    labels: dict[str, dict[str, str]] = {}
    query = select(Term).where(Term.lang == lang).order_by(Term.kind, Term.position)
    for term in session.scalars(query):
        labels.setdefault(term.kind, {})[term.key] = term.label
    return labels


def _listed_cases(lang: str) -> Select[Any]:
    return _one_version_each(
        Case,
        lang,
        lambda other: and_(other.collection == Case.collection, other.slug == Case.slug),
    )


def _newest_collection_first(query: Select[Any]) -> Select[Any]:
    return query.order_by(Case.year.desc(), Case.collection, Case.number)


def _where_facet(query: Select[Any], facet: str, value: str | int) -> Select[Any]:
    column, _kind = FACETS[facet]
    if facet == "measure":
        return query.where(
            exists().where(CaseMeasure.case_id == Case.id, CaseMeasure.measure == value)
        )
    return query.where(getattr(Case, column) == value)


def cases_page(
    session: Session,
    lang: str,
    page: int,
    page_size: int,
    facet: str | None = None,
    value: str | int | None = None,
) -> ResultPage[Case]:
    """Page `page` of all cases, newest collection first, optionally with one facet value."""
    query = _listed_cases(lang)
    if facet is not None and value is not None:
        query = _where_facet(query, facet, value)
    return paginate(session, _newest_collection_first(query), page, page_size)


def facet_counts(session: Session, lang: str) -> dict[str, list[tuple[str | int, int]]]:
    """For each facet, its values that have cases, with how many cases each has."""
    listed = _listed_cases(lang).subquery()
    counts: dict[str, list[tuple[str | int, int]]] = {}
    for facet, (column, _kind) in FACETS.items():
        if facet == "measure":
            value = CaseMeasure.measure
            query = select(value, func.count()).join(listed, CaseMeasure.case_id == listed.c.id)
        else:
            value = listed.c[column]
            query = select(value, func.count()).select_from(listed)
        rows = session.execute(query.group_by(value).order_by(func.count().desc(), value))
        counts[facet] = [(key, count) for key, count in rows]
    if counts["year"]:
        counts["year"].sort(key=lambda pair: pair[0], reverse=True)
    return counts


def collections_newest_first(session: Session, lang: str) -> list[Collection]:
    """Every collection, one version each, newest first."""
    query = _one_version_each(Collection, lang, lambda other: other.key == Collection.key)
    return list(session.scalars(query.order_by(Collection.year.desc(), Collection.key)))


def collection_versions(session: Session, key: str) -> dict[str, Collection]:
    """Every language version of one collection, by language code."""
    query = select(Collection).where(Collection.key == key)
    return {collection.lang: collection for collection in session.scalars(query)}


def collections_by_key(session: Session, keys: Iterable[str], lang: str) -> dict[str, Collection]:
    """The collections with these keys, in `lang` where possible."""
    query = _one_version_each(Collection, lang, lambda other: other.key == Collection.key)
    return {c.key: c for c in session.scalars(query.where(Collection.key.in_(list(keys))))}


def collection_cases(session: Session, key: str, lang: str) -> list[Case]:
    """The cases of one collection in order, one version each."""
    query = _listed_cases(lang).where(Case.collection == key).order_by(Case.number)
    return list(session.scalars(query))


def case_versions(session: Session, collection: str, slug: str) -> dict[str, Case]:
    """Every language version of one case, by language code."""
    query = select(Case).where(Case.collection == collection, Case.slug == slug)
    return {case.lang: case for case in session.scalars(query)}


def release_of_collection(
    session: Session, collection: Collection, lang: str
) -> PressRelease | None:
    """The press release a collection was released with, in `lang` where possible."""
    if collection.release_year is None or collection.release_slug is None:
        return None
    versions = release_versions(session, collection.release_year, collection.release_slug)
    return versions.get(lang) or next(iter(versions.values()), None)
