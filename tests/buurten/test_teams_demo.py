"""Demo teams: real Maastricht buurten, every partner in each team, idempotent, logins printed."""

from io import StringIO

import pytest
from django.core.management.base import OutputWrapper
from django.core.management.color import no_style
from django.urls import reverse

from buurten.models import Lidmaatschap, Partner, PartnerInzet, PartnerType, Rol, Subgebied, Team, User
from demo.gebieden import load_places
from demo.teams import DEMO_WACHTWOORD, load_teams, print_logins

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    load_places(stdout=OutputWrapper(StringIO()), style=no_style())
    load_teams(stdout=OutputWrapper(out), style=no_style())
    print_logins(stdout=OutputWrapper(out), style=no_style())
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Team, Partner, Lidmaatschap, PartnerInzet, Subgebied, User))


def test_demo_teams_are_complete_and_idempotent():
    output = run()
    first = counts()
    assert run() and counts() == first

    malberg = Team.objects.get(naam="VBT Malberg")
    assert list(malberg.buurten.values_list("naam", flat=True)) == ["Malberg"]
    wn = Team.objects.get(naam="VBT Wittevrouwenveld/Nazareth")
    assert set(wn.buurten.values_list("naam", flat=True)) == {"Wittevrouwenveld", "Nazareth"}

    assert set(Partner.objects.values_list("naam", "type")) == {
        ("Gemeente Maastricht", PartnerType.GEMEENTE),
        ("Politie Limburg", PartnerType.POLITIE),
        ("Woonpunt", PartnerType.WONINGCORPORATIE),
        ("Servatius", PartnerType.WONINGCORPORATIE),
        ("Trajekt", PartnerType.WELZIJN),
    }
    assert all(Partner.objects.values_list("contact_email", flat=True))
    for team in (malberg, wn):
        assert team.doel and team.doel_start and team.doel_evaluatie
        assert team.lidmaatschappen.filter(rol=Rol.COORDINATOR).count() == 1
        assert team.lidmaatschappen.values("partner").distinct().count() == 5
        assert team.inzet.count() == 5
        assert team.subgebieden.exclude(geometrie=None).exists()
        coordinator = team.lidmaatschappen.get(rol=Rol.COORDINATOR).user
        assert coordinator.is_staff and not coordinator.is_superuser

    assert "Demo-logins" in output and DEMO_WACHTWOORD in output
    assert "coordinator.malberg@example.org" in output
    assert "politie.wittevrouwenveld-nazareth@example.org" in output
    assert "tweestapsverificatie" in output
    assert User.objects.get(email="beheer@example.org").is_superuser


def test_a_demo_member_logs_in_and_sees_their_team(client):
    run()
    assert client.login(email="trajekt.malberg@example.org", password=DEMO_WACHTWOORD)
    team = Team.objects.get(slug="malberg")
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("buurten:team_detail", kwargs={"team_id": team.pk})
    assert len(response.context["kaart_geojson"]["features"]) >= 1
