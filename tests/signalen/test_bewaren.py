"""Retention (AVG): closed signals past their team's bewaartermijn are removed whole."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage

from core.actors import DEMO, RETENTION
from signalen.models import Foto, Signaal, Status, StatusWijziging, Steunbetuiging
from signalen.services import signalen_purge_expired
from signalen.services.fotos import foto_add_upload
from signalen.tasks import purge_expired
from tests import factories as f
from tests.signalen.ui import jpeg_upload

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


def closed_signal(*, team, status=Status.AFGEROND, days_ago: int) -> Signaal:
    signaal = f.SignaalFactory(team=team, status=status)
    Signaal.objects.filter(pk=signaal.pk).update(status_gewijzigd_at=NOW - dt.timedelta(days=days_ago))
    f.SteunbetuigingFactory(signaal=signaal, email="bewoner@example.nl", email_toestemming=True)
    StatusWijziging.objects.create(signaal=signaal, van=Status.IN_ACTIE, naar=status, reden="klaar")
    return signaal


@pytest.mark.django_db
def test_a_closed_signal_past_the_term_goes_with_its_support_history_and_photo_files(
    django_capture_on_commit_callbacks,
):
    team = f.TeamFactory(bewaartermijn_maanden=24)
    oud = closed_signal(team=team, days_ago=800)
    afgewezen = closed_signal(team=team, status=Status.AFGEWEZEN, days_ago=800)
    foto = foto_add_upload(signaal=oud, upload=jpeg_upload(), door=DEMO)
    assert default_storage.exists(foto.bestand.name)

    with django_capture_on_commit_callbacks(execute=True):
        assert signalen_purge_expired(door=RETENTION, now=NOW).verwijderd == 2

    assert not Signaal.objects.filter(pk__in=[oud.pk, afgewezen.pk]).exists()
    assert not Steunbetuiging.objects.filter(signaal_id__in=[oud.pk, afgewezen.pk]).exists()
    assert not StatusWijziging.objects.filter(signaal_id__in=[oud.pk, afgewezen.pk]).exists()
    assert not Foto.objects.exists()
    assert not default_storage.exists(foto.bestand.name)
    assert signalen_purge_expired(door=RETENTION, now=NOW).verwijderd == 0  # idempotent


@pytest.mark.django_db
def test_what_is_open_recent_or_under_a_longer_term_stays():
    kort = f.TeamFactory(bewaartermijn_maanden=24)
    lang = f.TeamFactory(bewaartermijn_maanden=36, gemeente=kort.gemeente)
    binnen_termijn = closed_signal(team=kort, days_ago=300)
    langere_termijn = closed_signal(team=lang, days_ago=800)
    open_oud = f.SignaalFactory(team=kort, status=Status.DRAAGVLAK_GEZOCHT)
    Signaal.objects.filter(pk=open_oud.pk).update(status_gewijzigd_at=NOW - dt.timedelta(days=2000))

    assert signalen_purge_expired(door=RETENTION, now=NOW).verwijderd == 0
    assert Signaal.objects.filter(pk__in=[binnen_termijn.pk, langere_termijn.pk, open_oud.pk]).count() == 3


@pytest.mark.django_db
def test_the_purge_takes_one_query_per_distinct_term_not_per_team(django_assert_max_num_queries):
    for maanden in (12, 12, 12, 24, 24):
        closed_signal(team=f.TeamFactory(bewaartermijn_maanden=maanden), days_ago=900)
    # Per distinct term one select; then the photos, what the audit keeps, one INSERT of the
    # audit rows and the cascade delete (one query per table that refers to a signal: acties'
    # links, forwards and "heeft het geholpen" rows included).
    with django_assert_max_num_queries(19):
        assert signalen_purge_expired(door=RETENTION, now=NOW).verwijderd == 5


def test_the_purge_runs_daily_from_beat_in_the_one_retention_task(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["retentie-daily"]
    assert schedule["task"] == "signalen.tasks.retentie_daily"
    assert schedule["schedule"] == 24 * 3600
    assert not any("purge" in naam for naam in settings.CELERY_BEAT_SCHEDULE)


def test_the_task_removes_expired_signals_through_the_worker(celery_worker):
    """In the PostgreSQL/Redis run a real worker picks the task from Redis; else it runs eagerly."""
    team = f.TeamFactory(bewaartermijn_maanden=1)
    oud = closed_signal(team=team, days_ago=400)
    assert purge_expired.delay().get(timeout=30) == {"verwijderd": 1, "mislukt": {}}
    assert not Signaal.objects.filter(pk=oud.pk).exists()
