"""Browser journey: a new person opens the invitation link on a phone and lands logged in."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail

from buurten.models import Lidmaatschap, PartnerType, Rol, User
from buurten.services.uitnodigingen import uitnodiging_create
from tests.factories import LidmaatschapFactory, PartnerFactory, TeamFactory
from tests.outbox import deliver_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_accept_invitation_and_land_on_the_team_page(page, live_server):
    team = TeamFactory(naam="Malberg")
    coordinator = LidmaatschapFactory(team=team, rol=Rol.COORDINATOR).user
    TOTP.activate(coordinator, generate_totp_secret())
    woonpunt = PartnerFactory(gemeente=team.gemeente, naam="Woonpunt", type=PartnerType.WONINGCORPORATIE)
    uitnodiging_create(
        team=team,
        partner=woonpunt,
        rol=Rol.TEAMLID,
        email="anna@example.nl",
        door=coordinator,
        base_url=live_server.url,
    )
    deliver_outbox()
    (message,) = mail.outbox
    link = re.search(r"http://\S+/uitnodiging/\S+/", message.body).group(0)

    page.goto(link)
    page.get_by_role("heading", name="Welkom bij Malberg").wait_for()
    page.get_by_label("Voornaam").fill("Anna")
    page.get_by_label("Achternaam").fill("Smeets")
    page.get_by_label("Wachtwoord:", exact=True).fill("Zonnebloem-Maas-7")
    page.get_by_label("Wachtwoord herhalen").fill("Zonnebloem-Maas-7")
    page.get_by_role("button", name="Account aanmaken").click()

    page.get_by_role("heading", name="Malberg", exact=True).wait_for()
    assert page.get_by_text("Welkom bij Malberg!").is_visible()
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    user = User.objects.get(email="anna@example.nl")
    assert Lidmaatschap.objects.filter(user=user, team=team, partner=woonpunt).exists()

    # The link worked once: opening it again explains why it no longer does.
    page.goto(link)
    assert page.get_by_role("heading", name="Uitnodiging werkt niet").is_visible()
