"""Search documents made from the database: what of a press release, a case or a victim notice
is searchable.

Only what is published on the day the index is written is in it: a draft never, a scheduled
item once `portal index` (or a load that changes it) runs on or after its day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.db.models import Case, Collection, PressRelease, Term, VictimNotice
from portal.db.queries import publication, published
from portal.search.index import SearchDocument


def press_doc_id(year: int, slug: str, lang: str) -> str:
    """The index id of one language version of a press release."""
    return f"press/{year}/{slug}/{lang}"


def case_doc_id(collection: str, slug: str, lang: str) -> str:
    """The index id of one language version of a case."""
    return f"case/{collection}/{slug}/{lang}"


def victims_doc_id(key: str, lang: str) -> str:
    """The index id of one language version of a victim notice."""
    return f"victims/{key}/{lang}"


def _plain_text(html: str) -> str:
    return Markup(html).striptags()  # noqa: S704 - only reads the text of sanitised HTML


def press_document(release: PressRelease) -> SearchDocument:
    """A press release as a search document: title, summary, body and attachment titles."""
    attachments = "\n".join(attachment.title for attachment in release.attachments)
    return SearchDocument(
        doc_id=press_doc_id(release.year, release.slug, release.lang),
        kind="press",
        lang=release.lang,
        title=release.title,
        summary=release.summary,
        body=f"{_plain_text(release.body_html)}\n{attachments}",
        date=release.date,
        year=str(release.year),
        route={"year": release.year, "slug": release.slug},
    )


def victims_document(notice: VictimNotice) -> SearchDocument:
    """A victim notice as a search document: its case, court, rules and text."""
    described = [notice.court, notice.case_number, notice.crime, notice.channel]
    rules = [notice.who_may_register, *notice.materials, notice.anti_fraud, notice.payout_rules]
    return SearchDocument(
        doc_id=victims_doc_id(notice.key, notice.lang),
        kind="victims",
        lang=notice.lang,
        title=notice.title,
        summary=notice.summary,
        body="\n".join([*described, _plain_text(notice.body_html), *rules]),
        date=notice.date,
        year=str(notice.date.year),
        route={"key": notice.key},
    )


class _CaseContext:
    """Vocabulary labels and collection details that a case's search text includes."""

    def __init__(self, session: Session) -> None:
        self.labels = {
            (term.kind, term.key, term.lang): term.label for term in session.scalars(select(Term))
        }
        self.collections = {(c.key, c.lang): c for c in session.scalars(select(Collection))}
        dates = select(PressRelease.year, PressRelease.slug, func.min(PressRelease.date))
        self.release_dates = {
            (year, slug): date
            for year, slug, date in session.execute(
                dates.group_by(PressRelease.year, PressRelease.slug)
            )
        }

    def label(self, kind: str, key: str, lang: str) -> str:
        return self.labels.get((kind, key, lang), key)

    def date(self, case: Case) -> dt.date:
        """A case's date for sorting: the date of the release its collection came with."""
        collection = self.collections.get((case.collection, case.lang))
        if collection and collection.release_year and collection.release_slug:
            date = self.release_dates.get((collection.release_year, collection.release_slug))
            if date:
                return date
        return dt.date(case.year, 1, 1)


def case_document(case: Case, context: _CaseContext) -> SearchDocument:
    """A case as a search document: its title and parties, the names of its court, cause,
    category and measures in its language, its collection and its text."""
    lang = case.lang
    collection = context.collections.get((case.collection, lang))
    described = [
        case.parties,
        context.label("courts", case.court, lang),
        context.label("causes", case.cause, lang),
        context.label("categories", case.category, lang),
        *(context.label("measures", measure, lang) for measure in case.measures),
        case.case_number or "",
        collection.title if collection else "",
    ]
    return SearchDocument(
        doc_id=case_doc_id(case.collection, case.slug, lang),
        kind="case",
        lang=lang,
        title=case.title,
        summary=" · ".join(filter(None, described[:3])),
        body="\n".join(filter(None, [*described, _plain_text(case.body_html)])),
        date=context.date(case),
        year=str(case.year),
        court=case.court,
        cause=case.cause,
        category=case.category,
        measures=tuple(case.measures),
        route={"collection": case.collection, "slug": case.slug},
    )


def all_documents(session: Session) -> Iterator[SearchDocument]:
    """Every searchable item in the database that is published today."""
    rule = publication(session)
    releases = select(PressRelease).where(published(PressRelease)).order_by(PressRelease.id)
    for release in session.scalars(releases, rule):
        yield press_document(release)
    notices = select(VictimNotice).where(published(VictimNotice)).order_by(VictimNotice.id)
    for notice in session.scalars(notices, rule):
        yield victims_document(notice)
    context = _CaseContext(session)
    for case in session.scalars(select(Case).where(published(Case)).order_by(Case.id), rule):
        yield case_document(case, context)


def count_documents(session: Session) -> int:
    """How many documents a complete index holds."""
    rule = publication(session)
    press = select(func.count()).select_from(PressRelease).where(published(PressRelease))
    cases = select(func.count()).select_from(Case).where(published(Case))
    notices = select(func.count()).select_from(VictimNotice).where(published(VictimNotice))
    return sum(session.scalar(query, rule) or 0 for query in (press, cases, notices))


def documents_for(session: Session, doc_ids: Iterable[str]) -> list[SearchDocument]:
    """The current documents with these ids (ids of rows that no longer exist are skipped)."""
    wanted = set(doc_ids)
    return [document for document in all_documents(session) if document.doc_id in wanted]
