"""Validation of content files: every rule names the file, the field and what was expected."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.content.press import ContentError, read_content
from tests.support.site import SiteBuilder


def problems_of(site: SiteBuilder, collections: tuple[str, ...] = ()) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read_content(site.content, collections)
    return [str(problem) for problem in caught.value.problems]


def test_a_valid_release_is_read_with_its_fields(site: SiteBuilder) -> None:
    site.release(2021, "report", "en", tags=["statistics"], translation_note="For reference.",
                 body="Accepted **161,600** cases.")  # fmt: skip
    (release,) = read_content(site.content).press_releases
    assert (release.year, release.slug, release.lang) == (2021, "report", "en")
    assert release.date == dt.date(2021, 1, 15)
    assert release.tags == ("statistics",)
    assert release.translation_note == "For reference."
    assert "<strong>161,600</strong>" in release.body_html
    assert release.source_path == "press/2021/report.en.md"


def test_an_impossible_date_is_refused(site: SiteBuilder) -> None:
    site.write("press/2021/bad.en.md", "title: T\ndate: 2021-02-30\nsummary: S")
    (problem,) = problems_of(site)
    assert problem.startswith("content/press/2021/bad.en.md")
    assert "impossible date" in problem
    assert "day is out of range" in problem


def test_an_impossible_date_does_not_hide_the_files_other_problems(site: SiteBuilder) -> None:
    site.write("press/2021/bad.en.md", "title: ''\ndate: 2021-02-30\nsummary: S\nautor: X")
    assert problems_of(site) == [
        "content/press/2021/bad.en.md: field 'autor': is not a known field; allowed: title, "
        "date, summary, tags, collections, attachments, translation_note, sample_translation, "
        "draft",
        "content/press/2021/bad.en.md: field 'title': expected non-empty text, got empty text",
        "content/press/2021/bad.en.md: field 'date': is an impossible date: 2021-02-30 (day is "
        "out of range for month)",
    ]


def test_a_front_matter_without_its_closing_fence_is_reported_as_that(
    site: SiteBuilder,
) -> None:
    path = site.content / "press" / "2021" / "open.en.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\ntitle: T\ndate: 2021-01-15\nsummary: S\n\nThe body.\n", "utf-8")
    assert problems_of(site) == [
        "content/press/2021/open.en.md: front matter is not fenced: expected a '---' line alone "
        "before its first field and another after its last"
    ]


def test_a_first_fence_with_text_after_it_is_reported_as_that(site: SiteBuilder) -> None:
    path = site.content / "pages" / "about.en.md"
    path.parent.mkdir(parents=True)
    path.write_text("---title: T\nsummary: S\n---\nText.\n", "utf-8")
    (problem,) = problems_of(site)
    assert problem.startswith("content/pages/about.en.md: front matter is not fenced")


def test_draft_and_publication_fields_are_read(site: SiteBuilder) -> None:
    site.release(2021, "report", "en", draft=True)
    site.page("about", "en", draft=False, publish_on=dt.date(2030, 5, 1))
    content = read_content(site.content)
    (release,) = content.press_releases
    assert (release.draft, release.publish_on) == (True, dt.date(2021, 1, 15))
    (page,) = content.pages
    assert (page.draft, page.publish_on) == (False, dt.date(2030, 5, 1))


def test_bad_draft_and_publication_values_are_refused(site: SiteBuilder) -> None:
    site.release(2021, "report", "en", draft="yes", publish_on="2021-02-01")
    site.page("about", "en", draft="true", publish_on="next week")
    assert problems_of(site) == [
        "content/pages/about.en.md: field 'draft': expected true or false, got 'true'",
        "content/pages/about.en.md: field 'publish_on': expected a date written as YYYY-MM-DD, "
        "got 'next week'",
        "content/press/2021/report.en.md: field 'publish_on': is not a known field; allowed: "
        "title, date, summary, tags, collections, attachments, translation_note, "
        "sample_translation, draft",
        "content/press/2021/report.en.md: field 'draft': expected true or false, got 'yes'",
    ]


def test_a_date_written_as_words_is_refused(site: SiteBuilder) -> None:
    site.write("press/2021/bad.en.md", "title: T\ndate: 15 January 2021\nsummary: S")
    assert problems_of(site) == [
        "content/press/2021/bad.en.md: field 'date': expected a date written as YYYY-MM-DD, "
        "got '15 January 2021'"
    ]


def test_a_missing_title_is_refused(site: SiteBuilder) -> None:
    site.write("press/2021/bad.en.md", "date: 2021-01-15\nsummary: S")
    assert problems_of(site) == ["content/press/2021/bad.en.md: field 'title': is required"]


def test_an_empty_summary_is_refused(site: SiteBuilder) -> None:
    site.write("press/2021/bad.en.md", "title: T\ndate: 2021-01-15\nsummary: '  '")
    assert problems_of(site) == [
        "content/press/2021/bad.en.md: field 'summary': expected non-empty text, got empty text"
    ]


def test_an_unknown_field_is_refused_with_the_allowed_ones(site: SiteBuilder) -> None:
    site.release(2021, "report", "en", autor="Someone")
    (problem,) = problems_of(site)
    assert problem.startswith(
        "content/press/2021/report.en.md: field 'autor': is not a known field"
    )
    assert "allowed: title, date, summary, tags" in problem


def test_a_field_of_the_wrong_type_is_refused(site: SiteBuilder) -> None:
    site.release(2021, "report", "en", tags="statistics", sample_translation="yes")
    assert problems_of(site) == [
        "content/press/2021/report.en.md: field 'tags': expected a list of keys like [a-key, "
        "another-key], got 'statistics'",
        "content/press/2021/report.en.md: field 'sample_translation': expected true or false, got "
        "'yes'",
    ]


def test_an_unknown_collection_key_is_refused(site: SiteBuilder) -> None:
    site.collection("2020-difficult-enforcement")
    site.release(2021, "report", "en", collections=["2020-difficult-enforcment"])
    assert problems_of(site, ("2020-difficult-enforcement",)) == [
        "content/press/2021/report.en.md: field 'collections': '2020-difficult-enforcment' is not "
        "a "
        "typical-case collection; known: 2020-difficult-enforcement"
    ]


def test_a_known_collection_key_is_accepted(site: SiteBuilder) -> None:
    site.release(2021, "report", "en", collections=["2020-difficult-enforcement"])
    (release,) = read_content(site.content, {"2020-difficult-enforcement"}).press_releases
    assert release.collections == ("2020-difficult-enforcement",)


def test_a_missing_attachment_is_refused(site: SiteBuilder) -> None:
    site.release(
        2021, "report", "en", attachments=[{"file": "attachments/cases.docx", "title": "Cases"}]
    )
    assert problems_of(site) == [
        "content/press/2021/report.en.md: field 'attachments[1].file': 'attachments/cases.docx' "
        "does not exist next to this file"
    ]


def test_an_attachment_outside_the_content_folder_is_refused(site: SiteBuilder) -> None:
    (site.root / "secret.txt").write_text("not for publication")
    site.release(2021, "report", "en", attachments=[{"file": "../../../secret.txt", "title": "X"}])
    (problem,) = problems_of(site)
    assert "points outside the content folder" in problem


def test_an_attachment_of_an_unknown_type_is_refused(site: SiteBuilder) -> None:
    (site.content / "press/2021/attachments").mkdir(parents=True)
    (site.content / "press/2021/attachments/run.exe").write_bytes(b"MZ")
    site.release(2021, "report", "en", attachments=[{"file": "attachments/run.exe", "title": "X"}])
    (problem,) = problems_of(site)
    assert "field 'attachments[1].file': expected one of .pdf" in problem


def test_an_attachment_is_described_by_type_size_and_hash(site: SiteBuilder) -> None:
    (site.content / "press/2021/attachments").mkdir(parents=True)
    (site.content / "press/2021/attachments/cases.pdf").write_bytes(b"%PDF-1.7\n" + b"x" * 2039)
    pdf_entry = {"file": "attachments/cases.pdf", "title": "Ten typical cases"}
    site.release(2021, "report", "en", attachments=[pdf_entry, {"title": "Held by the court"}])
    (release,) = read_content(site.content).press_releases
    pdf, title_only = release.attachments
    assert (pdf.file, pdf.media_type, pdf.format_name, pdf.size) == (
        "press/2021/attachments/cases.pdf", "application/pdf", "PDF", 2048,
    )  # fmt: skip
    assert len(pdf.sha256) == 64
    assert (title_only.title, title_only.file) == ("Held by the court", None)


def test_a_yaml_tag_that_would_build_an_object_is_refused(site: SiteBuilder) -> None:
    site.write(
        "press/2021/evil.en.md",
        "title: !!python/object/apply:os.system ['touch /tmp/pwned']\ndate: 2021-01-15\nsummary: S",
    )
    (problem,) = problems_of(site)
    assert problem.startswith("content/press/2021/evil.en.md: front matter uses a YAML tag")


def test_invalid_yaml_is_refused_with_its_line(site: SiteBuilder) -> None:
    site.write("press/2021/bad.en.md", "title: T\ndate: 2021-01-15\nsummary: [unclosed")
    (problem,) = problems_of(site)
    assert problem.startswith(
        "content/press/2021/bad.en.md: front matter is not valid YAML at line"
    )


def test_a_file_without_front_matter_is_refused(site: SiteBuilder) -> None:
    path = site.content / "pages/about.en.md"
    path.parent.mkdir(parents=True)
    path.write_text("Just text.")
    assert problems_of(site) == [
        "content/pages/about.en.md: has no front matter: expected the file to start with a '---' "
        "line"
    ]


def test_a_file_that_is_not_utf8_is_refused(site: SiteBuilder) -> None:
    path = site.content / "pages/about.zh.md"
    path.parent.mkdir(parents=True)
    path.write_bytes("---\ntitle: 关于\nsummary: 简介\n---\n正文".encode("gbk"))
    (problem,) = problems_of(site)
    assert problem.startswith("content/pages/about.zh.md: is not UTF-8 text")


def test_language_versions_must_agree_on_the_date(site: SiteBuilder) -> None:
    site.release(2021, "report", "en", date="2021-01-15")
    site.release(2021, "report", "zh", date="2021-01-16")
    assert problems_of(site) == [
        "content/press/2021/report.zh.md: field 'date': expected 2021-01-15 as in "
        "press/2021/report.en.md; all language versions of a release share one date"
    ]


def test_the_date_must_fall_in_the_year_folder(site: SiteBuilder) -> None:
    site.release(2021, "report", "en", date="2020-12-31")
    assert problems_of(site) == [
        "content/press/2021/report.en.md: field 'date': expected a date in 2021, "
        "the year folder of this file"
    ]


def test_file_names_must_name_a_known_language_and_a_clean_slug(site: SiteBuilder) -> None:
    site.release(2021, "report", "fr")
    site.release(2021, "Bad_Slug", "en")
    site.write("notes/draft.md", {"title": "Draft"})
    assert problems_of(site) == [
        "content/notes/draft.md: is not where content goes: expected "
        "press/<yyyy>/<slug>.<lang>.md, pages/<slug>.<lang>.md, victims/<case-key>.<lang>.md "
        "or statistics/<name>.yaml",
        "content/press/2021/Bad_Slug.en.md: slug 'Bad_Slug' must be lowercase letters, digits and "
        "hyphens",
        "content/press/2021/report.fr.md: language 'fr' in the file name is not one of en, zh",
    ]


def test_every_problem_of_every_file_is_reported_together(site: SiteBuilder) -> None:
    site.write("press/2021/a.en.md", "date: 2021-01-15")
    site.write("pages/b.en.md", "title: B")
    assert problems_of(site) == [
        "content/pages/b.en.md: field 'summary': is required",
        "content/press/2021/a.en.md: field 'title': is required",
        "content/press/2021/a.en.md: field 'summary': is required",
    ]


def test_a_page_with_an_update_date_is_read(site: SiteBuilder) -> None:
    site.write("pages/about.en.md", "title: About\nsummary: What this is.\nupdated: 2026-11-27",
               "## Who we are\n")  # fmt: skip
    (page,) = read_content(site.content).pages
    assert (page.slug, page.lang, page.updated) == ("about", "en", dt.date(2026, 11, 27))
    assert '<h3 id="section-who-we-are">' in page.body_html
