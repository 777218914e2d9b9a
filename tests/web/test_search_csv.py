"""A search's results as CSV (/<lang>/search/results.csv): the same search as the page, capped,
safe to open in a spreadsheet, never built from an identity number, never indexed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from flask import Flask

from portal.web.blueprints import search
from tests.support.debtorfiles import resident_id
from tests.support.pagecheck import fetch


@pytest.fixture
def csv_app(indexed_app: Callable[[str], Flask], database_url: str) -> Flask:
    return indexed_app(database_url)


def rows(answer) -> list[dict[str, str]]:
    text = answer.get_data(as_text=True)
    assert text.startswith("\ufeff")  # spreadsheets read it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_results_page_links_a_csv_of_the_same_search(csv_app: Flask, lang: str) -> None:
    client = csv_app.test_client()
    page = fetch(client, f"/{lang}/search/?q=lending&scope=all&sort=date")
    link = page.html.select_one(".download-results a")
    assert link["href"] == f"/{lang}/search/results.csv?q=lending&scope=all&sort=date"
    answer = client.get(link["href"])
    assert (answer.status_code, answer.mimetype) == (200, "text/csv")
    assert answer.headers["Content-Disposition"] == 'attachment; filename="search-results.csv"'
    assert answer.headers["X-Robots-Tag"] == "noindex"
    assert answer.headers["Cache-Control"] == "public, max-age=60"
    found = rows(answer)
    assert list(found[0]) == ["type", "title", "date", "url", "language"]
    titles = [a.get_text(strip=True) for a in page.html.select(".search-result__title a")]
    assert titles
    # The same hits in the same order (the page shows the first of them).
    assert [row["title"].removeprefix("'") for row in found][: len(titles)] == titles
    assert answer.headers["X-Total-Count"] == str(len(found))
    assert answer.headers["X-Row-Limit"] == "1000"
    assert all(row["url"].startswith("http") and row["language"] in ("en", "zh") for row in found)


def test_a_cell_a_spreadsheet_would_run_is_written_as_text(csv_app: Flask) -> None:
    found = rows(csv_app.test_client().get("/en/search/results.csv?q=spreadsheet"))
    assert [row["title"] for row in found] == ['\'=HYPERLINK("x") sheet']
    assert not any(row["title"].startswith(("=", "+", "-", "@")) for row in found)


def test_the_filters_apply_and_the_cap_cuts_the_rows(
    csv_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = csv_app.test_client()
    press = rows(client.get("/en/search/results.csv?kind=press"))
    assert press
    assert {row["type"] for row in press} == {"press"}
    monkeypatch.setattr(search, "CSV_RESULT_LIMIT", 2)
    capped = client.get("/en/search/results.csv?kind=press")
    assert len(rows(capped)) == 2
    assert int(capped.headers["X-Total-Count"]) == len(press) > 2
    assert capped.headers["X-Row-Limit"] == "2"


def test_a_search_holding_an_identity_number_is_not_run(csv_app: Flask) -> None:
    number = resident_id()
    answer = csv_app.test_client().get(f"/en/search/results.csv?q=lending+{number}")
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/en/search/?withheld=number"
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("query", ["?page=x&sort=nonsense&kind=nope", "?q=" + "a" * 5000, "?q=)("])
def test_odd_parameters_give_a_csv_not_an_error(csv_app: Flask, query: str) -> None:
    answer = csv_app.test_client().get(f"/en/search/results.csv{query}")
    assert (answer.status_code, answer.mimetype) == (200, "text/csv")


def test_an_unusable_character_is_refused_as_everywhere(csv_app: Flask) -> None:
    assert csv_app.test_client().get("/en/search/results.csv?q=%00").status_code == 400
