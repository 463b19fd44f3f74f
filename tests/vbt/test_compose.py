"""docker-compose.yml and the Dockerfile, read as files: no Docker engine runs here."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
APP_SERVICES = ("web", "worker", "beat")
# Read by Django or the process itself, not through the settings' env(...) calls.
NOT_A_SETTING = {"DJANGO_SETTINGS_MODULE"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_read() -> set[str]:
    """The environment variables vbt/settings/*.py read through django-environ: env("X"), env.db("X"), ..."""
    names = set()
    for path in (ROOT / "vbt" / "settings").glob("*.py"):
        names |= set(re.findall(r"\benv(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", path.read_text()))
    return names


def readme_services() -> set[str]:
    """The services in the README's table under "| service | what it runs |"."""
    text = (ROOT / "README.md").read_text()
    table = text[text.index("| service | what it runs |") :].split("\n\n", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", table, flags=re.M))


def env_value(value: str) -> str:
    """The value compose uses when the variable is unset: ${NAME:-default} → default."""
    return re.sub(r"\$\{\w+:?-([^}]*)\}", r"\1", value)


def test_the_scanner_finds_the_settings_it_must():
    assert {
        "SECRET_KEY",
        "STEUN_HASH_KEY",
        "DEBUG",
        "DATABASE_URL",
        "REDIS_URL",
        "EMAIL_URL",
    } <= settings_read()


def test_every_service_the_readme_names_is_in_compose_and_no_other(compose):
    named = readme_services()
    assert {"db", "redis", "web", "worker", "beat", "mailpit"} <= named
    assert named == set(compose["services"])


def test_the_images_are_postgresql_16_redis_7_and_mailpit(compose):
    services = compose["services"]
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["mailpit"]["image"].startswith("axllent/mailpit:")


def test_web_worker_and_beat_are_one_image_from_the_repository_dockerfile(compose):
    services = compose["services"]
    builds = {(str(services[name]["build"]), services[name]["image"]) for name in (*APP_SERVICES, "migrate")}
    assert builds == {(".", "vbt:latest")}
    assert (ROOT / "Dockerfile").is_file()
    assert "gunicorn vbt.wsgi" in services["web"]["command"]
    assert "celery -A vbt worker" in services["worker"]["command"]
    assert " ".join(services["beat"]["command"]).startswith("celery -A vbt beat")


def test_the_app_is_given_only_variables_the_settings_read(compose):
    read = settings_read()
    for name in (*APP_SERVICES, "migrate"):
        given = set(compose["services"][name]["environment"])
        assert given - NOT_A_SETTING <= read, (name, given - NOT_A_SETTING - read)
        assert {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "STEUN_HASH_KEY",
            "EMAIL_URL",
            "ALLOWED_HOSTS",
        } <= given


def test_the_app_runs_production_settings_against_the_compose_services(compose):
    services = compose["services"]
    env = services["web"]["environment"]
    assert env["DJANGO_SETTINGS_MODULE"] == "vbt.settings.production"
    assert (ROOT / "vbt" / "settings" / "production.py").is_file()
    for variable in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
        host = urlsplit(env_value(env[variable])).hostname
        assert host in services, (variable, host)
    assert urlsplit(env_value(env["DATABASE_URL"])).scheme == "postgres"
    # The secrets have no default: compose stops with a message when they are not set.
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert env["STEUN_HASH_KEY"].startswith("${STEUN_HASH_KEY:?")
    # The web health check asks 127.0.0.1, so that host is always allowed.
    assert "127.0.0.1" in env["ALLOWED_HOSTS"].split(",")


def test_every_running_service_has_a_health_check_and_the_job_is_waited_for(compose):
    services = compose["services"]
    jobs = {name for name, service in services.items() if service.get("restart") == "no"}
    assert jobs == {"migrate"}
    for name, service in services.items():
        if name not in jobs:
            assert service["healthcheck"]["test"], name
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["db"]["condition"] == depends["redis"]["condition"] == "service_healthy"
    assert "/health/" in " ".join(services["web"]["healthcheck"]["test"])


def test_the_database_and_media_live_in_named_volumes(compose):
    volumes = compose["volumes"]
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert "pgdata" in volumes
    for name in ("web", "worker"):
        assert "media:/app/var/media" in compose["services"][name]["volumes"]
    assert "media" in volumes


def test_the_dockerfile_installs_the_hashed_lock_collects_static_and_drops_root():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, flags=re.M)
    assert "--require-hashes --only-binary=:all: -r requirements.txt" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    users = re.findall(r"^USER (\S+)$", dockerfile, flags=re.M)
    assert users and users[-1] not in ("root", "0")
    assert "DJANGO_SETTINGS_MODULE=vbt.settings.production" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "var", ".git", ".env"} <= set(ignored)


def test_compose_requires_the_key_that_encrypts_the_totp_secrets(compose):
    env = compose["services"]["web"]["environment"]
    assert env["MFA_ENCRYPTION_KEY"].startswith("${MFA_ENCRYPTION_KEY:?")
