"""A team member on a 375 px phone: log in, start a walk, place a point, log a signal,
record support from 5 households, run the tally and see *draagvlak bereikt*."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from buurten.models import Rol
from signalen.models import Signaal, Status, Steunbetuiging
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WACHTWOORD = "geheim-wachtwoord-123"
SCREENSHOTS = None  # set to a folder (e.g. "/tmp") while working on the layout


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide at a 375px viewport"


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/vbt-{name}.png", full_page=True)


@pytest.fixture
def journey(db):
    gemeente = f.GemeenteFactory()
    buurt = f.BuurtFactory(wijk__gemeente=gemeente, naam="Malberg-Oost")
    team = f.TeamFactory(naam="VBT Malberg", gemeente=gemeente, buurten=[buurt], drempel_huishoudens=5)
    f.ThemaFactory(gemeente=gemeente, naam="zwerfvuil")
    f.ThemaFactory(gemeente=gemeente, naam="verlichting")
    user = f.UserFactory(email="anna@example.nl", first_name="Anna", last_name="Smeets")
    f.verify_email(user)
    f.LidmaatschapFactory(user=user, team=team, rol=Rol.TEAMLID)
    return {"team": team, "user": user, "buurt": buurt}


def log_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill("anna@example.nl")
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def test_phone_journey_from_walk_to_draagvlak_bereikt(page, journey):
    # Log in through the real form.
    log_in(page)

    # Start a walk from the menu.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Wijkronde").click()
    page.get_by_role("link", name="Wijkronde starten").click()
    expect(page.get_by_label("Malberg-Oost")).to_be_checked()
    page.get_by_label("Anna Smeets").check()
    page.get_by_label("Route en notities").fill("Rondje langs de speeltuin.")
    no_horizontal_scroll(page)
    shot(page, "1-wijkronde")
    page.get_by_role("button", name="Wijkronde starten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wijkronde")

    # Log a signal during the walk.
    page.get_by_role("link", name="Signaal toevoegen").click()
    expect(page.get_by_role("heading", name="Nieuw signaal")).to_be_visible()
    page.get_by_label("Korte titel").fill("Zwerfvuil bij de speeltuin")
    page.get_by_label("Wat er gezegd is").fill("Elke maandag liggen er vuilniszakken naast de container.")
    page.get_by_label("Thema").select_option(label="zwerfvuil")
    page.get_by_label("Hoe gehoord").select_option(label="Straatgesprek")

    # Place the point with a real tap on the map (its first view is the team's buurt)...
    kaart = page.get_by_role("region", name="Kaart om de plek te kiezen")
    kaart.scroll_into_view_if_needed()
    kaart.click()
    lat = page.get_by_label("Breedtegraad")
    lon = page.get_by_label("Lengtegraad")
    expect(lat).not_to_have_value("")
    assert 50.84 < float(lat.input_value()) < 50.86
    assert 5.68 < float(lon.input_value()) < 5.70
    expect(page.get_by_text("Deze plek ligt in buurt Malberg-Oost.")).to_be_visible()
    # ...and the accessible inputs move the marker just as well.
    lat.fill("50.8501")
    lon.fill("5.6902")
    lon.press("Tab")
    expect(page.get_by_role("status").filter(has_text="Plek gekozen")).to_contain_text("50.8501")

    # A signal about a person is confidential: the page ticks it (the server enforces it too).
    page.get_by_label("Gaat over een persoon").check()
    expect(page.get_by_label(re.compile(r"^Vertrouwelijk"))).to_be_checked()
    page.get_by_label("Gaat over een persoon").uncheck()
    page.get_by_label(re.compile(r"^Vertrouwelijk")).uncheck()
    no_horizontal_scroll(page)
    shot(page, "2-signaal")
    page.get_by_role("button", name="Signaal opslaan").click()

    # Back on the walk, the signal is listed.
    expect(page.get_by_role("status").filter(has_text="is opgeslagen")).to_be_visible()
    page.get_by_role("link", name="Zwerfvuil bij de speeltuin").click()
    signaal = Signaal.objects.get()
    assert (signaal.lat, signaal.lon, signaal.buurt) == (50.8501, 5.6902, journey["buurt"])
    assert signaal.wijkronde is not None and not signaal.vertrouwelijk
    expect(page.get_by_text("Nog 5 huishoudens nodig.")).to_be_visible()

    # Five households support it, door to door.
    vorm = page.get_by_role("region", name="Steun van een huishouden")
    for nummer in range(1, 6):
        vorm.get_by_label("Kanaal").select_option(label="Huisbezoek")
        vorm.get_by_label("Postcode").fill("6215 AB")
        vorm.get_by_label("Huisnummer").fill(str(nummer))
        vorm.get_by_role("button", name="Steun vastleggen").click()
        expect(
            page.get_by_role("status").filter(has_text="De steun van het huishouden is vastgelegd.")
        ).to_be_visible()
    assert Steunbetuiging.objects.filter(signaal=signaal).count() == 5
    expect(page.get_by_text(re.compile(r"huishouden, via huisbezoek, \d+-\d+-\d{4}"))).to_have_count(5)
    no_horizontal_scroll(page)

    # The tally (queued after each commit; run once more as `manage.py tally_support` does).
    call_command("tally_support")
    signaal.refresh_from_db()
    assert signaal.status == Status.DRAAGVLAK_BEREIKT
    page.reload()
    expect(page.get_by_text("Draagvlak bereikt").first).to_be_visible()
    expect(page.get_by_text("De drempel is gehaald.")).to_be_visible()
    no_horizontal_scroll(page)
    shot(page, "3-signaal-pagina")

    # The list and the map show it too, and fit the phone.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Signalen").click()
    expect(page.get_by_role("link", name="Zwerfvuil bij de speeltuin")).to_be_visible()
    no_horizontal_scroll(page)
    page.get_by_role("link", name="Op de kaart").click()
    expect(page.get_by_role("region", name="Kaart met de signalen")).to_be_visible()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    no_horizontal_scroll(page)
    shot(page, "4-kaart")


def test_nearby_open_signal_is_offered_instead_of_a_new_one(page, journey):
    zwerfvuil = journey["team"].gemeente.themas.get(naam="zwerfvuil")
    bestaand = f.SignaalFactory(team=journey["team"], thema=zwerfvuil, titel="Vuilniszakken bij de flat")
    log_in(page)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Nieuw signaal").click()
    page.get_by_label("Korte titel").fill("Afval naast de container")
    page.get_by_label("Thema").select_option(label="zwerfvuil")
    page.get_by_label("Hoe gehoord").select_option(label="Huisbezoek")
    page.get_by_role("region", name="Kaart om de plek te kiezen").click()

    # Shown as soon as the point is placed...
    steun_link = page.get_by_role(
        "link", name="Steun dit signaal in plaats van een nieuw: Vuilniszakken bij de flat"
    )
    expect(steun_link).to_be_visible()
    # ...and again by the server when saving anyway, which writes nothing yet.
    page.get_by_role("button", name="Signaal opslaan").click()
    expect(page.get_by_role("heading", name="Lijkt dit op een bestaand signaal?")).to_be_visible()
    expect(page.get_by_role("button", name="Toch een nieuw signaal opslaan")).to_be_visible()
    assert Signaal.objects.count() == 1
    no_horizontal_scroll(page)

    steun_link.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vuilniszakken bij de flat")
    assert page.url.endswith(f"/signalen/{bestaand.pk}/#steun")
    assert Signaal.objects.count() == 1


def test_place_the_point_by_keyboard_and_by_my_location(page, journey):
    log_in(page)
    page.goto("/signalen/nieuw/")
    lat = page.get_by_label("Breedtegraad")
    lon = page.get_by_label("Lengtegraad")

    # Keyboard: focus the map and press Enter to choose its centre (the middle of the buurt).
    page.get_by_role("region", name="Kaart om de plek te kiezen").focus()
    page.keyboard.press("Enter")
    expect(lat).not_to_have_value("")
    assert abs(float(lat.input_value()) - 50.85) < 0.002
    assert abs(float(lon.input_value()) - 5.69) < 0.002

    # "Gebruik mijn locatie" asks the browser where the phone is.
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 50.8456, "longitude": 5.6812})
    page.get_by_role("button", name="Gebruik mijn locatie").click()
    expect(lat).to_have_value("50.8456")
    expect(lon).to_have_value("5.6812")
    expect(page.get_by_text("Deze plek ligt in buurt Malberg-Oost.")).to_be_visible()


def test_tap_on_a_touch_screen_places_the_point(browser, live_server, journey):
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        locale="nl-NL",
        base_url=live_server.url,
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        log_in(page)
        page.goto("/signalen/nieuw/")
        page.get_by_role("region", name="Kaart om de plek te kiezen").tap()
        lat = page.get_by_label("Breedtegraad")
        expect(lat).not_to_have_value("")
        assert 50.84 < float(lat.input_value()) < 50.86
        no_horizontal_scroll(page)
    finally:
        context.close()
