"""Every role against every team page: who may, who may not; the partner type never matters.

The world is built once for the module (the `world` fixture); what a test writes is rolled back.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from buurten import selectors
from buurten.models import Lidmaatschap, PartnerType, Rol
from tests import factories as f
from tests.buurten.teams_world import ROLES

pytestmark = pytest.mark.django_db

LOGIN = "login"  # anonymous: sent to the login page

# page name → expected outcome per role (anonymous, teamlid, coordinator, other team's coordinator, staff)
TEAM_PAGE = {"anonymous": LOGIN, "teamlid": 200, "coordinator": 200, "other_coordinator": 404, "staff": 200}
COORDINATOR_PAGE = {
    "anonymous": LOGIN,
    "teamlid": 403,
    "coordinator": 200,
    "other_coordinator": 404,
    "staff": 200,
}
PAGES = {
    "team_detail": TEAM_PAGE,
    "team_doel": COORDINATOR_PAGE,
    "signalen:team_instellingen": COORDINATOR_PAGE,
    "team_leden": COORDINATOR_PAGE,
    "uitnodigen": COORDINATOR_PAGE,
    "lid_toevoegen": COORDINATOR_PAGE,
    "lid_verwijderen": COORDINATOR_PAGE,
    "subgebied_list": COORDINATOR_PAGE,
    "subgebied_nieuw": COORDINATOR_PAGE,
    "subgebied_bewerken": COORDINATOR_PAGE,
    "subgebied_verwijderen": COORDINATOR_PAGE,
}


def page_url(world, name: str) -> str:
    kwargs = {"team_id": world.team.pk}
    if name == "lid_verwijderen":
        kwargs["lid_id"] = world.teamlid_seat.pk
    if name in ("subgebied_bewerken", "subgebied_verwijderen"):
        kwargs["subgebied_id"] = world.subgebied.pk
    return reverse(name if ":" in name else f"buurten:{name}", kwargs=kwargs)


def assert_outcome(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(PAGES))
def test_role_against_page(client, world, name, role):
    if world.user(role):
        client.force_login(world.user(role))
    assert_outcome(client.get(page_url(world, name)), PAGES[name][role])


def test_the_partner_type_does_not_change_access(client, world):
    """No access rule reads the partner type: the same answers whichever partner the seats are for."""
    seats = Lidmaatschap.objects.filter(team__in=[world.team, world.other_team])
    for soort in PartnerType.values:
        seats.update(partner=world.partners[soort])
        for role in ROLES:
            client.logout()
            if world.user(role):
                client.force_login(world.user(role))
            for name in ("team_detail", "team_leden"):
                assert_outcome(client.get(page_url(world, name)), PAGES[name][role])


@pytest.mark.parametrize("role", ROLES)
def test_role_changing_a_role(client, world, role):
    if world.user(role):
        client.force_login(world.user(role))
    url = reverse("buurten:lid_rol", kwargs={"team_id": world.team.pk, "lid_id": world.teamlid_seat.pk})
    response = client.post(url, {f"lid{world.teamlid_seat.pk}-rol": Rol.COORDINATOR})
    world.teamlid_seat.refresh_from_db()
    allowed = role in ("coordinator", "staff")
    assert world.teamlid_seat.rol == (Rol.COORDINATOR if allowed else Rol.TEAMLID)
    expected = {"anonymous": 302, "teamlid": 403, "other_coordinator": 404}.get(role, 302)
    assert response.status_code == expected


def test_coordinator_without_totp_is_sent_to_set_it_up(client):
    seat = f.LidmaatschapFactory(rol=Rol.COORDINATOR)
    client.force_login(seat.user)
    page = reverse("signalen:team_instellingen", kwargs={"team_id": seat.team.pk})
    response = client.get(page)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp") + "?" + urlencode({"next": page})  # and back


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("subgebied_bewerken", lambda w: {"team_id": w.team.pk, "subgebied_id": w.other_subgebied.pk}),
        ("subgebied_verwijderen", lambda w: {"team_id": w.team.pk, "subgebied_id": w.other_subgebied.pk}),
        (
            "lid_verwijderen",
            lambda w: {"team_id": w.team.pk, "lid_id": w.other_coordinator.lidmaatschappen.get().pk},
        ),
    ],
)
def test_another_teams_object_through_my_team_is_404(client, name, kwargs, world):
    client.force_login(world.coordinator)
    assert client.get(reverse(f"buurten:{name}", kwargs=kwargs(world))).status_code == 404
    assert client.post(reverse(f"buurten:{name}", kwargs=kwargs(world))).status_code == 404
    assert world.other_subgebied.__class__.objects.filter(pk=world.other_subgebied.pk).exists()


def test_unknown_team_is_404_for_staff_too(client, world):
    client.force_login(world.staff)
    assert client.get(reverse("buurten:team_detail", kwargs={"team_id": 999999})).status_code == 404


# --- the selectors that the signalen and acties pages scope with ---------------------------


def test_team_ids_per_role(world):
    mine = {world.team.pk}
    assert set(selectors.team_ids_for_user(user=world.teamlid).values_list("team_id", flat=True)) == mine
    assert set(selectors.team_list_for_user(user=world.coordinator).values_list("pk", flat=True)) == mine
    assert set(selectors.team_list_for_user(user=world.staff).values_list("pk", flat=True)) == {
        world.team.pk,
        world.other_team.pk,
    }
    assert set(selectors.team_list_for_coordinator(user=world.teamlid).values_list("pk", flat=True)) == set()
    assert set(
        selectors.team_list_for_coordinator(user=world.other_coordinator).values_list("pk", flat=True)
    ) == {world.other_team.pk}


def test_is_staff_alone_sees_nothing(world):
    bare_staff = f.UserFactory(is_staff=True)
    assert not selectors.team_list_for_user(user=bare_staff).exists()
    assert not selectors.is_member(user=bare_staff, team=world.team)
    assert not selectors.is_coordinator(user=bare_staff, team=world.team)


def test_inactive_user_sees_nothing(world):
    world.coordinator.is_active = False
    world.coordinator.save()
    assert not selectors.team_list_for_user(user=world.coordinator).exists()
    assert not selectors.is_coordinator(user=world.coordinator, team=world.team)


def test_anonymous_user_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.team_list_for_user(user=AnonymousUser()).exists()
    assert not selectors.is_member(user=AnonymousUser(), team=world.team)
    assert selectors.lidmaatschap_for(user=AnonymousUser(), team=world.team) is None


def test_lidmaatschap_for_prefers_the_coordinator_seat(world):
    second = f.LidmaatschapFactory(
        user=world.teamlid, team=world.team, partner=world.partners[PartnerType.POLITIE], rol=Rol.COORDINATOR
    )
    assert selectors.lidmaatschap_for(user=world.teamlid, team=world.team) == second
    assert selectors.is_coordinator(user=world.teamlid, team=world.team)
    assert not selectors.is_coordinator(user=world.teamlid, team=world.other_team)


def test_scoping_another_model_is_one_query(django_assert_num_queries, world):
    from buurten.models import Subgebied

    with django_assert_num_queries(1):
        names = list(
            Subgebied.objects.filter(team_id__in=selectors.team_ids_for_user(user=world.teamlid)).values_list(
                "naam", flat=True
            )
        )
    assert names == ["Kerkstraat"]
