"""Everything that imports Flask: the factory, blueprints, i18n, security, errors, rate limits."""

from portal.web.app import create_app

__all__ = ["create_app"]
