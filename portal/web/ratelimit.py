"""Rate limits (Flask-Limiter): the debtor lookup, per client, per minute and per day.

The window moves: a limit of 10 a minute means at most 10 in any 60 seconds, not 10 before and 10
after the turn of a fixed minute. The counters live in PORTAL_RATELIMIT_STORAGE: `memory://` on
one machine, Redis when several workers or servers must share them. The client is the remote
address, which ProxyFix sets from X-Forwarded-For when PORTAL_TRUSTED_PROXIES says how many
proxies to trust.

Every answer that spent the budget says so in the RateLimit-Policy and RateLimit header fields of
draft-ietf-httpapi-ratelimit-headers-10 (structured fields): the quotas, then what is left of each
and in how many seconds, read from the limiter's own counters.
"""

from __future__ import annotations

import math
import time

from flask import Blueprint, Flask, Response, current_app, request
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many

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
    lookup_names = {blueprint.name for blueprint in lookup_blueprints}

    @limiter.request_filter
    def not_a_lookup() -> bool:
        # Only a lookup's POST spends a budget: every other request skips the limiter's search
        # for the limits that apply to it (a tenth of a 404's time).
        return request.method != "POST" or request.blueprint not in lookup_names

    limit = limiter.shared_limit(
        lambda: current_app.config["DEBTOR_LOOKUP_LIMITS"], scope=LOOKUP_SCOPE, methods=["POST"]
    )
    for blueprint in lookup_blueprints:
        limit(blueprint)
    app.extensions[EXTENSION_KEY] = limiter
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
    app.after_request(_announce_limits)
    return limiter


def policy_name(item: RateLimitItem) -> str:
    """A limit's name in the header fields: its window, such as "minute" or "5-minutes"."""
    unit = item.GRANULARITY.name
    return unit if item.multiples == 1 else f"{item.multiples}-{unit}s"


def _seconds_left(limit: RequestLimit) -> int:
    # The window's own reset time: RequestLimit.reset_at rounds it up by a second.
    return max(1, math.ceil(limit.window.reset_time - time.time()))


def _announce_limits(response: Response) -> Response:
    """RateLimit-Policy (every quota) and RateLimit (what is left of those this request was
    counted against: after the first one breached, the others are not counted)."""
    counted = current_app.extensions[EXTENSION_KEY].current_limits
    if not counted:
        return response
    quotas = parse_many(current_app.config["DEBTOR_LOOKUP_LIMITS"])
    response.headers["RateLimit-Policy"] = ", ".join(
        f'"{policy_name(item)}";q={item.amount};w={item.get_expiry()}' for item in quotas
    )
    response.headers["RateLimit"] = ", ".join(
        f'"{policy_name(limit.limit)}";r={limit.remaining};t={_seconds_left(limit)}'
        for limit in counted
    )
    return response


def retry_after_seconds() -> int:
    """Seconds until the breached limit lets the client in again."""
    limit = current_app.extensions[EXTENSION_KEY].current_limit
    if limit is None:
        return 60
    return _seconds_left(limit)


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
