"""Configuration from the environment, and the refusal to run an unsafe production portal."""

from __future__ import annotations

import re

import pytest

from portal.config import ConfigurationError
from portal.web import create_app


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    monkeypatch.setenv("PORTAL_SITE_URL", "https://enforcement.court.example")
    monkeypatch.setenv("PORTAL_RATELIMIT_STORAGE", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("PORTAL_INDEX_DIR", str(tmp_path / "index"))
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path}/x.sqlite3"
    assert app.config["SITE_URL"] == "https://enforcement.court.example"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert app.config["INDEX_DIR"] == str(tmp_path / "index")


def test_the_defaults_need_nothing_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("PORTAL_DATABASE_URL", "PORTAL_RATELIMIT_STORAGE", "PORTAL_SECRET_KEY"):
        monkeypatch.delenv(variable, raising=False)
    app = create_app()
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_the_development_key_is_flagged_loudly(monkeypatch, caplog) -> None:
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    create_app()
    assert "PORTAL_SECRET_KEY is not set" in caplog.text


# A production environment the guard accepts; each test below spoils one setting of it.
SAFE_PRODUCTION = {
    "PORTAL_ENV": "production",
    "PORTAL_SECRET_KEY": "a-long-random-production-secret-0123456789",
    "PORTAL_SITE_URL": "https://enforcement.court.example",
    "PORTAL_STATIC_LOOKUP_SALT": "the court's own salt 4f1c",
    "PORTAL_STATIC_LOOKUP_ITERATIONS": "20000",
    "PORTAL_RATELIMIT_STORAGE": "redis://127.0.0.1:6379/0",
}


def production_environment(monkeypatch: pytest.MonkeyPatch, **changes: str | None) -> None:
    """SAFE_PRODUCTION with `changes` (None removes a variable); FLASK_DEBUG off."""
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    for name, value in {**SAFE_PRODUCTION, **changes}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"PORTAL_SECRET_KEY": None}, "PORTAL_SECRET_KEY must be set"),
        ({"PORTAL_SECRET_KEY": "dev-only-insecure-key-change-me"}, "PORTAL_SECRET_KEY must be set"),
        ({"FLASK_DEBUG": "1"}, "FLASK_DEBUG: debug mode must be off"),
        ({"PORTAL_SITE_URL": None}, "PORTAL_SITE_URL .* http://127.0.0.1:5000 is not https://"),
        ({"PORTAL_SITE_URL": "http://enforcement.court.example"}, "PORTAL_SITE_URL .* not https"),
        ({"PORTAL_SITE_URL": "https://localhost:8443"}, "PORTAL_SITE_URL .* localhost is a local"),
        ({"PORTAL_SITE_URL": "https://portal.localhost"}, "PORTAL_SITE_URL .* is a local name"),
        ({"PORTAL_SITE_URL": "https://court.local/"}, "PORTAL_SITE_URL .* court.local is a local"),
        ({"PORTAL_SITE_URL": "https://portal.test"}, "PORTAL_SITE_URL .* portal.test is a local"),
        ({"PORTAL_SITE_URL": "https://127.0.0.2"}, "PORTAL_SITE_URL .* 127.0.0.2 is a local addr"),
        ({"PORTAL_SITE_URL": "https://[::1]:8443"}, "PORTAL_SITE_URL .* ::1 is a local address"),
        ({"PORTAL_SITE_URL": "https://0.0.0.0"}, "PORTAL_SITE_URL .* 0.0.0.0 is a local address"),
        ({"PORTAL_SITE_URL": "https://10.1.2.3"}, "PORTAL_SITE_URL .* 10.1.2.3 is not a public"),
        ({"PORTAL_SITE_URL": "https://192.168.0.10/"}, "PORTAL_SITE_URL .* 192.168.0.10 is not a"),
        ({"PORTAL_SITE_URL": "https://172.20.0.1"}, "PORTAL_SITE_URL .* 172.20.0.1 is not a"),
        ({"PORTAL_SITE_URL": "https://[fd00::1]:8443"}, "PORTAL_SITE_URL .* fd00::1 is not a"),
        ({"PORTAL_SITE_URL": "https://100.64.0.1"}, "PORTAL_SITE_URL .* 100.64.0.1 is not a"),
        ({"PORTAL_STATIC_LOOKUP_SALT": None}, "PORTAL_STATIC_LOOKUP_SALT must be the court's own"),
        ({"PORTAL_STATIC_LOOKUP_SALT": "enforcement-transparency-portal static debtor lookup"},
         "PORTAL_STATIC_LOOKUP_SALT must be the court's own"),
        ({"PORTAL_STATIC_LOOKUP_ITERATIONS": "1"},
         "PORTAL_STATIC_LOOKUP_ITERATIONS must be at least 20,000, not 1$"),
        ({"PORTAL_STATIC_LOOKUP_ITERATIONS": "19999"},
         "PORTAL_STATIC_LOOKUP_ITERATIONS must be at least 20,000, not 19,999$"),
        ({"PORTAL_RATELIMIT_STORAGE": None}, "PORTAL_RATELIMIT_STORAGE must be shared storage"),
        ({"PORTAL_RATELIMIT_STORAGE": "memory://"}, "PORTAL_RATELIMIT_STORAGE .* not memory://"),
    ],
)  # fmt: skip
def test_production_refuses_each_unsafe_setting_on_a_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, changes: dict[str, str | None], problem: str
) -> None:
    production_environment(monkeypatch, **changes)
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    heading, *lines = str(refused.value).splitlines()
    assert heading == "refusing to start in production:"
    assert len(lines) == 1, lines  # the one spoilt setting, and nothing else
    assert re.search(problem, lines[0].strip()), lines[0]


def test_production_lists_every_refusal_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    production_environment(monkeypatch, PORTAL_SITE_URL="http://127.0.0.1:8000",
                           PORTAL_STATIC_LOOKUP_SALT=None, PORTAL_STATIC_LOOKUP_ITERATIONS="1",
                           PORTAL_RATELIMIT_STORAGE="memory://")  # fmt: skip
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    named = [line.split()[0] for line in str(refused.value).splitlines()[1:]]
    assert named == ["PORTAL_SITE_URL", "PORTAL_STATIC_LOOKUP_SALT",
                     "PORTAL_STATIC_LOOKUP_ITERATIONS", "PORTAL_RATELIMIT_STORAGE"]  # fmt: skip


def test_production_starts_with_safe_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    production_environment(monkeypatch)
    app = create_app()
    assert app.config["ENV"] == "production"
    assert app.config["TRUSTED_HOSTS"] == ["enforcement.court.example"]


def test_production_accepts_only_its_own_host_and_the_listed_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    production_environment(monkeypatch, PORTAL_TRUSTED_HOSTS="127.0.0.1, .court.example")
    client = create_app().test_client()
    # "/" sends the visitor on to a language: a redirect for a trusted host, else a 400.
    for host in ("enforcement.court.example", "127.0.0.1:8000", "www.court.example"):
        assert client.get("/", headers={"Host": host}).status_code == 302, host
    for host in ("evil.example", "court.example.evil.example", "localhost"):
        assert client.get("/", headers={"Host": host}).status_code == 400, host


def test_development_accepts_any_host_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTAL_TRUSTED_HOSTS", raising=False)
    assert create_app().config["TRUSTED_HOSTS"] is None
    monkeypatch.setenv("PORTAL_TRUSTED_HOSTS", "portal.internal")
    client = create_app().test_client()
    assert client.get("/", headers={"Host": "portal.internal"}).status_code == 302
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_behind_a_trusted_proxy_the_forwarded_scheme_turns_on_hsts(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "1")
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    client = create_app().test_client()
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "0")
    spoofed = create_app().test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers


@pytest.mark.parametrize(
    ("key", "problem"),
    [("   ", "must be set"), ("short-key", "at least 32 characters"),
     (" dev-only-insecure-key-change-me ", "must be set")],
)  # fmt: skip
def test_production_refuses_a_blank_or_short_secret_key(
    monkeypatch: pytest.MonkeyPatch, key: str, problem: str
) -> None:
    production_environment(monkeypatch, PORTAL_SECRET_KEY=key)
    with pytest.raises(ConfigurationError, match=problem):
        create_app()


def test_production_refuses_debug_from_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """`portal --debug ...` (Flask's own flag) is refused as FLASK_DEBUG is."""
    from click.testing import CliRunner

    from portal.cli import cli

    production_environment(monkeypatch)
    # Flask's --debug writes FLASK_DEBUG into os.environ; setting it here first makes
    # monkeypatch put it back as it was after the test.
    monkeypatch.setenv("FLASK_DEBUG", "0")
    result = CliRunner().invoke(cli, ["--debug", "routes"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: refusing to start in production:",
        "  FLASK_DEBUG: debug mode must be off (nor portal --debug)",
    ]


def test_gunicorn_refuses_to_load_an_unsafe_production_app(tmp_path) -> None:
    """The production entry point, `gunicorn 'portal.web:create_app()'`, fails to load the app."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "FLASK_"))}
    environment |= {"PORTAL_ENV": "production", "PORTAL_SITE_URL": "https://court.example"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "--check-config", "portal.web:create_app()"],
        capture_output=True, text=True, env=environment, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "refusing to start in production" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("PORTAL_TRUSTED_PROXIES", "abc", "a whole number, 0 or more, not 'abc'$"),
        ("PORTAL_TRUSTED_PROXIES", "-1", "a whole number, 0 or more, not '-1'$"),
        ("PORTAL_TRUSTED_PROXIES", "1.5", "a whole number, 0 or more"),
        ("PORTAL_FREEZE_PROCESSES", "two", "a whole number, 0 or more"),
        ("PORTAL_SEARCH_CACHE_MB", "64MB", "a whole number, 0 or more, not '64MB'$"),
        ("PORTAL_STATIC_LOOKUP_ITERATIONS", "0", "a whole number, 1 or more"),
        ("PORTAL_SITE_URL", "enforcement.court.example", "an http or https URL"),
        ("PORTAL_LIVE_URL", "ftp://live.example", "an http or https URL"),
        ("PORTAL_DEBTOR_LOOKUP_LIMITS", "ten a minute", "rate limits in Flask-Limiter's"),
        ("PORTAL_ENV", "prod", "development or production, not 'prod'$"),
        ("PORTAL_TRUSTED_HOSTS", "court.example/x", "host names separated by commas"),
        ("PORTAL_RATELIMIT_STORAGE", "127.0.0.1:6379", r"a storage URI \(.*\)$"),
        ("PORTAL_DATABASE_URL", "user:secret@db", r"a database URL \(.*\)$"),
    ],
)
def test_a_bad_value_is_refused_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=f"^{variable} must be {expected}"):
        create_app()


def test_settings_are_typed_once_where_they_are_read(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", " 2 ")
    monkeypatch.setenv("PORTAL_STATIC_LOOKUP_ITERATIONS", "1500")
    monkeypatch.setenv("PORTAL_FREEZE_PROCESSES", "0")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "PRESS_PAGE_SIZE": "5",
                      "STATIC_SITE": "false", "INDEX_DIR": tmp_path / "index"})  # fmt: skip
    config = app.config
    assert (config["TRUSTED_PROXIES"], config["STATIC_LOOKUP_ITERATIONS"]) == (2, 1500)
    assert (config["FREEZE_PROCESSES"], config["PRESS_PAGE_SIZE"]) == (0, 5)
    assert config["STATIC_SITE"] is False
    assert config["INDEX_DIR"] == str(tmp_path / "index")


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [({"PRESS_PAGE_SIZE": 0}, "PRESS_PAGE_SIZE must be a whole number, 1 or more, not 0"),
     ({"STATIC_SITE": "maybe"}, "STATIC_SITE must be true or false"),
     ({"SEARCH_EVALUATOR": "fast"}, "SEARCH_EVALUATOR must be arrays or whoosh")],
)  # fmt: skip
def test_overrides_are_typed_too(overrides: dict, problem: str) -> None:
    with pytest.raises(ConfigurationError, match=problem):
        create_app(overrides)
