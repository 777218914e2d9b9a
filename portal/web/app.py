"""The application factory: the portal's Flask app, built from the environment and its settings."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import (
    DEV_SECRET_KEY,
    check_production_settings,
    default_settings,
    project_root,
    settings_from_environment,
    trusted_hosts,
    typed_settings,
)
from portal.db.queries import unpublished_state
from portal.web import blueprints, errors, inputs, page_cache, ratelimit, responses, security
from portal.web import db as flask_db
from portal.web import i18n as web_i18n
from portal.web.blueprints.search import init_search
from portal.web.filters import (
    exact_yuan,
    facet_value_label,
    fen_yuan,
    figure_value,
    file_size,
    long_date,
    page_numbers,
)


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the portal from the environment; `overrides` (for tests) win over both."""
    app = Flask("portal", instance_relative_config=True)
    app.config.update(default_settings(Path(app.instance_path), project_root()))
    app.config.update(settings_from_environment(os.environ))
    app.config.update(typed_settings(overrides or {}))
    check_production_settings(app.config)
    # Requests naming another host are refused (400) before any view sees them.
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    if app.config["SECRET_KEY"] == DEV_SECRET_KEY:
        app.logger.warning(
            "PORTAL_SECRET_KEY is not set: using the development key. "
            "Never run a public portal like this."
        )
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Behind a load balancer: trust its X-Forwarded-* headers for scheme, host and client.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]

    flask_db.init_database(app)
    web_i18n.init_i18n(app)
    inputs.init_inputs(app)
    security.init_security(app, blueprints.lookup_blueprints())
    page_cache.init_page_cache(app)
    responses.init_http_caching(app)
    errors.register_error_pages(app)
    app.jinja_env.filters.update(
        long_date=long_date,
        file_size=file_size,
        figure_value=figure_value,
        exact_yuan=exact_yuan,
        fen_yuan=fen_yuan,
    )
    app.jinja_env.globals["page_numbers"] = page_numbers
    app.jinja_env.globals["facet_value_label"] = facet_value_label
    app.jinja_env.globals["unpublished_state"] = unpublished_state
    for blueprint in blueprints.all_blueprints():
        app.register_blueprint(blueprint)
    init_search(app)
    ratelimit.init_rate_limits(app, blueprints.lookup_blueprints())
    return app
