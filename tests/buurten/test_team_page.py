"""The team home page and the coordinator pages: what they show, what they refuse, how many queries."""

import json

import pytest
from django.urls import reverse
from django.utils.html import escape

from buurten.models import Lidmaatschap, PartnerInzet, PartnerType, Rol, Subgebied
from tests import factories as f
from tests.buurten.teams_world import IN_EAST, INSIDE_WEST, grow_world

pytestmark = pytest.mark.django_db


def detail(world):
    return reverse("buurten:team_detail", kwargs={"team_id": world.team.pk})


# --- home -------------------------------------------------------------------------------------


def test_anonymous_home_is_the_public_intro(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Veilige Buurten Teams" in response.content.decode()
    assert reverse("account_login") in response.content.decode()


def test_home_sends_a_one_team_member_to_the_team(client, world):
    client.force_login(world.teamlid)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == detail(world)


def test_home_lists_the_teams_of_a_member_of_several(client, world):
    f.LidmaatschapFactory(user=world.teamlid, team=world.other_team, partner=world.teamlid_seat.partner)
    client.force_login(world.teamlid)
    body = client.get("/").content.decode()
    assert "Team West" in body and "Team Oost" in body


def test_home_for_someone_without_a_team(client):
    client.force_login(f.UserFactory())
    body = client.get("/").content.decode()
    assert "nog geen lid van een team" in body


# --- the team page ------------------------------------------------------------------------------


def test_team_page_shows_map_goal_commitments_and_members(client, world):
    PartnerInzet.objects.create(
        team=world.team,
        partner=world.partners[PartnerType.POLITIE],
        toezegging="Wijkagent loopt mee",
        gevraagd="Signalen delen",
    )
    client.force_login(world.teamlid)
    response = client.get(detail(world))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="teamkaart"' in body and 'aria-label="Kaart van de buurten van het team"' in body
    kaart = response.context["kaart_geojson"]
    assert [feat["properties"]["naam"] for feat in kaart["features"]] == ["Westbuurt"]
    assert 'id="teamkaart-data"' in body
    assert "Samen zorgen voor een schone en veilige buurt." in body
    assert "Wijkagent loopt mee" in body and "Signalen delen" in body
    # Names are HTML-escaped (Faker makes names like "van 't Erve").
    assert escape(str(world.teamlid)) in body and escape(str(world.coordinator)) in body
    assert "Coördinator" in body
    assert "Westbuurt" in body
    # A teamlid gets no management links.
    assert reverse("signalen:team_instellingen", kwargs={"team_id": world.team.pk}) not in body
    # The other team does not leak.
    assert "Oostbuurt" not in body and "Molenweg" not in body


def test_coordinator_sees_the_management_links_and_the_invite_link(client, world):
    client.force_login(world.coordinator)
    body = client.get(detail(world)).content.decode()
    for name in (
        "buurten:team_doel",
        "signalen:team_instellingen",
        "buurten:team_leden",
        "buurten:subgebied_list",
        "buurten:uitnodigen",
    ):
        assert reverse(name, kwargs={"team_id": world.team.pk}) in body


def test_team_page_query_count_does_not_grow(client, django_assert_max_num_queries, world):
    client.force_login(world.teamlid)
    with django_assert_max_num_queries(7):
        assert client.get(detail(world)).status_code == 200
    for partner in world.partners.values():
        PartnerInzet.objects.create(team=world.team, partner=partner, toezegging="x")
        for _ in range(4):
            f.LidmaatschapFactory(team=world.team, partner=partner)
    for i in range(5):
        buurt = f.BuurtFactory(wijk__gemeente=world.team.gemeente)
        world.team.buurten.add(buurt)
        f.SubgebiedFactory(team=world.team, buurt=buurt, naam=f"Straat {i}", geometrie=INSIDE_WEST)
    with django_assert_max_num_queries(7):
        response = client.get(detail(world))
    assert len(response.context["kaart_geojson"]["features"]) == 6 + 5


def test_member_and_subgebied_pages_query_count_does_not_grow(client, django_assert_max_num_queries, world):
    grow_world(world)
    client.force_login(world.coordinator)
    for name in ("team_leden", "subgebied_list"):
        with django_assert_max_num_queries(10):
            assert (
                client.get(reverse(f"buurten:{name}", kwargs={"team_id": world.team.pk})).status_code == 200
            )


# --- coordinator forms: good and bad input --------------------------------------------------------


def settings_url(world):
    return reverse("signalen:team_instellingen", kwargs={"team_id": world.team.pk})


@pytest.mark.parametrize("drempel", ["0", "-3"])
def test_threshold_form_refuses_below_one(client, drempel, world):
    client.force_login(world.coordinator)
    response = client.post(
        settings_url(world),
        {
            "drempel_huishoudens": drempel,
            "anoniem_gewicht": "0,5",
            "steun_venster_maanden": "12",
            "bewaartermijn_maanden": "24",
        },
    )
    assert response.status_code == 400
    assert "Kies een getal van 1 tot en met 1000." in response.content.decode()
    world.team.refresh_from_db()
    assert world.team.drempel_huishoudens == 5


def test_threshold_form_saves(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        settings_url(world),
        {
            "drempel_huishoudens": "3",
            "anoniem_gewicht": "0,25",
            "steun_venster_maanden": "6",
            "bewaartermijn_maanden": "12",
        },
    )
    assert response.status_code == 302
    world.team.refresh_from_db()
    assert world.team.drempel_huishoudens == 3
    assert str(world.team.anoniem_gewicht) == "0.25"


def test_threshold_form_of_another_team_writes_nothing(client, world):
    client.force_login(world.other_coordinator)
    response = client.post(settings_url(world), {"drempel_huishoudens": "1"})
    assert response.status_code == 404
    world.team.refresh_from_db()
    assert world.team.drempel_huishoudens == 5


def test_goal_form_saves_goal_and_commitments(client, world):
    politie = world.partners[PartnerType.POLITIE]
    client.force_login(world.coordinator)
    url = reverse("buurten:team_doel", kwargs={"team_id": world.team.pk})
    page = client.get(url).content.decode()
    assert "Wat Partner politie inbrengt" in page
    response = client.post(
        url,
        {
            "doel": "Veilig spelen",
            "doel_start": "2026-01-01",
            "doel_evaluatie": "2026-12-31",
            f"toezegging_{politie.pk}": "Extra surveillance",
            f"gevraagd_{politie.pk}": "Meldingen doorgeven",
        },
    )
    assert response.status_code == 302
    world.team.refresh_from_db()
    assert world.team.doel == "Veilig spelen"
    assert PartnerInzet.objects.get(team=world.team).toezegging == "Extra surveillance"


def test_goal_form_refuses_evaluation_before_start(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("buurten:team_doel", kwargs={"team_id": world.team.pk}),
        {"doel": "Veilig spelen", "doel_start": "2026-06-01", "doel_evaluatie": "2026-01-01"},
    )
    assert response.status_code == 400
    assert "De evaluatiedatum moet op of na de startdatum liggen." in response.content.decode()
    world.team.refresh_from_db()
    assert world.team.doel != "Veilig spelen"


def test_members_page_change_role_and_remove(client, world):
    client.force_login(world.coordinator)
    kwargs = {"team_id": world.team.pk, "lid_id": world.teamlid_seat.pk}
    client.post(
        reverse("buurten:lid_rol", kwargs=kwargs), {f"lid{world.teamlid_seat.pk}-rol": Rol.COORDINATOR}
    )
    world.teamlid_seat.refresh_from_db()
    assert world.teamlid_seat.rol == Rol.COORDINATOR
    response = client.post(reverse("buurten:lid_verwijderen", kwargs=kwargs))
    assert response.status_code == 302
    assert not Lidmaatschap.objects.filter(pk=world.teamlid_seat.pk).exists()


def test_members_page_refuses_removing_the_last_coordinator(client, world):
    client.force_login(world.coordinator)
    kwargs = {"team_id": world.team.pk, "lid_id": world.coordinator_seat.pk}
    response = client.post(reverse("buurten:lid_verwijderen", kwargs=kwargs))
    assert response.status_code == 400
    assert "laatste coördinator" in response.content.decode()
    assert Lidmaatschap.objects.filter(pk=world.coordinator_seat.pk).exists()

    response = client.post(
        reverse("buurten:lid_rol", kwargs=kwargs),
        {f"lid{world.coordinator_seat.pk}-rol": Rol.TEAMLID},
        follow=True,
    )
    assert "minstens één coördinator" in response.content.decode()
    world.coordinator_seat.refresh_from_db()
    assert world.coordinator_seat.rol == Rol.COORDINATOR


def test_role_form_refuses_nonsense(client, world):
    client.force_login(world.coordinator)
    kwargs = {"team_id": world.team.pk, "lid_id": world.teamlid_seat.pk}
    response = client.post(
        reverse("buurten:lid_rol", kwargs=kwargs), {f"lid{world.teamlid_seat.pk}-rol": "baas"}, follow=True
    )
    assert "geldige keuze" in response.content.decode()
    world.teamlid_seat.refresh_from_db()
    assert world.teamlid_seat.rol == Rol.TEAMLID


def test_subgebied_form_creates_inside_and_refuses_outside(client, world):
    client.force_login(world.coordinator)
    url = reverse("buurten:subgebied_nieuw", kwargs={"team_id": world.team.pk})
    page = client.get(url).content.decode()
    assert "Kaart om een vlak te tekenen" in page  # the KaartWidget in polygon mode

    response = client.post(url, {"naam": "Buiten", "buurt": world.buurt.pk, "geometrie": json.dumps(IN_EAST)})
    assert response.status_code == 400
    assert "Het subgebied ligt buiten de buurt Westbuurt" in response.content.decode()
    assert not Subgebied.objects.filter(naam="Buiten").exists()

    response = client.post(
        url, {"naam": "Binnen", "buurt": world.buurt.pk, "geometrie": json.dumps(INSIDE_WEST)}
    )
    assert response.status_code == 302
    assert Subgebied.objects.get(naam="Binnen").geometrie["type"] == "Polygon"


def test_subgebied_form_offers_only_the_teams_buurten(client, world):
    client.force_login(world.coordinator)
    url = reverse("buurten:subgebied_nieuw", kwargs={"team_id": world.team.pk})
    response = client.post(url, {"naam": "Molenweg 2", "buurt": world.other_buurt.pk, "geometrie": ""})
    assert response.status_code == 400
    assert not Subgebied.objects.filter(naam="Molenweg 2").exists()


def test_subgebied_edit_and_delete(client, world):
    client.force_login(world.coordinator)
    kwargs = {"team_id": world.team.pk, "subgebied_id": world.subgebied.pk}
    response = client.post(
        reverse("buurten:subgebied_bewerken", kwargs=kwargs),
        {"naam": "Kerkstraat-Noord", "buurt": world.buurt.pk, "geometrie": json.dumps(INSIDE_WEST)},
    )
    assert response.status_code == 302
    world.subgebied.refresh_from_db()
    assert world.subgebied.naam == "Kerkstraat-Noord"
    assert client.post(reverse("buurten:subgebied_verwijderen", kwargs=kwargs)).status_code == 302
    assert not Subgebied.objects.filter(pk=world.subgebied.pk).exists()


def test_coordinator_who_leaves_the_team_lands_on_home(client, world):
    second = f.LidmaatschapFactory(team=world.team, partner=world.teamlid_seat.partner, rol=Rol.COORDINATOR)
    f.activate_totp(second.user)
    client.force_login(world.coordinator)
    kwargs = {"team_id": world.team.pk, "lid_id": world.coordinator_seat.pk}
    response = client.post(reverse("buurten:lid_verwijderen", kwargs=kwargs))
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get(detail(world)).status_code == 404
