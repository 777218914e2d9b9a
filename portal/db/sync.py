"""Syncing validated content into the database: add what is new, update what changed, remove
what is gone. The caller owns the transaction, so a sync is applied whole or not at all."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from portal.content.cases import CaseFile, CaseSet, CollectionFile, VocabularyTerm
from portal.content.contacts import CONTACT_FIELDS
from portal.content.files import ContentProblem
from portal.content.press import ContentSet, PageFile, PressReleaseFile
from portal.content.statistics import FIGURE_FIELDS, GROUP_FIELDS
from portal.content.victims import VictimNoticeFile, payout_to_json
from portal.db.facet_summary import rebuild_facet_summary
from portal.db.models import (
    Attachment,
    Base,
    Case,
    CaseMeasure,
    Collection,
    CourtContact,
    Page,
    PressRelease,
    Removal,
    StatisticFigure,
    StatisticGroup,
    Term,
    VictimNotice,
    utc_now,
)
from portal.db.release_summary import rebuild_release_summary


@dataclass
class SyncReport:
    """How many rows a sync added, updated and removed, by kind."""

    added: dict[str, int]
    updated: dict[str, int]
    removed: dict[str, int]
    # The natural keys of the rows a sync wrote (added or updated) and removed, by kind, so
    # that what is derived from them (the search index) can follow.
    written_keys: dict[str, list[Hashable]] = field(default_factory=dict)
    removed_keys: dict[str, list[Hashable]] = field(default_factory=dict)
    # The files held back as drafts because they are still marked FILL-IN, a warning each.
    held_back: list[ContentProblem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the sync changed anything at all."""
        return any(self.added.values()) or any(self.updated.values()) or any(self.removed.values())

    def summary(self) -> str:
        """One line per kind, for the CLI."""
        kinds = sorted(set(self.added) | set(self.updated) | set(self.removed))
        return "\n".join(
            f"{kind}: {self.added.get(kind, 0)} added, {self.updated.get(kind, 0)} updated, "
            f"{self.removed.get(kind, 0)} removed"
            for kind in kinds
        )


Row = TypeVar("Row", bound=Base)


def _hash_differs(row: Any, source: Any) -> bool:
    return row.source_hash != source.source_hash


def _sync_rows(
    session: Session,
    model: type[Row],
    key: Callable[[Any], Hashable],
    sources: Sequence[Any],
    apply: Callable[[Row, Any], None],
    changed: Callable[[Row, Any], bool] = _hash_differs,
) -> tuple[list[Hashable], list[Hashable], list[Hashable]]:
    """Make the rows of `model` match `sources`, matched by `key`; unchanged rows are left alone.
    Returns the keys added, updated and removed."""
    existing = {key(row): row for row in session.scalars(select(model))}
    added: list[Hashable] = []
    updated: list[Hashable] = []
    for source in sources:
        row = existing.pop(key(source), None)
        if row is None:
            row = model()
            apply(row, source)
            session.add(row)
            added.append(key(source))
        elif changed(row, source):
            was_draft = getattr(row, "draft", None)
            apply(row, source)
            if hasattr(row, "updated_at"):
                row.updated_at = utc_now()
            _record_draft_change(session, row, was_draft)
            updated.append(key(source))
    now = utc_now()
    for row in existing.values():
        if getattr(model, "change_kind", None):
            # Kept for the changes list, in the same transaction as the deletion itself.
            session.add(_removal(row, now))
        session.delete(row)
    session.flush()
    return added, updated, list(existing)


def _removal(row: Any, now: Any) -> Removal:
    return Removal(
        kind=row.change_kind, key=row.item_key, lang=getattr(row, "lang", None), removed_at=now
    )


def _record_draft_change(session: Session, row: Any, was_draft: bool | None) -> None:
    """For the changes list: an item made a draft again is removed from the public; a draft
    made public is added then."""
    if was_draft is False and row.draft:
        session.add(_removal(row, row.updated_at))
    elif was_draft and not row.draft:
        row.created_at = row.updated_at


def _apply_press_release(row: PressRelease, source: PressReleaseFile) -> None:
    row.year, row.slug, row.lang = source.year, source.slug, source.lang
    row.title, row.date, row.summary = source.title, source.date, source.summary
    row.body_html = source.body_html
    row.tags, row.collections = list(source.tags), list(source.collections)
    row.translation_note = source.translation_note
    row.sample_translation = source.sample_translation
    row.draft, row.publish_on = source.draft, source.publish_on
    row.source_path, row.source_hash = source.source_path, source.source_hash
    row.attachments = [
        Attachment(
            position=position,
            title=item.title,
            path=item.file,
            media_type=item.media_type,
            format_name=item.format_name,
            size=item.size,
            sha256=item.sha256,
        )
        for position, item in enumerate(source.attachments)
    ]


def _apply_page(row: Page, source: PageFile) -> None:
    row.slug, row.lang = source.slug, source.lang
    row.title, row.summary, row.updated = source.title, source.summary, source.updated
    row.body_html = source.body_html
    row.draft, row.publish_on = source.draft, source.publish_on
    row.source_path, row.source_hash = source.source_path, source.source_hash


VICTIM_NOTICE_FIELDS = (
    "key", "lang", "title", "date", "summary", "court", "case_number", "crime", "opens", "closes",
    "channel", "who_may_register", "anti_fraud", "payout_rules", "body_html", "demonstration",
    "draft", "publish_on", "source_path", "source_hash",
)  # fmt: skip


def _apply_victim_notice(row: VictimNotice, source: VictimNoticeFile) -> None:
    _copy_fields(VICTIM_NOTICE_FIELDS)(row, source)
    row.materials = list(source.materials)
    row.payout = payout_to_json(source.payout) if source.payout is not None else None


def _apply_term(row: Term, source: VocabularyTerm) -> None:
    row.kind, row.key, row.lang = source.kind, source.key, source.lang
    row.label, row.position = source.label, source.position


def _term_differs(row: Term, source: VocabularyTerm) -> bool:
    return (row.label, row.position) != (source.label, source.position)


def _apply_collection(row: Collection, source: CollectionFile) -> None:
    for name in (
        "key", "lang", "title", "summary", "year", "category", "total_cases", "document",
        "body_html", "release_year", "release_slug", "source_path", "source_hash", "draft",
        "publish_on",
    ):  # fmt: skip
        setattr(row, name, getattr(source, name))


def _apply_case(row: Case, source: CaseFile) -> None:
    for name in (
        "collection", "slug", "lang", "number", "title", "parties", "court", "cause",
        "category", "year", "case_number", "body_html", "source_path", "source_hash", "draft",
        "publish_on",
    ):  # fmt: skip
        setattr(row, name, getattr(source, name))
    wanted = list(source.measures)
    if [existing.measure for existing in row.measure_rows] == wanted:
        return
    session = object_session(row)
    if row.measure_rows and session is not None:
        # The old rows must be gone before the new ones go in: a measure that stays would
        # otherwise meet its own old row in the unique constraint.
        row.measure_rows.clear()
        session.flush()
    row.measure_rows = [CaseMeasure(measure=measure) for measure in wanted]


def _fields_differ(names: tuple[str, ...]) -> Callable[[Any, Any], bool]:
    return lambda row, source: any(getattr(row, n) != getattr(source, n) for n in names)


def _copy_fields(names: tuple[str, ...]) -> Callable[[Any, Any], None]:
    def apply(row: Any, source: Any) -> None:
        for name in names:
            setattr(row, name, getattr(source, name))

    return apply


def sync_site(session: Session, content: ContentSet, cases: CaseSet) -> SyncReport:
    """Bring the database in line with the content and cases folders."""
    report = SyncReport(added={}, updated={}, removed={})
    steps: Iterable[tuple[str, Any, Callable[[Any], Hashable], Sequence[Any], Any, Any]] = (
        ("vocabulary terms", Term, lambda t: (t.kind, t.key, t.lang), cases.terms,
         _apply_term, _term_differs),
        ("court contacts", CourtContact, lambda c: (c.court, c.lang), cases.contacts,
         _copy_fields(("court", "lang", *CONTACT_FIELDS)), _fields_differ(CONTACT_FIELDS)),
        ("collections", Collection, lambda c: (c.key, c.lang), cases.collections,
         _apply_collection, _hash_differs),
        ("cases", Case, lambda c: (c.collection, c.slug, c.lang), cases.cases,
         _apply_case, _hash_differs),
        ("press releases", PressRelease, lambda r: (r.year, r.slug, r.lang),
         content.press_releases, _apply_press_release, _hash_differs),
        ("pages", Page, lambda p: (p.slug, p.lang), content.pages, _apply_page, _hash_differs),
        ("victim notices", VictimNotice, lambda n: (n.key, n.lang), content.victim_notices,
         _apply_victim_notice, _hash_differs),
        ("statistic groups", StatisticGroup, lambda g: g.key, content.statistics.groups,
         _copy_fields(GROUP_FIELDS), _fields_differ(GROUP_FIELDS)),
        ("statistics", StatisticFigure, lambda f: (f.key, f.year), content.statistics.figures,
         _copy_fields(FIGURE_FIELDS), _fields_differ(FIGURE_FIELDS)),
    )  # fmt: skip
    for kind, model, key, sources, apply, changed in steps:
        added, updated, removed = _sync_rows(session, model, key, sources, apply, changed)
        report.added[kind], report.updated[kind] = len(added), len(updated)
        report.removed[kind] = len(removed)
        report.written_keys[kind], report.removed_keys[kind] = added + updated, removed
    if report.written_keys["cases"] or report.removed_keys["cases"]:
        rebuild_facet_summary(session)
    if report.written_keys["press releases"] or report.removed_keys["press releases"]:
        rebuild_release_summary(session)
    return report
