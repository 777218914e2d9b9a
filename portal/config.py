"""Configuration read from the environment, with embedded defaults that need nothing installed.
Every setting is converted to its type where it is read (from the environment or a test's
overrides), with an error that names the variable; the rest of the portal takes it as it is."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from limits import parse_many
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from portal.debtors.static_lookup import DEFAULT_ITERATIONS, DEFAULT_SALT

DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - the flagged default, refused in production
MIN_SECRET_KEY_LENGTH = 32
# The static check's iterations slow down guessing which names are listed (what the live
# name-only answer shows, no more; docs/debtors.md). OWASP's 600,000 for PBKDF2-SHA256 protects
# passwords and would make a freeze of a million names take about 38 core-hours, so the floor
# is the measured default: below it a deployment has made name guessing cheaper than documented.
MIN_STATIC_LOOKUP_ITERATIONS = DEFAULT_ITERATIONS
# Host names that only ever mean this machine or a local network, never a public site.
LOCAL_HOST_NAMES = ("localhost",)
LOCAL_DOMAIN_SUFFIXES = (".localhost", ".local", ".test", ".invalid")


class ConfigurationError(RuntimeError):
    """The configuration is unsafe, incomplete or not of the expected type."""


@dataclass(frozen=True)
class Setting:
    """How one setting is read: the variable that carries it (if any), what it must be (for
    the error message) and the conversion, which raises ValueError on a bad value."""

    convert: Callable[[object], object]
    expected: str
    variable: str | None = None
    secret: bool = False  # a bad value is never repeated in the message


def whole_number(minimum: int) -> Callable[[object], int]:
    """A conversion to an int of at least `minimum` ("12", 12; not "1.5", "abc" or True)."""

    def convert(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(value)
        number = int(value)  # int(" 12 ") is 12; int("abc") and int("1.5") raise ValueError
        if number < minimum:
            raise ValueError(value)
        return number

    return convert


def flag(value: object) -> bool:
    """True or False, or their usual spellings in an environment variable."""
    if isinstance(value, bool):
        return value
    spelled = str(value).strip().lower()
    if spelled in ("1", "true", "yes", "on"):
        return True
    if spelled in ("0", "false", "no", "off"):
        return False
    raise ValueError(value)


def text(value: object) -> str:
    """Any text; a path becomes text (Path() and the libraries take either)."""
    if not isinstance(value, str | os.PathLike):
        raise ValueError(value)
    return os.fspath(value) if isinstance(value, os.PathLike) else value


def key(value: object) -> str | bytes:
    """A secret key: text, or bytes as Flask also takes."""
    return value if isinstance(value, bytes) else text(value)


def non_empty(value: object) -> str:
    """Text with something in it besides spaces."""
    written = text(value)
    if not written.strip():
        raise ValueError(value)
    return written


def web_url(allow_empty: bool = False) -> Callable[[object], str]:
    """An http or https URL with a host ("" too if `allow_empty`)."""

    def convert(value: object) -> str:
        url = text(value).strip()
        if allow_empty and not url:
            return ""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(value)
        return url

    return convert


def host_names(value: object) -> tuple[str, ...]:
    """Host names separated by commas ("portal.internal, .court.example"), lower-cased."""
    if isinstance(value, list | tuple):
        value = ",".join(map(text, value))
    names = tuple(name.strip().lower() for name in text(value).split(",") if name.strip())
    if any(not name or any(ch.isspace() or ch in "/@" for ch in name) for name in names):
        raise ValueError(value)
    return names


def storage_uri(value: object) -> str:
    """A Flask-Limiter storage URI: a scheme and ://."""
    uri = text(value).strip()
    if not urlsplit(uri).scheme or "://" not in uri:
        raise ValueError(value)
    return uri


def redis_url(value: object) -> str:
    """A Redis URL (redis://, rediss:// or unix://), or "" for none."""
    url = text(value).strip()
    if url and urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ValueError(value)
    return url


def database_url(value: object) -> str:
    """A URL SQLAlchemy can parse."""
    url = text(value).strip()
    try:
        make_url(url)
    except ArgumentError:
        raise ValueError(value) from None
    return url


def rate_limits(value: object) -> str:
    """Flask-Limiter's notation, checked with the library that reads it."""
    limits = non_empty(value)
    parse_many(limits)  # ValueError when it cannot be parsed
    return limits


def one_of(*choices: str) -> Callable[[object], str]:
    """One of a few words."""

    def convert(value: object) -> str:
        word = text(value).strip()
        if word not in choices:
            raise ValueError(value)
        return word

    return convert


COUNT = "a whole number, 0 or more"
POSITIVE = "a whole number, 1 or more"
SETTINGS = {
    "DATABASE_URL": Setting(
        database_url, "a database URL (sqlite:///... or postgresql+psycopg://...)",
        "PORTAL_DATABASE_URL", secret=True,  # it may hold a password
    ),
    "INDEX_DIR": Setting(non_empty, "a folder", "PORTAL_INDEX_DIR"),
    "RATELIMIT_STORAGE_URI": Setting(
        storage_uri, "a storage URI (memory:// or redis://host:6379/0)",
        "PORTAL_RATELIMIT_STORAGE", secret=True,
    ),
    "SECRET_KEY": Setting(key, "text", "PORTAL_SECRET_KEY", secret=True),
    "SITE_URL": Setting(web_url(), "an http or https URL", "PORTAL_SITE_URL"),
    "EXTRA_TRUSTED_HOSTS": Setting(host_names, "host names separated by commas",
                                   "PORTAL_TRUSTED_HOSTS"),
    "CONTENT_DIR": Setting(non_empty, "a folder", "PORTAL_CONTENT_DIR"),
    "CASES_DIR": Setting(non_empty, "a folder", "PORTAL_CASES_DIR"),
    "ENV": Setting(one_of("development", "production"), "development or production",
                   "PORTAL_ENV"),
    "TRUSTED_PROXIES": Setting(whole_number(0), COUNT, "PORTAL_TRUSTED_PROXIES"),
    "DEBTOR_LOOKUP_LIMITS": Setting(
        rate_limits, "rate limits in Flask-Limiter's notation (10 per minute;100 per day)",
        "PORTAL_DEBTOR_LOOKUP_LIMITS",
    ),
    "STATIC_LOOKUP_SALT": Setting(non_empty, "non-empty text", "PORTAL_STATIC_LOOKUP_SALT"),
    "STATIC_LOOKUP_ITERATIONS": Setting(
        whole_number(1), POSITIVE, "PORTAL_STATIC_LOOKUP_ITERATIONS"
    ),
    "LIVE_URL": Setting(web_url(allow_empty=True), "an http or https URL", "PORTAL_LIVE_URL"),
    "FREEZE_PROCESSES": Setting(whole_number(0), COUNT, "PORTAL_FREEZE_PROCESSES"),
    "PRESS_PAGE_SIZE": Setting(whole_number(1), POSITIVE),
    "CASES_PAGE_SIZE": Setting(whole_number(1), POSITIVE),
    "SEARCH_PAGE_SIZE": Setting(whole_number(1), POSITIVE),
    "SEARCH_EVALUATOR": Setting(one_of("arrays", "whoosh"), "arrays or whoosh"),
    "SEARCH_CACHE_MB": Setting(whole_number(0), COUNT, "PORTAL_SEARCH_CACHE_MB"),
    "SEARCH_PREFETCH_MB": Setting(whole_number(0), COUNT, "PORTAL_SEARCH_PREFETCH_MB"),
    "PAGE_CACHE_URL": Setting(
        redis_url, "a Redis URL (redis://host:6379/1) or empty", "PORTAL_PAGE_CACHE_URL",
        secret=True,  # it may hold a password
    ),
    "STATIC_SITE": Setting(flag, "true or false"),
    "PREVIEW": Setting(flag, "true or false", "PORTAL_PREVIEW"),
}  # fmt: skip
# Settings every deployment may set, with the environment variable that carries each one.
ENVIRONMENT_VARIABLES = {
    name: setting.variable for name, setting in SETTINGS.items() if setting.variable
}


def convert_setting(name: str, value: object, source: str | None = None) -> object:
    """`value` as the type setting `name` has (unknown settings as they are); a
    ConfigurationError naming `source` (the variable, by default the setting) if it is not."""
    setting = SETTINGS.get(name)
    if setting is None:
        return value
    try:
        return setting.convert(value)
    except ValueError:
        shown = "" if setting.secret else f", not {value!r}"
        raise ConfigurationError(f"{source or name} must be {setting.expected}{shown}") from None


def typed_settings(values: Mapping[str, object]) -> dict[str, object]:
    """Settings given by name (defaults, a test's overrides), each converted to its type."""
    return {name: convert_setting(name, value) for name, value in values.items()}


def default_settings(instance_path: Path, project_root: Path) -> dict[str, object]:
    """Defaults for a single machine: SQLite in the instance folder, content from the checkout."""
    return {
        "DATABASE_URL": f"sqlite:///{instance_path / 'portal.sqlite3'}",
        "INDEX_DIR": str(project_root / "search_index"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "SECRET_KEY": DEV_SECRET_KEY,
        "SITE_URL": "http://127.0.0.1:5000",
        "CONTENT_DIR": str(project_root / "content"),
        "CASES_DIR": str(project_root / "cases"),
        "ENV": "development",
        "TRUSTED_PROXIES": 0,
        # Host names accepted besides PORTAL_SITE_URL's (see `trusted_hosts`).
        "EXTRA_TRUSTED_HOSTS": (),
        # Twenty items a listing page, cases as releases: a screenful or two on a phone, and
        # a listing's rendering grows with its items (50 cases cost twice the 20's).
        "PRESS_PAGE_SIZE": 20,
        "CASES_PAGE_SIZE": 20,
        # The app renders the static copy: fixed when `create_app` builds the app (`portal
        # freeze` builds its own). Pages then leave out what only a live server can answer (the
        # API) and use the in-browser search and lookup instead.
        "STATIC_SITE": False,
        "SEARCH_PAGE_SIZE": 10,
        # Processes that render pages in `portal freeze`, each with its own app (0: one per core).
        "FREEZE_PROCESSES": 0,
        # What answers searches: "arrays" (the array evaluator of portal/search/engine.py,
        # proven equal to Whoosh's searcher and several times faster; see docs/search.md) or
        # "whoosh" (Whoosh's own searcher).
        "SEARCH_EVALUATOR": "arrays",
        # Megabytes of words' postings the array evaluator keeps read, per worker process: the
        # portal's one in-process cache (0: none; see docs/search.md).
        "SEARCH_CACHE_MB": 64,
        # Of those, megabytes of the postings of the words in most documents, read when a new
        # index is opened so that no search pays for them (0: none; at most the cache's size).
        "SEARCH_PREFETCH_MB": 48,
        # The Redis server that keeps whole public pages for a minute (portal/web/page_cache.py),
        # for gunicorn without nginx's cache in front; "" keeps none.
        "PAGE_CACHE_URL": "",
        # Lookups per client, shared by the lookup page and the API (Flask-Limiter notation).
        "DEBTOR_LOOKUP_LIMITS": "10 per minute;100 per day",
        # The static debtor check (see the README): a public site-wide salt, which each court
        # should set to its own value, and the PBKDF2 iteration count each guess costs.
        "STATIC_LOOKUP_SALT": DEFAULT_SALT,
        "STATIC_LOOKUP_ITERATIONS": DEFAULT_ITERATIONS,
        # The live portal's origin, linked from a frozen copy's debtor page ("" for none).
        "LIVE_URL": "",
        # The largest request body: the portal takes only the lookup's few fields (413 beyond).
        "MAX_CONTENT_LENGTH": 64 * 1024,
        # A local preview for editors: drafts and scheduled items shown, marked as such. Never
        # in production (check_production_settings) nor in the static copy.
        "PREVIEW": False,
    }


def settings_from_environment(environ: Mapping[str, str]) -> dict[str, object]:
    """The settings that the environment sets, under their configuration names and converted
    to their types (ConfigurationError naming the variable on a bad value)."""
    return {
        name: convert_setting(name, environ[variable], variable)
        for name, variable in ENVIRONMENT_VARIABLES.items()
        if environ.get(variable)
    }


def check_production_settings(settings: Mapping[str, object]) -> None:
    """Refuse to run a production portal with any unsafe setting, one line a refusal, each
    naming its variable. Every way the portal starts (gunicorn's `portal.web:create_app()`, the
    `portal` command, `flask --debug`) goes through `create_app`."""
    if settings.get("ENV") != "production":
        return
    problems = []
    key = str(settings.get("SECRET_KEY") or "").strip()
    if key in ("", DEV_SECRET_KEY):
        problems.append("PORTAL_SECRET_KEY must be set to a long random value")
    elif len(key) < MIN_SECRET_KEY_LENGTH:
        problems.append(
            f"PORTAL_SECRET_KEY must be a long random value (at least {MIN_SECRET_KEY_LENGTH} "
            "characters)"
        )
    if settings.get("DEBUG"):
        problems.append("FLASK_DEBUG: debug mode must be off (nor portal --debug)")
    site_problem = public_site_url_problem(str(settings.get("SITE_URL") or ""))
    if site_problem:
        problems.append(f"PORTAL_SITE_URL must be the public HTTPS origin: {site_problem}")
    if str(settings.get("STATIC_LOOKUP_SALT") or "").strip() == DEFAULT_SALT:
        problems.append(
            "PORTAL_STATIC_LOOKUP_SALT must be the court's own value, not the published default"
        )
    iterations = settings.get("STATIC_LOOKUP_ITERATIONS")
    if isinstance(iterations, int) and iterations < MIN_STATIC_LOOKUP_ITERATIONS:
        problems.append(
            f"PORTAL_STATIC_LOOKUP_ITERATIONS must be at least {MIN_STATIC_LOOKUP_ITERATIONS:,}, "
            f"not {iterations:,}"
        )
    if urlsplit(str(settings.get("RATELIMIT_STORAGE_URI") or "")).scheme == "memory":
        problems.append(
            "PORTAL_RATELIMIT_STORAGE must be shared storage such as redis://host:6379/0, not "
            "memory:// (each worker would count on its own)"
        )
    if settings.get("PREVIEW"):
        problems.append("PORTAL_PREVIEW must be off: it shows drafts and scheduled items")
    if problems:
        raise ConfigurationError(
            "refusing to start in production:\n" + "\n".join(f"  {p}" for p in problems)
        )


def public_site_url_problem(url: str) -> str | None:
    """Why `url` cannot be a public site's origin (not HTTPS, or a local host), or None."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return f"{url or 'an empty value'} is not https://"
    host = (parts.hostname or "").rstrip(".")
    if host in LOCAL_HOST_NAMES or host.endswith(LOCAL_DOMAIN_SUFFIXES):
        return f"{host} is a local name"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_loopback or address.is_unspecified or address.is_link_local:
        return f"{host} is a local address"
    if not address.is_global:  # private (10/8, 192.168/16, fc00::/7…), shared or reserved
        return f"{host} is not a public address"
    return None


def trusted_hosts(settings: Mapping[str, object]) -> list[str] | None:
    """The host names requests may name (Flask's TRUSTED_HOSTS): in production PORTAL_SITE_URL's
    host and PORTAL_TRUSTED_HOSTS; elsewhere PORTAL_TRUSTED_HOSTS if set, else any (None)."""
    extra = list(settings.get("EXTRA_TRUSTED_HOSTS") or ())  # type: ignore[call-overload]
    if settings.get("ENV") != "production":
        return extra or None
    site_host = urlsplit(str(settings.get("SITE_URL") or "")).hostname
    return [site_host, *extra] if site_host else extra


def project_root() -> Path:
    """The checkout the portal runs from: the current directory, where `make run` starts it."""
    return Path(os.getcwd())
