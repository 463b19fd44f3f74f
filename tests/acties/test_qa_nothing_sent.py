"""QA of #8's bad input: on an actie whose supporters, lead partner and resident trekker all gave
an address, each refused change says why in Dutch and writes and *sends* nothing (no outbox row,
no history, no audit row)."""

import pytest
from django.core.exceptions import ValidationError

from acties.models import ActieStatus, ActieStatusWijziging, Mijlpaal, Voortgangsupdate, VoortgangWijziging
from acties.services import (
    TERUG_AFGEWEZEN,
    actie_create_from_signalen,
    actie_status_change,
    actie_voortgang_zetten,
    bewoners_add,
    mijlpaal_afvinken,
    voortgangsupdate_post,
)
from audit.models import AuditRegel
from notificaties.models import Bericht
from signalen.models import StatusWijziging
from tests import factories as f
from tests.signalen.test_fotos import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def actie(signaal_met_draagvlak, trekker, coordinator, ander_team):
    signaal = signaal_met_draagvlak()
    f.SteunbetuigingFactory(signaal=signaal, email="thuis@example.nl", email_toestemming=True)
    trekker.contact_email = "info@woonpunt.nl"
    trekker.save(update_fields=["contact_email"])
    actie = actie_create_from_signalen(
        signalen=[signaal], titel="Speeltuin", trekker=trekker, door=coordinator
    )
    bewoners_add(
        actie=actie, voornaam="Fatima", email="fatima@example.nl", toestemming=True, door=coordinator
    )
    actie_status_change(actie=actie, naar=ActieStatus.IN_UITVOERING, door=coordinator)
    actie_status_change(actie=actie, naar=ActieStatus.AFGEROND, door=coordinator)
    return actie


def snapshot():
    return [
        m.objects.count()
        for m in (
            Bericht,
            AuditRegel,
            StatusWijziging,
            ActieStatusWijziging,
            VoortgangWijziging,
            Voortgangsupdate,
            Mijlpaal,
        )
    ]


def refused(call, *woorden):
    voor = snapshot()
    with pytest.raises(ValidationError) as exc:
        call()
    tekst = " ".join(exc.value.messages)
    for woord in woorden:
        assert woord in tekst, tekst
    assert snapshot() == voor


def test_a_second_afgerond_sends_nothing(actie, coordinator):
    refused(
        lambda: actie_status_change(actie=actie, naar=ActieStatus.AFGEROND, door=coordinator), "al afgerond"
    )


def test_reopening_without_a_reason_sends_nothing(actie, coordinator):
    refused(lambda: actie_status_change(actie=actie, naar=ActieStatus.HEROPEND, door=coordinator, reden=" "))


def test_stopping_without_a_public_reason_sends_nothing(actie, coordinator):
    actie_status_change(actie=actie, naar=ActieStatus.HEROPEND, door=coordinator, reden="Toch niet klaar.")
    signaal = actie.koppelingen.get().signaal
    refused(
        lambda: actie_status_change(
            actie=actie,
            naar=ActieStatus.GESTOPT,
            door=coordinator,
            signalen_terug={signaal.pk: TERUG_AFGEWEZEN},
        )
    )


def test_an_update_with_a_non_image_photo_mails_no_supporter(actie, betrokkene):
    refused(
        lambda: voortgangsupdate_post(
            actie=actie, tekst="Gedaan.", door=betrokkene, foto=upload(b"%PDF-1.4", name="foto.jpg")
        ),
        "geen foto",
    )


def test_progress_above_100_sends_nothing(actie, betrokkene):
    refused(lambda: actie_voortgang_zetten(actie=actie, voortgang=101, door=betrokkene), "0 tot en met 100")


def test_a_milestone_of_another_actie_sends_nothing(actie, team, trekker, betrokkene):
    mijlpaal = f.MijlpaalFactory(actie=f.ActieFactory(team=team, trekker=trekker))
    refused(
        lambda: mijlpaal_afvinken(mijlpaal=mijlpaal, gedaan=True, door=betrokkene, actie=actie),
        "hoort niet bij deze actie",
    )


def test_an_actie_from_two_teams_mails_no_lead_partner(
    signaal_met_draagvlak, trekker, coordinator, ander_team
):
    trekker.contact_email = "info@woonpunt.nl"
    trekker.save(update_fields=["contact_email"])
    eigen = signaal_met_draagvlak()
    f.SteunbetuigingFactory(signaal=eigen, email="thuis@example.nl", email_toestemming=True)
    elders = f.SignaalFactory(team=ander_team, status="draagvlak_bereikt")
    refused(
        lambda: actie_create_from_signalen(
            signalen=[eigen, elders], titel="X", trekker=trekker, door=coordinator
        ),
        "verschillende teams",
    )
