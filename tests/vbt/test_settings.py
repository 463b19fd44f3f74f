"""Settings come from the environment; each case runs Django in a fresh process with that environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent

SHOW = """
import json, django
django.setup()
from django.conf import settings as s
from vbt.celery import app
print(json.dumps({
    "module": s.SETTINGS_MODULE,
    "debug": s.DEBUG,
    "db_engine": s.DATABASES["default"]["ENGINE"],
    "db_name": str(s.DATABASES["default"]["NAME"]),
    "db_host": s.DATABASES["default"].get("HOST", ""),
    "cache": s.CACHES["default"]["BACKEND"],
    "cache_location": s.CACHES["default"].get("LOCATION", ""),
    "eager": app.conf.task_always_eager,
    "broker": app.conf.broker_url,
    "result_backend": app.conf.result_backend,
    "email": s.EMAIL_BACKEND,
    "email_host": s.EMAIL_HOST,
    "email_port": s.EMAIL_PORT,
    "secure_cookies": getattr(s, "SESSION_COOKIE_SECURE", False),
}))
"""

GOOD_SECRETS = {
    "SECRET_KEY": "k3y-" + "x9Qz" * 16,
    "STEUN_HASH_KEY": "h4sh-" + "p7Lw" * 8,
}


def run_django(code: str, settings_module: str | None, **env: str) -> subprocess.CompletedProcess:
    """Python in a fresh process with only PATH, HOME and the given environment."""
    clean = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    if settings_module:
        clean["DJANGO_SETTINGS_MODULE"] = settings_module
    clean.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def show(settings_module: str | None = "vbt.settings.dev", **env: str) -> dict:
    done = run_django(SHOW, settings_module, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_with_no_environment_everything_is_embedded():
    s = show()
    assert s["module"] == "vbt.settings.dev"
    assert s["debug"] is True
    assert s["db_engine"] == "django.db.backends.sqlite3"
    assert s["db_name"] == str(ROOT / "var" / "vbt.sqlite3")
    assert s["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["eager"] is True
    assert s["broker"] == "memory://localhost/"
    assert s["email"] == "django.core.mail.backends.console.EmailBackend"


def test_database_url_and_redis_url_switch_to_postgresql_and_redis():
    s = show(
        DATABASE_URL="postgres://vbt:geheim@db.example:5432/vbt",
        REDIS_URL="redis://cache.example:6379/3",
    )
    assert s["db_engine"] == "django.db.backends.postgresql"
    assert (s["db_name"], s["db_host"]) == ("vbt", "db.example")
    assert s["cache"] == "core.rediscache.ResilientRedisCache"
    assert s["cache_location"] == "redis://cache.example:6379/3"
    assert s["eager"] is False
    assert s["broker"] == s["result_backend"] == "redis://cache.example:6379/3"


def test_postgresql_goes_through_psycopg_3():
    import psycopg
    from django.db.backends.postgresql import base

    assert psycopg.__version__.startswith("3.")
    assert base.is_psycopg3


def test_email_url_switches_to_smtp():
    s = show(EMAIL_URL="smtp://mailpit:1025")
    assert s["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (s["email_host"], s["email_port"]) == ("mailpit", 1025)


def test_pytest_runs_on_the_test_settings():
    # (settings.SETTINGS_MODULE is None here: the autouse fixtures wrap the settings in an override.)
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "vbt.settings.test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    # The test settings keep the environment switches: CI runs them on PostgreSQL and Redis too.
    expected = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite3"
    assert settings.DATABASES["default"]["ENGINE"].endswith(expected)
    assert settings.CELERY_TASK_ALWAYS_EAGER is not bool(os.environ.get("REDIS_URL"))


def test_production_starts_with_real_secrets_and_tightens_transport():
    s = show("vbt.settings.production", **GOOD_SECRETS)
    assert s["debug"] is False
    assert s["secure_cookies"] is True


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"STEUN_HASH_KEY": GOOD_SECRETS["STEUN_HASH_KEY"]}, "SECRET_KEY"),
        (
            {"SECRET_KEY": "dev-only-insecure-key-do-not-use-in-production", "STEUN_HASH_KEY": "h" * 40},
            "SECRET_KEY",
        ),
        ({"SECRET_KEY": GOOD_SECRETS["SECRET_KEY"]}, "STEUN_HASH_KEY"),
        (
            {"SECRET_KEY": GOOD_SECRETS["SECRET_KEY"], "STEUN_HASH_KEY": "dev-only-household-hash-key"},
            "STEUN_HASH_KEY",
        ),
        ({**GOOD_SECRETS, "DEBUG": "true"}, "DEBUG"),
        ({**GOOD_SECRETS, "SECRET_KEY": "k" * 49}, "SECRET_KEY"),
        ({**GOOD_SECRETS, "STEUN_HASH_KEY": "h" * 31}, "STEUN_HASH_KEY"),
        ({**GOOD_SECRETS, "TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT"),
    ],
    ids=[
        "secret-key-missing",
        "secret-key-default",
        "hash-key-missing",
        "hash-key-default",
        "debug-on",
        "secret-key-49-characters",
        "hash-key-31-characters",
        "proxy-count-negative",
    ],
)
def test_production_refuses_to_start_with_one_line_naming_the_variable(env, variable):
    done = run_django("import django; django.setup()", "vbt.settings.production", **env)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr  # one line, no traceback
    assert lines[0].startswith("VBT start geweigerd: ")
    assert f"zet {variable}" in lines[0]
    others = {"SECRET_KEY", "STEUN_HASH_KEY", "DEBUG", "TRUSTED_PROXY_COUNT"} - {variable}
    assert not [other for other in others if f"zet {other}" in lines[0]]


def test_production_accepts_keys_of_exactly_the_minimum_length():
    s = show("vbt.settings.production", SECRET_KEY="kX9-" * 12 + "ab", STEUN_HASH_KEY="hQ7-" * 8)
    assert s["module"] == "vbt.settings.production"


def test_the_trusted_proxy_count_comes_from_the_environment_for_allauth_too():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    done = run_django(code, "vbt.settings.production", **GOOD_SECRETS)
    assert done.stdout.split() == ["0", "0"], done.stderr
    done = run_django(code, "vbt.settings.production", **GOOD_SECRETS, TRUSTED_PROXY_COUNT="1")
    assert done.stdout.split() == ["1", "1"], done.stderr


def test_servers_default_to_production_and_manage_py_to_development():
    # gunicorn (vbt.wsgi) and celery (vbt.celery) without DJANGO_SETTINGS_MODULE are a deployment:
    # they refuse the development keys instead of quietly running on them.
    for module in ("vbt.wsgi", "vbt.asgi", "vbt.celery"):
        done = run_django(f"import {module}; import django; django.setup()", None)
        assert done.returncode == 1, module
        assert done.stderr.startswith("VBT start geweigerd: "), (module, done.stderr)
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.SETTINGS_MODULE)",
        ],
        cwd=ROOT,
        env={key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "vbt.settings.dev"


def test_production_redirects_to_https_but_answers_health_checks_over_http(tmp_path):
    code = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="localhost")
print(client.get("/health/").status_code, client.get("/").status_code, client.get("/")["Location"])
"""
    done = run_django(
        code, "vbt.settings.production", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **GOOD_SECRETS
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["200", "301", "https://localhost/"]
