"""A resident on a 375 px phone supports a signal and brings in a wish, each confirmed through the
mailed link; the coördinator then finds the wish among the team's signals."""

import time
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from buurten.models import Rol
from notificaties.models import Bericht
from publiek.emails import STEUN_MAIL, WENS_MAIL
from signalen.models import Kanaal, Signaal, Status
from tests import factories as f
from tests.a11y import assert_axe_clean

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mail_link(soort: str) -> str:
    return urlparse(Bericht.objects.filter(soort=soort).latest("pk").context["link"]).path


def no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url


@pytest.fixture
def wereld(db):
    gemeente = f.GemeenteFactory()
    buurt = f.BuurtFactory(wijk__gemeente=gemeente, naam="Malberg-Oost")
    team = f.TeamFactory(naam="VBT Malberg", slug="malberg", gemeente=gemeente, buurten=[buurt])
    thema = f.ThemaFactory(gemeente=gemeente, naam="groen")
    signaal = f.SignaalFactory(
        team=team, thema=thema, titel="Meer groen op het plein", status=Status.DRAAGVLAK_GEZOCHT
    )
    f.SteunbetuigingFactory(signaal=signaal)
    Signaal.objects.filter(pk=signaal.pk).update(steun_huishoudens=1)
    seat = f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR, user__email="coordinator@example.nl")
    f.verify_email(seat.user)
    return {"team": team, "signaal": signaal, "totp": f.activate_totp(seat.user)}


def test_a_resident_supports_a_signal_and_brings_in_a_wish(page, wereld, celery_worker):
    signaal = wereld["signaal"]
    # The Malberg page, once it is there (publiek-pages); else the support page itself.
    response = page.goto("/buurt/malberg/")
    knop = page.get_by_role("link", name=f"Ik steun dit: {signaal.titel}")
    if response.status == 200 and knop.count():
        knop.click()
    else:
        page.goto(f"/steunen/{signaal.pk}/")
    expect(page.get_by_role("heading", name="Ik steun dit")).to_be_visible()
    expect(page.get_by_text("1 huishouden steunt dit.")).to_be_visible()
    no_horizontal_scroll(page)
    page.get_by_label("Postcode").fill("6211 ab")
    page.get_by_label("Huisnummer").fill("12a")
    page.get_by_label("E-mailadres").fill("bewoner@example.nl")
    page.get_by_label("Stuur me updates over dit signaal (optioneel)").check()
    page.get_by_role("button", name="Stuur de bevestigingslink").click()
    expect(page.get_by_role("heading", name="Kijk in je e-mail")).to_be_visible()
    assert_axe_clean(page)

    page.goto(mail_link(STEUN_MAIL))
    page.get_by_role("button", name="Ja, bevestig mijn steun").click()
    expect(page.get_by_role("heading", name="Bedankt voor je steun")).to_be_visible()
    # The tally runs after commit (a real worker on PostgreSQL + Redis): reload until it counted.
    deadline = time.monotonic() + 20
    while "2 huishoudens steunen dit." not in page.content() and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    expect(page.get_by_text("2 huishoudens steunen dit.")).to_be_visible()
    assert_axe_clean(page)

    # A wish of their own.
    page.goto("/buurt/malberg/wens/")
    expect(page.get_by_role("heading", name="Een wens voor Malberg-Oost")).to_be_visible()
    no_horizontal_scroll(page)
    page.get_by_label("Titel").fill("Een bankje bij de speeltuin")
    page.get_by_label("Wat wil je?").fill("Ouders staan nu de hele middag.")
    page.get_by_label("Thema").select_option(label="groen")
    page.get_by_label("Breedtegraad").fill("50.851")
    page.get_by_label("Lengtegraad").fill("5.691")
    page.get_by_label("Postcode").fill("6211 AB")
    page.get_by_label("Huisnummer").fill("14")
    page.get_by_label("E-mailadres").fill("bewoner@example.nl")
    page.wait_for_timeout(2100)  # a person takes longer than the 2-second minimum
    page.get_by_role("button", name="Stuur de bevestigingslink").click()
    expect(page.get_by_role("heading", name="Kijk in je e-mail")).to_be_visible()
    page.goto(mail_link(WENS_MAIL))
    page.get_by_role("button", name="Ja, bevestig mijn wens").click()
    expect(page.get_by_role("heading", name="Bedankt voor je wens")).to_be_visible()
    assert_axe_clean(page)
    wens = Signaal.objects.get(titel="Een bankje bij de speeltuin")
    assert wens.kanaal == Kanaal.ONLINE

    # The coördinator finds it in the triage queue.
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill("coordinator@example.nl")
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord-123")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code").fill(f.totp_code(wereld["totp"]))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    page.goto("/triage/")
    expect(page.get_by_label("Een bankje bij de speeltuin")).to_be_visible()
