"""The portal's areas, one blueprint each."""

from flask import Blueprint


def all_blueprints() -> list[Blueprint]:
    """Every blueprint the app registers, in order."""
    from portal.blueprints import cases, press, site

    return [site.bp, press.bp, cases.bp]
