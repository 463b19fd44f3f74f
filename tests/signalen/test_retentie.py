"""The daily retention run (AVG) with time moved forward: each job, its audit rows, and what stays."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditRegel, Resultaat
from buurten.emails import UITGESCHAKELD_MAIL
from buurten.models import Rol, Uitnodiging, User
from core.actors import RETENTION
from notificaties.models import Bericht
from signalen.models import Signaal, Status, StatusWijziging, Steunbetuiging, Wijkronde
from signalen.services.retentie import INACTIEF_REDEN, retentie_run
from tests import factories as f

pytestmark = pytest.mark.django_db


def later(**delta) -> dt.datetime:
    return timezone.now() + relativedelta(**delta)


def test_an_idle_open_signal_is_rejected_with_a_reason_and_purged_after_the_term():
    team = f.TeamFactory(inactief_termijn_maanden=6, bewaartermijn_maanden=3)
    stil = f.SignaalFactory(team=team, status=Status.DRAAGVLAK_GEZOCHT)
    levend = f.SignaalFactory(team=team, status=Status.NIEUW)

    # Five months on: nothing is idle yet.
    assert retentie_run(door=RETENTION, now=later(months=5))["signalen_gesloten"] == 0

    nu = later(months=7)
    # Support given a month ago keeps a signal alive.
    steun = f.SteunbetuigingFactory(signaal=levend)
    Steunbetuiging.objects.filter(pk=steun.pk).update(created_at=nu - relativedelta(months=1))
    Signaal.objects.filter(pk=levend.pk).update(updated_at=nu - relativedelta(months=1))

    result = retentie_run(door=RETENTION, now=nu)
    assert result["signalen_gesloten"] == 1
    stil.refresh_from_db()
    levend.refresh_from_db()
    assert (stil.status, levend.status) == (Status.AFGEWEZEN, Status.NIEUW)
    regel = StatusWijziging.objects.get(signaal=stil)
    assert (regel.van, regel.naar, regel.door, regel.reden) == (
        Status.DRAAGVLAK_GEZOCHT,
        Status.AFGEWEZEN,
        None,
        INACTIEF_REDEN,
    )
    audit = AuditRegel.objects.get(actie="signaal.status", object_id=str(stil.pk))
    assert audit.door_label == str(RETENTION)

    # Running again the same day changes nothing; past the bewaartermijn the purge removes it.
    assert retentie_run(door=RETENTION, now=nu)["signalen_gesloten"] == 0
    assert retentie_run(door=RETENTION, now=nu + relativedelta(months=4))["signalen_verwijderd"] == 1
    assert not Signaal.objects.filter(pk=stil.pk).exists()


def test_withdrawn_supports_lose_their_email_address_and_active_ones_keep_it():
    ingetrokken = f.SteunbetuigingFactory(
        email="oud@example.nl", email_toestemming=True, ingetrokken_at=timezone.now()
    )
    actief = f.SteunbetuigingFactory(email="blijft@example.nl", email_toestemming=True)

    assert retentie_run(door=RETENTION, now=later(days=1))["steun_emails_gewist"] == 1

    ingetrokken.refresh_from_db()
    actief.refresh_from_db()
    assert (ingetrokken.email, ingetrokken.email_toestemming) == ("", False)
    assert actief.email == "blijft@example.nl"
    audit = AuditRegel.objects.get(actie="steun.email_wissen")
    assert audit.details == {"steunbetuiging_ids": [ingetrokken.pk]}
    assert "oud@example.nl" not in str(audit.details)


def test_gps_routes_are_dropped_after_the_teams_term():
    team = f.TeamFactory(route_bewaartermijn_maanden=3)
    route = {"type": "LineString", "coordinates": [[5.69, 50.85], [5.70, 50.86]]}
    oud = f.WijkrondeFactory(team=team, route=route)
    zonder = f.WijkrondeFactory(team=team, route=None)

    assert retentie_run(door=RETENTION, now=later(months=2))["routes_gewist"] == 0
    assert Wijkronde.objects.get(pk=oud.pk).route == route

    assert retentie_run(door=RETENTION, now=later(months=4))["routes_gewist"] == 1
    assert Wijkronde.objects.get(pk=oud.pk).route is None
    assert Wijkronde.objects.filter(pk=zonder.pk).exists()
    audit = AuditRegel.objects.get(actie="wijkronde.route_wissen")
    assert (audit.team_id, audit.details["wijkronde_ids"]) == (team.pk, [oud.pk])


def _uitnodiging(team, **kwargs) -> Uitnodiging:
    partner = f.PartnerFactory(gemeente=team.gemeente)
    return Uitnodiging.objects.create(team=team, partner=partner, email="nieuw@example.nl", **kwargs)


def test_used_and_expired_invitations_go_after_thirty_days():
    team = f.TeamFactory()
    nu = timezone.now()
    gebruikt = _uitnodiging(team, token="a" * 64, verloopt_at=nu + dt.timedelta(days=7), geaccepteerd_at=nu)
    verlopen = _uitnodiging(team, token="b" * 64, verloopt_at=nu)
    open_ = _uitnodiging(team, token="c" * 64, verloopt_at=nu + dt.timedelta(days=60))

    assert retentie_run(door=RETENTION, now=nu + dt.timedelta(days=29))["uitnodigingen_verwijderd"] == 0
    assert retentie_run(door=RETENTION, now=nu + dt.timedelta(days=31))["uitnodigingen_verwijderd"] == 2
    assert list(Uitnodiging.objects.values_list("pk", flat=True)) == [open_.pk]
    audit = AuditRegel.objects.get(actie="uitnodiging.opruimen")
    assert sorted(audit.details["uitnodiging_ids"]) == sorted([gebruikt.pk, verlopen.pk])


def test_accounts_unused_for_a_year_are_switched_off_with_a_notice_but_never_a_last_coordinator():
    # Accounts that other tests' shared worlds left in the database count as just used here.
    User.objects.update(last_login=later(months=13))
    team = f.TeamFactory()
    ongebruikt = f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID).user
    laatste = f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR).user
    recent = f.UserFactory()
    beheerder = f.UserFactory(is_superuser=True, is_staff=True)
    User.objects.filter(pk__in=[ongebruikt.pk, laatste.pk, beheerder.pk]).update(last_login=timezone.now())
    nu = later(months=13)
    User.objects.filter(pk=recent.pk).update(last_login=nu - relativedelta(months=2))

    assert retentie_run(door=RETENTION, now=later(months=11))["accounts_uitgeschakeld"] == 0
    assert retentie_run(door=RETENTION, now=nu)["accounts_uitgeschakeld"] == 1

    actief = dict(User.objects.values_list("pk", "is_active"))
    assert actief[ongebruikt.pk] is False
    assert actief[laatste.pk] is True and actief[recent.pk] is True and actief[beheerder.pk] is True
    bericht = Bericht.objects.get(soort=UITGESCHAKELD_MAIL)
    assert bericht.ontvanger == ongebruikt.email
    assert AuditRegel.objects.filter(
        actie="user.deactivate", object_id=str(ongebruikt.pk), resultaat=Resultaat.GELUKT
    ).exists()
    geweigerd = AuditRegel.objects.get(actie="user.deactivate", object_id=str(laatste.pk))
    assert geweigerd.resultaat == Resultaat.GEWEIGERD


def test_expired_sessions_are_cleared_and_live_ones_stay():
    verlopen = SessionStore()
    verlopen.set_expiry(60)
    verlopen.create()
    nu = timezone.now() + dt.timedelta(days=1)
    levend = SessionStore()
    levend.set_expiry(7 * 24 * 3600)
    levend.create()

    assert retentie_run(door=RETENTION, now=nu)["sessies_verwijderd"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [levend.session_key]
    assert AuditRegel.objects.get(actie="sessie.opruimen").details == {"aantal": 1}


@pytest.mark.parametrize("veld", ["inactief_termijn_maanden", "route_bewaartermijn_maanden"])
@pytest.mark.parametrize("waarde", [0, 121])
def test_retention_terms_outside_their_range_are_refused_by_the_database(veld, waarde):
    team = f.TeamFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(team).objects.filter(pk=team.pk).update(**{veld: waarde})


def test_household_withdrawal_requests_go_after_thirty_days():
    from signalen.models import HuishoudenIntrekking

    oud = HuishoudenIntrekking.objects.create(huishouden_hash="a" * 64, nonce="oud")
    nu = timezone.now() + dt.timedelta(days=31)
    nieuw = HuishoudenIntrekking.objects.create(huishouden_hash="b" * 64, nonce="nieuw", created_at=nu)

    assert retentie_run(door=RETENTION, now=nu)["intrekkingen_verwijderd"] == 1
    assert list(HuishoudenIntrekking.objects.values_list("pk", flat=True)) == [nieuw.pk]
    assert AuditRegel.objects.get(actie="intrekking.opruimen").details == {"intrekking_ids": [oud.pk]}


def _instellingen(client, team, **extra):
    from django.urls import reverse

    data = {
        "drempel_huishoudens": "5",
        "anoniem_gewicht": "0,5",
        "steun_venster_maanden": "12",
        "bewaartermijn_maanden": "24",
        **extra,
    }
    return client.post(reverse("signalen:team_instellingen", kwargs={"team_id": team.pk}), data)


def test_the_settings_page_sets_the_retention_terms_within_their_range(client, world):
    client.force_login(world.coordinator)
    response = _instellingen(
        client, world.team, inactief_termijn_maanden="6", route_bewaartermijn_maanden="2"
    )
    assert response.status_code == 302
    world.team.refresh_from_db()
    assert (world.team.inactief_termijn_maanden, world.team.route_bewaartermijn_maanden) == (6, 2)


@pytest.mark.parametrize("waarde", ["0", "121", "30000"])
def test_a_retention_term_outside_its_range_is_a_dutch_message_and_writes_nothing(client, world, waarde):
    client.force_login(world.coordinator)
    response = _instellingen(client, world.team, drempel_huishoudens="3", route_bewaartermijn_maanden=waarde)
    assert response.status_code == 400
    assert "Kies een getal van 1 tot en met 120." in response.content.decode()
    world.team.refresh_from_db()
    assert (world.team.drempel_huishoudens, world.team.route_bewaartermijn_maanden) == (5, 3)
