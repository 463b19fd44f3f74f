"""A coördinator on a 375 px phone: log in with TOTP, open the triage page from the menu, make one
actie of two related signals, and reject a third with a reason residents read."""

import pytest
from playwright.sync_api import expect

from acties.models import Actie
from buurten.models import PartnerType, Rol
from signalen.models import Signaal, Status
from tests import factories as f
from tests.signalen.test_browser_journey import WACHTWOORD, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def triage_world(db):
    gemeente = f.GemeenteFactory()
    buurt = f.BuurtFactory(wijk__gemeente=gemeente, naam="Malberg-Oost")
    team = f.TeamFactory(naam="VBT Malberg", gemeente=gemeente, buurten=[buurt])
    corporatie = f.PartnerFactory(gemeente=gemeente, naam="Woonpunt", type=PartnerType.WONINGCORPORATIE)
    user = f.UserFactory(email="carla@example.nl", is_staff=True)
    f.verify_email(user)
    f.LidmaatschapFactory(user=user, team=team, rol=Rol.COORDINATOR, partner=corporatie)
    secret = f.activate_totp(user)
    thema = f.ThemaFactory(gemeente=gemeente, naam="hondenpoep")
    signalen = [
        f.SignaalFactory(team=team, thema=thema, buurt=buurt, titel=titel, status=status)
        for titel, status in [
            ("Hondenpoep bij de speeltuin", Status.DRAAGVLAK_BEREIKT),
            ("Hondenpoep op het grasveld", Status.DRAAGVLAK_BEREIKT),
            ("Wens: een hondenuitlaatplaats", Status.NIEUW),
        ]
    ]
    return {"secret": secret, "signalen": signalen}


def test_phone_triage_into_one_actie_and_a_rejection(page, triage_world):
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill("carla@example.nl")
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code").fill(f.totp_code(triage_world["secret"]))
    page.get_by_role("button", name="Inloggen").click()

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Triage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage")
    no_horizontal_scroll(page)
    page.get_by_label("Hondenpoep bij de speeltuin").check()
    page.get_by_label("Hondenpoep op het grasveld").check()
    page.get_by_role("button", name="Integraal → nieuwe VBT-actie").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe VBT-actie")
    no_horizontal_scroll(page)
    page.get_by_label("Titel van de actie").fill("Schone speeltuin")
    page.get_by_label("Trekker (partner)").select_option(label="Woonpunt")
    page.get_by_role("button", name="Nieuwe VBT-actie").click()
    expect(page.get_by_role("status")).to_contain_text("VBT-actie ‘Schone speeltuin’ gemaakt.")

    page.get_by_label("Wens: een hondenuitlaatplaats").check()
    page.get_by_role("button", name="Afwijzen").click()
    page.get_by_label("Reden van afwijzen").fill("De gemeente plant dit al in het nieuwe parkplan.")
    page.get_by_role("button", name="Afwijzen").click()
    expect(page.get_by_text("Er wachten geen signalen op triage.")).to_be_visible()
    no_horizontal_scroll(page)

    actie = Actie.objects.get()
    assert actie.koppelingen.count() == 2
    assert Signaal.objects.get(titel__startswith="Wens").status == Status.AFGEWEZEN
