"""The contact page: its content file in each language, the courts' published contact details
when filled (and nothing when not), linked from every page's footer and in the site map."""

from __future__ import annotations

import pytest

from tests.support.pagecheck import fetch

CONTACT = {
    "address": {"en": "1 Example Road, Minhang", "zh": "闵行区示例路1号"},
    "telephone": "021 5555 0100",
    "office_hours": {"en": "Weekdays 9:00 to 17:00", "zh": "工作日 9:00—17:00"},
}


def contact_site(site, contact: dict | None) -> None:
    minhang = {"en": "Minhang District Court", "zh": "闵行区人民法院"}
    site.vocabulary(
        courts={
            "minhang-district": minhang | ({"contact": contact} if contact else {}),
            "shanghai-no1-intermediate": {"en": "No.1 Intermediate Court", "zh": "第一中级"},
        }
    )
    site.standard().standard_cases()
    for lang in ("en", "zh"):
        site.page("contact", lang, body=f"Write to the enforcing court ({lang}).")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_contact_page_lists_the_courts_that_publish_contacts(
    make_app, site, database_url: str, lang: str
) -> None:
    contact_site(site, CONTACT)
    client = make_app(database_url).test_client()
    page = fetch(client, f"/{lang}/contact/")
    assert f"Write to the enforcing court ({lang})." in page.text_of(".prose")
    courts = page.html.select_one(".court-contacts")
    assert courts.select_one("h3").get_text() == {"en": "Minhang District Court",
                                                  "zh": "闵行区人民法院"}[lang]  # fmt: skip
    text = courts.get_text(" ", strip=True)
    assert CONTACT["address"][lang] in text
    assert CONTACT["office_hours"][lang] in text
    assert courts.select_one("a[href='tel:02155550100']").get_text() == "021 5555 0100"
    assert "E-mail" not in text  # only what is filled
    footer = page.html.select_one(f".site-footer a[href='/{lang}/contact/']")
    assert footer is not None


def test_no_court_section_when_no_court_publishes_contacts(make_app, site, sqlite_url) -> None:
    contact_site(site, None)
    page = fetch(make_app(sqlite_url).test_client(), "/en/contact/")
    assert page.html.select(".court-contacts") == []
    assert "Write to the enforcing court (en)." in page.text_of(".prose")


def test_without_its_content_file_the_page_still_says_whom_to_contact(
    make_app, site, sqlite_url
) -> None:
    site.standard()
    client = make_app(sqlite_url).test_client()
    for lang, words in (("en", "contact the enforcing court"), ("zh", "执行法院")):
        page = fetch(client, f"/{lang}/contact/")
        assert words in page.text_of(".lead")


def test_the_contact_page_is_in_the_site_map(make_app, site, sqlite_url) -> None:
    site.standard()
    sitemap = make_app(sqlite_url).test_client().get("/sitemap.xml").get_data(as_text=True)
    assert "/en/contact/</loc>" in sitemap
    assert "/zh/contact/</loc>" in sitemap
