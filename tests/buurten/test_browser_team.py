"""Browser journey: a team member logs in on a phone and sees the team page, its goal and its map."""

import pytest
from playwright.sync_api import expect

from buurten.models import PartnerInzet, PartnerType, Rol
from tests import factories as f
from tests.buurten.teams_world import WEST

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WACHTWOORD = "Zonnebloem-Maas-7"


def test_team_member_logs_in_and_sees_team_goal_and_map(page):
    gemeente = f.GemeenteFactory()
    buurt = f.BuurtFactory(wijk__gemeente=gemeente, naam="Malberg", code="BU09350207", geometrie=WEST)
    team = f.TeamFactory(
        naam="VBT Malberg", gemeente=gemeente, buurten=[buurt], doel="Schone en veilige straten in Malberg."
    )
    politie = f.PartnerFactory(gemeente=gemeente, naam="Politie Limburg", type=PartnerType.POLITIE)
    PartnerInzet.objects.create(team=team, partner=politie, toezegging="Wijkagent loopt elke maand mee.")
    coordinator = f.LidmaatschapFactory(team=team, partner=politie, rol=Rol.COORDINATOR).user
    lid = f.LidmaatschapFactory(
        team=team,
        partner=politie,
        user=f.UserFactory(email="tom@example.nl", first_name="Tom", last_name="Willems"),
    )
    lid.user.set_password(WACHTWOORD)
    lid.user.save()
    f.verify_email(lid.user)

    page.goto("/")
    page.get_by_role("link", name="Inloggen").first.click()
    page.get_by_label("E-mailadres").fill("tom@example.nl")
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()

    # One team: home leads straight to it.
    expect(page.get_by_role("heading", name="VBT Malberg", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Gezamenlijk doel")).to_be_visible()
    expect(page.get_by_text("Schone en veilige straten in Malberg.")).to_be_visible()
    expect(page.get_by_role("cell", name="Wijkagent loopt elke maand mee.")).to_be_visible()
    expect(page.get_by_text(f"{coordinator} – Coördinator")).to_be_visible()
    expect(page.get_by_text("Tom Willems – Teamlid")).to_be_visible()

    kaart = page.get_by_role("region", name="Kaart van de buurten van het team")
    expect(kaart).to_be_visible()
    # Leaflet drew the buurt as an SVG path (the tiles themselves stay offline here).
    expect(kaart.locator("path.leaflet-interactive")).to_have_count(1)
    expect(page.get_by_role("listitem").filter(has_text="Malberg (BU09350207")).to_be_visible()
    # A teamlid has no management links.
    expect(page.get_by_role("link", name="Drempel en bewaartermijn")).to_have_count(0)
    box = kaart.bounding_box()
    assert box is not None and box["width"] <= 375 and box["height"] >= 200


def coordinator_logs_in(page, team) -> None:
    """Anouk, coordinator of `team` with TOTP set up, logs in with password and code."""
    seat = f.LidmaatschapFactory(
        team=team,
        rol=Rol.COORDINATOR,
        user=f.UserFactory(email="anouk@example.nl", first_name="Anouk", last_name="Janssen", is_staff=True),
    )
    seat.user.set_password(WACHTWOORD)
    seat.user.save()
    f.verify_email(seat.user)
    secret = f.activate_totp(seat.user)
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill("anouk@example.nl")
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code").fill(f.totp_code(secret))
    page.get_by_role("button", name="Inloggen").click()


def test_coordinator_logs_in_with_totp_and_manages_threshold_and_subgebied(page):
    gemeente = f.GemeenteFactory()
    buurt = f.BuurtFactory(wijk__gemeente=gemeente, naam="Malberg", code="BU09350207", geometrie=WEST)
    team = f.TeamFactory(naam="VBT Malberg", gemeente=gemeente, buurten=[buurt])

    coordinator_logs_in(page, team)

    expect(page.get_by_role("heading", name="VBT Malberg", level=1)).to_be_visible()
    page.get_by_role("link", name="Drempel en bewaartermijn").click()
    drempel = page.get_by_label("Drempel (aantal huishoudens)")
    drempel.fill("0")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Kies een getal van 1 tot en met 1000.")
    team.refresh_from_db()
    assert team.drempel_huishoudens == 5

    page.get_by_label("Drempel (aantal huishoudens)").fill("3")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De instellingen zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_text("als 3 verschillende huishoudens")).to_be_visible()

    page.get_by_role("link", name="Subgebieden beheren").click()
    page.get_by_role("link", name="Nieuw subgebied").click()
    expect(page.get_by_role("region", name="Kaart om een vlak te tekenen")).to_be_visible()
    page.get_by_label("Naam").fill("Buiten de buurt")
    page.get_by_text("Het vlak als GeoJSON-tekst bewerken").click()
    buiten = '{"type": "Polygon", "coordinates": [[[5.75, 50.9], [5.76, 50.9], [5.76, 50.91], [5.75, 50.9]]]}'
    page.get_by_label("GeoJSON van het vlak").fill(buiten)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Het subgebied ligt buiten de buurt Malberg")
    assert not team.subgebieden.exists()


def test_coordinator_adds_a_wijkagent_of_another_team(page):
    gemeente = f.GemeenteFactory()
    team = f.TeamFactory(naam="VBT Malberg", gemeente=gemeente)
    politie = f.PartnerFactory(gemeente=gemeente, naam="Politie Limburg", type=PartnerType.POLITIE)
    ander_team = f.TeamFactory(naam="VBT Nazareth", gemeente=gemeente)
    f.LidmaatschapFactory(
        team=ander_team,
        partner=politie,
        user=f.UserFactory(email="agent@politie.example", first_name="Sem", last_name="Bours"),
    )

    coordinator_logs_in(page, team)

    page.get_by_role("link", name="Leden beheren").click()
    page.get_by_role("link", name="Bestaand account toevoegen").click()
    page.get_by_label("E-mailadres").fill("niemand@example.nl")
    page.get_by_label("Namens partner").select_option(label="Politie Limburg")
    page.get_by_role("button", name="Toevoegen aan het team").click()
    expect(page.get_by_text("Er is geen account met dit e-mailadres")).to_be_visible()
    expect(page.get_by_label("E-mailadres")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("E-mailadres").fill("agent@politie.example")
    page.get_by_role("button", name="Toevoegen aan het team").click()
    expect(page.get_by_text("Sem Bours is toegevoegd aan het team namens Politie Limburg.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sem Bours", level=2)).to_be_visible()
    assert team.lidmaatschappen.filter(user__email="agent@politie.example").exists()
