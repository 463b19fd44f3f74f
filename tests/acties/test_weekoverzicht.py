"""The weekly digest per coördinator: what waits per team, one mail per ISO week, none when
nothing waits; declared in beat."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from acties.emails import WEEKOVERZICHT_MAIL
from acties.models import ActieStatus
from acties.services.weekoverzicht import WEEKOVERZICHT_TAAK, weekoverzicht_cijfers, weekoverzichten_versturen
from buurten.models import Rol
from notificaties.models import Bericht
from signalen.models import Doorzetting, Status
from tests import factories as f
from tests.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

NU = timezone.now()


@pytest.fixture
def wereld(team, coordinator):
    vandaag = timezone.localdate(NU)
    for _ in range(2):
        f.SignaalFactory(team=team, status=Status.DRAAGVLAK_BEREIKT)
    f.SignaalFactory(team=team, status=Status.NIEUW)
    partner = f.PartnerFactory(gemeente=team.gemeente)
    te_laat = f.SignaalFactory(team=team, status=Status.GETRIEERD)
    Doorzetting.objects.create(signaal=te_laat, partner=partner, opvolgen_op=vandaag - dt.timedelta(days=1))
    Doorzetting.objects.create(signaal=te_laat, partner=partner, opvolgen_op=vandaag)  # due today: not late
    Doorzetting.objects.create(
        signaal=te_laat, partner=partner, opvolgen_op=vandaag - dt.timedelta(days=9), gesloten_at=NU
    )
    f.ActieFactory(team=team, status=ActieStatus.IN_UITVOERING, in_uitvoering_at=NU - dt.timedelta(days=31))
    f.ActieFactory(team=team, status=ActieStatus.IN_UITVOERING, in_uitvoering_at=NU - dt.timedelta(days=3))
    f.ActieFactory(team=team, status=ActieStatus.GEPLAND)
    met_bewoners = f.ActieFactory(
        team=team,
        status=ActieStatus.IN_UITVOERING,
        in_uitvoering_at=NU - dt.timedelta(days=60),
        bewoners_aantal=1,  # as bewoners_add keeps it
    )
    f.BewonerTrekkerFactory(actie=met_bewoners)
    f.ActieFactory(team=team, status=ActieStatus.AFGEROND)
    # A teamlid gets no digest; a coördinator of a quiet team neither.
    f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID)
    f.LidmaatschapFactory(rol=Rol.COORDINATOR)
    return team


def test_the_counts_per_team(wereld):
    assert weekoverzicht_cijfers(team_ids=[wereld.pk], now=NU) == {
        wereld.pk: {"triage": 2, "te_laat": 1, "stil": 1, "zonder_bewoners": 3}
    }


def test_one_digest_per_coordinator_per_iso_week(wereld, coordinator, mailoutbox):
    assert weekoverzichten_versturen(door=WEEKOVERZICHT_TAAK, now=NU) == 1
    [bericht] = Bericht.objects.filter(soort=WEEKOVERZICHT_MAIL)
    assert bericht.ontvanger == coordinator.email
    jaar, week, _d = timezone.localdate(NU).isocalendar()
    assert bericht.sleutel == f"weekoverzicht:{coordinator.pk}:{jaar}-W{week:02d}"
    # Beat again in the same week (a retry, a redelivery): nothing new; next week: a new one.
    weekoverzichten_versturen(door=WEEKOVERZICHT_TAAK, now=NU + dt.timedelta(minutes=5))
    assert Bericht.objects.filter(soort=WEEKOVERZICHT_MAIL).count() == 1
    weekoverzichten_versturen(door=WEEKOVERZICHT_TAAK, now=NU + dt.timedelta(weeks=1))
    assert Bericht.objects.filter(soort=WEEKOVERZICHT_MAIL).count() == 2

    deliver_outbox()
    mail = next(m for m in mailoutbox if m.subject.endswith(f"W{week:02d}"))
    assert mail.subject == f"VBT-weekoverzicht {jaar}-W{week:02d}"
    assert "Malberg" in mail.body
    assert "signalen die wachten op triage: 2" in mail.body
    assert "doorgezette signalen over de opvolgdatum: 1" in mail.body
    assert "(30 dagen in uitvoering zonder bewoners): 1" in mail.body
    assert "acties zonder bewoners: 3" in mail.body


def test_a_switched_off_coordinator_gets_nothing(wereld, coordinator):
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    assert weekoverzichten_versturen(door=WEEKOVERZICHT_TAAK, now=NU) == 0


def test_query_count_does_not_grow_with_teams(django_assert_max_num_queries):
    for _ in range(5):
        seat = f.LidmaatschapFactory(rol=Rol.COORDINATOR)
        f.SignaalFactory(team=seat.team, status=Status.DRAAGVLAK_BEREIKT)
    # Seats, four counts, the outbox insert and its audit row (savepoints aside).
    with django_assert_max_num_queries(12):
        assert weekoverzichten_versturen(door=WEEKOVERZICHT_TAAK, now=NU) == 5


def test_declared_in_beat():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["weekoverzicht-weekly"]["task"] == "acties.tasks.weekoverzicht_weekly"
    assert schedule["geholpen-daily"]["task"] == "acties.tasks.geholpen_daily"
    assert schedule["geholpen-daily"]["schedule"] == 24 * 3600.0
