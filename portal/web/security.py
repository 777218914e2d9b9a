"""Security on every response: a strict CSP that needs no 'unsafe-inline', and friends;
redirects that never name a host taken from the request; and the debtor lookup's refusal of
requests sent by another site."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from flask import Blueprint, Flask, Request, Response, abort, current_app, request
from flask.sessions import NullSession, SessionInterface
from flask_babel import lazy_gettext as _l

from portal.text.identity_numbers import holds_identity_number

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "upgrade-insecure-requests",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# Two years, as the HSTS preload list asks; sent only over HTTPS, where it means something.
STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"


def add_security_headers(response: Response) -> Response:
    """Set the portal's security headers unless a view has set its own value."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


# What a browser says of where a request comes from (Fetch Metadata): only the portal's own
# pages ("same-origin") and a user's own action ("none": typed, bookmarked) may run a lookup. A
# sibling host ("same-site") is another origin, refused like any other site.
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})
CROSS_SITE_REFUSAL = _l(
    "This lookup was sent from another website, so it was not run. Open the lookup on this "
    "portal and search from there."
)


def safe_redirect(response: Response) -> Response:
    """Make a redirect to this request's own host relative: werkzeug builds its slash redirects
    (/en/debtors to /en/debtors/) from the Host header, which a client chooses. And drop a query
    that holds an identity number, which no URL of the portal's may carry."""
    location = response.headers.get("Location")
    if location and response.status_code in range(300, 400):
        parts = urlsplit(location)
        if parts.netloc and parts.netloc.lower() == request.host.lower():
            parts = parts._replace(scheme="", netloc="", path=parts.path or "/")
        if holds_identity_number(unquote_plus(parts.query)):
            parts = parts._replace(query="")
        response.headers["Location"] = urlunsplit(parts)
    return response


def own_origins() -> set[str]:
    """The origins a lookup may come from: PORTAL_SITE_URL's, and the one the request was sent to
    (its host checked against TRUSTED_HOSTS where they are set: always in production)."""
    site = urlsplit(current_app.config["SITE_URL"])
    return {f"{site.scheme}://{site.netloc}".lower(), request.host_url.rstrip("/").lower()}


def refuse_cross_site_lookup() -> None:
    """Refuse (403) a lookup POST that a browser says another site sent: Sec-Fetch-Site other
    than same-origin or none, or an Origin that is not the portal's. Clients that send neither
    (scripts, the API's users) are let through; the rate limit then counts them."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if (fetch_site is not None and fetch_site.lower() not in ALLOWED_FETCH_SITES) or (
        origin is not None and origin.rstrip("/").lower() not in own_origins()
    ):
        abort(403, description=str(CROSS_SITE_REFUSAL))


class NoSessions(SessionInterface):
    """The portal keeps nothing of a visitor between requests: no session cookie is read or
    set (a public page with a cookie could not be cached), and none is signed on each request."""

    def open_session(self, app: Flask, request: Request) -> NullSession:
        return self.make_null_session(app)

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        """Never called: Flask saves no null session."""


def init_security(app: Flask, lookup_blueprints: list[Blueprint]) -> None:
    """Send the security headers on every response of `app`, errors and static files included,
    keep redirects on the portal's host, check where each lookup POST comes from, and keep no
    sessions. Call it before the rate limits are set up, so that a refused request spends no
    client's budget."""
    app.session_interface = NoSessions()
    app.after_request(add_security_headers)
    app.after_request(safe_redirect)
    lookup_names = {blueprint.name for blueprint in lookup_blueprints}

    @app.before_request
    def check_lookup_origin() -> None:
        if request.method == "POST" and request.blueprint in lookup_names:
            refuse_cross_site_lookup()
