"""Figures and months as a reader of each language sees them, whether a template's filter or a
page's formats (resolved once for the statistics page) write them."""

from __future__ import annotations

import re
from collections.abc import Callable

import flask_babel
import pytest
from flask import Flask

from portal.web.filters import PageFormats, figure_value, month_name
from tests.support.translations import chinese_catalogue

# (value, unit, qualifier) -> how the page writes it in English and in Chinese.
FIGURES = {
    (1, "records", "exact"): ("1 record", "1条"),
    (2, "records", "exact"): ("2 records", "2条"),
    (150074, "cases", "about"): ("about 150,074 cases", "约150,074件"),
    (1, "cases", "exact"): ("1 case", "1件"),
    (35000, "people", "more-than"): ("more than 35,000 people", "35,000人以上"),
    (18000, "people", "nearly"): ("nearly 18,000 people", "近18,000人"),
    (3475, "materials", "exact"): ("3,475 items", "3,475份"),
    (12, "other", "exact"): ("12", "12"),
    (37894000000, "yuan", "exact"): ("RMB 37.894 billion", "378.94亿元"),
    (500000000, "yuan", "more-than"): ("more than RMB 500 million", "5亿元以上"),
    (5000000, "yuan", "exact"): ("RMB 5 million", "500万元"),
    (12345, "yuan", "exact"): ("RMB 12,345", "1.2345万元"),
    (1234567, "yuan", "exact"): ("RMB 1.234567 million", "123.4567万元"),
    (500, "yuan", "exact"): ("RMB 500", "500元"),
    (1234567, "yuan", "about"): ("about RMB 1.235 million", "约123.457万元"),
}  # fmt: skip
MONTHS = {"2024-03": ("March 2024", "2024年3月"), "2019-12": ("December 2019", "2019年12月")}
LANGUAGES = ("en", "zh")


@pytest.fixture
def bare_app(make_app: Callable[..., Flask], sqlite_url: str) -> Flask:
    return make_app(sqlite_url, load=False)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_figures_and_months_read_the_same_from_a_filter_and_from_the_page_s_formats(
    bare_app: Flask, lang: str
) -> None:
    column = LANGUAGES.index(lang)
    with bare_app.test_request_context(f"/{lang}/statistics/"):
        bare_app.preprocess_request()
        formats = PageFormats.current()
        for (value, unit, qualifier), texts in FIGURES.items():
            assert figure_value(value, unit, qualifier) == texts[column]
            assert formats.figure(value, unit, qualifier) == texts[column]
        for month, texts in MONTHS.items():
            assert month_name(month) == formats.month(month) == texts[column]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_s_formats_translate_every_message_as_flask_babel_does(
    bare_app: Flask, lang: str
) -> None:
    with bare_app.test_request_context(f"/{lang}/statistics/"):
        bare_app.preprocess_request()
        formats = PageFormats.current()
        for message in chinese_catalogue():
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                singular, plural = message.id
                # ngettext puts the count in %(num)s itself.
                names = set(re.findall(r"%\((\w+)\)", singular + plural)) - {"num"}
                for count in (0, 1, 2, 21):
                    values = dict.fromkeys(names, f"<{count}>")
                    assert formats.ngettext(singular, plural, count, **values) == (
                        flask_babel.ngettext(singular, plural, count, **values)
                    )
            else:
                assert formats.gettext(message.id) == flask_babel.gettext(message.id)
