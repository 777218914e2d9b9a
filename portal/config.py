"""Configuration read from the environment, with embedded defaults that need nothing installed."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from portal.debtors.static_lookup import DEFAULT_ITERATIONS, DEFAULT_SALT

DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - the flagged default, refused in production
MIN_SECRET_KEY_LENGTH = 32

# Settings every deployment may set, with the environment variable that carries each one.
ENVIRONMENT_VARIABLES = {
    "DATABASE_URL": "PORTAL_DATABASE_URL",
    "INDEX_DIR": "PORTAL_INDEX_DIR",
    "RATELIMIT_STORAGE_URI": "PORTAL_RATELIMIT_STORAGE",
    "SECRET_KEY": "PORTAL_SECRET_KEY",
    "SITE_URL": "PORTAL_SITE_URL",
    "CONTENT_DIR": "PORTAL_CONTENT_DIR",
    "CASES_DIR": "PORTAL_CASES_DIR",
    "ENV": "PORTAL_ENV",
    "TRUSTED_PROXIES": "PORTAL_TRUSTED_PROXIES",
    "DEBTOR_LOOKUP_LIMITS": "PORTAL_DEBTOR_LOOKUP_LIMITS",
    "STATIC_LOOKUP_SALT": "PORTAL_STATIC_LOOKUP_SALT",
    "STATIC_LOOKUP_ITERATIONS": "PORTAL_STATIC_LOOKUP_ITERATIONS",
    "LIVE_URL": "PORTAL_LIVE_URL",
    "FREEZE_PROCESSES": "PORTAL_FREEZE_PROCESSES",
    "FREEZE_STATE_DIR": "PORTAL_FREEZE_STATE_DIR",
}


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or incomplete for the environment it runs in."""


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
        "TRUSTED_PROXIES": "0",
        "PRESS_PAGE_SIZE": 20,
        "CASES_PAGE_SIZE": 50,
        # True while `portal freeze` renders pages: templates then leave out what only a live
        # server can answer (the API) and use the in-browser search and lookup instead.
        "FREEZING": False,
        "SEARCH_PAGE_SIZE": 10,
        # Processes that render pages in `portal freeze` (0: one per core).
        "FREEZE_PROCESSES": 0,
        # What `portal freeze` remembers between runs (what each page read), for the next one.
        "FREEZE_STATE_DIR": str(instance_path / "freeze"),
        # Results of this many recent distinct searches are kept per index generation and thread.
        "SEARCH_CACHE_SIZE": 256,
        # Lookups per client, shared by the lookup page and the API (Flask-Limiter notation).
        "DEBTOR_LOOKUP_LIMITS": "10 per minute;100 per day",
        # The static debtor check (see the README): a public site-wide salt, which each court
        # should set to its own value, and the PBKDF2 iteration count each guess costs.
        "STATIC_LOOKUP_SALT": DEFAULT_SALT,
        "STATIC_LOOKUP_ITERATIONS": DEFAULT_ITERATIONS,
        # The live portal's origin, linked from a frozen copy's debtor page ("" for none).
        "LIVE_URL": "",
    }


def settings_from_environment(environ: Mapping[str, str]) -> dict[str, object]:
    """The settings that the environment sets, under their configuration names."""
    return {
        name: environ[variable]
        for name, variable in ENVIRONMENT_VARIABLES.items()
        if environ.get(variable)
    }


def check_production_settings(settings: Mapping[str, object]) -> None:
    """Refuse to run a production portal with the development secret key (or a short one),
    debug on, or a local site URL. Every way the portal starts (gunicorn's
    `portal.web:create_app()`, the `portal` command, `flask --debug`) goes through `create_app`."""
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
        problems.append("debug mode must be off")
    if str(settings.get("SITE_URL", "")).startswith("http://127.0.0.1"):
        problems.append("PORTAL_SITE_URL must be the public origin")
    if problems:
        raise ConfigurationError("refusing to start in production: " + "; ".join(problems))


def project_root() -> Path:
    """The checkout the portal runs from: the current directory, where `make run` starts it."""
    return Path(os.getcwd())
