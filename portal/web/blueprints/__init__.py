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
        victim_status,
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
        victim_status.bp,
        victims.bp,
        feeds.bp,
        sitemap.bp,
        api.bp,
        health.bp,
    ]


def lookup_blueprints() -> list[Blueprint]:
    """The blueprints that answer lookups in a register (the debtor lookup, the victims' status
    check), which share one rate limit per client and refuse requests sent by other sites."""
    from portal.web.blueprints import api, debtors, victim_status

    return [debtors.bp, victim_status.bp, api.bp]
