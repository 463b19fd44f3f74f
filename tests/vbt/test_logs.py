"""Tokens never reach a log: vbt.logs.redact, Django's log handler and gunicorn's access log."""

import io
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils.module_loading import import_string

from tests.vbt.test_makefile import ROOT
from vbt.logs import RedactTokensFilter, redact

# Stands for a token in the tests: it must never be in a log.
MARKER = "GEHEIMzk3Q9xv"
# Parameters of a URL pattern that carry something which lets its holder act as someone.
SECRET_PARAMETERS = {"token", "key", "uidb36"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"/uitnodiging/{MARKER}/", "/uitnodiging/[verborgen]/"),
        (f"/accounts/password/reset/key/1z-{MARKER}/", "/accounts/password/reset/key/[verborgen]/"),
        (f"/accounts/confirm-email/{MARKER}/", "/accounts/confirm-email/[verborgen]/"),
        (f"/uitnodiging/{MARKER}", "/uitnodiging/[verborgen]"),
        (f"/signalen/?q={MARKER}&page=2", "/signalen/"),
        (
            f"https://vbt.example.nl/uitnodiging/{MARKER}/?x=1",
            "https://vbt.example.nl/uitnodiging/[verborgen]/",
        ),
        (
            f'GET /uitnodiging/{MARKER}/?next={MARKER} HTTP/1.1" 200',
            'GET /uitnodiging/[verborgen]/ HTTP/1.1" 200',
        ),
        (f"Not Found: /UITNODIGING/{MARKER}/", "Not Found: /UITNODIGING/[verborgen]/"),
        # What holds no secret stays as it was.
        ("/accounts/password/reset/key/done/", "/accounts/password/reset/key/done/"),
        ("/teams/12/leden/", "/teams/12/leden/"),
        ("Bestaat dit? Ja.", "Bestaat dit? Ja."),
        ("/uitnodiging/", "/uitnodiging/"),
    ],
)
def test_redact_hides_tokens_in_paths_and_drops_query_strings(text, expected):
    assert redact(text) == expected


def secret_routes() -> list[tuple[str, set[str]]]:
    """Every named URL pattern with a parameter in SECRET_PARAMETERS, with its parameters."""
    found = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
                continue
            parameters = set(pattern.pattern.regex.groupindex)
            if parameters & SECRET_PARAMETERS and pattern.name:
                found.append((namespace + pattern.name, parameters))

    walk(get_resolver().url_patterns)
    return found


def test_every_url_with_a_token_or_key_in_its_path_is_redacted():
    routes = secret_routes()
    names = {name for name, _ in routes}
    assert {
        "buurten:uitnodiging_accepteren",
        "account_reset_password_from_key",
        "account_confirm_email",
    } <= names, names
    for name, parameters in routes:
        path = reverse(name, kwargs={parameter: f"{MARKER}{parameter}" for parameter in parameters})
        assert MARKER not in redact(path), (name, path, redact(path))
        assert MARKER not in redact(f"GET {path}?token={MARKER} HTTP/1.1")


def test_djangos_log_lines_go_out_redacted(settings):
    """The root handler of settings.LOGGING, built as Django builds it (a Celery worker in the
    same process may have replaced the live root handlers, so the test builds its own)."""
    config = settings.LOGGING
    for name in config["root"]["handlers"]:
        assert "redact" in config["handlers"][name]["filters"], name
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(import_string(config["filters"]["redact"]["()"])())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        logger.warning("Not Found: %s", f"/uitnodiging/{MARKER}/")
        reset = f"/accounts/password/reset/key/1-{MARKER}/"
        logger.error("Reset via %s?token=%s", reset, MARKER)
    finally:
        logger.removeHandler(handler)
    logged = stream.getvalue()
    assert MARKER not in logged
    assert "Not Found: /uitnodiging/[verborgen]/" in logged
    assert "Reset via /accounts/password/reset/key/[verborgen]/" in logged


def test_a_broken_log_record_passes_the_filter_untouched():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s %s", ("only one",), None)
    assert RedactTokensFilter().filter(record) is True
    assert record.args == ("only one",)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorns_access_log_holds_no_token_or_query_string(tmp_path):
    """gunicorn with the project's gunicorn.conf.py, serving a plain WSGI app of the standard
    library: the access log is what gunicorn.conf.py makes of each request."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603 - gunicorn with fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "wsgiref.simple_server:demo_app",
            ],
            cwd=ROOT,
            env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "vbt.settings.test"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/health/", timeout=1).close()  # noqa: S310 - local
                break
            except OSError:
                time.sleep(0.1)
        paths = [
            f"/uitnodiging/{MARKER}/",
            f"/accounts/password/reset/key/4-{MARKER}/",
            f"/accounts/confirm-email/{MARKER}/",
            f"/signalen/?zoek={MARKER}",
        ]
        for path in paths:
            request = urllib.request.Request(  # noqa: S310 - local
                base + path, headers={"Referer": f"{base}/uitnodiging/{MARKER}/?a={MARKER}"}
            )
            urllib.request.urlopen(request, timeout=5).close()  # noqa: S310 - local
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    logged = log.read_text()
    assert "GET /health/ HTTP/1.1" in logged, logged
    assert MARKER not in logged
    for line in (
        '"GET /uitnodiging/[verborgen]/ HTTP/1.1" 200',
        '"GET /accounts/password/reset/key/[verborgen]/ HTTP/1.1" 200',
        '"GET /accounts/confirm-email/[verborgen]/ HTTP/1.1" 200',
        '"GET /signalen/ HTTP/1.1" 200',
        f'"{base}/uitnodiging/[verborgen]/"',
    ):
        assert line in logged, logged
