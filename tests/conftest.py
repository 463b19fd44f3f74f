import copy
import os
import shutil

import pytest
from django.conf import settings
from django.db import transaction

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_report_header(config):
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    celery = "eager (in-process)" if settings.CELERY_TASK_ALWAYS_EAGER else "real worker via Redis"
    browser = CHROMIUM or "missing: browser tests are skipped (apt-get install chromium)"
    return [f"VBT: database={db}, celery={celery}, chromium={browser}"]


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker against Redis when REDIS_URL is set; eager mode otherwise.

    Tests that use it must commit their data (transactional_db): the worker runs in a
    thread with its own database connection.
    """
    from vbt.celery import app

    if app.conf.task_always_eager:
        yield None
        return
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    def close_worker_connections(**kwargs):
        # Each pool thread opens its own connection; an open one would block the flush after
        # the test and the DROP of the test database at the end.
        connections.close_all()

    task_postrun.connect(close_worker_connections, weak=False, dispatch_uid="tests.close_worker_connections")
    app.control.purge()  # nothing left over from an earlier test reaches this worker
    try:
        with start_worker(
            app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=30
        ) as w:
            yield w
    finally:
        task_postrun.disconnect(dispatch_uid="tests.close_worker_connections")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip("Chromium ontbreekt: installeer het Debian-pakket 'chromium' voor de browsertests.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server, monkeypatch):
    """A 375 px wide phone page on the live server."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="nl-NL", base_url=live_server.url
    )
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language (Dutch). LocaleMiddleware activates the language
    of a request for the thread and never resets it, so one English request would otherwise
    leave every later test in English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    # With REDIS_URL the cache outlives a test (and allauth keeps its rate limits there):
    # every test starts with an empty one.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _empty_buurt_index():
    # buurt_for_point keeps its index for the whole process; the database of the previous
    # test was rolled back, so its buurten must not answer in this one.
    from buurten.selectors.gebieden import buurt_index_clear

    buurt_index_clear()


# --- shared fixtures: one name, one meaning -------------------------------------------------------


@pytest.fixture
def team(db):
    """The team "Malberg": one buurt, the model's tally settings (threshold 5, weight 0.5, 12 months)."""
    from tests import factories as f

    return f.TeamFactory(naam="Malberg")


@pytest.fixture
def coordinator(team):
    """The User with the coördinator seat in `team`, e-mail address verified, no TOTP set up yet."""
    from buurten.models import Rol
    from tests import factories as f

    seat = f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR, user__email="coordinator@example.nl")
    return f.verify_email(seat.user)


# --- test worlds built once per module ------------------------------------------------------------

_module_transactions: list[str] = []


@pytest.fixture(scope="module")
def module_transaction(request, django_db_setup, django_db_blocker):
    """One transaction around the rest of a module's tests, for data built once per module.

    Each test still runs in its own savepoint (pytest-django's `db`), so what a test writes is
    undone after it; the data built on this transaction is rolled back after the module.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        _module_transactions.append(request.node.nodeid)
        try:
            yield
        finally:
            _module_transactions.pop()
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_transactional_test_inside_a_module_transaction(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server", "celery_worker")
    )
    if transactional and _module_transactions:
        pytest.fail(
            f"{request.node.nodeid} commits, but the module transaction of {_module_transactions[-1]} "
            "is still open: move it to a module that builds no data once per module."
        )


@pytest.fixture(scope="module")
def world_once(module_transaction):
    from tests.buurten.teams_world import build_world

    return build_world()


@pytest.fixture
def world(world_once, db):
    """The two-team world of tests/buurten/teams_world.py, built once per module.

    A test gets its own copy of the Python objects; its database writes are rolled back after it.
    A module can add to the world by overriding `world_once` (scope="module").
    """
    return copy.deepcopy(world_once)


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
