"""The portal's areas, one blueprint each."""

from flask import Blueprint


def all_blueprints() -> list[Blueprint]:
    """Every blueprint the app registers, in order."""
    from portal.web.blueprints import (
        api,
        cases,
        data,
        debtors,
        feeds,
        health,
        press,
        search,
        site,
        sitemap,
        statistics,
        victims,
    )

    return [
        site.bp,
        press.bp,
        cases.bp,
        search.bp,
        debtors.bp,
        data.bp,
        statistics.bp,
        victims.bp,
        feeds.bp,
        sitemap.bp,
        api.bp,
        health.bp,
    ]


def lookup_blueprints() -> list[Blueprint]:
    """The blueprints that answer debtor lookups, which share one rate limit per client."""
    from portal.web.blueprints import api, debtors

    return [debtors.bp, api.bp]
