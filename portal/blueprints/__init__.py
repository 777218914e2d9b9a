"""The portal's areas, one blueprint each."""

from flask import Blueprint


def all_blueprints() -> list[Blueprint]:
    """Every blueprint the app registers, in order."""
    from portal.blueprints import (
        api,
        cases,
        data,
        feeds,
        press,
        search,
        site,
        sitemap,
        statistics,
    )

    return [
        site.bp,
        press.bp,
        cases.bp,
        search.bp,
        data.bp,
        statistics.bp,
        feeds.bp,
        sitemap.bp,
        api.bp,
    ]
