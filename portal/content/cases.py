"""Reading and validating typical-case collections: the vocabulary, collections and their cases.

A case names its court, cause of action, category and enforcement measures by vocabulary key,
so that every case can be browsed by each of them in both languages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from portal.content.contacts import CONTACT_KEY, CourtContact, read_contact
from portal.content.facets import CASE_FACETS
from portal.content.files import (
    PUBLICATION_FIELDS,
    SLUG_PATTERN,
    ContentProblem,
    FileReport,
    Invalid,
    Schema,
    describe,
    in_folder,
    int_value,
    read_content_file,
    rendered_fields,
    source_hash,
    text_value,
    year_value,
)
from portal.content.language_versions import LanguageVersions, check_versions_agree
from portal.text.languages import LANGUAGE_CODES

VOCABULARY_FILE = "vocabulary.yaml"
# The vocabulary's kinds, in the order pages show them: those of the facets of the case list.
VOCABULARY_KINDS = tuple(f.vocabulary for f in CASE_FACETS.values() if f.vocabulary is not None)
# Collection keys share /<lang>/cases/<key>/ with facet pages, pagination and the list of
# collections.
RESERVED_COLLECTION_KEYS = frozenset(CASE_FACETS) | {"page", "collections"}

COLLECTION_FILE = re.compile(r"^(?P<collection>[^/]+)/collection\.(?P<lang>[^/.]+)\.md$")
CASE_FILE = re.compile(
    r"^(?P<collection>[^/]+)/(?P<slug>(?P<number>\d{2})-[^/.]+)\.(?P<lang>[^/.]+)\.md$"
)
# Facts of a case that do not depend on the language it is written in.
SHARED_CASE_FACTS = ("number", "court", "cause", "category", "year", "measures", "case_number")


@dataclass(frozen=True)
class VocabularyTerm:
    """One vocabulary entry: a court, cause of action, category or measure, in one language."""

    kind: str
    key: str
    lang: str
    label: str
    position: int


@dataclass(frozen=True)
class CollectionFile:
    """One language version of a typical-case collection."""

    key: str
    lang: str
    title: str
    summary: str
    year: int
    category: str
    total_cases: int
    body_html: str
    source_path: str
    source_hash: str
    document: str | None = None
    release_year: int | None = None
    release_slug: str | None = None
    draft: bool = False
    publish_on: dt.date | None = None


@dataclass(frozen=True)
class CaseFile:
    """One language version of one typical case."""

    collection: str
    slug: str
    lang: str
    number: int
    title: str
    parties: str
    court: str
    cause: str
    category: str
    year: int
    body_html: str
    source_path: str
    source_hash: str
    measures: tuple[str, ...] = ()
    case_number: str | None = None
    draft: bool = False
    publish_on: dt.date | None = None


@dataclass
class CaseSet:
    """Everything in a cases folder, validated, and the files held back because they (or their
    collection) are still marked FILL-IN, a warning each."""

    terms: list[VocabularyTerm] = field(default_factory=list)
    contacts: list[CourtContact] = field(default_factory=list)
    collections: list[CollectionFile] = field(default_factory=list)
    cases: list[CaseFile] = field(default_factory=list)
    held_back: list[ContentProblem] = field(default_factory=list)

    @property
    def collection_keys(self) -> set[str]:
        """The keys of all collections, in any language."""
        return {collection.key for collection in self.collections}


COLLECTION_FIELDS: Schema = {
    "title": (text_value, True),
    "summary": (text_value, True),
    "year": (year_value, True),
    "category": (text_value, True),
    "total_cases": (int_value, True),
    "document": (text_value, False),
    **PUBLICATION_FIELDS,
}
CASE_FIELDS: Schema = {
    "title": (text_value, True),
    "parties": (text_value, True),
    "number": (int_value, True),
    "court": (text_value, True),
    "cause": (text_value, True),
    "category": (text_value, True),
    "year": (year_value, True),
    "measures": (lambda value: value, False),  # checked against the vocabulary below
    "case_number": (text_value, False),
    **PUBLICATION_FIELDS,
}


def _read_vocabulary(
    cases_dir: Path, problems: list[ContentProblem], contacts: list[CourtContact]
) -> list[VocabularyTerm]:
    """The vocabulary's terms; the courts' contact details, where given, go to `contacts`."""
    path = cases_dir / VOCABULARY_FILE
    report = FileReport(VOCABULARY_FILE, problems)
    if not path.is_file():
        report.add(None, "not found: the vocabulary names every court, cause, category and measure")
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as error:
        report.add(None, f"is not valid UTF-8 YAML: {error}")
        return []
    if not isinstance(data, dict):
        report.add(None, f"expected a mapping with the keys {', '.join(VOCABULARY_KINDS)}")
        return []
    for kind in sorted(set(data) - set(VOCABULARY_KINDS), key=str):
        report.add(str(kind), f"is not a vocabulary kind; allowed: {', '.join(VOCABULARY_KINDS)}")
    terms: list[VocabularyTerm] = []
    for kind in VOCABULARY_KINDS:
        entries = data.get(kind)
        if not isinstance(entries, dict) or not entries:
            report.add(kind, "expected a mapping of keys to {en: ..., zh: ...} labels")
            continue
        for position, (key, labels) in enumerate(entries.items()):
            where = f"{kind}.{key}"
            if not isinstance(key, str) or not SLUG_PATTERN.match(key):
                report.add(where, "key must be lowercase letters, digits and hyphens")
                continue
            # A court may also have its contact details (portal/content/contacts.py).
            optional = {CONTACT_KEY} if kind == "courts" else set()
            if not isinstance(labels, dict) or not (
                set(LANGUAGE_CODES) <= set(labels) <= set(LANGUAGE_CODES) | optional
            ):
                also = f", and optionally {CONTACT_KEY}" if optional else ""
                report.add(where, f"expected exactly the labels {', '.join(LANGUAGE_CODES)}{also}")
                continue
            if CONTACT_KEY in labels:
                contacts += read_contact(key, labels[CONTACT_KEY], report)
            for lang in LANGUAGE_CODES:
                try:
                    label = text_value(labels[lang])
                except Invalid as error:
                    report.add(f"{where}.{lang}", str(error))
                    continue
                terms.append(VocabularyTerm(kind, key, lang, label, position))
    return terms


class _Vocabulary:
    """The keys of each vocabulary kind, to check the keys a file uses."""

    def __init__(self, terms: list[VocabularyTerm]) -> None:
        self.keys: dict[str, list[str]] = defaultdict(list)
        for term in terms:
            if term.lang == LANGUAGE_CODES[0]:
                self.keys[term.kind].append(term.key)

    def check(self, kind: str, field_name: str, value: Any, report: FileReport) -> None:
        allowed = self.keys.get(kind, [])
        if value not in allowed:
            report.add(
                field_name,
                f"{describe(value)} is not in the vocabulary's {kind}; "
                f"allowed: {', '.join(allowed)}",
            )


def _check_measures(value: Any, vocabulary: _Vocabulary, report: FileReport) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        report.add("measures", f"expected a list of measure keys, got {describe(value)}")
        return ()
    if len(set(value)) != len(value):
        report.add("measures", "lists the same measure twice")
    for item in value:
        vocabulary.check("measures", "measures", item, report)
    return tuple(value)


def _read_collection(
    path: Path, match: re.Match[str], vocabulary: _Vocabulary, report: FileReport
) -> CollectionFile | None:
    key, lang = match["collection"], match["lang"]
    if key in RESERVED_COLLECTION_KEYS:
        report.add(None, f"collection key '{key}' is reserved for the case pages' own URLs")
    parsed = read_content_file(path, key, lang, COLLECTION_FIELDS, report)
    if parsed is None:
        return None
    values = parsed.values
    if "category" in values:
        vocabulary.check("categories", "category", values["category"], report)
    if not report.complete:
        return None
    return CollectionFile(
        key=key,
        lang=lang,
        title=values["title"],
        summary=values["summary"],
        year=values["year"],
        category=values["category"],
        total_cases=values["total_cases"],
        document=values.get("document"),
        **rendered_fields(parsed, report),
        publish_on=values.get("publish_on"),
    )


def _read_case(
    path: Path, match: re.Match[str], vocabulary: _Vocabulary, report: FileReport
) -> CaseFile | None:
    collection, slug, lang = match["collection"], match["slug"], match["lang"]
    parsed = read_content_file(path, slug, lang, CASE_FIELDS, report)
    if parsed is None:
        return None
    values = parsed.values
    for facet in CASE_FACETS.values():
        if facet.vocabulary and not facet.many and facet.attribute in values:
            vocabulary.check(facet.vocabulary, facet.attribute, values[facet.attribute], report)
    measures = _check_measures(values.get("measures", []), vocabulary, report)
    if "number" in values and values["number"] != int(match["number"]):
        report.add("number", f"expected {int(match['number'])}, the number in the file name")
    if not report.complete:
        return None
    return CaseFile(
        collection=collection,
        slug=slug,
        lang=lang,
        number=values["number"],
        title=values["title"],
        parties=values["parties"],
        court=values["court"],
        cause=values["cause"],
        category=values["category"],
        year=values["year"],
        measures=measures,
        case_number=values.get("case_number"),
        **rendered_fields(parsed, report),
        publish_on=values.get("publish_on"),
    )


def _check_cases_against_collections(
    case_set: CaseSet, held_collections: set[tuple[str, str]], problems: list[ContentProblem]
) -> None:
    """Every case needs its collection in its language (a case of a collection held back is
    held back with it); numbers are unique in a collection; language versions agree on their
    facts; a collection holds no more cases than it says."""
    collections = {(c.key, c.lang): c for c in case_set.collections}
    # The order of measures is the editor's; each language version lists the same ones.
    case_versions = LanguageVersions(
        "a case share their facts",
        {fact: fact for fact in SHARED_CASE_FACTS},
        problems,
        compared_as=lambda fact, value: sorted(value) if fact == "measures" else value,
    )
    by_number: dict[tuple[str, str, int], CaseFile] = {}
    published: dict[tuple[str, str], int] = defaultdict(int)
    for case in sorted(case_set.cases, key=lambda c: c.source_path):
        if (case.collection, case.lang) in held_collections:
            case_set.held_back.append(
                ContentProblem(
                    case.source_path,
                    None,
                    f"held back as a draft with its collection, {case.collection}/collection."
                    f"{case.lang}.md, which is marked FILL-IN",
                )
            )
            case_set.cases.remove(case)
            continue
        if (case.collection, case.lang) not in collections:
            problems.append(
                ContentProblem(
                    case.source_path,
                    None,
                    f"its collection does not exist: expected {case.collection}/collection."
                    f"{case.lang}.md",
                )
            )
            continue
        published[(case.collection, case.lang)] += 1
        same_number = by_number.setdefault((case.collection, case.lang, case.number), case)
        if same_number is not case:
            problems.append(
                ContentProblem(
                    case.source_path,
                    "number",
                    f"{case.number} is already used by {same_number.source_path}",
                )
            )
        case_versions.check((case.collection, case.slug), case)
    check_versions_agree(
        case_set.collections,
        lambda collection: collection.key,
        "a collection share their facts",
        {fact: fact for fact in ("year", "category", "total_cases")},
        problems,
    )
    for (key, lang), count in published.items():
        collection = collections[(key, lang)]
        if count > collection.total_cases:
            problems.append(
                ContentProblem(
                    collection.source_path,
                    "total_cases",
                    f"says {collection.total_cases}, but {count} cases are published here",
                )
            )


def read_cases(cases_dir: Path) -> tuple[CaseSet, list[ContentProblem]]:
    """Read and validate the cases folder; return what is valid and every problem found."""
    problems: list[ContentProblem] = []
    case_set = CaseSet()
    if not cases_dir.is_dir():
        return case_set, problems
    files = sorted(path for path in cases_dir.rglob("*.md") if path.name != "README.md")
    if not files:
        return case_set, problems
    case_set.terms = _read_vocabulary(cases_dir, problems, case_set.contacts)
    vocabulary = _Vocabulary(case_set.terms)
    held_collections: set[tuple[str, str]] = set()
    for path in files:
        relative = path.relative_to(cases_dir).as_posix()
        report = FileReport(relative, problems, case_set.held_back)
        if match := COLLECTION_FILE.match(relative):
            if collection := _read_collection(path, match, vocabulary, report):
                case_set.collections.append(collection)
            elif report.ok:
                held_collections.add((match["collection"], match["lang"]))
        elif match := CASE_FILE.match(relative):
            if case := _read_case(path, match, vocabulary, report):
                case_set.cases.append(case)
        else:
            report.add(
                None,
                "is not where case files go: expected <collection>/collection."
                "<lang>.md or <collection>/<nn>-<slug>.<lang>.md",
            )
    _check_cases_against_collections(case_set, held_collections, problems)
    case_set.held_back = in_folder(case_set.held_back, cases_dir)
    return case_set, in_folder(problems, cases_dir)


def link_collections_to_releases(
    case_set: CaseSet, releases: list[Any], problems: list[ContentProblem]
) -> None:
    """Record on each collection the press release it was released with (from the release's
    `collections:`); a collection can be released with one release only."""
    released_with: dict[str, Any] = {}
    for release in sorted(releases, key=lambda r: r.source_path):
        for key in release.collections:
            earlier = released_with.setdefault(key, release)
            if (earlier.year, earlier.slug) != (release.year, release.slug):
                problems.append(
                    ContentProblem(
                        release.source_path,
                        "collections",
                        f"'{key}' is already released with {earlier.source_path}",
                    )
                )
    for index, collection in enumerate(case_set.collections):
        release = released_with.get(collection.key)
        if release is None:
            continue
        link = f"{release.year}/{release.slug}".encode()
        case_set.collections[index] = dataclasses.replace(
            collection,
            release_year=release.year,
            release_slug=release.slug,
            source_hash=source_hash(collection.source_hash.encode(), [link]),
        )


def _latest_day(*days: dt.date | None) -> dt.date | None:
    known = [day for day in days if day is not None]
    return max(known) if known else None


def _with_publication(item: Any, draft: bool, publish_on: dt.date | None) -> Any:
    """`item` with this draft flag and day; a change from its file's own is part of its hash,
    so that the sync writes it."""
    if (draft, publish_on) == (item.draft, item.publish_on):
        return item
    inherited = f"draft={draft};publish_on={publish_on}".encode()
    return dataclasses.replace(
        item,
        draft=draft,
        publish_on=publish_on,
        source_hash=source_hash(item.source_hash.encode(), [inherited]),
    )


def publish_with_parents(case_set: CaseSet, releases: list[Any]) -> None:
    """A collection is not public before the release it was released with (nor while every
    version of that release is a draft), and a case not before its collection in its language."""
    versions: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for release in releases:
        versions[(release.year, release.slug)].append(release)
    for index, collection in enumerate(case_set.collections):
        release = versions.get((collection.release_year, collection.release_slug))
        if release:
            case_set.collections[index] = _with_publication(
                collection,
                collection.draft or all(version.draft for version in release),
                _latest_day(collection.publish_on, release[0].date),
            )
    collections = {(c.key, c.lang): c for c in case_set.collections}
    for index, case in enumerate(case_set.cases):
        collection = collections[(case.collection, case.lang)]
        case_set.cases[index] = _with_publication(
            case,
            case.draft or collection.draft,
            _latest_day(case.publish_on, collection.publish_on),
        )
