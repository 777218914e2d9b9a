"""Read queries the views use.

Every query of content applies one rule, `published`: the public sees an item only when it is
not a draft and its publication day has come at the courts; a preview sees every item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    Select,
    String,
    and_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session, aliased, defer, joinedload, raiseload

from portal.content.facets import CASE_FACETS
from portal.db.court_day import COURT_TIMEZONE, court_today, start_of_court_day
from portal.db.models import (
    Attachment,
    Case,
    CaseFacetCount,
    CaseMeasure,
    Collection,
    Page,
    PressRelease,
    ReleaseYearCount,
    Removal,
    StatisticFigure,
    StatisticGroup,
    Term,
    VictimNotice,
)
from portal.text.languages import LANGUAGE_CODES

Item = TypeVar("Item")

# The rule's parameters: statements are built once around them, and run with the values
# `publication(session)` gives (a statement with the rule cannot run without them).
TODAY = bindparam("today", type_=Date)
PREVIEW = bindparam("preview", type_=Boolean)
# Set in a session's `info` by a local preview (PORTAL_PREVIEW): its queries see every item.
PREVIEW_KEY = "portal_preview"


def published(model: Any) -> ColumnElement[bool]:
    """The one rule of what the public sees: rows of `model` (a release, page, collection or
    case, or an alias of one) that are not drafts and whose publication day has come."""
    return or_(
        PREVIEW,
        and_(model.draft.is_(False), or_(model.publish_on.is_(None), model.publish_on <= TODAY)),
    )


def unpublished_state(row: Any, today: dt.date | None = None) -> str | dt.date | None:
    """Why `published` would keep `row` from the public (seen only in a preview): "draft", or
    the day it is scheduled for; None when it is public."""
    if row.draft:
        return "draft"
    if row.publish_on is not None and row.publish_on > (today or court_today()):
        return row.publish_on
    return None


ItemKey = TypeVar("ItemKey", bound=Hashable)


def first_public_days(
    versions: Iterable[tuple[ItemKey, dt.date | None]],
) -> dict[ItemKey, dt.date | None]:
    """The first day each item is public by `published`, from its versions that are not
    drafts, given as (item, publish_on): the earliest publish_on, or None (from the start) if
    one has none. The summaries count an item from that day."""
    first_day: dict[ItemKey, dt.date | None] = {}
    for item, publish_on in versions:
        if item not in first_day:
            first_day[item] = publish_on
        elif first_day[item] is not None:
            first_day[item] = None if publish_on is None else min(first_day[item], publish_on)
    return first_day


def publication(session: Session, today: dt.date | None = None) -> dict[str, Any]:
    """The values of the rule's parameters for `session`: the courts' today (or `today`), and
    whether the session is a preview's."""
    return {
        "today": today or court_today(),
        "preview": bool(session.info.get(PREVIEW_KEY, False)),
    }


@dataclass(frozen=True)
class ResultPage(Generic[Item]):
    """One page of a listing."""

    items: list[Item]
    page: int
    pages: int
    total: int


def paginate(
    session: Session,
    query: Select[Any],
    page: int,
    page_size: int,
    total: int | None = None,
    params: dict[str, Any] | None = None,
    row: Callable[..., Any] | None = None,
) -> ResultPage[Any]:
    """Page `page` (from 1) of an ordered query run with `params` (and the publication rule's),
    with the total count (counted unless given); a page out of range has no items. Items are
    the query's first column, or `row(*columns)` of each row when `row` is given."""
    params = {**publication(session), **(params or {})}
    if total is None:
        counting = select(func.count()).select_from(query.order_by(None).subquery())
        total = session.scalar(counting, params) or 0
    pages = max(1, -(-total // page_size))
    items = []
    if 1 <= page <= pages and total:
        shown = query.offset((page - 1) * page_size).limit(page_size)
        if row is None:
            items = list(session.scalars(shown, params))
        else:
            items = [row(*columns) for columns in session.execute(shown, params)]
    return ResultPage(items=items, page=page, pages=pages, total=total)


# The language of a listing. The listings' statements are built once, at import, around it:
# building one (aliases, EXISTS) costs more than running it. Run them with {"lang": code}.
LANG = bindparam("lang")


def _one_version_each(model: Any, same_item: Callable[[Any], ColumnElement[bool]]) -> Select[Any]:
    """Each published item once: its version in LANG where one is published, otherwise the
    one it has."""
    other = aliased(model)
    has_version_in_lang = exists().where(
        and_(same_item(other), other.lang == LANG, published(other))
    )
    return select(model).where(published(model), (model.lang == LANG) | ~has_version_in_lang)


# Press releases

_LISTED_RELEASES = _one_version_each(
    PressRelease,
    lambda other: and_(other.year == PressRelease.year, other.slug == PressRelease.slug),
).order_by(PressRelease.date.desc(), PressRelease.slug)


def latest_releases(session: Session, lang: str, limit: int) -> list[PressRelease]:
    """The newest releases for the home page."""
    params = {"lang": lang, **publication(session)}
    return list(session.scalars(_LISTED_RELEASES.limit(limit), params))


def releases_page(
    session: Session,
    lang: str,
    page: int,
    page_size: int,
    year: int | None = None,
    years: list[tuple[int, int]] | None = None,
) -> ResultPage[PressRelease]:
    """Page `page` (from 1) of the releases, newest first, optionally of one year; its total
    from `years` (`release_years`, read unless the caller has it), as a listing shows each
    release once."""
    if years is None:
        years = release_years(session)
    query = _LISTED_RELEASES
    if year is None:
        total = sum(count for _year, count in years)
    else:
        query = query.where(PressRelease.year == year)
        total = dict(years).get(year, 0)
    return paginate(session, query, page, page_size, total, params={"lang": lang})


_RELEASE_YEARS = (
    select(PressRelease.year, func.count(func.distinct(PressRelease.slug)))
    .where(published(PressRelease))
    .group_by(PressRelease.year)
    .order_by(PressRelease.year.desc())
)
_PUBLIC_RELEASE_YEARS = (
    select(ReleaseYearCount.year, func.sum(ReleaseYearCount.releases))
    .where(or_(ReleaseYearCount.public_from.is_(None), ReleaseYearCount.public_from <= TODAY))
    .group_by(ReleaseYearCount.year)
    .order_by(ReleaseYearCount.year.desc())
)


def release_years(session: Session) -> list[tuple[int, int]]:
    """Each year that has releases, newest first, with how many releases it has, from the
    summary kept at load (portal/db/release_summary.py); a preview, which sees drafts too,
    counts the releases themselves."""
    rule = publication(session)
    if rule["preview"]:
        return release_years_of_releases(session)
    return [(year, int(count)) for year, count in session.execute(_PUBLIC_RELEASE_YEARS, rule)]


def release_years_of_releases(session: Session) -> list[tuple[int, int]]:
    """`release_years` counted from the releases themselves, slower: what the summary must
    equal."""
    return [(year, count) for year, count in session.execute(_RELEASE_YEARS, publication(session))]


_RELEASE_VERSIONS = select(PressRelease).where(
    PressRelease.year == bindparam("year"),
    PressRelease.slug == bindparam("slug"),
    published(PressRelease),
)
_PAGE_VERSIONS = select(Page).where(Page.slug == bindparam("slug"), published(Page))


def release_versions(session: Session, year: int, slug: str) -> dict[str, PressRelease]:
    """Every published language version of one release, by language code."""
    rows = session.scalars(_RELEASE_VERSIONS, {"year": year, "slug": slug, **publication(session)})
    return {release.lang: release for release in rows}


def page_versions(session: Session, slug: str) -> dict[str, Page]:
    """Every published language version of one plain page, by language code."""
    rows = session.scalars(_PAGE_VERSIONS, {"slug": slug, **publication(session)})
    return {page.lang: page for page in rows}


_VICTIM_NOTICE_VERSIONS = select(VictimNotice).where(
    VictimNotice.key == bindparam("key"), published(VictimNotice)
)
_VICTIM_NOTICES = (
    select(VictimNotice)
    .where(VictimNotice.lang == bindparam("lang"), published(VictimNotice))
    .order_by(VictimNotice.date.desc(), VictimNotice.key)
)


def victim_notice_versions(session: Session, key: str) -> dict[str, VictimNotice]:
    """Every published language version of one case's victim notice, by language code."""
    rows = session.scalars(_VICTIM_NOTICE_VERSIONS, {"key": key, **publication(session)})
    return {notice.lang: notice for notice in rows}


def victim_notices(session: Session, lang: str) -> list[VictimNotice]:
    """The published victim notices in `lang`, newest first."""
    return list(session.scalars(_VICTIM_NOTICES, {"lang": lang, **publication(session)}))


_ATTACHMENT = (
    select(Attachment)
    .join(PressRelease, Attachment.release_id == PressRelease.id)
    .where(Attachment.path == bindparam("path"), published(PressRelease))
    .limit(1)
)
_ATTACHMENT_PATHS = (
    select(Attachment.path)
    .join(PressRelease, Attachment.release_id == PressRelease.id)
    .where(Attachment.path.is_not(None), published(PressRelease))
    .distinct()
)


def attachment_at(session: Session, path: str) -> Attachment | None:
    """The attachment stored at `path` (relative to the content folder) of a published release."""
    return session.scalar(_ATTACHMENT, {"path": path, **publication(session)})


def attachment_paths(session: Session) -> list[str]:
    """Where the attachments of published releases are stored (relative to the content folder)."""
    return list(session.scalars(_ATTACHMENT_PATHS, publication(session)))


# Typical cases

_VOCABULARY = (
    select(Term.kind, Term.key, Term.label)
    .where(Term.lang == LANG)
    .order_by(Term.kind, Term.position)
)


def vocabulary(session: Session, lang: str) -> dict[str, dict[str, str]]:
    """The vocabulary's labels in `lang`: kind -> key -> label, in the vocabulary's order."""
    labels: dict[str, dict[str, str]] = {}
    for kind, key, label in session.execute(_VOCABULARY, {"lang": lang}):
        labels.setdefault(kind, {})[key] = label
    return labels


_LISTED_CASES = _one_version_each(
    Case, lambda other: and_(other.collection == Case.collection, other.slug == Case.slug)
)


def _newest_collection_first(query: Select[Any]) -> Select[Any]:
    return query.order_by(Case.year.desc(), Case.collection, Case.number)


def _where_facet(query: Select[Any], facet: str, value: str | int) -> Select[Any]:
    column = CASE_FACETS[facet].attribute
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
    total: int | None = None,
    with_text: bool = False,
) -> ResultPage[Case]:
    """Page `page` of all cases, newest collection first, optionally with one facet value;
    `total`, when the caller knows it from `facet_counts`, saves counting them again. Each
    case's text is read only `with_text` (a feed's), its measures never."""
    query = _LISTED_CASES
    if facet is not None and value is not None:
        query = _where_facet(query, facet, value)
    # Neither is shown in a listing, and the text is most of a row (the database sorts whole
    # rows): left unread, and reading either later raises instead of querying once per case.
    unread = [raiseload(Case.measure_rows)]
    if not with_text:
        unread.append(defer(Case.body_html, raiseload=True))
    ordered = _newest_collection_first(query).options(*unread)
    return paginate(session, ordered, page, page_size, total, params={"lang": lang})


def listed_total(
    counts: dict[str, list[tuple[str | int, int]]], facet: str | None, value: str | int | None
) -> int:
    """How many cases a listing has, from `facet_counts`: every case has one year, and a case
    counts once under each facet value it has."""
    if facet is None or value is None:
        return sum(count for _year, count in counts["year"])
    return dict(counts[facet]).get(value, 0)


def _facet_counts_statement() -> Any:
    """Every facet's values among the listed cases, with how many cases have each, in one
    statement: rows of (facet's position in CASE_FACETS, value as text, count)."""
    facets = list(CASE_FACETS.values())
    columns = [getattr(Case, facet.attribute) for facet in facets if not facet.many]
    listed = _LISTED_CASES.with_only_columns(Case.id, *columns).cte("listed")
    parts = []
    for position, facet in enumerate(facets):
        if facet.many:  # the only such facet, measure, is kept in its own table
            value: Any = CaseMeasure.measure
            part = select(value).join(listed, CaseMeasure.case_id == listed.c.id)
        else:
            value = listed.c[facet.attribute]
            part = select(value).select_from(listed)
        # One column type for every facet's values, as a union needs; years are made ints again.
        parts.append(
            part.with_only_columns(
                literal(position).label("facet"),
                cast(value, String).label("value"),
                func.count().label("count"),
            ).group_by(value)
        )
    return union_all(*parts)


_FACET_COUNTS = _facet_counts_statement()


_PUBLIC_FACET_COUNTS = (
    select(CaseFacetCount.facet, CaseFacetCount.value, func.sum(CaseFacetCount.cases))
    .where(or_(CaseFacetCount.public_from.is_(None), CaseFacetCount.public_from <= TODAY))
    .group_by(CaseFacetCount.facet, CaseFacetCount.value)
)


def facet_counts(session: Session, lang: str) -> dict[str, list[tuple[str | int, int]]]:
    """For each facet, its values that have cases, with how many cases each has, most first,
    from the summary kept at load (portal/db/facet_summary.py); a preview, which sees drafts
    too, counts the cases themselves."""
    params = {"lang": lang, **publication(session)}
    if params["preview"]:
        return facet_counts_of_cases(session, lang)
    return _sorted_counts(session.execute(_PUBLIC_FACET_COUNTS, params))


def facet_counts_of_cases(session: Session, lang: str) -> dict[str, list[tuple[str | int, int]]]:
    """`facet_counts` read from the cases themselves, slower: what the summary must equal."""
    facets = list(CASE_FACETS.values())
    rows = session.execute(_FACET_COUNTS, {"lang": lang, **publication(session)})
    return _sorted_counts((facets[position].name, key, count) for position, key, count in rows)


def _sorted_counts(rows: Iterable[Any]) -> dict[str, list[tuple[str | int, int]]]:
    """Rows of (facet name, value as text, count) by facet: years newest first, other values
    most cases first."""
    counts: dict[str, list[tuple[str | int, int]]] = {name: [] for name in CASE_FACETS}
    for name, key, count in rows:
        counts[name].append((int(key) if CASE_FACETS[name].integer else key, int(count)))
    for name, pairs in counts.items():
        if name == "year":
            pairs.sort(key=lambda pair: pair[0], reverse=True)
        else:
            pairs.sort(key=lambda pair: (-pair[1], str(pair[0])))
    return counts


@dataclass(frozen=True)
class CollectionSummary:
    """What a list of collections shows of each."""

    key: str
    lang: str
    title: str
    summary: str
    year: int
    collections: int  # how many collections are listed in all


_LISTED_COLLECTIONS = _one_version_each(Collection, lambda other: other.key == Collection.key)
_PUBLISHED_CASES_BY_COLLECTION = (
    select(Case.collection, func.count(func.distinct(Case.slug)))
    .where(Case.collection.in_(bindparam("keys", expanding=True)), published(Case))
    .group_by(Case.collection)
)
# How many collections are listed: each published key once (a collection is listed once,
# whatever its languages). Cheaper than counting the listing itself.
_COLLECTION_COUNT = select(func.count(func.distinct(Collection.key))).where(published(Collection))
# Newest first, each with the number of collections (computed once per statement, not per
# row), so that a short list can link to all of them without a statement of its own.
_COLLECTION_SUMMARIES = _LISTED_COLLECTIONS.with_only_columns(
    Collection.key,
    Collection.lang,
    Collection.title,
    Collection.summary,
    Collection.year,
    _COLLECTION_COUNT.scalar_subquery(),
).order_by(Collection.year.desc(), Collection.key)
_COLLECTION_VERSIONS = select(Collection).where(
    Collection.key == bindparam("key"), published(Collection)
)
_COLLECTIONS_BY_KEY = _LISTED_COLLECTIONS.where(
    Collection.key.in_(bindparam("keys", expanding=True))
)


def collection_summaries(
    session: Session, lang: str, limit: int | None = None
) -> tuple[CollectionSummary, ...]:
    """Every collection (or the `limit` newest), one version each, newest first."""
    statement = _COLLECTION_SUMMARIES if limit is None else _COLLECTION_SUMMARIES.limit(limit)
    rows = session.execute(statement, {"lang": lang, **publication(session)})
    return tuple(CollectionSummary(*row) for row in rows)


def collections_page(
    session: Session, lang: str, page: int, page_size: int
) -> ResultPage[CollectionSummary]:
    """Page `page` (from 1) of the collections, newest first."""
    params = {"lang": lang, **publication(session)}
    total = session.scalar(_COLLECTION_COUNT, params) or 0
    return paginate(
        session, _COLLECTION_SUMMARIES, page, page_size, total, params, row=CollectionSummary
    )


def published_case_counts(session: Session, keys: Iterable[str]) -> dict[str, int]:
    """How many published cases each of these collections has (a case once, whatever its
    languages); counted for a page's collections only, as counting them all costs."""
    params = {"keys": list(keys), **publication(session)}
    counts = dict.fromkeys(params["keys"], 0)
    counts.update(
        (key, count) for key, count in session.execute(_PUBLISHED_CASES_BY_COLLECTION, params)
    )
    return counts


def collection_versions(session: Session, key: str) -> dict[str, Collection]:
    """Every published language version of one collection, by language code."""
    rows = session.scalars(_COLLECTION_VERSIONS, {"key": key, **publication(session)})
    return {collection.lang: collection for collection in rows}


def collections_by_key(session: Session, keys: Iterable[str], lang: str) -> dict[str, Collection]:
    """The collections with these keys, in `lang` where possible."""
    params = {"keys": list(keys), "lang": lang, **publication(session)}
    rows = session.scalars(_COLLECTIONS_BY_KEY, params)
    return {c.key: c for c in rows}


_COLLECTION_CASES = _LISTED_CASES.where(Case.collection == bindparam("key")).order_by(Case.number)


def collection_cases(session: Session, key: str, lang: str) -> list[Case]:
    """The cases of one collection in order, one version each."""
    params = {"key": key, "lang": lang, **publication(session)}
    return list(session.scalars(_COLLECTION_CASES, params))


@dataclass(frozen=True)
class CaseLink:
    """Enough of a case to link to it: its URL values and its title."""

    collection: str
    slug: str
    lang: str
    title: str


_COLLECTION_CASE_LINKS = _COLLECTION_CASES.with_only_columns(
    Case.collection, Case.slug, Case.lang, Case.title
)


def collection_case_links(session: Session, key: str, lang: str) -> tuple[CaseLink, ...]:
    """The cases of one collection in order, one version each, as links."""
    params = {"key": key, "lang": lang, **publication(session)}
    return tuple(CaseLink(*row) for row in session.execute(_COLLECTION_CASE_LINKS, params))


def neighbours(links: tuple[CaseLink, ...], slug: str) -> tuple[CaseLink | None, CaseLink | None]:
    """The cases before and after `slug` among a collection's `links`."""
    position = next((i for i, link in enumerate(links) if link.slug == slug), None)
    if position is None:
        return None, None
    before = links[position - 1] if position > 0 else None
    after = links[position + 1] if position + 1 < len(links) else None
    return before, after


# One query with the measures, not a second to fetch them: a case page is read often.
_CASE_VERSIONS = (
    select(Case)
    .where(
        Case.collection == bindparam("collection"),
        Case.slug == bindparam("slug"),
        published(Case),
    )
    .options(joinedload(Case.measure_rows))
)


def case_versions(session: Session, collection: str, slug: str) -> dict[str, Case]:
    """Every published language version of one case, by language code."""
    params = {"collection": collection, "slug": slug, **publication(session)}
    rows = session.scalars(_CASE_VERSIONS, params).unique()
    return {case.lang: case for case in rows}


def release_of_collection(
    session: Session, collection: Collection, lang: str
) -> PressRelease | None:
    """The press release a collection was released with, in `lang` where possible."""
    if collection.release_year is None or collection.release_slug is None:
        return None
    versions = release_versions(session, collection.release_year, collection.release_slug)
    return versions.get(lang) or next(iter(versions.values()), None)


@dataclass(frozen=True)
class ReleaseLink:
    """Enough of a press release to link to it."""

    lang: str
    year: int
    slug: str
    title: str
    date: dt.date


@dataclass(frozen=True)
class CollectionHeading:
    """What a case's page shows of its collection: its title and the release it came with."""

    key: str
    lang: str
    title: str
    document: str | None
    release: ReleaseLink | None


def collection_heading(session: Session, key: str, lang: str) -> CollectionHeading | None:
    """The heading of collection `key` in `lang`, or None when it has no version in `lang`."""
    collection = collection_versions(session, key).get(lang)
    if collection is None:
        return None
    release = release_of_collection(session, collection, lang)
    link = release and ReleaseLink(
        release.lang, release.year, release.slug, release.title, release.date
    )
    return CollectionHeading(key, lang, collection.title, collection.document, link)


# Open data: items with all their language versions, the statistics, the changes list


def _versions_page(
    session: Session,
    model: Any,
    key_columns: list[Any],
    conditions: list[ColumnElement[bool]],
    order: list[Any],
    page: int,
    page_size: int | None,
) -> ResultPage[dict[str, Any]]:
    """Page `page` of the published items of `model` (rows sharing `key_columns` are the
    language versions of one item) that have a version meeting `conditions`; each item as
    {lang: row}, its published versions. `page_size` None means every item on one page."""
    rule = publication(session)
    keys = (
        select(*key_columns)
        .where(published(model), *conditions)
        .group_by(*key_columns)
        .order_by(*order)
    )
    total = session.scalar(select(func.count()).select_from(keys.subquery()), rule) or 0
    if page_size is not None:
        keys = keys.offset((page - 1) * page_size).limit(page_size)
    wanted = [tuple(row) for row in session.execute(keys, rule)]
    pages = max(1, -(-total // page_size)) if page_size else 1
    if not wanted:
        return ResultPage(items=[], page=page, pages=pages, total=total)
    versions_query = select(model).where(tuple_(*key_columns).in_(wanted), published(model))
    rows = session.scalars(versions_query, rule)
    versions: dict[tuple[Any, ...], dict[str, Any]] = {key: {} for key in wanted}
    for row in rows:
        versions[tuple(getattr(row, column.key) for column in key_columns)][row.lang] = row
    items = [
        {lang: by_lang[lang] for lang in LANGUAGE_CODES if lang in by_lang}
        for by_lang in versions.values()
    ]
    return ResultPage(items=items, page=page, pages=pages, total=total)


def release_items(
    session: Session,
    page: int = 1,
    page_size: int | None = None,
    year: int | None = None,
    lang: str | None = None,
) -> ResultPage[dict[str, PressRelease]]:
    """Press releases with all their versions, newest first; `lang` keeps those in that language."""
    conditions = [PressRelease.year == year] if year is not None else []
    if lang is not None:
        conditions.append(PressRelease.lang == lang)
    order = [func.max(PressRelease.date).desc(), PressRelease.year.desc(), PressRelease.slug]
    return _versions_page(
        session, PressRelease, [PressRelease.year, PressRelease.slug], conditions, order,
        page, page_size,
    )  # fmt: skip


def case_items(
    session: Session,
    page: int = 1,
    page_size: int | None = None,
    filters: dict[str, Any] | None = None,
    lang: str | None = None,
) -> ResultPage[dict[str, Case]]:
    """Cases with all their versions, newest collection first, filtered by facet values."""
    query = select(Case.id)
    for facet, value in (filters or {}).items():
        query = _where_facet(query, facet, value)
    conditions: list[ColumnElement[bool]] = [Case.id.in_(query)]
    if lang is not None:
        conditions.append(Case.lang == lang)
    order = [func.max(Case.year).desc(), Case.collection, func.min(Case.number)]
    return _versions_page(
        session, Case, [Case.collection, Case.slug], conditions, order, page, page_size
    )


def vocabulary_terms(session: Session, kind: str | None = None) -> list[Term]:
    """Every vocabulary term (one row per language), optionally of one kind."""
    query = select(Term).order_by(Term.kind, Term.position, Term.lang)
    if kind is not None:
        query = query.where(Term.kind == kind)
    return list(session.scalars(query))


# A figure is public when the release it quotes is: the release makes its figures public.
_FIGURE_RELEASED = exists().where(
    PressRelease.year == StatisticFigure.release_year,
    PressRelease.slug == StatisticFigure.release_slug,
    published(PressRelease),
)


def statistic_figures(session: Session, year: int | None = None) -> list[StatisticFigure]:
    """The enforcement figures whose release is published, in the order their files list them."""
    query = select(StatisticFigure).where(_FIGURE_RELEASED).order_by(StatisticFigure.position)
    if year is not None:
        query = query.where(StatisticFigure.year == year)
    return list(session.scalars(query, publication(session)))


def _published_range(session: Session, column: Any, condition: Any) -> tuple[Any, Any] | None:
    """The least and greatest of `column` over the rows the public sees, in one statement.
    Each is the first row in the column's order, not min() and max(): with the condition those
    read every row, while an index in that order stops at the first public one."""
    first = select(column).where(condition).limit(1)
    least, greatest = session.execute(
        select(first.order_by(column).scalar_subquery(),
               first.order_by(column.desc()).scalar_subquery()),
        publication(session),
    ).one()  # fmt: skip
    return None if least is None else (least, greatest)


def release_date_range(session: Session) -> tuple[dt.date, dt.date] | None:
    """The first and last date of the published press releases."""
    return _published_range(session, PressRelease.date, published(PressRelease))


def case_year_range(session: Session) -> tuple[int, int] | None:
    """The first and last year of the published typical cases."""
    return _published_range(session, Case.year, published(Case))


def statistic_year_range(session: Session) -> tuple[int, int] | None:
    """The first and last year of the public enforcement figures."""
    return _published_range(session, StatisticFigure.year, _FIGURE_RELEASED)


def statistic_groups(session: Session) -> list[StatisticGroup]:
    """The groups of figures in order."""
    return list(session.scalars(select(StatisticGroup).order_by(StatisticGroup.position)))


CHANGE_MODELS = (PressRelease, Collection, Case, Page, StatisticFigure, VictimNotice)


def went_public(row: Any) -> dt.datetime:
    """When a published row became public: when it was added, or the start of its publication
    day at the courts if that came later."""
    added = as_utc(row.created_at)
    day = getattr(row, "publish_on", None)
    return max(added, start_of_court_day(day)) if day else added


def _public_since(model: Any, since: dt.datetime) -> Select[Any]:
    """The published rows of `model` added, changed or made public at or after `since`."""
    if model is StatisticFigure:
        return select(model).where(_FIGURE_RELEASED, model.updated_at >= since)
    return select(model).where(
        published(model),
        (model.created_at >= since)
        | (model.updated_at >= since)
        | (model.publish_on >= since.astimezone(COURT_TIMEZONE).date()),
    )


def changes_since(
    session: Session, since: dt.datetime
) -> list[tuple[str, str, str | None, str, Any]]:
    """(kind, key, lang, change, at) of every published item added, changed or removed at or
    after `since`, oldest first; an item added (or made public on its day) and changed since
    then counts as added."""
    # SQLite keeps UTC times as text without their offset and compares text: the bound value
    # must be written in UTC too, or 09:00+08:00 would be taken as 09:00 UTC.
    since = since.astimezone(dt.UTC)
    changes = []
    rule = publication(session)
    for model in CHANGE_MODELS:
        for row in session.scalars(_public_since(model, since), rule):
            public = went_public(row)
            added = public >= since
            if not added and as_utc(row.updated_at) < since:
                continue
            changes.append((
                model.change_kind, row.item_key, getattr(row, "lang", None),
                "added" if added else "changed", public if added else row.updated_at,
            ))  # fmt: skip
    for removal in session.scalars(select(Removal).where(Removal.removed_at >= since)):
        changes.append((removal.kind, removal.key, removal.lang, "removed", removal.removed_at))
    return sorted(changes, key=lambda change: (as_utc(change[4]), change[0], change[1]))


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite gives stored UTC times back without their zone."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _latest(session: Session, times: Select[Any]) -> dt.datetime | None:
    """The latest of the times `times` selects (scalar subqueries of times, or of publication
    days, which count from their start at the courts), read in one statement."""
    row = session.execute(times, publication(session)).one()
    known = [
        as_utc(time) if isinstance(time, dt.datetime) else start_of_court_day(time)
        for time in row
        if time is not None
    ]
    return max(known) if known else None


def _change_times(model: Any) -> list[Any]:
    """The latest update of `model`'s rows and, for content, the latest publication day that
    has come: an item going public on its day changes the pages that list it."""
    times = [select(func.max(model.updated_at)).scalar_subquery()]
    # The statistics are published with the releases they quote.
    source = PressRelease if model is StatisticFigure else model
    days = select(func.max(source.publish_on)).where(published(source), source.publish_on <= TODAY)
    return [*times, days.scalar_subquery()]


def _last_removal(kind: str | None = None) -> Any:
    removals = select(func.max(Removal.removed_at))
    return (removals if kind is None else removals.where(Removal.kind == kind)).scalar_subquery()


# Built once, at import, like the listings' statements: every data response asks for the last
# change, and building these thirteen subqueries cost more than running them.
_LAST_CHANGE = select(
    *(time for model in CHANGE_MODELS for time in _change_times(model)), _last_removal()
)
_MODIFIED = {
    model: select(*_change_times(model), _last_removal(model.change_kind))
    for model in CHANGE_MODELS
}


def last_change(session: Session) -> dt.datetime | None:
    """When the published data last changed: the latest addition, update, publication or
    removal."""
    return _latest(session, _LAST_CHANGE)


def modified(session: Session, model: Any) -> dt.datetime | None:
    """When the rows of `model` (one of CHANGE_MODELS) last changed: the latest update,
    publication or removal of one of them."""
    return _latest(session, _MODIFIED[model])
