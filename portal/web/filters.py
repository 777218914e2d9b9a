"""Template filters: dates, file sizes and figures formatted for the page's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from babel import Locale, dates, numbers
from babel.support import NullTranslations
from flask_babel import (
    format_date,
    format_decimal,
    format_time,
    get_locale,
    get_translations,
    gettext,
)

from portal.content.facets import CASE_FACETS
from portal.content.victims import format_yuan
from portal.victims.records import yuan


def long_date(value: dt.date) -> str:
    """A date as readers of the page's language write it: 15 January 2021, 2021年1月15日."""
    return format_date(value, format="long")


def month_name(month: str) -> str:
    """A month written YYYY-MM as the page's language names it: March 2024, 2024年3月 (the
    locale's own pattern for a year and a month name); the data keeps YYYY-MM."""
    return PageFormats.current().month(month)


def minute_time(value: dt.datetime) -> str:
    """A moment on a page, to the minute, in the zone `value` is in: Dec 5, 2026, 9:22 PM,
    2026年12月5日 21:22 (the seconds, and the microseconds a database keeps, tell no reader)."""
    date_text = format_date(value, format="medium", rebase=False)
    time_text = format_time(value, format="short", rebase=False)
    return get_locale().datetime_formats["medium"].format(time_text, date_text)


def file_size(size: int) -> str:
    """A file size in the largest unit that keeps it above one: 12 KB, 1.4 MB."""
    for unit, factor in ((gettext("MB"), 1024 * 1024), (gettext("KB"), 1024)):
        if size >= factor:
            return f"{format_decimal(round(size / factor, 1))} {unit}"
    return gettext("%(count)s bytes", count=format_decimal(size))


def figure_value(value: int, unit: str, qualifier: str = "exact") -> str:
    """A figure with its unit and how exact it is: more than 35,000 people, 约150,074件."""
    return PageFormats.current().figure(value, unit, qualifier)


class PageFormats:
    """The page language's figures, months and messages, with its locale and catalogue resolved
    once: Flask-Babel looks both up again on every call, and a statistics page makes hundreds."""

    def __init__(self, locale: Locale, translations: NullTranslations) -> None:
        self.locale = locale
        self.translations = translations

    @classmethod
    def current(cls) -> PageFormats:
        """The formats of the current request's language (Flask-Babel's locale selector)."""
        return cls(get_locale(), get_translations())

    def gettext(self, string: str, **variables: object) -> str:
        """The message in the page's language, as flask_babel.gettext gives it."""
        text = self.translations.gettext(string)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int, **variables: object) -> str:
        """The singular or plural message for `num`, as flask_babel.ngettext gives it."""
        return self.translations.ngettext(singular, plural, num) % {"num": num, **variables}

    def number(self, value: int | Decimal, *, every_digit: bool = False) -> str:
        """A number with the locale's separators: 150,074; rounded to three decimals unless
        `every_digit` (Babel's decimal_quantization)."""
        return numbers.format_decimal(
            value, locale=self.locale, decimal_quantization=not every_digit
        )

    def month(self, month: str) -> str:
        """A month written YYYY-MM in the locale's pattern for a year and a month name."""
        year, number = (int(part) for part in month.split("-"))
        pattern = self.locale.datetime_skeletons["yMMMM"].pattern
        return dates.format_date(dt.date(year, number, 1), format=pattern, locale=self.locale)

    def figure(self, value: int, unit: str, qualifier: str = "exact") -> str:
        """A figure with its unit and how exact it is (figure_value)."""
        if unit == "yuan":
            text = self._yuan(value, exact=qualifier == "exact")
        else:
            text = self._unit_text(unit, value, self.number(value))
        if qualifier == "more-than":
            return self.gettext("more than %(value)s", value=text)
        if qualifier == "nearly":
            return self.gettext("nearly %(value)s", value=text)
        if qualifier == "about":
            return self.gettext("about %(value)s", value=text)
        return text

    # How a figure's unit reads after its number, in each language.
    def _unit_text(self, unit: str, value: int, number: str) -> str:
        if unit == "cases":
            return self.ngettext("%(count)s case", "%(count)s cases", value, count=number)
        if unit == "people":
            return self.ngettext("%(count)s person", "%(count)s people", value, count=number)
        if unit == "records":
            return self.ngettext("%(count)s record", "%(count)s records", value, count=number)
        if unit == "materials":
            return self.ngettext("%(count)s item", "%(count)s items", value, count=number)
        return number

    def _yuan(self, value: int, *, exact: bool) -> str:
        """An amount as the release writes it: RMB 37.894 billion, 378.94亿元. An exact amount
        keeps every digit in the larger unit (1.2345万元, not 1.234万元)."""
        amount = Decimal(value)
        if self.locale.language == "zh":
            for factor, unit in ((Decimal(10**8), "亿元"), (Decimal(10**4), "万元")):
                if amount >= factor:
                    return f"{self.number(amount / factor, every_digit=exact)}{unit}"
            return f"{self.number(amount)}元"
        for factor, word in (
            (Decimal(10**9), self.gettext("billion")),
            (Decimal(10**6), self.gettext("million")),
        ):
            if amount >= factor:
                return self.gettext(
                    "RMB %(amount)s %(scale)s",
                    amount=self.number(amount / factor, every_digit=exact),
                    scale=word,
                )
        return self.gettext("RMB %(amount)s", amount=self.number(amount))


def exact_yuan(amount: Decimal) -> str:
    """An exact amount to the fen with thousands separators: 117,384,476.57 yuan / 元."""
    return format_yuan(amount, get_locale().language)


def fen_yuan(fen: int) -> str:
    """An amount kept in whole fen (the victims' register), shown as exact_yuan shows yuan."""
    return exact_yuan(yuan(fen))


def facet_value_label(facet: str, key: object, labels: Mapping[str, Mapping[str, str]]) -> str:
    """A case facet's value as a reader sees it: its vocabulary label, or a year as the page's
    language writes it (2020, 2020年). A function, not a macro: a listing shows a hundred."""
    if CASE_FACETS[facet].vocabulary is None:
        return gettext("%(year)s", year=key)
    return CASE_FACETS[facet].value_label(key, labels)


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers a pagination links: the first, the last and those within `around` of
    `page`, with None where numbers are left out (a listing can have hundreds of pages)."""
    shown = {1, pages, *range(page - around, page + around + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in shown if 1 <= n <= pages):
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers
