"""axe-core (WCAG 2.1 A and AA) on every public page in Chromium at 375 px: zero violations; the
map's own controls speak Dutch."""

from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import AnonymousUser

from notificaties.models import Bericht
from publiek.emails import STEUN_MAIL, WENS_MAIL
from publiek.services.steunen import online_steun_aanvragen
from publiek.services.wensen import online_wens_aanvragen
from tests.a11y import assert_axe_clean

from .pages import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(soort):
    return urlparse(Bericht.objects.filter(soort=soort).latest("pk").context["link"]).path


@pytest.fixture
def wereld(db):
    world = build_world()
    team, signaal = world["team"], world["signaal"]
    online_steun_aanvragen(
        signaal=signaal,
        postcode="6211 AB",
        huisnummer="1",
        email="a@example.nl",
        email_toestemming=False,
        door=AnonymousUser(),
    )
    online_wens_aanvragen(
        team=team,
        buurten=list(team.buurten.all()),
        titel="Bankje",
        omschrijving="Graag",
        thema=world["thema"],
        lat=None,
        lon=None,
        postcode="6211 AB",
        huisnummer="2",
        email="b@example.nl",
        door=AnonymousUser(),
    )
    world["steun_link"], world["wens_link"] = _link(STEUN_MAIL), _link(WENS_MAIL)
    return world


def test_every_public_page_has_no_axe_violations(page, wereld):
    team, signaal = wereld["team"], wereld["signaal"]
    paden = [
        f"/steunen/{signaal.pk}/",
        f"/steunen/{signaal.pk}/bedankt/",
        f"/buurt/{team.slug}/wens/",
        wereld["steun_link"],
        wereld["wens_link"],
        "/steunen/bevestigen/knoeiwerk/",
        "/buurt/bestaat-niet/wens/",
        "/toegankelijkheid/",
        "/privacy/",
        "/steun-intrekken/",
    ]
    paden += ["/", f"/buurt/{team.slug}/", f"/actie/{wereld['actie_id']}/", "/buurt/bestaat-niet/"]
    for pad in paden:
        page.goto(pad)
        assert_axe_clean(page)
    # A form with errors too.
    page.goto(f"/steunen/{signaal.pk}/")
    page.get_by_role("button", name="Stuur de bevestigingslink").click()
    assert page.get_by_text("Er is niets opgeslagen").is_visible()
    assert_axe_clean(page)


def test_leaflet_controls_are_dutch_and_big_enough(page, wereld):
    page.goto(f"/buurt/{wereld['team'].slug}/wens/")
    inzoomen = page.get_by_role("button", name="Inzoomen")
    uitzoomen = page.get_by_role("button", name="Uitzoomen")
    for knop in (inzoomen, uitzoomen):
        box = knop.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    assert "CBS" in page.locator(".leaflet-control-attribution").inner_text()
