"""Syncing validated content into the database: add what is new, update what changed, remove
what is gone. The caller owns the transaction, so a sync is applied whole or not at all."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.content import ContentSet, PageFile, PressReleaseFile
from portal.models import Attachment, Base, Page, PressRelease, utc_now


@dataclass
class SyncReport:
    """How many rows a sync added, updated and removed, by kind."""

    added: dict[str, int]
    updated: dict[str, int]
    removed: dict[str, int]

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


def _sync_rows(
    session: Session,
    model: type[Row],
    key: Callable[[Any], Hashable],
    sources: Sequence[Any],
    apply: Callable[[Row, Any], None],
) -> tuple[int, int, int]:
    """Make the rows of `model` match `sources`, matched by `key`; unchanged hashes are skipped."""
    existing = {key(row): row for row in session.scalars(select(model))}
    added = updated = 0
    for source in sources:
        row = existing.pop(key(source), None)
        if row is None:
            row = model()
            apply(row, source)
            session.add(row)
            added += 1
        elif row.source_hash != source.source_hash:  # type: ignore[attr-defined]
            apply(row, source)
            row.updated_at = utc_now()  # type: ignore[attr-defined]
            updated += 1
    for row in existing.values():
        session.delete(row)
    session.flush()
    return added, updated, len(existing)


def _apply_press_release(row: PressRelease, source: PressReleaseFile) -> None:
    row.year, row.slug, row.lang = source.year, source.slug, source.lang
    row.title, row.date, row.summary = source.title, source.date, source.summary
    row.body_html = source.body_html
    row.tags, row.collections = list(source.tags), list(source.collections)
    row.translation_note = source.translation_note
    row.sample_translation = source.sample_translation
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
    row.source_path, row.source_hash = source.source_path, source.source_hash


def sync_content(session: Session, content: ContentSet) -> SyncReport:
    """Bring press releases and pages in the database in line with `content`."""
    report = SyncReport(added={}, updated={}, removed={})
    steps: Iterable[tuple[str, Any, Callable[[Any], Hashable], Sequence[Any], Any]] = (
        ("press releases", PressRelease, lambda r: (r.year, r.slug, r.lang),
         content.press_releases, _apply_press_release),
        ("pages", Page, lambda p: (p.slug, p.lang), content.pages, _apply_page),
    )  # fmt: skip
    for kind, model, key, sources, apply in steps:
        added, updated, removed = _sync_rows(session, model, key, sources, apply)
        report.added[kind], report.updated[kind], report.removed[kind] = added, updated, removed
    return report
