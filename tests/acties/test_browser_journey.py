"""A coördinator on a 375 px phone: logs in with TOTP, triages two related signals into one actie,
adds a milestone and a resident who picks it up, posts an update; the supporter who asked for
updates gets the mail (an outbox row)."""

import pytest
from playwright.sync_api import expect

from acties.models import Actie, ActieStatus
from buurten.models import PartnerType, Rol
from notificaties.models import Bericht
from signalen.models import Status
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WACHTWOORD = "Zonnebloem-Maas-7"
SUPPORTER = "buurvrouw@example.nl"
# The kind of mail a consenting supporter gets about their signal's actie (acties.emails).
STEUN_MAIL = "acties.steun"


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide at a 375px viewport"


@pytest.fixture
def journey(db):
    gemeente = f.GemeenteFactory()
    buurt = f.BuurtFactory(wijk__gemeente=gemeente, naam="Malberg")
    team = f.TeamFactory(naam="VBT Malberg", gemeente=gemeente, buurten=[buurt])
    woonpunt = f.PartnerFactory(gemeente=gemeente, naam="Woonpunt", type=PartnerType.WONINGCORPORATIE)
    zwerfvuil = f.ThemaFactory(gemeente=gemeente, naam="zwerfvuil")
    signalen = [
        f.SignaalFactory(team=team, thema=zwerfvuil, titel=titel, status=Status.DRAAGVLAK_BEREIKT)
        for titel in ("Zwerfvuil bij de flats", "Zakken naast de containers")
    ]
    # One household supports both signals and wants updates by e-mail.
    for signaal in signalen:
        f.SteunbetuigingFactory(
            signaal=signaal, huishouden_hash="huishouden-1", email=SUPPORTER, email_toestemming=True
        )
    f.SteunbetuigingFactory(signaal=signalen[0], huishouden_hash="huishouden-2")
    seat = f.LidmaatschapFactory(
        team=team,
        partner=woonpunt,
        rol=Rol.COORDINATOR,
        user=f.UserFactory(email="anouk@example.nl", first_name="Anouk", last_name="Janssen", is_staff=True),
    )
    seat.user.set_password(WACHTWOORD)
    seat.user.save()
    f.verify_email(seat.user)
    return {
        "team": team,
        "signalen": signalen,
        "woonpunt": woonpunt,
        "coordinator": seat.user,
        "secret": f.activate_totp(seat.user),
    }


def test_coordinator_makes_an_actie_of_two_signals_and_keeps_it_going_on_a_phone(page, journey):
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill("anouk@example.nl")
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code").fill(f.totp_code(journey["secret"]))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()

    # Triage on its page: the two related signals become one actie.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Triage").click()
    page.get_by_label("Zwerfvuil bij de flats").check()
    page.get_by_label("Zakken naast de containers").check()
    no_horizontal_scroll(page)
    page.get_by_role("button", name="Integraal → nieuwe VBT-actie").click()
    page.get_by_label("Titel van de actie").fill("Schone containerplaats")
    page.get_by_label("Trekker (partner)").select_option(label="Woonpunt")
    page.get_by_role("button", name="Nieuwe VBT-actie").click()
    expect(page.get_by_role("status")).to_contain_text("VBT-actie ‘Schone containerplaats’ gemaakt.")
    actie = Actie.objects.get()
    assert actie.status == ActieStatus.GEPLAND
    assert set(actie.koppelingen.values_list("signaal_id", flat=True)) == {s.pk for s in journey["signalen"]}

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Acties").click()
    expect(page.get_by_role("heading", name="Acties van VBT Malberg", level=1)).to_be_visible()
    expect(page.get_by_text("Zoekt bewoners")).to_be_visible()
    no_horizontal_scroll(page)
    page.get_by_role("link", name="Schone containerplaats").click()
    expect(page.get_by_role("heading", name="Schone containerplaats", level=1)).to_be_visible()
    # Both signals, and their combined support: the household on both counts once.
    expect(page.get_by_role("link", name="Zwerfvuil bij de flats")).to_be_visible()
    expect(page.get_by_role("link", name="Zakken naast de containers")).to_be_visible()
    expect(page.get_by_text("Samen: 2 huishoudens")).to_be_visible()
    no_horizontal_scroll(page)

    # A milestone.
    page.get_by_role("textbox", name="Mijlpaal").fill("Hekwerk tegen meeuwen plaatsen")
    page.get_by_role("button", name="Mijlpaal toevoegen").click()
    expect(page.get_by_text("De mijlpaal is toegevoegd.")).to_be_visible()
    expect(page.get_by_text("Hekwerk tegen meeuwen plaatsen")).to_be_visible()

    # A resident who picks it up, with consent for her first name.
    page.get_by_label("Aantal bewoners").fill("2")
    page.get_by_label("Voornaam (niet verplicht)").fill("Sanne")
    page.get_by_label("De bewoner geeft toestemming om naam en e-mailadres te bewaren").check()
    page.get_by_role("button", name="Bewoners toevoegen").click()
    expect(page.get_by_text("De bewoners die meedoen zijn vastgelegd.")).to_be_visible()
    expect(page.get_by_text("2 bewoners doen mee.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Sanne")).to_be_visible()

    # The work starts, then a public update.
    page.get_by_role("link", name="Status wijzigen").click()
    page.get_by_label("Nieuwe status").select_option(label="In uitvoering")
    page.get_by_role("button", name="Status wijzigen").click()
    expect(page.get_by_text("De status is nu ‘In uitvoering’.")).to_be_visible()
    page.get_by_label("Wat is er gedaan?").fill("De containers worden nu ook op maandag geleegd.")
    page.get_by_role("button", name="Update plaatsen").click()
    expect(page.get_by_text("De update is geplaatst.")).to_be_visible()
    tijdlijn = page.get_by_role("region", name="Tijdlijn")
    expect(tijdlijn.get_by_text("Update van Woonpunt")).to_be_visible()
    expect(tijdlijn.get_by_text("De containers worden nu ook op maandag geleegd.")).to_be_visible()
    expect(tijdlijn.get_by_text("status van Gepland naar In uitvoering – Woonpunt")).to_be_visible()
    no_horizontal_scroll(page)

    actie.refresh_from_db()
    assert actie.status == ActieStatus.IN_UITVOERING and actie.bewoners_aantal == 2
    assert actie.mijlpalen.get().titel == "Hekwerk tegen meeuwen plaatsen"
    # The supporter who asked for updates gets the mail through the outbox.
    assert Bericht.objects.filter(ontvanger=SUPPORTER, soort=STEUN_MAIL).exists()
