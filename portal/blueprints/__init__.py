"""The portal's areas, one blueprint each."""

from flask import Blueprint


def all_blueprints() -> list[Blueprint]:
    """Every blueprint the app registers, in order."""
    from portal.blueprints import api, debtors, press, site

    return [site.bp, press.bp, debtors.bp, api.bp]


def lookup_blueprints() -> list[Blueprint]:
    """The blueprints that answer debtor lookups, which share one rate limit per client."""
    from portal.blueprints import api, debtors

    return [debtors.bp, api.bp]
