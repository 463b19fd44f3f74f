"""The team's signals as a list and a map, with filters; the coordinator dashboard; walks."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from buurten.models import Rol
from signalen.models import Kanaal, Signaal, Status, Wijkronde
from tests import factories as f

LIJST = reverse("signalen:lijst")
KAART = reverse("signalen:kaart")


@pytest.fixture
def signalen(team, thema, ander_team):
    verlichting = f.ThemaFactory(gemeente=team.gemeente, naam="verlichting")
    tweede = f.BuurtFactory(wijk__gemeente=team.gemeente, naam="Malpertuis")
    team.buurten.add(tweede)
    oud = f.SignaalFactory(team=team, thema=thema, titel="Oud zwerfvuil")
    Signaal.objects.filter(pk=oud.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    return {
        "oud": oud,
        "licht": f.SignaalFactory(
            team=team, thema=verlichting, titel="Lamp kapot", kanaal=Kanaal.HUISBEZOEK, buurt=tweede
        ),
        "bereikt": f.SignaalFactory(
            team=team, thema=thema, titel="Vuil bij de glasbak", status=Status.DRAAGVLAK_BEREIKT
        ),
        "elders": f.SignaalFactory(team=ander_team, titel="Signaal van een ander team"),
        "verlichting": verlichting,
        "tweede": tweede,
    }


def titels(response):
    html = response.content.decode()
    return {
        t
        for t in ("Oud zwerfvuil", "Lamp kapot", "Vuil bij de glasbak", "Signaal van een ander team")
        if t in html
    }


def test_list_shows_only_my_teams_signals(teamlid_client, signalen):
    response = teamlid_client.get(LIJST)
    assert response.status_code == 200
    assert titels(response) == {"Oud zwerfvuil", "Lamp kapot", "Vuil bij de glasbak"}
    assert "3 signalen gevonden." in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda s: {"thema": s["verlichting"].pk}, {"Lamp kapot"}),
        (lambda s: {"buurt": s["tweede"].pk}, {"Lamp kapot"}),
        (lambda s: {"status": "draagvlak_bereikt"}, {"Vuil bij de glasbak"}),
        (lambda s: {"kanaal": "huisbezoek"}, {"Lamp kapot"}),
        (
            lambda s: {"van": (timezone.localdate() - dt.timedelta(days=7)).isoformat()},
            {"Lamp kapot", "Vuil bij de glasbak"},
        ),
        (lambda s: {"tot": (timezone.localdate() - dt.timedelta(days=30)).isoformat()}, {"Oud zwerfvuil"}),
    ],
)
def test_filters(teamlid_client, signalen, params, expected):
    assert titels(teamlid_client.get(LIJST, params(signalen))) == expected


def test_bad_filter_is_shown_and_not_applied(teamlid_client, signalen):
    response = teamlid_client.get(LIJST, {"van": "gisteren", "status": "onzin"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Een filter klopt niet en is niet toegepast" in html
    assert titels(response) == {"Oud zwerfvuil", "Lamp kapot", "Vuil bij de glasbak"}
    response = teamlid_client.get(LIJST, {"van": "2026-05-01", "tot": "2026-04-01"})
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()


def test_another_teams_buurt_is_not_a_filter_choice(teamlid_client, signalen, ander_team):
    response = teamlid_client.get(LIJST, {"buurt": ander_team.buurten.get().pk})
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert "Signaal van een ander team" not in response.content.decode()


def test_map_points_come_from_the_map_data(teamlid_client, signalen):
    html = teamlid_client.get(KAART, {"thema": signalen["verlichting"].pk}).content.decode()
    assert 'id="signalenkaart-labels"' in html and "Lamp kapot" not in html
    data = json.loads(
        teamlid_client.get(reverse("signalen:kaart_punten"), {"thema": signalen["verlichting"].pk}).content
    )
    assert [p["id"] for p in data["features"]] == [signalen["licht"].pk]
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [5.69, 50.85]}


def test_list_and_map_query_counts_do_not_grow(client, teamlid, team, thema, django_assert_max_num_queries):
    client.force_login(teamlid)
    f.SignaalFactory.create_batch(3, team=team, thema=thema)
    counts = {}
    for page in (LIJST, KAART):
        with django_assert_max_num_queries(20) as few:
            client.get(page)
        counts[page] = len(few.captured_queries)
    sub = f.SubgebiedFactory(team=team)
    f.SignaalFactory.create_batch(30, team=team, thema=thema, subgebied=sub)
    for page in (LIJST, KAART):
        with django_assert_max_num_queries(counts[page]):
            client.get(page)


def test_list_needs_login(client, db):
    assert client.get(LIJST).status_code == 302


# Dashboard ----------------------------------------------------------------------------------


def test_dashboard_lists_signals_waiting_for_triage_of_my_teams(client, coordinator, signalen, ander_team):
    f.SignaalFactory(team=ander_team, status=Status.DRAAGVLAK_BEREIKT, titel="Elders bereikt")
    f.activate_totp(coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("signalen:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vuil bij de glasbak" in html
    assert "Lamp kapot" not in html and "Elders bereikt" not in html
    assert "Triage: Vuil bij de glasbak" in html
    bereikt = signalen["bereikt"]
    assert (
        f"/admin/signalen/signaal/?status__exact=draagvlak_bereikt&amp;team__id__exact={bereikt.team_id}"
        "&amp;q=Vuil%20bij%20de%20glasbak"
    ) in html


def test_dashboard_is_for_coordinators(teamlid_client, signalen):
    assert teamlid_client.get(reverse("signalen:dashboard")).status_code == 403


def test_dashboard_needs_two_factor_authentication(client, coordinator, signalen):
    client.force_login(coordinator)
    response = client.get(reverse("signalen:dashboard"))
    setup = reverse("mfa_activate_totp") + "?next=%2Fsignalen%2Fdashboard%2F"  # and back here afterwards
    assert response.status_code == 302 and response["Location"] == setup


def test_dashboard_query_count(client, coordinator, team, thema, django_assert_max_num_queries):
    f.activate_totp(coordinator)
    client.force_login(coordinator)
    f.SignaalFactory.create_batch(2, team=team, thema=thema, status=Status.DRAAGVLAK_BEREIKT)
    # 13: the triage queue and the overdue forwards are one query each.
    with django_assert_max_num_queries(13) as few:
        client.get(reverse("signalen:dashboard"))
    f.SignaalFactory.create_batch(20, team=team, thema=thema, status=Status.DRAAGVLAK_BEREIKT)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("signalen:dashboard"))


def test_a_teamlid_of_one_team_and_coordinator_of_another_sees_only_the_coordinated_queue(
    client, teamlid, team, ander_team, thema
):
    f.LidmaatschapFactory(user=teamlid, team=ander_team, rol=Rol.COORDINATOR)
    f.SignaalFactory(team=team, thema=thema, status=Status.DRAAGVLAK_BEREIKT, titel="Hier teamlid")
    f.SignaalFactory(team=ander_team, status=Status.DRAAGVLAK_BEREIKT, titel="Hier coordinator")
    f.activate_totp(teamlid)
    client.force_login(teamlid)
    html = client.get(reverse("signalen:dashboard")).content.decode()
    assert "Hier coordinator" in html and "Hier teamlid" not in html


# Walks --------------------------------------------------------------------------------------


def test_start_a_walk_and_log_from_it(client, teamlid, team, coordinator):
    partner = f.PartnerFactory(gemeente=team.gemeente, naam="Woonpunt")
    client.force_login(teamlid)
    form = client.get(reverse("signalen:wijkronde_nieuw"))
    assert "Wie liepen er mee (teamleden)" in form.content.decode() and "Woonpunt" in form.content.decode()
    assert form.context["form"]["lopers"].initial == [teamlid.pk]
    response = client.post(
        reverse("signalen:wijkronde_nieuw"),
        {
            "datum": timezone.localdate().isoformat(),
            "buurten": [team.buurten.get().pk],
            "lopers": [teamlid.pk, coordinator.pk],
            "meegelopen_partners": [partner.pk],
            "notities": "Rondje via het winkelcentrum.",
        },
    )
    wijkronde = Wijkronde.objects.get()
    assert response["Location"] == reverse("signalen:wijkronde", args=[wijkronde.pk])
    assert set(wijkronde.lopers.all()) == {teamlid, coordinator}
    assert list(wijkronde.meegelopen_partners.all()) == [partner]
    detail = client.get(response["Location"]).content.decode()
    assert "Signaal toevoegen" in detail
    assert f"{reverse('signalen:nieuw')}?wijkronde={wijkronde.pk}" in detail
    assert "Woonpunt" in detail and "Rondje via het winkelcentrum." in detail
    assert response["Location"] in client.get(reverse("signalen:wijkrondes")).content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"buurten": []}, "Kies minstens één buurt van het team."),
        ({"datum": "2999-01-01"}, "Een wijkronde kan niet in de toekomst liggen."),
        ({"datum": ""}, "Dit veld is verplicht."),
        # Ids beyond the database's integer range (found by tests/fuzz: OverflowError on SQLite).
        ({"buurten": ["9223372036854775808"]}, "‘9223372036854775808’ is geen geldige waarde."),
        ({"lopers": [str(-(2**63) - 1)]}, "‘-9223372036854775809’ is geen geldige waarde."),
        ({"meegelopen_partners": [str(10**30)]}, f"‘{10**30}’ is geen geldige waarde."),
    ],
)
def test_bad_walk_input_writes_nothing(teamlid_client, team, change, message):
    data = {"datum": timezone.localdate().isoformat(), "buurten": [team.buurten.get().pk]}
    data.update(change)
    response = teamlid_client.post(reverse("signalen:wijkronde_nieuw"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Wijkronde.objects.count() == 0


def test_a_walk_of_another_team_is_a_404(client, buitenstaander, team):
    wijkronde = f.WijkrondeFactory(team=team)
    client.force_login(buitenstaander)
    assert client.get(reverse("signalen:wijkronde", args=[wijkronde.pk])).status_code == 404
    assert client.get(reverse("signalen:wijkronde_nieuw"), {"team": team.pk}).status_code == 404
    lijst = client.get(reverse("signalen:wijkrondes")).content.decode()
    assert reverse("signalen:wijkronde", args=[wijkronde.pk]) not in lijst


def test_walk_page_query_count(client, teamlid, team, thema, django_assert_max_num_queries):
    wijkronde = f.WijkrondeFactory(team=team)
    wijkronde.buurten.set(team.buurten.all())
    client.force_login(teamlid)
    f.SignaalFactory.create_batch(2, team=team, thema=thema, wijkronde=wijkronde)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("signalen:wijkronde", args=[wijkronde.pk]))
    f.SignaalFactory.create_batch(20, team=team, thema=thema, wijkronde=wijkronde)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("signalen:wijkronde", args=[wijkronde.pk]))


def test_walk_with_a_drawn_route(teamlid_client, team):
    route = {"type": "LineString", "coordinates": [[5.685, 50.845], [5.69, 50.85], [5.695, 50.852]]}
    form = teamlid_client.get(reverse("signalen:wijkronde_nieuw")).content.decode()
    assert "Kaart om een route te tekenen" in form and "leaflet/draw/leaflet.draw.js" in form
    response = teamlid_client.post(
        reverse("signalen:wijkronde_nieuw"),
        {
            "datum": timezone.localdate().isoformat(),
            "buurten": [team.buurten.get().pk],
            "route": json.dumps(route),
        },
    )
    wijkronde = Wijkronde.objects.get()
    assert wijkronde.route == route
    detail = teamlid_client.get(response["Location"])
    assert "Kaart met de gelopen route" in detail.content.decode()
    assert detail.context["route_geojson"]["features"][0]["geometry"] == route


def test_walk_with_a_broken_route_writes_nothing(teamlid_client, team):
    response = teamlid_client.post(
        reverse("signalen:wijkronde_nieuw"),
        {
            "datum": timezone.localdate().isoformat(),
            "buurten": [team.buurten.get().pk],
            "route": json.dumps({"type": "LineString", "coordinates": [[5.685, 50.845]]}),
        },
    )
    assert "Een route heeft minstens twee punten nodig." in response.content.decode()
    assert Wijkronde.objects.count() == 0
