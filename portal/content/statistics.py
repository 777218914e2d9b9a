"""Enforcement statistics: the figures a press release reports, as a dataset.

`content/statistics/<name>.yaml` lists the figures in groups. Every figure quotes the exact
sentence it comes from in each language version of the release (`sentence` from the English,
`sentence_zh` from the Chinese), checked by one rule for both; a figure of an earlier year that the
release gives only as a growth rate is written `derived: true`, and its value is checked against
the formula (earlier = later / (1 + rate)). The file is validated like every content file: each
problem names the file, the field and what was expected, and nothing is loaded while one remains.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from portal.content.files import (
    SLUG_PATTERN,
    ContentProblem,
    FileReport,
    Invalid,
    Schema,
    describe,
    flag_value,
    text_value,
    validate_fields,
    year_value,
)
from portal.content.markup import paragraph_texts
from portal.text.languages import LANGUAGE_CODES

STATISTICS_FOLDER = "statistics"
# What a figure counts; the pages and the data dictionary name each in both languages.
UNITS = ("cases", "people", "materials", "yuan")
# How exactly the release states a figure ("more than 35,000", "nearly 18,000"); derived figures
# are "about", since they are computed from rounded figures.
QUALIFIERS = ("exact", "more-than", "nearly", "about")
# The field quoting each language version of the release; every language is checked alike.
SENTENCE_FIELDS = {"en": "sentence", "zh": "sentence_zh"}


@dataclass(frozen=True)
class GroupSource:
    """A group of figures shown together: a table, and a chart when `chart` is true."""

    key: str
    position: int
    title_en: str
    title_zh: str
    chart: bool


@dataclass(frozen=True)
class FigureSource:
    """One figure of one year, with the sentence of the release it comes from."""

    key: str
    year: int
    group: str
    position: int
    value: int
    unit: str
    qualifier: str
    label_en: str
    label_zh: str
    sentence: str
    release_year: int
    release_slug: str
    paragraph: str
    source_path: str
    sentence_zh: str
    paragraph_zh: str
    change_percent: float | None = None
    derived: bool = False
    formula: str | None = None


# Fields a load compares to tell whether a stored figure changed.
FIGURE_FIELDS = tuple(name for name in FigureSource.__dataclass_fields__)
GROUP_FIELDS = tuple(name for name in GroupSource.__dataclass_fields__)


@dataclass
class StatisticsSet:
    """Every statistics file of a content folder, validated."""

    groups: list[GroupSource] = field(default_factory=list)
    figures: list[FigureSource] = field(default_factory=list)


def derive_earlier_value(later: int, change_percent: float) -> int:
    """The figure of the year before, from this year's figure and its year-on-year change."""
    return round(later / (1 + change_percent / 100))


def derivation_formula(later: FigureSource) -> str:
    """How a derived figure is computed, in words and numbers any reader can check."""
    assert later.change_percent is not None
    factor = 1 + later.change_percent / 100
    result = derive_earlier_value(later.value, later.change_percent)
    return (
        f"{later.year - 1} = {later.year} / (1 + {later.change_percent:g}%) = "
        f"{later.value} / {factor:g} ≈ {result}"
    )


def _labels(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(LANGUAGE_CODES):
        raise Invalid(
            f"expected exactly the labels {', '.join(LANGUAGE_CODES)}, got {describe(value)}"
        )
    return {lang: text_value(value[lang]) for lang in LANGUAGE_CODES}


def _whole_number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Invalid(f"expected a whole number from 0 up, got {describe(value)}")
    return value


def _percent(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= -100:
        raise Invalid(f"expected a percentage such as 7.68, got {describe(value)}")
    return float(value)


def _one_of(allowed: tuple[str, ...]):
    def check(value: Any) -> str:
        if value not in allowed:
            raise Invalid(f"expected one of {', '.join(allowed)}, got {describe(value)}")
        return value

    return check


def _key(value: Any) -> str:
    if not isinstance(value, str) or not SLUG_PATTERN.match(value):
        raise Invalid(
            f"expected a key of lowercase letters, digits and hyphens, got {describe(value)}"
        )
    return value


def _release_key(value: Any) -> tuple[int, str]:
    text = text_value(value)
    year, _, slug = text.partition("/")
    if not (len(year) == 4 and year.isdigit() and SLUG_PATTERN.match(slug)):
        raise Invalid(f"expected a press release as <yyyy>/<slug>, got {describe(value)}")
    return int(year), slug


QUOTED_FIELDS: Schema = {
    "key": (_key, True),
    "year": (year_value, True),
    "value": (_whole_number, True),
    "unit": (_one_of(UNITS), True),
    "label": (_labels, True),
    "sentence": (text_value, True),
    "sentence_zh": (text_value, True),
    "qualifier": (_one_of(QUALIFIERS[:-1]), False),
    "change_percent": (_percent, False),
    "release": (_release_key, False),
}
DERIVED_FIELDS: Schema = {
    "key": (_key, True),
    "year": (year_value, True),
    "value": (_whole_number, True),
    "derived": (flag_value, True),
}
GROUP_FIELDS_SCHEMA: Schema = {
    "key": (_key, True),
    "title": (_labels, True),
    "chart": (flag_value, False),
    "figures": (lambda value: value, True),
}
FILE_FIELDS: Schema = {"release": (_release_key, True), "groups": (lambda value: value, True)}


@dataclass
class _Releases:
    """The paragraphs of each language version of each release, by (year, slug, lang)."""

    paragraphs: dict[tuple[int, str, str], dict[str, str]]
    on_disk: set[tuple[int, str, str]]

    def paragraph_of(self, release: tuple[int, str], lang: str, sentence: str) -> str | None:
        wanted = " ".join(sentence.split())
        for paragraph, text in self.paragraphs.get((*release, lang), {}).items():
            if wanted in text:
                return paragraph
        return None


def _source_path(release: tuple[int, str], lang: str) -> str:
    return f"press/{release[0]}/{release[1]}.{lang}.md"


def _quoted_paragraphs(
    values: dict[str, Any],
    where: str,
    release: tuple[int, str],
    releases: _Releases,
    report: FileReport,
) -> dict[str, str] | None:
    """The paragraph of each language version that the figure's sentence in that language is
    in; None once what is wrong is reported (or left to the release's own file)."""
    missing = [
        _source_path(release, lang)
        for lang in SENTENCE_FIELDS
        if (*release, lang) not in releases.paragraphs and (*release, lang) not in releases.on_disk
    ]
    if missing:
        report.add(
            f"{where}.release" if "release" in values else "release",
            f"press release {release[0]}/{release[1]} not found: expected {' and '.join(missing)}",
        )
        return None
    found: dict[str, str] = {}
    for lang, name in SENTENCE_FIELDS.items():
        if (*release, lang) not in releases.paragraphs:
            continue  # the release itself has problems, reported with its own file
        paragraph = releases.paragraph_of(release, lang, values[name])
        if paragraph is None:
            report.add(
                f"{where}.{name}",
                f"is not a sentence of {_source_path(release, lang)}: "
                "expected the exact words of the release",
            )
        else:
            found[lang] = paragraph
    return found if len(found) == len(SENTENCE_FIELDS) else None


def _read_file(
    path: Path, relative: str, releases: _Releases, problems: list[ContentProblem]
) -> StatisticsSet:
    report = FileReport(relative, problems)
    result = StatisticsSet()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as error:
        report.add(None, f"is not valid UTF-8 YAML: {error}")
        return result
    top = validate_fields(data, FILE_FIELDS, report)
    if top is None or "release" not in top:
        return result
    groups = top.get("groups")
    if not isinstance(groups, list) or not groups:
        if "groups" in top:
            report.add("groups", f"expected a list of groups, got {describe(groups)}")
        return result
    quoted: dict[tuple[str, int], FigureSource] = {}
    derived: list[tuple[str, dict[str, Any], str, int]] = []
    unchecked: set[tuple[Any, Any]] = set()
    position = 0
    for group_number, group_data in enumerate(groups, start=1):
        where = f"groups[{group_number}]"
        group = validate_fields(group_data, GROUP_FIELDS_SCHEMA, report, where)
        if group is None:
            continue
        if {"key", "title"} <= set(group):
            result.groups.append(
                GroupSource(
                    key=group["key"],
                    position=group_number,
                    title_en=group["title"]["en"],
                    title_zh=group["title"]["zh"],
                    chart=group.get("chart", False),
                )
            )
        group.setdefault("key", "")
        figures = group.get("figures")
        if not isinstance(figures, list) or not figures:
            if "figures" in group:
                report.add(
                    f"{where}.figures", f"expected a list of figures, got {describe(figures)}"
                )
            continue
        for figure_number, figure_data in enumerate(figures, start=1):
            figure_where = f"{where}.figures[{figure_number}]"
            position += 1
            if isinstance(figure_data, dict) and "derived" in figure_data:
                derived.append((figure_where, figure_data, group["key"], position))
                continue
            figure = _quoted_figure(
                figure_data, figure_where, group["key"], position, top["release"], releases, report
            )
            if figure is None:
                if isinstance(figure_data, dict):  # its derived figures are not checked then
                    unchecked.add((figure_data.get("key"), figure_data.get("year")))
            else:
                if (figure.key, figure.year) in quoted:
                    report.add(f"{figure_where}.key", f"{figure.key} {figure.year} is listed twice")
                quoted[(figure.key, figure.year)] = figure
    derived_figures = [
        figure
        for where, data, group_key, number in derived
        if (data.get("key"), _next_year(data.get("year"))) not in unchecked
        and (figure := _derived_figure(data, where, group_key, number, quoted, report)) is not None
    ]
    for figure in derived_figures:
        if (figure.key, figure.year) in quoted:
            report.add(None, f"{figure.key} {figure.year} is both quoted and derived")
    keys = [group.key for group in result.groups]
    for key in {key for key in keys if keys.count(key) > 1}:
        report.add("groups", f"group key {key} is used twice")
    result.figures = sorted([*quoted.values(), *derived_figures], key=lambda f: f.position)
    return result if report.ok else StatisticsSet()


def _next_year(year: Any) -> Any:
    return year + 1 if isinstance(year, int) else year


def _quoted_figure(
    data: Any,
    where: str,
    group: str,
    position: int,
    default_release: tuple[int, str],
    releases: _Releases,
    report: FileReport,
) -> FigureSource | None:
    values = validate_fields(data, QUOTED_FIELDS, report, where)
    if values is None or not set(QUOTED_FIELDS) - {"qualifier", "change_percent", "release"} <= set(
        values
    ):
        return None
    release = values.get("release", default_release)
    paragraphs = _quoted_paragraphs(values, where, release, releases, report)
    if paragraphs is None:
        return None
    return FigureSource(
        key=values["key"],
        year=values["year"],
        group=group,
        position=position,
        value=values["value"],
        unit=values["unit"],
        qualifier=values.get("qualifier", "exact"),
        label_en=values["label"]["en"],
        label_zh=values["label"]["zh"],
        sentence=" ".join(values["sentence"].split()),
        release_year=release[0],
        release_slug=release[1],
        paragraph=paragraphs["en"],
        source_path=report.path,
        sentence_zh=" ".join(values["sentence_zh"].split()),
        paragraph_zh=paragraphs["zh"],
        change_percent=values.get("change_percent"),
    )


def _derived_figure(
    data: dict[str, Any],
    where: str,
    group: str,
    position: int,
    quoted: dict[tuple[str, int], FigureSource],
    report: FileReport,
) -> FigureSource | None:
    values = validate_fields(data, DERIVED_FIELDS, report, where)
    if values is None or set(values) != set(DERIVED_FIELDS):
        return None
    if values["derived"] is not True:
        report.add(f"{where}.derived", "expected true, or leave it out for a quoted figure")
        return None
    later = quoted.get((values["key"], values["year"] + 1))
    if later is None or later.change_percent is None:
        report.add(
            f"{where}.derived",
            f"expected a quoted figure {values['key']} of {values['year'] + 1} with a "
            "change_percent to derive it from",
        )
        return None
    expected = derive_earlier_value(later.value, later.change_percent)
    if values["value"] != expected:
        report.add(
            f"{where}.value",
            f"expected {expected}: {derivation_formula(later)}",
        )
        return None
    return FigureSource(
        key=later.key,
        year=values["year"],
        group=group,
        position=position,
        value=expected,
        unit=later.unit,
        qualifier="about",
        label_en=later.label_en,
        label_zh=later.label_zh,
        sentence=later.sentence,
        release_year=later.release_year,
        release_slug=later.release_slug,
        paragraph=later.paragraph,
        source_path=report.path,
        sentence_zh=later.sentence_zh,
        paragraph_zh=later.paragraph_zh,
        derived=True,
        formula=derivation_formula(later),
    )


def read_statistics(
    content_dir: Path, releases: Iterable[Any], problems: list[ContentProblem]
) -> StatisticsSet:
    """Read and validate every `statistics/*.yaml` under `content_dir`, checking each figure's
    sentence against `releases` (the validated press releases); problems go to `problems`."""
    folder = content_dir / STATISTICS_FOLDER
    result = StatisticsSet()
    if not folder.is_dir():
        return result
    known = _Releases(
        paragraphs={
            (release.year, release.slug, release.lang): paragraph_texts(release.body_html)
            for release in releases
        },
        on_disk={
            (int(path.parent.name), path.name.split(".")[0], path.name.split(".")[1])
            for path in (content_dir / "press").glob("*/*.*.md")
            if path.parent.name.isdigit()
        },
    )
    seen_groups: dict[str, str] = {}
    seen_figures: dict[tuple[str, int], str] = {}
    for file_number, path in enumerate(sorted(folder.iterdir())):
        relative = path.relative_to(content_dir).as_posix()
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue  # Markdown here is reported by the content reader; other files are ignored
        one = _read_file(path, relative, known, problems)
        report = FileReport(relative, problems)
        for group in one.groups:
            if seen_groups.setdefault(group.key, relative) != relative:
                report.add("groups", f"group {group.key} is already in {seen_groups[group.key]}")
        for figure in one.figures:
            where = seen_figures.setdefault((figure.key, figure.year), relative)
            if where != relative:
                report.add(None, f"{figure.key} {figure.year} is already in {where}")
        # Files in name order, and within a file the order it lists things in.
        base = file_number * 100_000
        result.groups.extend(replace(g, position=base + g.position) for g in one.groups)
        result.figures.extend(replace(f, position=base + f.position) for f in one.figures)
    return result
