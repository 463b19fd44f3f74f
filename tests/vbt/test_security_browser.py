"""No script injection anywhere: markup typed into every free-text field never runs, and the
Content-Security-Policy does not block our own scripts (the maps still draw).

Every text field that a page shows gets markup that would run script if a page or a script put
it into the document as HTML. A superuser who is also the team's coördinator (the person the
attack aimed at: the admin is theirs) then opens every page that shows it, and every admin change
list. On each page: no script ran (`window.__xss`, no dialog), no element from the markup exists in
the document, no inline script exists, the browser reported no CSP violation, and maps drew with
their tooltips and popups showing the markup as literal text.
"""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from acties.models import ActieStatusWijziging, Notitie
from buurten.models import PartnerInzet, Rol
from signalen.models import Doorzetting, Status, StatusWijziging
from signalen.services.doorzetten import doorzetting_token
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WACHTWOORD = "Zonnebloem-Maas-7"

MARKUP = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=1;alert(1)</script>'
KORT = 'Bea<img src=x onerror="window.__xss=1">'
# The markup as it looks when it was (rightly) shown as text.
ZICHTBAAR = "<img src=x onerror="

# Inside the team's buurt (tests.factories.SQUARE: 5.68-5.70, 50.84-50.86), as the subgebied.
VLAK = {
    "type": "Polygon",
    "coordinates": [[[5.685, 50.845], [5.695, 50.845], [5.695, 50.855], [5.685, 50.855], [5.685, 50.845]]],
}
ROUTE = {"type": "LineString", "coordinates": [[5.685, 50.845], [5.695, 50.855]]}

# Recorded in every document before any of its own scripts run.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def veld(naam: str) -> str:
    return f"{naam} {MARKUP}"


@pytest.fixture
def markup_world(db):
    gemeente = f.GemeenteFactory(naam=veld("Gemeente"))
    # Buurt and wijk names come from the CBS/PDOK import, i.e. from a file: as hostile as typed text.
    buurt = f.BuurtFactory(
        wijk__gemeente=gemeente, wijk__naam=veld("Wijk"), naam=veld("Buurt"), code="BU09350999"
    )
    team = f.TeamFactory(
        naam=veld("Team"), gemeente=gemeente, buurten=[buurt], doel=veld("Doel") + "\nTweede regel."
    )
    partner = f.PartnerFactory(gemeente=gemeente, naam=veld("Partner"))
    PartnerInzet.objects.create(
        team=team, partner=partner, toezegging=veld("Toezegging"), gevraagd=veld("Gevraagd")
    )
    subgebied = f.SubgebiedFactory(team=team, buurt=buurt, naam=veld("Subgebied"), geometrie=VLAK)
    # Names are typed by the invited person themselves.
    lid = f.LidmaatschapFactory(
        team=team,
        partner=partner,
        user=f.UserFactory(first_name=veld("Voornaam"), last_name=veld("Achternaam")),
    ).user
    beheerder = f.UserFactory(
        email="beheer@example.nl", first_name="Bea", last_name="Heer", is_staff=True, is_superuser=True
    )
    beheerder.set_password(WACHTWOORD)
    beheerder.save()
    f.verify_email(beheerder)
    f.LidmaatschapFactory(team=team, partner=partner, user=beheerder, rol=Rol.COORDINATOR)
    secret = f.activate_totp(beheerder)
    thema = f.ThemaFactory(gemeente=gemeente, naam=veld("Thema"))
    wijkronde = f.WijkrondeFactory(team=team, notities=veld("Notities"), route=ROUTE, created_by=lid)
    wijkronde.buurten.set([buurt])
    wijkronde.lopers.set([lid])
    wijkronde.meegelopen_partners.set([partner])
    signaal = f.SignaalFactory(
        team=team,
        titel=veld("Titel"),
        omschrijving=veld("Omschrijving"),
        thema=thema,
        buurt=buurt,
        subgebied=subgebied,
        wijkronde=wijkronde,
        lat=50.85,
        lon=5.69,
        created_by=lid,
    )
    StatusWijziging.objects.create(signaal=signaal, van="", naar=Status.NIEUW, door=lid, reden=veld("Reden"))
    # A forward with the partner's note: on the signal page, the dashboard and the partner's link.
    StatusWijziging.objects.create(
        signaal=signaal, van=Status.DRAAGVLAK_BEREIKT, naar=Status.GETRIEERD, door=lid
    )
    doorzetting = Doorzetting.objects.create(
        signaal=signaal,
        partner=partner,
        opvolgen_op="2020-01-06",
        antwoord="opgepakt",
        notitie=veld("Notitie"),
    )
    actie = f.ActieFactory(
        team=team,
        titel=veld("Actienaam"),
        omschrijving=veld("Actieomschrijving"),
        buurt=buurt,
        trekker=partner,
        bewoners_aantal=1,
    )
    f.MijlpaalFactory(actie=actie, titel=veld("Stap"))
    f.VoortgangsupdateFactory(actie=actie, tekst=veld("Bericht"), partner=partner)
    # A first name holds 60 characters: a shorter payload.
    f.BewonerTrekkerFactory(actie=actie, voornaam=KORT, toestemming=True)
    Notitie.objects.create(actie=actie, tekst=veld("Actienotitie"), door=lid)
    ActieStatusWijziging.objects.create(
        actie=actie, van="", naar="gepland", partner=partner, reden=veld("Actiereden")
    )
    return {
        "doorzetting": doorzetting,
        "team": team,
        "buurt": buurt,
        "subgebied": subgebied,
        "signaal": signaal,
        "wijkronde": wijkronde,
        "lid": lid,
        "secret": secret,
        "actie": actie,
    }


class Bewaker:
    """Everything a page may not do: run the markup, open a dialog, break the policy."""

    def __init__(self, page):
        self.page = page
        self.dialogen: list[str] = []
        self.console: list[str] = []
        self.fouten: list[str] = []
        page.context.add_init_script(WATCH)
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.fouten.append(str(exc)))

    def _dialog(self, dialog):
        self.dialogen.append(dialog.message)
        dialog.dismiss()

    def _console(self, msg):
        if msg.type in ("error", "warning"):
            self.console.append(msg.text)

    def bezoek(self, url: str, status: tuple[int, ...] = (200,)) -> None:
        self.console.clear()
        response = self.page.goto(url)
        assert response is not None and response.status in status, f"{url}: {response and response.status}"
        self.page.wait_for_load_state("load")
        self.controleer(url)

    def controleer(self, url: str) -> None:
        page = self.page
        assert page.evaluate("window.__xss") is None, f"{url}: de markup heeft script uitgevoerd"
        assert self.dialogen == [], f"{url}: dialoog {self.dialogen}"
        # The markup never became elements, whether or not the policy would have stopped it.
        assert page.locator("img[src='x']").count() == 0, f"{url}: <img> uit opgeslagen tekst"
        inline = page.locator("script:not([src]):not([type='application/json'])")
        assert inline.count() == 0, f"{url}: inline script {inline.first.inner_html()[:80]}"
        schendingen = page.evaluate("window.__csp")
        assert schendingen == [], f"{url}: CSP-schending {schendingen}"
        beleid = [m for m in self.console if "Content Security Policy" in m or "Permissions-Policy" in m]
        assert beleid == [], f"{url}: {beleid}"
        assert self.fouten == [], f"{url}: JavaScript-fout {self.fouten}"


def inloggen(page, secret: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill("beheer@example.nl")
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code").fill(f.totp_code(secret))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def kaartteksten(page, selector: str, soort: str) -> list[str]:
    """Open every tooltip or popup of the Leaflet map in `selector` and return their texts."""
    return page.evaluate(
        """([selector, soort]) => {
            const map = document.querySelector(selector).vbtKaart;
            const teksten = [];
            map.eachLayer((laag) => {
              const los = soort === "tooltip"
                ? laag.getTooltip && laag.getTooltip()
                : laag.getPopup && laag.getPopup();
              if (!los) return;
              if (soort === "tooltip") laag.openTooltip(); else laag.openPopup();
              const el = los.getElement();
              teksten.push((el.querySelector(".leaflet-popup-content") || el).textContent);
            });
            return teksten;
        }""",
        [selector, soort],
    )


def test_markup_in_every_text_field_never_runs_and_maps_show_it_as_text(page, markup_world):
    team, signaal, wijkronde = markup_world["team"], markup_world["signaal"], markup_world["wijkronde"]
    bewaker = Bewaker(page)
    inloggen(page, markup_world["secret"])
    bewaker.controleer("/accounts/2fa/authenticate/")

    # The team page: the map's tooltips were the hole (bindTooltip with a string is HTML).
    bewaker.bezoek(f"/teams/{team.pk}/")
    kaart = page.locator("#teamkaart")
    expect(kaart.locator("path.leaflet-interactive")).to_have_count(2)
    tooltips = kaartteksten(page, "#teamkaart", "tooltip")
    assert sorted(tooltips) == sorted([f"{veld('Buurt')} (BU09350999)", veld("Subgebied")])
    expect(page.locator(".leaflet-tooltip").first).to_contain_text(ZICHTBAAR)
    expect(page.get_by_text(veld("Doel"))).to_be_visible()
    expect(page.get_by_role("cell", name=veld("Toezegging"))).to_be_visible()
    bewaker.controleer("teamkaart met tooltips")

    bewaker.bezoek(f"/teams/{team.pk}/subgebieden/")
    assert sorted(kaartteksten(page, "#teamkaart", "tooltip")) == sorted(tooltips)
    bewaker.controleer("subgebiedenkaart met tooltips")

    bewaker.bezoek(f"/teams/{team.pk}/subgebieden/{markup_world['subgebied'].pk}/")
    expect(page.locator(".kaart.leaflet-container")).to_have_count(1)  # the drawing map
    for url in ["leden/", "doel/", "instellingen/", "uitnodigen/"]:
        bewaker.bezoek(f"/teams/{team.pk}/{url}")

    # Signal pages: list, map (popups), detail (map, history), dashboard, logging, walks.
    bewaker.bezoek("/signalen/")
    expect(page.get_by_role("link", name=veld("Titel"))).to_be_visible()
    bewaker.bezoek("/signalen/kaart/")
    # The points come from the map data after the page (id, status, thema): the popup names the thema.
    expect(page.locator("#signalenkaart .leaflet-marker-icon")).to_have_count(1)
    assert kaartteksten(page, "#signalenkaart", "popup") == [f"{veld('Thema')}Nieuw" + "Bekijk"]
    bewaker.controleer("signalenkaart met popup")
    bewaker.bezoek(f"/signalen/{signaal.pk}/")
    expect(page.get_by_text(veld("Omschrijving"))).to_be_visible()
    expect(page.get_by_text(veld("Reden"))).to_be_visible()
    expect(page.get_by_text(veld("Notitie"))).to_be_visible()
    expect(page.locator(".leaflet-container")).to_have_count(1)
    bewaker.bezoek("/signalen/dashboard/")
    expect(page.get_by_role("link", name=veld("Titel")).first).to_be_visible()
    bewaker.bezoek(f"/doorgezet/{doorzetting_token(doorzetting=markup_world['doorzetting'])}/")
    expect(page.get_by_text(veld("Titel"))).to_be_visible()
    # The triage page (acties) and one of its steps, with the signal's markup in cards and lists.
    bewaker.bezoek("/triage/")
    bewaker.bezoek(f"/triage/nieuw/?signaal={signaal.pk}")
    bewaker.bezoek("/coordinator/")  # the coördinator dashboard: SVG charts with stored names
    expect(page.get_by_role("img", name="Signalen per status")).to_be_visible()
    bewaker.bezoek("/signalen/nieuw/")
    bewaker.bezoek(f"/signalen/nieuw/?wijkronde={wijkronde.pk}")
    expect(page.locator(".kaart.leaflet-container")).to_have_count(1)
    bewaker.bezoek("/signalen/wijkrondes/")
    bewaker.bezoek("/signalen/wijkrondes/nieuw/")
    bewaker.bezoek(f"/signalen/wijkrondes/{wijkronde.pk}/")
    expect(page.get_by_text(veld("Notities"))).to_be_visible()
    expect(page.locator(".leaflet-container")).to_have_count(1)

    # Acties: list, page (timeline, notes, residents), status and edit pages.
    actie = markup_world["actie"]
    bewaker.bezoek(f"/acties/?team={team.pk}")
    expect(page.get_by_role("link", name=veld("Actienaam"))).to_be_visible()
    bewaker.bezoek(f"/acties/{actie.pk}/")
    for tekst in ("Actieomschrijving", "Bericht", "Actienotitie", "Actiereden", "Stap"):
        expect(page.get_by_text(veld(tekst)).first).to_be_visible()
    expect(page.get_by_text(KORT)).to_be_visible()
    bewaker.bezoek(f"/acties/{actie.pk}/status/")
    bewaker.bezoek(f"/acties/{actie.pk}/bewerken/")

    # The admin: every change list, and the change page of every object with markup.
    bewaker.bezoek("/admin/")
    for model in admin.site._registry:
        opts = model._meta
        bewaker.bezoek(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        try:
            toevoegen = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        except NoReverseMatch:
            continue
        bewaker.bezoek(toevoegen, status=(200, 403))  # some models are added only through a service
    objecten = [
        team,
        markup_world["buurt"],
        markup_world["subgebied"],
        signaal,
        wijkronde,
        markup_world["lid"],
        markup_world["buurt"].wijk,
    ]
    for obj in objecten:
        opts = obj._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        except NoReverseMatch:
            continue
        bewaker.bezoek(url)


def test_markup_on_the_public_pages_never_runs(page, markup_world):
    """The anonymous pages (publiek): the home map's tooltips, the buurt page with its map, an actie."""
    signaal = markup_world["signaal"]
    actie = f.ActieFactory(
        team=markup_world["team"],
        buurt=markup_world["buurt"],
        titel=veld("Actie"),
        omschrijving=veld("Uitleg"),
    )
    f.VoortgangsupdateFactory(actie=actie, tekst=veld("Update"))
    f.MijlpaalFactory(actie=actie, titel=veld("Mijlpaal"))
    f.ActieSignaalFactory(actie=actie, signaal=signaal)
    bewaker = Bewaker(page)
    bewaker.bezoek("/")
    assert kaartteksten(page, "#teamkaart", "tooltip") == [f"{veld('Buurt')} (BU09350999)"]
    bewaker.controleer("buurtenkaart met tooltips")
    bewaker.bezoek("/buurt/BU09350999/")  # redirected to the buurt's name
    expect(page.get_by_role("heading", name=veld("Titel"))).to_be_visible()
    expect(page.get_by_text(veld("Update"))).to_be_visible()
    expect(page.locator("#buurtkaart.leaflet-container")).to_have_count(1)
    bewaker.controleer("buurtkaart")
    bewaker.bezoek(f"/actie/{actie.pk}/")
    expect(page.get_by_role("heading", name=veld("Actie"))).to_be_visible()
    expect(page.get_by_text(veld("Mijlpaal"))).to_be_visible()


def test_a_stored_name_that_closes_the_json_script_does_not_escape_it(page, markup_world):
    """json_script escapes <, > and &: a name with </script> cannot end the data block early."""
    markup_world["buurt"].naam = "</script><script>window.__xss=1</script>"
    markup_world["buurt"].save()
    bewaker = Bewaker(page)
    inloggen(page, markup_world["secret"])
    bewaker.bezoek(f"/teams/{markup_world['team'].pk}/")
    tooltips = kaartteksten(page, "#teamkaart", "tooltip")
    assert "</script><script>window.__xss=1</script> (BU09350999)" in tooltips
    bewaker.controleer("teamkaart")


def test_the_policy_stops_markup_that_slips_through_anyway(page, markup_world):
    """Defence in depth: were a sink ever to insert stored markup as HTML again, the browser
    would refuse to run its event handler and report the violation."""
    bewaker = Bewaker(page)
    inloggen(page, markup_world["secret"])
    bewaker.bezoek(f"/teams/{markup_world['team'].pk}/")
    page.evaluate(
        """(markup) => {
            const div = document.createElement("div");
            div.innerHTML = markup;
            document.body.appendChild(div);
        }""",
        MARKUP,
    )
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__xss") is None
    assert bewaker.dialogen == []
    assert any(v.startswith("script-src") for v in page.evaluate("window.__csp"))


def test_pages_before_login_and_the_totp_setup_keep_working_under_the_policy(page, markup_world):
    """The login pages, the public home and the TOTP setup (its QR code is a data: image) raise no
    violation; the invitation page neither."""
    bewaker = Bewaker(page)
    publiek = [
        "/toegankelijkheid/",
        f"/buurt/{markup_world['team'].slug}/wens/",
        f"/steunen/{markup_world['signaal'].pk}/",
    ]
    for url in [
        "/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/signup/",
        "/nergens/",
        *publiek,
    ]:
        bewaker.console.clear()
        page.goto(url)
        bewaker.controleer(url)

    coordinator = f.LidmaatschapFactory(
        team=markup_world["team"], rol=Rol.COORDINATOR, user=f.UserFactory(email="nieuw@example.nl")
    ).user
    coordinator.set_password(WACHTWOORD)
    coordinator.save()
    f.verify_email(coordinator)
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill("nieuw@example.nl")
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"/teams/{markup_world['team'].pk}/subgebieden/")
    bevestig = page.get_by_role("button", name="Bevestigen")
    if bevestig.count():  # allauth may ask for the password once more before the setup
        page.get_by_label("Wachtwoord").fill(WACHTWOORD)
        bevestig.click()
    qr = page.get_by_role("img", name="QR-code voor je authenticator-app")
    expect(qr).to_be_visible()
    assert page.evaluate("document.querySelector('img[alt^=\"QR\"]').naturalWidth") > 0
    bewaker.controleer(page.url)


def test_use_my_location_still_works_under_the_permissions_policy(page, markup_world):
    """Permissions-Policy allows geolocation for this site only: the phone page's button works."""
    bewaker = Bewaker(page)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 50.8512, "longitude": 5.6901})
    inloggen(page, markup_world["secret"])
    bewaker.bezoek("/signalen/nieuw/")
    page.get_by_role("button", name="Gebruik mijn locatie").click()
    expect(page.get_by_label("Breedtegraad")).to_have_value("50.8512")
    expect(page.get_by_label("Lengtegraad")).to_have_value("5.6901")
    bewaker.controleer("locatie gekozen")


def test_the_error_pages_keep_working_under_the_policy(page, markup_world):
    """403, 404 and the language switch on an error page: no violation, nothing runs."""
    bewaker = Bewaker(page)
    inloggen(page, markup_world["secret"])
    bewaker.bezoek("/teams/999999/", status=(404,))
    bewaker.bezoek("/nergens/", status=(404,))
    teamlid = markup_world["lid"]
    teamlid.set_password(WACHTWOORD)
    teamlid.save()
    f.verify_email(teamlid)
    page.goto("/")
    page.get_by_role("button", name="Uitloggen").click()
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(teamlid.email)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    bewaker.bezoek("/signalen/dashboard/", status=(403,))
    bewaker.bezoek("/triage/", status=(403,))
    bewaker.bezoek("/coordinator/", status=(403,))
