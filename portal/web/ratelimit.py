"""Rate limits (Flask-Limiter): the debtor lookup, per client, per minute and per day.

The window moves: a limit of 10 a minute means at most 10 in any 60 seconds, not 10 before and 10
after the turn of a fixed minute. The counters live in PORTAL_RATELIMIT_STORAGE: `memory://` on
one machine, Redis when several workers or servers must share them. The client is the remote
address, which ProxyFix sets from X-Forwarded-For when PORTAL_TRUSTED_PROXIES says how many
proxies to trust.
"""

from __future__ import annotations

import math
import time

from flask import Blueprint, Flask, current_app
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from portal.web import errors

EXTENSION_KEY = "portal_limiter"
LOOKUP_SCOPE = "debtor-lookup"


def init_rate_limits(app: Flask, lookup_blueprints: list[Blueprint]) -> Limiter:
    """One limiter per app; the lookup blueprints share one budget per client (POST only: the
    empty form costs nothing)."""
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "portal")
    # Supported by the memory and Redis storages alike.
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    # If Redis is down, count in each worker's memory rather than refuse every lookup.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter = Limiter(get_remote_address, app=app)
    limit = limiter.shared_limit(
        lambda: current_app.config["DEBTOR_LOOKUP_LIMITS"], scope=LOOKUP_SCOPE, methods=["POST"]
    )
    for blueprint in lookup_blueprints:
        limit(blueprint)
    app.extensions[EXTENSION_KEY] = limiter
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
    return limiter


def retry_after_seconds() -> int:
    """Seconds until the breached limit lets the client in again."""
    limit = current_app.extensions[EXTENSION_KEY].current_limit
    if limit is None:
        return 60
    return max(1, math.ceil(limit.reset_at - time.time()))


def _too_many_requests(error: RateLimitExceeded) -> ResponseReturnValue:
    seconds = retry_after_seconds()
    response = errors.error_response(
        error,
        detail_context={
            "retry_minutes": max(1, math.ceil(seconds / 60)),
            "retry_hours": math.ceil(seconds / 3600),
        },
    )
    response.headers["Retry-After"] = str(seconds)
    return response
