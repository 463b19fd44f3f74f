"""The mail hooks of acties (`acties.meldingen`), called directly on factory-made objects: who gets
which mail, once per address per event, with the unsubscribe link; the resident trekker's
unsubscribe link."""

from urllib.parse import urlparse

import pytest

from acties.emails import ACTIE_BEWONER_MAIL, ACTIE_PARTNER_MAIL, ACTIE_STEUN_MAIL
from acties.meldingen import actie_aangemaakt_melden, actie_status_melden, actie_update_melden
from acties.models import ActieStatus, ActieStatusWijziging, BewonerTrekker
from audit.models import AuditRegel
from core.actors import SystemActor
from notificaties.models import Bericht
from tests import factories as f
from tests.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

DOOR = SystemActor("test")


def berichten(soort):
    return list(Bericht.objects.filter(soort=soort).order_by("ontvanger"))


@pytest.fixture
def actie(team):
    actie = f.ActieFactory(
        team=team,
        titel="Speeltuin opknappen",
        trekker__naam="Woonpunt",
        trekker__contact_email="W@woonpunt.nl",
    )
    eerste = f.ActieSignaalFactory(actie=actie, signaal__titel="Kapotte schommel").signaal
    tweede = f.ActieSignaalFactory(actie=actie, signaal__titel="Zwerfvuil speeltuin").signaal
    # One household address on both merged signals; a neighbour on one; one without consent.
    for signaal in (eerste, tweede):
        f.SteunbetuigingFactory(signaal=signaal, email="thuis@example.nl", email_toestemming=True)
    f.SteunbetuigingFactory(signaal=tweede, email="buren@example.nl", email_toestemming=True)
    f.SteunbetuigingFactory(signaal=tweede)
    # A signal of another actie: its supporters hear nothing of this one.
    f.SteunbetuigingFactory(
        signaal=f.ActieSignaalFactory(actie__team=team).signaal,
        email="elders@example.nl",
        email_toestemming=True,
    )
    return actie


def test_new_actie_mails_each_supporter_address_once_and_the_lead_partner(actie, mailoutbox):
    actie_aangemaakt_melden(actie=actie, door=DOOR)
    steun = berichten(ACTIE_STEUN_MAIL)
    assert [b.ontvanger for b in steun] == ["buren@example.nl", "thuis@example.nl"]
    assert len(steun[1].context["steun_ids"]) == 2
    assert [b.ontvanger for b in berichten(ACTIE_PARTNER_MAIL)] == ["w@woonpunt.nl"]
    # Called again (a retried service): nothing new.
    actie_aangemaakt_melden(actie=actie, door=DOOR)
    assert Bericht.objects.count() == 3

    deliver_outbox()
    thuis = next(m for m in mailoutbox if m.to == ["thuis@example.nl"])
    assert thuis.subject == "Je signaal wordt opgepakt: Speeltuin opknappen"
    assert "Kapotte schommel" in thuis.body and "Zwerfvuil speeltuin" in thuis.body
    assert "/afmelden/" in thuis.body and "List-Unsubscribe" in thuis.extra_headers
    partner = next(m for m in mailoutbox if m.to == ["w@woonpunt.nl"])
    assert "Beste Woonpunt" in partner.body and "jullie als trekker" in partner.body
    assert "List-Unsubscribe" not in partner.extra_headers  # not a resident


def test_a_lead_partner_without_contact_address_gets_nothing(team):
    actie = f.ActieFactory(team=team, trekker__contact_email="")
    actie_aangemaakt_melden(actie=actie, door=DOOR)
    assert Bericht.objects.count() == 0


def test_each_public_update_mails_supporters_once(actie, mailoutbox):
    update = f.VoortgangsupdateFactory(actie=actie, tekst="De nieuwe schommel hangt.")
    actie_update_melden(update=update, door=DOOR)
    actie_update_melden(update=update, door=DOOR)
    tweede = f.VoortgangsupdateFactory(actie=actie, tekst="Het hek is geverfd.")
    actie_update_melden(update=tweede, door=DOOR)
    assert len(berichten(ACTIE_STEUN_MAIL)) == 4  # two addresses × two updates
    deliver_outbox()
    bodies = [m.body for m in mailoutbox if m.to == ["thuis@example.nl"]]
    assert any("De nieuwe schommel hangt." in b for b in bodies)
    assert any("Het hek is geverfd." in b for b in bodies)
    # Each mail links the actie's public page, where the buurt follows it without logging in.
    assert all(f"/actie/{actie.pk}/" in b for b in bodies)
    assert all(m.subject == "Nieuws over Speeltuin opknappen" for m in mailoutbox)


def test_a_mail_about_a_deleted_update_is_dropped(actie, mailoutbox):
    update = f.VoortgangsupdateFactory(actie=actie)
    actie_update_melden(update=update, door=DOOR)
    update.delete()
    deliver_outbox()
    assert mailoutbox == []
    assert {b.status for b in berichten(ACTIE_STEUN_MAIL)} == {"mislukt"}


@pytest.fixture
def bewoners(actie):
    return [
        f.BewonerTrekkerFactory(actie=actie, voornaam="Fatima", email="fatima@example.nl", toestemming=True),
        f.BewonerTrekkerFactory(actie=actie, aantal=3),  # a count without names
        f.BewonerTrekkerFactory(actie=actie, voornaam="Fatima", email="FATIMA@example.nl", toestemming=True),
    ]


def move(actie, van, naar):
    actie.status = naar
    actie.save(update_fields=["status"])
    ActieStatusWijziging.objects.create(actie=actie, van=van, naar=naar)
    actie_status_melden(actie=actie, van=van, naar=naar, door=DOOR)


def test_resident_trekkers_hear_every_status_change_supporters_only_when_done(actie, bewoners, mailoutbox):
    move(actie, ActieStatus.GEPLAND, ActieStatus.IN_UITVOERING)
    assert [b.ontvanger for b in berichten(ACTIE_BEWONER_MAIL)] == ["fatima@example.nl"]
    assert berichten(ACTIE_STEUN_MAIL) == []
    move(actie, ActieStatus.IN_UITVOERING, ActieStatus.AFGEROND)
    assert len(berichten(ACTIE_BEWONER_MAIL)) == 2
    assert [b.ontvanger for b in berichten(ACTIE_STEUN_MAIL)] == ["buren@example.nl", "thuis@example.nl"]
    # The same change reported twice: nothing new.
    actie_status_melden(actie=actie, van=ActieStatus.IN_UITVOERING, naar=ActieStatus.AFGEROND, door=DOOR)
    assert Bericht.objects.count() == 4
    deliver_outbox()
    fatima = [m for m in mailoutbox if m.to == ["fatima@example.nl"]]
    assert sorted(m.subject for m in fatima) == [
        "Speeltuin opknappen: Afgerond",
        "Speeltuin opknappen: In uitvoering",
    ]
    assert any("In uitvoering → Afgerond" in m.body for m in fatima)
    assert all(f"/actie/{actie.pk}/" in m.body for m in fatima)
    thuis = next(m for m in mailoutbox if m.to == ["thuis@example.nl"])
    assert thuis.subject == "Afgerond: Speeltuin opknappen"


def test_resident_trekker_unsubscribes_with_one_click(client, actie, bewoners, mailoutbox):
    move(actie, ActieStatus.GEPLAND, ActieStatus.IN_UITVOERING)
    [bericht] = berichten(ACTIE_BEWONER_MAIL)
    link = urlparse(bericht.context["afmeld_link"]).path
    assert link.startswith("/acties/afmelden/")
    assert client.get(link).status_code == 200
    assert BewonerTrekker.objects.filter(toestemming=True).count() == 2

    response = client.post(link)
    assert response.status_code == 200 and "Je bent afgemeld" in response.content.decode()
    rows = list(
        BewonerTrekker.objects.order_by("pk").values_list("voornaam", "email", "toestemming", "aantal")
    )
    assert rows == [("", "", False, 1), ("", "", False, 3), ("", "", False, 1)]
    assert sum(BewonerTrekker.objects.values_list("aantal", flat=True)) == 5  # they still count
    assert AuditRegel.objects.filter(actie="bewoner.afgemeld").count() == 1
    # The mail queued before is dropped, a second use is a 410 page.
    deliver_outbox()
    assert mailoutbox == []
    response = client.post(link)
    assert response.status_code == 410 and "Je bent al afgemeld" in response.content.decode()
    response = client.get(link[:-4] + "abc/")
    assert response.status_code == 400 and "niet geldig" in response.content.decode()
    # Later changes mail nobody.
    move(actie, ActieStatus.IN_UITVOERING, ActieStatus.AFGEROND)
    assert len(berichten(ACTIE_BEWONER_MAIL)) == 1


def test_a_confidential_signal_is_not_named_in_the_supporter_mail(team, mailoutbox):
    actie = f.ActieFactory(team=team, trekker__contact_email="")
    signaal = f.ActieSignaalFactory(
        actie=actie, signaal__titel="Overlast bij nummer 12", signaal__vertrouwelijk=True
    ).signaal
    f.SteunbetuigingFactory(signaal=signaal, email="a@example.nl", email_toestemming=True)
    actie_aangemaakt_melden(actie=actie, door=DOOR)
    deliver_outbox()
    [mail] = mailoutbox
    assert "Overlast bij nummer 12" not in mail.body
