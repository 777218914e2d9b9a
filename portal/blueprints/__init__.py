"""The portal's areas, one blueprint each."""

from flask import Blueprint


def all_blueprints() -> list[Blueprint]:
    """Every blueprint the app registers, in order."""
    from portal.blueprints import cases, press, search, site

    return [site.bp, press.bp, cases.bp, search.bp, search.api]
