"""Which vocabulary court a register record's enforcing court is, and that court's published
contact details.

The register's `court` is free text as the case system exports it (usually the Chinese name,
such as 上海市黄浦区人民法院). It matches a vocabulary court when its name key (the names' rule,
portal/text/names.py: width, spaces, traditional characters and case do not count) equals the
name key of the court's English or Chinese label, or of its vocabulary key.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.db.models import CourtContact, Term
from portal.text.names import name_key

COURTS = "courts"  # the vocabulary kind


@dataclass(frozen=True)
class CourtWithContact:
    """A vocabulary court that publishes contact details: its label in one language, and them."""

    key: str
    label: str
    contact: CourtContact


@dataclass(frozen=True)
class CourtDirectory:
    """The courts with contact details in one language, by each name a register may give."""

    courts: tuple[CourtWithContact, ...]
    by_name: dict[str, CourtWithContact]

    def find(self, court: str) -> CourtWithContact | None:
        """The court a register's `court` names, if it publishes contact details."""
        return self.by_name.get(name_key(court))


def court_directory(session: Session, lang: str) -> CourtDirectory:
    """The vocabulary courts with contact details in `lang`, in the vocabulary's order: one
    statement (a found lookup runs it), the contacts with each of their court's labels."""
    rows = session.execute(
        select(CourtContact, Term.lang, Term.label)
        .join(Term, (Term.kind == COURTS) & (Term.key == CourtContact.court))
        .where(CourtContact.lang == lang)
        .order_by(Term.position, Term.lang)
    ).all()
    courts = {
        contact.court: CourtWithContact(contact.court, label, contact)
        for contact, label_lang, label in rows
        if label_lang == lang
    }
    by_name: dict[str, CourtWithContact] = {}
    for contact, _, label in rows:
        if court := courts.get(contact.court):
            by_name[name_key(label)] = by_name[name_key(court.key)] = court
    return CourtDirectory(courts=tuple(courts.values()), by_name=by_name)


def contact_fields(contact: CourtContact) -> dict[str, str]:
    """The filled contact fields of a court, for the API and the frozen check."""
    return {name: value for name in CourtContact.FIELDS if (value := getattr(contact, name))}


def court_labels(session: Session) -> dict[str, dict[str, str]]:
    """The vocabulary courts' labels by language, under the name key of each name a register
    may give (either label or the key), so that a count shows the court in the page's language."""
    labels: dict[str, dict[str, str]] = {}
    for key, lang, label in session.execute(
        select(Term.key, Term.lang, Term.label).where(Term.kind == COURTS)
    ):
        labels.setdefault(key, {})[lang] = label
    return {
        name_key(name): names for key, names in labels.items() for name in (key, *names.values())
    }
