"""The page cache (PORTAL_PAGE_CACHE_URL): whole public pages kept in Redis for a minute, so that
gunicorn alone, without nginx's cache in front, answers a page read again without rendering it.
Off by default; the portal's one page cache (the search's postings are its one in-process cache).

Only what any shared cache may keep is kept: the 200 answer to a GET whose Cache-Control says
public (`responses.cache_public_pages` decides which), never a POST, a lookup, a preview or a
search with a query. The key is the path and query string alone: the language is in the path,
and nothing of the visitor's (cookies, headers) changes a public page. Every command that changes
published data clears the cache (portal/cli.py); if Redis cannot be reached, pages are rendered
as if there were no cache, and the log says so once."""

from __future__ import annotations

import time

from flask import Flask, Response, current_app, g, request
from flask_caching import Cache
from redis.exceptions import RedisError

from portal.web.responses import NOINDEX_ENDPOINTS, public_request

EXTENSION_KEY = "portal_page_cache"
# As long as browsers and nginx may keep a page (responses.PUBLIC_MAX_AGE). What the clear at
# every change cannot see coming, a day boundary (a register record whose term ends, a release
# scheduled for a date), then shows at most a minute late.
TIMEOUT_SECONDS = 60
# Never empty: cachelib clears a cache without a prefix by emptying the whole Redis database,
# rate-limit counters included.
DEFAULT_KEY_PREFIX = "portal-page:"
# Redis answers in well under a millisecond; one that takes longer is treated as down.
SOCKET_TIMEOUT_SECONDS = 0.25
# After a failure, pages are rendered without Redis this long before it is tried again: an
# outage costs each worker one attempt every few seconds, not one a request.
RETRY_SECONDS = 10
# A page is 10 to 60 KB; larger answers (downloads) are not worth a copy in memory.
MAX_BODY_BYTES = 1024 * 1024
# Computed again from the body for each answer.
REBUILT_HEADERS = frozenset({"Content-Length"})


def cacheable_request() -> bool:
    """Whether the current request's answer may come from, and go to, the page cache: a public
    page's, but not a search's with a query (endless keys, and no page of content)."""
    return public_request() and not (request.endpoint in NOINDEX_ENDPOINTS and request.query_string)


class PageCache:
    """The app's Flask-Caching cache in Redis, and whether Redis has been answering."""

    def __init__(self, app: Flask, url: str, prefix: str) -> None:
        self.cache = Cache(
            app,
            with_jinja2_ext=False,
            config={
                "CACHE_TYPE": "RedisCache",
                "CACHE_REDIS_URL": url,
                "CACHE_KEY_PREFIX": prefix,
                "CACHE_DEFAULT_TIMEOUT": TIMEOUT_SECONDS,
                "CACHE_OPTIONS": {
                    "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
                    "socket_timeout": SOCKET_TIMEOUT_SECONDS,
                },
            },
        )
        self.logger = app.logger
        self.down = False
        self.retry_at = 0.0

    def _failed(self, error: RedisError) -> None:
        if not self.down:
            self.logger.warning(
                "page cache: Redis cannot be used (%s); pages are rendered without it", error
            )
        self.down = True
        self.retry_at = time.monotonic() + RETRY_SECONDS

    def _answered(self) -> None:
        if self.down:
            self.logger.warning("page cache: Redis answers again")
        self.down = False

    def lookup(self) -> Response | None:
        """Before a view: the kept answer to this request (304 if the client has it already),
        or None to render the page, remembering its key to keep it afterwards."""
        if not cacheable_request() or time.monotonic() < self.retry_at:
            return None
        key = request.full_path if request.query_string else request.path
        try:
            kept = self.cache.get(key)
        except RedisError as error:
            self._failed(error)
            return None
        self._answered()
        if kept is None:
            g.page_cache_key = key
            return None
        body, headers = kept
        return current_app.response_class(body, headers=headers).make_conditional(request)

    def store(self, response: Response) -> Response:
        """After the view and the caching rules: keep a public page that was not in the cache,
        with the headers it has so far (the security headers are added to every answer after)."""
        key = g.pop("page_cache_key", None)
        if (
            key is None
            or request.method != "GET"
            or response.status_code != 200
            or not response.cache_control.public
            or response.direct_passthrough
            or response.is_streamed
            or "Set-Cookie" in response.headers
        ):
            return response
        body = response.get_data()
        if len(body) > MAX_BODY_BYTES:
            return response
        headers = [(name, value) for name, value in response.headers if name not in REBUILT_HEADERS]
        try:
            self.cache.set(key, (body, headers))
        except RedisError as error:
            self._failed(error)
        return response

    def clear(self) -> bool:
        """Forget every kept page; False if Redis could not be reached."""
        try:
            self.cache.clear()
        except RedisError as error:
            self._failed(error)
            return False
        self._answered()
        return True


def init_page_cache(app: Flask) -> None:
    """Keep `app`'s public pages in Redis if PORTAL_PAGE_CACHE_URL is set. Call it after the
    security headers are set up and before the HTTP caching rules: after-request functions run in
    the reverse order, so a page is kept with the Cache-Control and ETag the rules give it and
    without the security headers, which are then added to every answer, a kept one too."""
    url = app.config["PAGE_CACHE_URL"]
    if not url:
        return
    prefix = app.config.get("PAGE_CACHE_KEY_PREFIX") or DEFAULT_KEY_PREFIX
    page_cache = PageCache(app, url, prefix)
    app.extensions[EXTENSION_KEY] = page_cache
    app.before_request(page_cache.lookup)
    app.after_request(page_cache.store)


def clear_pages(app: Flask) -> bool:
    """Forget every page `app` keeps, after a change to published data; True when there is no
    page cache, False if Redis could not be reached (pages are then at most a minute late)."""
    page_cache: PageCache | None = app.extensions.get(EXTENSION_KEY)
    return page_cache is None or page_cache.clear()
