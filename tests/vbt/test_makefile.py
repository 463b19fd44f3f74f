"""The README's promises match the Makefile, the CI script and the settings."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
README = (ROOT / "README.md").read_text()


def make_dry_run(target: str) -> str:
    done = subprocess.run(  # noqa: S603
        ["make", "--dry-run", "--always-make", target],  # noqa: S607 - make from PATH, like a person
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_readme_starts_with_the_two_commands():
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in first_block.splitlines()] == [["make", "run"], ["make", "test"]]
    assert README.index("make run") < README.index("## Running for real")


def test_every_make_target_the_readme_names_exists():
    targets = set(re.findall(r"^([a-z]+):", (ROOT / "Makefile").read_text(), flags=re.M))
    named = set(re.findall(r"`make (\w+)", README))
    assert {"run", "test", "lint", "bench"} <= named
    assert named <= targets


def test_make_run_installs_the_lock_migrates_loads_the_demo_and_serves():
    steps = make_dry_run("run")
    assert "-m venv .venv" in steps
    assert "pip install --quiet --disable-pip-version-check --require-hashes --only-binary=:all:" in steps
    order = [
        steps.index("manage.py migrate --noinput"),
        steps.index("manage.py demo_data"),
        steps.index("manage.py runserver 127.0.0.1:8000"),
    ]
    assert order == sorted(order)
    assert "DJANGO_SETTINGS_MODULE=vbt.settings.dev" in steps


def test_make_test_runs_pytest_on_the_test_settings_and_lint_runs_ruff():
    assert "DJANGO_SETTINGS_MODULE=vbt.settings.test .venv/bin/python -m pytest" in make_dry_run("test")
    lint = make_dry_run("lint")
    assert ".venv/bin/ruff check ." in lint
    assert ".venv/bin/ruff format --check ." in lint


def test_the_ci_runs_make_test_on_both_backends_and_fails_on_failure():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "env -u DATABASE_URL -u REDIS_URL -u DJANGO_SETTINGS_MODULE make test" in ci
    assert 'DATABASE_URL="$PG_URL" REDIS_URL="$REDIS_DB_URL" make test' in ci
    assert "pg_ctlcluster --skip-systemctl-redirect" in ci
    assert 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no' in ci
    assert ci.rstrip().endswith("exit $status")
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111


def test_the_readme_documents_every_variable_the_settings_read():
    from tests.vbt.test_compose import settings_read

    section = README[README.index("## Running for real") :]
    missing = [name for name in sorted(settings_read()) if f"`{name}`" not in section]
    assert not missing
    for process in ("gunicorn vbt.wsgi", "celery -A vbt worker", "celery -A vbt beat", "docker compose up"):
        assert process in section


def test_the_pre_commit_hooks_run_ruff():
    config = (ROOT / ".pre-commit-config.yaml").read_text()
    assert "ruff check" in config and "ruff format" in config


def test_make_lint_and_the_ci_check_the_one_way_dependencies():
    assert ".venv/bin/lint-imports" in make_dry_run("lint")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "if make lint; then" in ci
    assert ci.index("if make lint; then") > ci.index('REDIS_URL="$REDIS_DB_URL" make test')


def test_the_apps_depend_one_way():
    """The import-linter contracts of pyproject.toml hold: demo > acties > signalen > buurten >
    audit | notificaties > core, and no app imports the configuration package vbt."""
    result = subprocess.run(  # noqa: S603 - the project's own tool, fixed arguments
        [str(ROOT / ".venv" / "bin" / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout
