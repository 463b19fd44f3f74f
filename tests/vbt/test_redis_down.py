"""Redis down: a person logs in, logs a signal and adds support, and sees success within 2 s;
the tally and its mail are recorded in the database and done by beat's tasks once Redis is back.

Runs on the PostgreSQL/Redis run against a redis-server of the test's own (tests/redis_server.py)
that it stops and starts; the machine's Redis is never touched.
"""

import datetime as dt
import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from buurten.models import Rol, Team
from notificaties.models import Bericht, BerichtStatus
from notificaties.services import berichten_resend_due
from signalen.models import Signaal, Status, Steunbetuiging
from signalen.tasks import tally_support
from tests import factories as f
from tests.redis_server import celery_at, own_redis
from vbt.celery import app

WACHTWOORD = "geheim-wachtwoord-123"  # the UserFactory's
MAX_WAIT = 2.0

needs_redis = pytest.mark.skipif(
    not django_settings.REDIS_URL, reason="no REDIS_URL: the cache is in memory and tasks run in-process"
)


@pytest.fixture
def redis_server(tmp_path, settings):
    """The app's cache, broker and result backend on a redis-server of this test's own."""
    with own_redis(tmp_path) as server, celery_at(server.url):
        settings.CACHES = {"default": {**django_settings.CACHES["default"], "LOCATION": server.url}}
        yield server


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@needs_redis
def test_with_redis_down_login_signal_and_support_succeed_and_beat_does_the_work_later(
    transactional_db, redis_server, client, team, coordinator, mailoutbox
):
    Team.objects.filter(pk=team.pk).update(drempel_huishoudens=1)
    teamlid = f.verify_email(f.UserFactory(email="teamlid@example.nl"))
    f.LidmaatschapFactory(team=team, user=teamlid, rol=Rol.TEAMLID)
    thema = f.ThemaFactory(gemeente=team.gemeente, naam="zwerfvuil")

    redis_server.stop()

    # Logging in: allauth's rate limits are counted in this process's memory meanwhile.
    response, seconds = _timed(
        lambda: client.post(reverse("account_login"), {"login": teamlid.email, "password": WACHTWOORD})
    )
    assert (response.status_code, response.url, seconds < MAX_WAIT) == (302, "/", True)
    assert client.session["_auth_user_id"] == str(teamlid.pk)

    # Logging a signal: the point → buurt index answers without Redis.
    response, seconds = _timed(
        lambda: client.post(
            reverse("signalen:nieuw"),
            {
                "titel": "Zwerfvuil bij de speeltuin",
                "omschrijving": "Elke week erger.",
                "thema": thema.pk,
                "kanaal": "straatgesprek",
                "locatie": "",
                "locatie_lat": "50.85",
                "locatie_lon": "5.69",
            },
        )
    )
    signaal = Signaal.objects.get()
    assert (response.status_code, response.url, seconds < MAX_WAIT) == (
        302,
        reverse("signalen:detail", args=[signaal.pk]),
        True,
    )
    assert signaal.buurt == team.buurten.get()
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Het signaal ‘Zwerfvuil bij de speeltuin’ is opgeslagen." in page.content.decode()

    # Adding support: saved, success shown, the tally could not be queued but is marked.
    response, seconds = _timed(
        lambda: client.post(
            reverse("signalen:steun_huishouden", args=[signaal.pk]),
            {
                "huishouden-kanaal": "huisbezoek",
                "huishouden-datum": timezone.localdate().isoformat(),
                "huishouden-postcode": "6221 AB",
                "huishouden-huisnummer": "12",
            },
            follow=True,
        )
    )
    assert (response.status_code, seconds < MAX_WAIT) == (200, True)
    assert "De steun van het huishouden is vastgelegd." in response.content.decode()
    assert Steunbetuiging.objects.filter(signaal=signaal).count() == 1
    signaal.refresh_from_db()
    assert (signaal.steun_herberekenen, signaal.steun_huishoudens, signaal.status) == (True, 0, Status.NIEUW)
    assert not Bericht.objects.exists()

    # Redis is back: beat's tasks (run here as a worker would) count and mail; no person needed.
    redis_server.start()
    assert tally_support()["gemeld"] == 1
    signaal.refresh_from_db()
    assert (signaal.steun_herberekenen, signaal.steun_huishoudens, signaal.status) == (
        False,
        1,
        Status.DRAAGVLAK_BEREIKT,
    )
    mail = Bericht.objects.get()
    assert (mail.ontvanger, mail.status) == (coordinator.email, BerichtStatus.WACHTEND)
    assert berichten_resend_due(now=mail.created_at + dt.timedelta(minutes=5)) == {BerichtStatus.VERZONDEN: 1}
    assert [m.to for m in mailoutbox] == [[coordinator.email]]


@needs_redis
def test_queuing_a_task_on_a_dead_broker_fails_within_two_seconds(redis_server):
    redis_server.stop()
    started = time.monotonic()
    with pytest.raises(Exception):  # noqa: B017 - whatever kombu raises; the callers catch all
        tally_support.delay(signaal_ids=[1])
    assert time.monotonic() - started < MAX_WAIT


def test_an_abandoned_task_is_redone_within_minutes_and_a_running_one_is_never_handed_out_twice():
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility == 600
    limits = [(app.conf.task_soft_time_limit, app.conf.task_time_limit)]
    limits.append((tally_support.soft_time_limit, tally_support.time_limit))
    for soft, hard in limits:
        assert 0 < soft < hard < visibility


@needs_redis
def test_with_redis_down_the_login_rate_limit_still_counts_in_the_process(
    transactional_db, redis_server, client
):
    """The decision in the README: the limits fall back to process memory, they are not switched off."""
    user = f.verify_email(f.UserFactory(email="anna@example.nl"))
    redis_server.stop()
    for _attempt in range(30):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "fout"})
        assert response.status_code == 200
        if "Te veel inlogpogingen" in response.content.decode():
            break
    else:
        pytest.fail("30 wrong passwords and no rate limit while Redis is down")
    response = client.post(reverse("account_login"), {"login": user.email, "password": WACHTWOORD})
    assert "Te veel inlogpogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session
