"""End to end through the acties services: each hook's mail arrives once per address, from making
the actie of two merged signals to its update, status changes and a stop with declined signals."""

import pytest

from acties.emails import ACTIE_BEWONER_MAIL, ACTIE_PARTNER_MAIL, ACTIE_STEUN_MAIL
from acties.models import ActieStatus
from acties.services import (
    TERUG_AFGEWEZEN,
    TERUG_TRIAGE,
    actie_create_from_signalen,
    actie_status_change,
    bewoners_add,
    voortgangsupdate_post,
)
from notificaties.models import Bericht
from signalen.emails import STEUN_STATUS_MAIL
from tests import factories as f
from tests.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


def ontvangers(soort) -> list[str]:
    return sorted(Bericht.objects.filter(soort=soort).values_list("ontvanger", flat=True))


@pytest.fixture
def signalen(signaal_met_draagvlak):
    eerste, tweede = signaal_met_draagvlak(), signaal_met_draagvlak()
    for signaal in (eerste, tweede):
        f.SteunbetuigingFactory(signaal=signaal, email="thuis@example.nl", email_toestemming=True)
    f.SteunbetuigingFactory(signaal=tweede, email="buren@example.nl", email_toestemming=True)
    return [eerste, tweede]


@pytest.fixture
def actie(signalen, trekker, coordinator):
    f.activate_totp(coordinator)
    trekker.contact_email = "info@woonpunt.nl"
    trekker.save(update_fields=["contact_email"])
    return actie_create_from_signalen(signalen=signalen, titel="Speeltuin", trekker=trekker, door=coordinator)


def test_making_an_actie_mails_each_address_once_and_the_lead_partner(actie, mailoutbox):
    assert ontvangers(ACTIE_STEUN_MAIL) == ["buren@example.nl", "thuis@example.nl"]
    assert ontvangers(ACTIE_PARTNER_MAIL) == ["info@woonpunt.nl"]
    assert ontvangers(STEUN_STATUS_MAIL) == []  # triaged integraal: no signalen mail of its own
    deliver_outbox()
    assert sorted(m.to[0] for m in mailoutbox) == ["buren@example.nl", "info@woonpunt.nl", "thuis@example.nl"]


def test_an_update_mails_supporters(actie, betrokkene):
    voortgangsupdate_post(actie=actie, tekst="De schommel hangt.", door=betrokkene)
    assert Bericht.objects.filter(soort=ACTIE_STEUN_MAIL, sleutel__startswith="actie-update:").count() == 2


def test_status_changes_mail_residents_and_done_mails_supporters_once(actie, coordinator, mailoutbox):
    bewoners_add(
        actie=actie, voornaam="Fatima", email="fatima@example.nl", toestemming=True, door=coordinator
    )
    actie_status_change(actie=actie, naar=ActieStatus.IN_UITVOERING, door=coordinator)
    assert ontvangers(ACTIE_BEWONER_MAIL) == ["fatima@example.nl"]
    actie_status_change(actie=actie, naar=ActieStatus.AFGEROND, door=coordinator)
    assert ontvangers(ACTIE_BEWONER_MAIL) == ["fatima@example.nl"] * 2
    assert Bericht.objects.filter(soort=ACTIE_STEUN_MAIL, sleutel__startswith="actie-afgerond:").count() == 2
    # The signals followed to afgerond: the actie's mail says so, signalen sends none of its own.
    assert ontvangers(STEUN_STATUS_MAIL) == []


def test_stopping_declines_signals_with_one_mail_per_address(actie, coordinator, signalen):
    eerste, tweede = signalen
    actie_status_change(
        actie=actie,
        naar=ActieStatus.GESTOPT,
        door=coordinator,
        reden="De gemeente heeft geen budget.",
        signalen_terug={eerste.pk: TERUG_AFGEWEZEN, tweede.pk: TERUG_AFGEWEZEN},
    )
    berichten = Bericht.objects.filter(soort=STEUN_STATUS_MAIL)
    assert sorted(b.ontvanger for b in berichten) == ["buren@example.nl", "thuis@example.nl"]
    assert {b.context["reden"] for b in berichten} == {"De gemeente heeft geen budget."}


def test_back_to_triage_after_a_stop_mails_nobody(actie, coordinator, signalen):
    eerste, tweede = signalen
    actie_status_change(
        actie=actie,
        naar=ActieStatus.GESTOPT,
        door=coordinator,
        reden="Opnieuw bekijken.",
        signalen_terug={eerste.pk: TERUG_TRIAGE, tweede.pk: TERUG_TRIAGE},
    )
    assert ontvangers(STEUN_STATUS_MAIL) == []
