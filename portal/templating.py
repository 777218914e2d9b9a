"""Template filters: dates and file sizes formatted for the page's language."""

from __future__ import annotations

import datetime as dt

from flask_babel import format_date, format_decimal, gettext


def long_date(value: dt.date) -> str:
    """A date as readers of the page's language write it: 15 January 2021, 2021年1月15日."""
    return format_date(value, format="long")


def file_size(size: int) -> str:
    """A file size in the largest unit that keeps it above one: 12 KB, 1.4 MB."""
    for unit, factor in ((gettext("MB"), 1024 * 1024), (gettext("KB"), 1024)):
        if size >= factor:
            return f"{format_decimal(round(size / factor, 1))} {unit}"
    return gettext("%(count)s bytes", count=format_decimal(size))
