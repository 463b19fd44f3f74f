"""The admin: every role against every changelist, rows limited by the access rule, saves via services."""

import json

import pytest
from django.urls import reverse

from buurten.models import Lidmaatschap, PartnerType, Rol, Subgebied
from tests import factories as f
from tests.buurten.teams_world import IN_EAST, INSIDE_WEST, ROLES, grow_world

pytestmark = pytest.mark.django_db

MODELS = ["team", "partner", "lidmaatschap", "subgebied", "gemeente", "wijk", "buurt", "user"]
COORDINATOR_SEES = {"team", "partner", "lidmaatschap", "subgebied", "gemeente", "wijk", "buurt"}


def expected_status(role: str, model: str) -> int:
    if role in ("anonymous", "teamlid"):
        return 302  # to the login: the admin is not theirs
    if role == "staff":
        return 200
    return 200 if model in COORDINATOR_SEES else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_role_against_changelist(client, world, model, role):
    if world.user(role):
        client.force_login(world.user(role))
    response = client.get(reverse(f"admin:buurten_{model}_changelist"))
    assert response.status_code == expected_status(role, model)


@pytest.mark.parametrize(
    "model,mine,theirs",
    [
        ("team", "Team West", "Team Oost"),
        ("subgebied", "Kerkstraat", "Molenweg"),
        ("buurt", "Westbuurt", None),
    ],
)
def test_coordinator_changelist_shows_only_own_team_rows(client, model, mine, theirs, world):
    client.force_login(world.coordinator)
    body = client.get(reverse(f"admin:buurten_{model}_changelist")).content.decode()
    assert mine in body
    if theirs:
        assert theirs not in body
    client.force_login(world.staff)
    body = client.get(reverse(f"admin:buurten_{model}_changelist")).content.decode()
    assert mine in body and (theirs is None or theirs in body)


def test_coordinator_membership_list_is_own_team(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:buurten_lidmaatschap_changelist"))
    assert set(response.context["cl"].queryset) == {world.teamlid_seat, world.coordinator_seat}


def test_admin_index_for_a_coordinator_lists_only_the_team_models(client, world):
    client.force_login(world.coordinator)
    body = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:buurten_team_changelist") in body
    assert reverse("admin:buurten_user_changelist") not in body


@pytest.mark.parametrize("model,obj", [("team", "other_team"), ("subgebied", "other_subgebied")])
def test_coordinator_cannot_open_another_teams_row(client, model, obj, world):
    client.force_login(world.coordinator)
    response = client.get(reverse(f"admin:buurten_{model}_change", args=[getattr(world, obj).pk]))
    # The admin answers "does not exist" for rows outside the queryset: a redirect to the index.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_coordinator_may_not_add_or_delete_teams_or_edit_partners(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("admin:buurten_team_add")).status_code == 403
    assert client.get(reverse("admin:buurten_team_delete", args=[world.team.pk])).status_code == 403
    partner = world.partners[PartnerType.POLITIE]
    response = client.post(
        reverse("admin:buurten_partner_change", args=[partner.pk]),
        {"gemeente": partner.gemeente_id, "naam": "Gekaapt", "type": "politie", "contact_email": ""},
    )
    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.naam == "Partner politie"


def team_post(world, **overrides):
    data = {
        "doel": "Doel uit het beheer",
        "doel_start": "2026-01-01",
        "doel_evaluatie": "2026-12-31",
        "drempel_huishoudens": "4",
        "anoniem_gewicht": "0.5",
        "steun_venster_maanden": "12",
        "bewaartermijn_maanden": "24",
        "inzet-TOTAL_FORMS": "0",
        "inzet-INITIAL_FORMS": "0",
        "inzet-MIN_NUM_FORMS": "0",
        "inzet-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_coordinator_changes_threshold_in_admin(client, world):
    client.force_login(world.coordinator)
    response = client.post(reverse("admin:buurten_team_change", args=[world.team.pk]), team_post(world))
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.team.refresh_from_db()
    assert world.team.drempel_huishoudens == 4
    assert world.team.doel == "Doel uit het beheer"
    assert world.team.naam == "Team West"


@pytest.mark.parametrize("drempel", ["0", "-2"])
def test_admin_threshold_below_one_shows_the_range(client, drempel, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("admin:buurten_team_change", args=[world.team.pk]),
        team_post(world, drempel_huishoudens=drempel),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["drempel_huishoudens"] == [
        "Kies een getal van 1 tot en met 1000."
    ]
    world.team.refresh_from_db()
    assert world.team.drempel_huishoudens == 5


def test_admin_commitment_inline_refuses_partner_of_another_gemeente(client, world):
    vreemd = f.PartnerFactory(gemeente=f.GemeenteFactory(code="GM0363", naam="Amsterdam"))
    client.force_login(world.staff)
    data = team_post(
        world,
        naam="Team West",
        slug=world.team.slug,
        gemeente=world.team.gemeente_id,
        buurten=[world.buurt.pk],
        **{
            "inzet-TOTAL_FORMS": "1",
            "inzet-0-partner": str(vreemd.pk),
            "inzet-0-toezegging": "x",
            "inzet-0-gevraagd": "",
        },
    )
    response = client.post(reverse("admin:buurten_team_change", args=[world.team.pk]), data)
    assert response.status_code == 200
    assert not world.team.inzet.exists()


def test_staff_adds_a_duplicate_membership_and_gets_the_service_message(client, world):
    seat = world.teamlid_seat
    client.force_login(world.staff)
    response = client.post(
        reverse("admin:buurten_lidmaatschap_add"),
        {"user": seat.user.pk, "team": seat.team.pk, "partner": seat.partner.pk, "rol": Rol.TEAMLID},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1 and "is al lid van Team West namens" in errors[0]
    assert Lidmaatschap.objects.filter(user=seat.user, team=seat.team).count() == 1


def test_staff_adds_a_membership_through_the_service(client, world):
    person = f.UserFactory()
    client.force_login(world.staff)
    response = client.post(
        reverse("admin:buurten_lidmaatschap_add"),
        {
            "user": person.pk,
            "team": world.team.pk,
            "partner": world.partners["welzijn"].pk,
            "rol": Rol.COORDINATOR,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_staff  # user_sync_staff ran: a coordinator can log into the admin


def test_coordinator_may_not_add_memberships_in_admin(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("admin:buurten_lidmaatschap_add")).status_code == 403


def test_admin_role_change_keeps_the_last_coordinator(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("admin:buurten_lidmaatschap_change", args=[world.coordinator_seat.pk]), {"rol": Rol.TEAMLID}
    )
    assert response.status_code == 200
    assert "minstens één coördinator" in str(response.context["adminform"].form.errors)
    world.coordinator_seat.refresh_from_db()
    assert world.coordinator_seat.rol == Rol.COORDINATOR


def test_admin_delete_of_last_coordinator_is_refused(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:buurten_lidmaatschap_delete", args=[world.coordinator_seat.pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    assert "laatste coördinator" in response.content.decode()
    assert Lidmaatschap.objects.filter(pk=world.coordinator_seat.pk).exists()


def test_admin_delete_of_a_teamlid(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:buurten_lidmaatschap_delete", args=[world.teamlid_seat.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Lidmaatschap.objects.filter(pk=world.teamlid_seat.pk).exists()


def test_admin_subgebied_outside_its_buurt_is_refused(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("admin:buurten_subgebied_add"),
        {"team": world.team.pk, "buurt": world.buurt.pk, "naam": "Buiten", "geometrie": json.dumps(IN_EAST)},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["geometrie"]
    assert errors[0].startswith("Het subgebied ligt buiten de buurt Westbuurt")
    assert not Subgebied.objects.filter(naam="Buiten").exists()


def test_admin_subgebied_inside_is_saved_and_other_team_is_not_offered(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("admin:buurten_subgebied_add"),
        {"team": world.other_team.pk, "buurt": world.other_buurt.pk, "naam": "Molenweg 2", "geometrie": ""},
    )
    assert response.status_code == 200  # team B and its buurt are not choices for team A's coordinator
    assert not Subgebied.objects.filter(naam="Molenweg 2").exists()
    response = client.post(
        reverse("admin:buurten_subgebied_add"),
        {
            "team": world.team.pk,
            "buurt": world.buurt.pk,
            "naam": "Binnen",
            "geometrie": json.dumps(INSIDE_WEST),
        },
    )
    assert response.status_code == 302
    assert Subgebied.objects.get(naam="Binnen").team == world.team


def test_buurt_admin_shows_geometry_read_only_and_searches_by_code(client, world):
    client.force_login(world.staff)
    body = client.get(reverse("admin:buurten_buurt_change", args=[world.buurt.pk])).content.decode()
    assert "Polygon met 5 punten" in body
    assert 'name="geometrie"' not in body
    response = client.get(reverse("admin:buurten_buurt_changelist"), {"q": world.buurt.code})
    assert list(response.context["cl"].queryset) == [world.buurt]


def test_user_admin_for_staff_creates_an_email_account(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("admin:buurten_user_add"),
        {"email": "nieuw@example.nl", "password1": "Zonnebloem-Maas-7", "password2": "Zonnebloem-Maas-7"},
    )
    assert response.status_code == 302
    assert world.staff.__class__.objects.filter(email="nieuw@example.nl").exists()


def test_changelists_query_count_does_not_grow(client, django_assert_max_num_queries, world):
    grow_world(world)
    client.force_login(world.coordinator)
    for model in ("team", "lidmaatschap", "subgebied", "partner", "buurt"):
        with django_assert_max_num_queries(10):
            assert client.get(reverse(f"admin:buurten_{model}_changelist")).status_code == 200


def test_staff_adds_a_team_in_a_new_gemeente_which_gets_the_default_themas(client, world):
    from signalen.models import Thema
    from signalen.services import DEFAULT_THEMAS

    gemeente = f.GemeenteFactory(code="GM0917", naam="Heerlen")
    buurt = f.BuurtFactory(wijk__gemeente=gemeente)
    client.force_login(world.staff)
    response = client.post(
        reverse("admin:buurten_team_add"),
        {
            "naam": "VBT Heerlerbaan",
            "slug": "heerlerbaan",
            "gemeente": gemeente.pk,
            "buurten": [buurt.pk],
            "doel": "",
            "drempel_huishoudens": 5,
            "anoniem_gewicht": "0.5",
            "steun_venster_maanden": 12,
            "bewaartermijn_maanden": 24,
            "inzet-TOTAL_FORMS": 0,
            "inzet-INITIAL_FORMS": 0,
            "inzet-MIN_NUM_FORMS": 0,
            "inzet-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(Thema.objects.filter(gemeente=gemeente).values_list("naam", flat=True)) == set(DEFAULT_THEMAS)


@pytest.mark.parametrize("gewicht", ["1.5", "-0.1"])
def test_admin_weight_out_of_range_shows_the_service_message_and_writes_nothing(client, gewicht, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("admin:buurten_team_change", args=[world.team.pk]),
        team_post(world, anoniem_gewicht=gewicht),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["anoniem_gewicht"] == [
        "Kies een getal van 0 tot en met 1."
    ]
    world.team.refresh_from_db()
    assert str(world.team.anoniem_gewicht) == "0.50"
