"""The security gates: check --deploy on the production settings, bandit, ruff's S rules, the
dependency audit in the Docker build, and `make security` in the CI (README "Security gates")."""

import json
import re
import subprocess
import sys
import tomllib

import pytest
import yaml

from tests.vbt.test_makefile import ROOT, make_dry_run
from tests.vbt.test_settings import GOOD_SECRETS, run_django

CHECK_DEPLOY = (
    "from django.core.management import call_command; "
    "call_command('check', '--deploy', '--fail-level', 'WARNING')"
)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def check_deploy(**env: str) -> subprocess.CompletedProcess:
    return run_django(f"import django; django.setup(); {CHECK_DEPLOY}", "vbt.settings.production", **env)


def test_the_production_settings_pass_check_deploy_without_a_warning():
    done = check_deploy(**GOOD_SECRETS)
    assert done.returncode == 0, done.stderr
    # The one silenced check is the HSTS preload reminder: a decision, documented in the README.
    assert "System check identified no issues (1 silenced)." in done.stdout + done.stderr


def test_hsts_preload_is_off_by_default_and_clean_when_turned_on():
    show = "import django; django.setup(); from django.conf import settings as s; "
    show += "print(s.SECURE_HSTS_PRELOAD, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SILENCED_SYSTEM_CHECKS)"
    done = run_django(show, "vbt.settings.production", **GOOD_SECRETS)
    assert done.stdout.strip().split(maxsplit=2) == ["False", "True", "['security.W021']"], done.stderr
    done = check_deploy(**GOOD_SECRETS, SECURE_HSTS_PRELOAD="true")
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("env", "check_id"),
    [({"SECURE_SSL_REDIRECT": "false"}, "security.W008"), ({"SECURE_HSTS_SECONDS": "0"}, "security.W004")],
    ids=["no-https-redirect", "no-hsts"],
)
def test_check_deploy_fails_on_a_weakened_production_setting(env, check_id):
    done = check_deploy(**GOOD_SECRETS, **env)
    assert done.returncode == 1
    assert check_id in done.stderr


def test_make_security_runs_check_deploy_bandit_and_ruffs_s_rules():
    steps = make_dry_run("security")
    check = next(line for line in steps.splitlines() if "manage.py check" in line)
    # Production settings with their defaults: nothing from the shell but PATH and HOME, fresh keys.
    assert check.startswith(
        'env -i PATH="$PATH" HOME="$HOME" DJANGO_SETTINGS_MODULE=vbt.settings.production '
    )
    assert "secrets.token_urlsafe(50)" in check and "secrets.token_urlsafe(32)" in check
    assert check.endswith("manage.py check --deploy --fail-level WARNING")
    assert ".venv/bin/bandit -c pyproject.toml -r . --severity-level medium" in steps
    assert ".venv/bin/ruff check --select S ." in steps


def test_the_ci_runs_make_security_after_lint_and_fails_when_it_fails():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "if make security; then" in ci
    assert ci.index("if make security; then") > ci.index("if make lint; then")
    assert "security=FAILED; status=1" in ci
    assert "security $security" in ci
    # The three earlier steps stay as they were.
    assert "env -u DATABASE_URL -u REDIS_URL -u DJANGO_SETTINGS_MODULE make test" in ci
    assert 'DATABASE_URL="$PG_URL" REDIS_URL="$REDIS_DB_URL" make test' in ci
    assert ci.rstrip().endswith("exit $status")


def test_bandit_scans_the_project_code_but_not_the_tests_and_finds_nothing_unexplained():
    done = subprocess.run(  # noqa: S603 - the project's own tool, fixed arguments
        [str(ROOT / ".venv" / "bin" / "bandit"), "-c", "pyproject.toml", "-r", ".", "-f", "json", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(done.stdout)
    scanned = {name.removeprefix("./") for name in report["metrics"] if name != "_totals"}
    for expected in (
        "manage.py",
        "gunicorn.conf.py",
        "vbt/settings/production.py",
        "signalen/services/tally.py",
    ):
        assert expected in scanned
    assert not [name for name in scanned if name.startswith((".venv/", "tests/"))]
    serious = [r for r in report["results"] if r["issue_severity"] in ("MEDIUM", "HIGH")]
    assert serious == []
    assert report["metrics"]["_totals"]["skipped_tests"] >= 4  # the kept B608s, each with its nosec


def test_every_nosec_names_its_check_and_gives_a_reason():
    for path in ROOT.glob("**/*.py"):
        if {".venv", "tests", "var"} & set(path.relative_to(ROOT).parts):
            continue
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if "nosec" not in line:
                continue
            assert re.search(r"# nosec B\d{3}\b", line), (path, line)
            # The reason: on the line itself after the id, or in the comment line just above.
            after = line.split("# nosec", 1)[1]
            reason_here = "#" in after and len(after.split("#", 1)[1].strip()) > 10
            reason_above = lines[number - 1].strip().startswith("#")
            assert reason_here or reason_above, (path, line)


def test_ruffs_s_rules_are_selected_and_not_silenced_wholesale():
    lint = PYPROJECT["tool"]["ruff"]["lint"]
    assert "S" in lint["select"]
    assert not [code for code in lint.get("ignore", []) if code.startswith("S")]
    silenced = {
        pattern: [code for code in codes if code.startswith("S")]
        for pattern, codes in lint["per-file-ignores"].items()
    }
    # Tests assert and log in with made-up passwords; nothing else is silenced for a whole file.
    assert {pattern: codes for pattern, codes in silenced.items() if codes} == {
        "tests/**": ["S101", "S105", "S106"]
    }


def test_the_docker_build_audits_the_locks_and_the_image_depends_on_the_audit():
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?$", dockerfile, flags=re.M)
    assert stages == [("python:3.11-slim", "audit"), ("python:3.11-slim", "")]
    audit, image = dockerfile.split("\nFROM python:3.11-slim\n")
    assert (
        "pip install --require-hashes --only-binary=:all: -r requirements.txt -r requirements-dev.txt"
        in audit
    )
    assert "pip-audit --strict --disable-pip --require-hashes" in audit
    assert "exit $status" in audit
    # BuildKit builds only the stages the image needs: the COPY makes the audit one of them.
    assert "COPY --from=audit /audit/pip-audit.txt" in image
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    ignored = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert "requirements-dev.txt" not in ignored and "requirements-dev.*" not in ignored
    assert "gunicorn.conf.py" not in ignored


def test_gunicorn_starts_with_its_config_file_everywhere():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, flags=re.M).group(1))
    assert cmd[:4] == ["gunicorn", "vbt.wsgi", "-c", "gunicorn.conf.py"]
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["web"]["command"].startswith("gunicorn vbt.wsgi -c gunicorn.conf.py ")
    assert "gunicorn vbt.wsgi -c gunicorn.conf.py" in (ROOT / "README.md").read_text()
    done = subprocess.run(  # noqa: S603 - gunicorn's own check of the config file
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", "gunicorn.conf.py", "vbt.wsgi"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "vbt.settings.test"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
