"""The buurten admin cannot bypass the services: accounts, teams, commitments, refusals, filters."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from audit.models import AuditRegel
from buurten.models import Lidmaatschap, PartnerInzet, Rol, Team, User
from buurten.services.mensen import user_deactivate
from buurten.services.teams import team_create, team_update
from tests import factories as f

pytestmark = pytest.mark.django_db

USERS = "admin:buurten_user_changelist"


def action(client, changelist, name, pks, **extra):
    data = {"action": name, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], **extra}
    return client.post(reverse(changelist), data, follow=True)


def logged_in_sessions(user) -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk))


# --- people: switched off, never deleted -------------------------------------------------------


def test_an_account_cannot_be_deleted_in_the_admin(client, world):
    client.force_login(world.staff)
    url = reverse("admin:buurten_user_delete", args=[world.teamlid.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert "delete_selected" not in client.get(reverse(USERS)).content.decode()
    action(client, USERS, "delete_selected", [world.teamlid.pk], post="yes")
    assert User.objects.filter(pk=world.teamlid.pk).exists()


def test_deactivating_a_person_ends_their_sessions_and_is_audited(client, world):
    elsewhere = Client()
    elsewhere.force_login(world.teamlid)
    assert logged_in_sessions(world.teamlid) == 1
    client.force_login(world.staff)
    response = action(client, USERS, "deactivate_action", [world.teamlid.pk])
    assert "1 account(s) uitgeschakeld." in response.content.decode()
    world.teamlid.refresh_from_db()
    assert not world.teamlid.is_active
    assert logged_in_sessions(world.teamlid) == 0
    assert logged_in_sessions(world.staff) == 1  # only theirs
    assert Lidmaatschap.objects.filter(pk=world.teamlid_seat.pk).exists()  # the account and seat stay
    regel = AuditRegel.objects.get(actie="user.deactivate")
    assert (regel.door, regel.object_id, regel.details) == (
        world.staff,
        str(world.teamlid.pk),
        {"sessies": 1},
    )


def test_the_last_coordinator_cannot_be_switched_off_and_a_batch_with_them_changes_nothing(client, world):
    client.force_login(world.staff)
    response = action(client, USERS, "deactivate_action", [world.teamlid.pk, world.coordinator.pk])
    body = response.content.decode()
    assert "De laatste coördinator van een team kan niet worden uitgeschakeld." in body
    assert "Er is niets gewijzigd." in body
    world.teamlid.refresh_from_db()
    world.coordinator.refresh_from_db()
    assert world.teamlid.is_active and world.coordinator.is_active
    assert not AuditRegel.objects.filter(actie="user.deactivate").exists()


def test_a_coordinator_can_go_once_the_team_has_another_active_one(world):
    second = f.LidmaatschapFactory(
        team=world.team, partner=world.coordinator_seat.partner, rol=Rol.COORDINATOR
    )
    second.user.is_active = False
    second.user.save()
    with pytest.raises(ValidationError):
        user_deactivate(user=world.coordinator, door=world.staff)  # an inactive one does not count
    second.user.is_active = True
    second.user.save()
    user_deactivate(user=world.coordinator, door=world.staff)
    world.coordinator.refresh_from_db()
    assert not world.coordinator.is_active


def test_user_deactivate_refuses_a_coordinator_a_missing_actor_and_oneself(world):
    with pytest.raises(PermissionDenied):
        user_deactivate(user=world.teamlid, door=world.coordinator)
    with pytest.raises(TypeError):
        user_deactivate(user=world.teamlid, door=None)  # no actor: refused before anything
    with pytest.raises(ValidationError, match="eigen account"):
        user_deactivate(user=world.staff, door=world.staff)
    world.teamlid.refresh_from_db()
    assert world.teamlid.is_active


def user_post(user, **overrides):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "lidmaatschappen-TOTAL_FORMS": "0",
        "lidmaatschappen-INITIAL_FORMS": "0",
        "lidmaatschappen-MIN_NUM_FORMS": "0",
        "lidmaatschappen-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_is_staff_and_is_active_are_read_only_and_a_change_goes_through_the_service(client, world):
    client.force_login(world.staff)
    url = reverse("admin:buurten_user_change", args=[world.teamlid.pk])
    response = client.post(url, user_post(world.teamlid, first_name="Anna", is_staff="on", is_active=""))
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.teamlid.refresh_from_db()
    assert world.teamlid.first_name == "Anna"
    assert world.teamlid.is_staff is False and world.teamlid.is_active is True
    regel = AuditRegel.objects.get(actie="user.update")
    assert regel.details == {"velden": ["first_name"]}


def test_making_someone_superuser_syncs_is_staff(client, world):
    client.force_login(world.staff)
    url = reverse("admin:buurten_user_change", args=[world.teamlid.pk])
    assert client.post(url, user_post(world.teamlid, is_superuser="on")).status_code == 302
    world.teamlid.refresh_from_db()
    assert world.teamlid.is_superuser and world.teamlid.is_staff


def test_an_address_taken_by_another_account_gets_the_message_and_writes_nothing(client, world):
    client.force_login(world.staff)
    url = reverse("admin:buurten_user_change", args=[world.teamlid.pk])
    response = client.post(
        url, user_post(world.teamlid, email=world.coordinator.email.upper(), first_name="X")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == ["Er is al een account met dit e-mailadres."]
    world.teamlid.refresh_from_db()
    assert world.teamlid.first_name != "X"
    response = client.post(
        reverse("admin:buurten_user_add"),
        {
            "email": world.coordinator.email,
            "password1": "Zonnebloem-Maas-7",
            "password2": "Zonnebloem-Maas-7",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == ["Er is al een account met dit e-mailadres."]


def test_creating_an_account_in_the_admin_is_audited(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("admin:buurten_user_add"),
        {"email": "Nieuw@Example.nl", "password1": "Zonnebloem-Maas-7", "password2": "Zonnebloem-Maas-7"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.nl")
    assert user.check_password("Zonnebloem-Maas-7")
    assert AuditRegel.objects.get(actie="user.create").object_id == str(user.pk)


# --- teams: team_create / team_update ----------------------------------------------------------


def team_form(team, **overrides):
    data = {
        "naam": team.naam,
        "slug": team.slug,
        "gemeente": team.gemeente_id,
        "buurten": [b.pk for b in team.buurten.all()] if team.pk else [],
        "doel": team.doel,
        "doel_start": "",
        "doel_evaluatie": "",
        "drempel_huishoudens": team.drempel_huishoudens,
        "anoniem_gewicht": str(team.anoniem_gewicht),
        "steun_venster_maanden": team.steun_venster_maanden,
        "bewaartermijn_maanden": team.bewaartermijn_maanden,
        "inzet-TOTAL_FORMS": "0",
        "inzet-INITIAL_FORMS": "0",
        "inzet-MIN_NUM_FORMS": "0",
        "inzet-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def heerlen():
    gemeente = f.GemeenteFactory(code="GM0917", naam="Heerlen")
    return gemeente, f.BuurtFactory(wijk__gemeente=gemeente, naam="Heerlerbaan")


def test_moving_a_team_with_seats_to_another_gemeente_is_refused(client, world, heerlen):
    gemeente, buurt = heerlen
    client.force_login(world.staff)
    url = reverse("admin:buurten_team_change", args=[world.team.pk])
    response = client.post(url, team_form(world.team, gemeente=gemeente.pk, buurten=[buurt.pk]))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["gemeente"][0].startswith(
        "De gemeente van een team ligt vast zodra het leden of partnerinzet heeft"
    )
    world.team.refresh_from_db()
    assert world.team.gemeente_id != gemeente.pk
    assert list(world.team.buurten.all()) == [world.buurt]
    assert not AuditRegel.objects.filter(object_type="buurten.team").exists()


def test_buurten_must_lie_in_the_teams_gemeente(client, world, heerlen):
    _gemeente, buurt = heerlen
    client.force_login(world.staff)
    url = reverse("admin:buurten_team_change", args=[world.team.pk])
    response = client.post(url, team_form(world.team, buurten=[world.buurt.pk, buurt.pk]))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["buurten"] == [
        "Deze buurten liggen niet in gemeente Maastricht: Heerlerbaan."
    ]
    assert list(world.team.buurten.all()) == [world.buurt]


def test_a_team_keeps_the_buurten_of_its_subgebieden(client, world):
    client.force_login(world.staff)
    url = reverse("admin:buurten_team_change", args=[world.team.pk])
    response = client.post(url, team_form(world.team, buurten=[world.other_buurt.pk]))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["buurten"] == [
        "Het team heeft nog subgebieden in Westbuurt; verwijder die eerst."
    ]


def test_staff_changes_a_team_through_team_update(client, world):
    client.force_login(world.staff)
    url = reverse("admin:buurten_team_change", args=[world.team.pk])
    data = team_form(world.team, naam="Team West-Centrum", buurten=[world.buurt.pk, world.other_buurt.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.team.refresh_from_db()
    assert world.team.naam == "Team West-Centrum"
    assert set(world.team.buurten.all()) == {world.buurt, world.other_buurt}
    regel = AuditRegel.objects.get(actie="team.update")
    assert regel.details["velden"] == ["naam", "buurten"] and regel.team_id == world.team.pk


def test_staff_creates_a_team_through_team_create_and_bad_buurten_write_nothing(client, world, heerlen):
    gemeente, buurt = heerlen
    client.force_login(world.staff)
    new = Team(naam="VBT Heerlerbaan", slug="heerlerbaan", gemeente=gemeente, doel="")
    response = client.post(reverse("admin:buurten_team_add"), team_form(new, buurten=[world.buurt.pk]))
    assert response.status_code == 200
    assert "Deze buurten liggen niet in gemeente Heerlen: Westbuurt." in str(
        response.context["adminform"].form.errors
    )
    assert not Team.objects.filter(slug="heerlerbaan").exists()
    response = client.post(reverse("admin:buurten_team_add"), team_form(new, buurten=[buurt.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    team = Team.objects.get(slug="heerlerbaan")
    assert list(team.buurten.all()) == [buurt]
    assert AuditRegel.objects.get(actie="team.create").object_id == str(team.pk)


def test_a_team_is_never_deleted_in_the_admin(client, world):
    client.force_login(world.staff)
    url = reverse("admin:buurten_team_delete", args=[world.team.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Team.objects.filter(pk=world.team.pk).exists()


def test_team_services_refuse_a_coordinator_and_move_an_empty_team(world, heerlen):
    gemeente, buurt = heerlen
    with pytest.raises(PermissionDenied):
        team_create(door=world.coordinator, naam="X", slug="x", gemeente=gemeente, buurten=[buurt])
    with pytest.raises(PermissionDenied):
        team_update(
            team=world.team,
            door=world.coordinator,
            naam="X",
            slug="x",
            gemeente=world.team.gemeente,
            buurten=[],
        )
    leeg = team_create(
        door=world.staff, naam="Leeg", slug="leeg", gemeente=world.team.gemeente, buurten=[world.buurt]
    )
    team_update(team=leeg, door=world.staff, naam="Leeg", slug="leeg", gemeente=gemeente, buurten=[buurt])
    leeg.refresh_from_db()
    assert leeg.gemeente == gemeente  # no seats yet: it may still move
    with pytest.raises(ValidationError) as exc:
        team_create(door=world.staff, naam="", slug="leeg", gemeente=gemeente, buurten=[])
    assert set(exc.value.message_dict) == {"naam", "slug", "buurten"}


# --- partner commitments -------------------------------------------------------------------


def inzet_rows(*rows, initial=0):
    data = {
        "inzet-TOTAL_FORMS": str(len(rows)),
        "inzet-INITIAL_FORMS": str(initial),
        "inzet-MIN_NUM_FORMS": "0",
        "inzet-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"inzet-{i}-{k}": v for k, v in row.items()})
    return data


def test_a_coordinator_adds_and_removes_a_commitment_through_the_services(client, world):
    politie = world.partners["politie"]
    client.force_login(world.coordinator)
    url = reverse("admin:buurten_team_change", args=[world.team.pk])
    base = {k: v for k, v in team_form(world.team).items() if not k.startswith("inzet-")}
    base.pop("naam"), base.pop("slug"), base.pop("gemeente"), base.pop("buurten")
    row = {"partner": str(politie.pk), "toezegging": "Extra surveillance", "gevraagd": ""}
    response = client.post(url, {**base, **inzet_rows(row)})
    assert response.status_code == 302, response.context["adminform"].form.errors
    inzet = PartnerInzet.objects.get(team=world.team, partner=politie)
    assert inzet.toezegging == "Extra surveillance"

    row = {"id": str(inzet.pk), "team": str(world.team.pk), **row, "toezegging": "Twee avonden per week"}
    response = client.post(url, {**base, **inzet_rows(row, initial=1)})
    assert response.status_code == 302, response.context["adminform"].form.errors
    inzet = PartnerInzet.objects.get(team=world.team, partner=politie)  # the same row, changed
    assert inzet.toezegging == "Twee avonden per week"

    row = {**row, "DELETE": "on"}
    response = client.post(url, {**base, **inzet_rows(row, initial=1)})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not PartnerInzet.objects.filter(pk=inzet.pk).exists()
    regel = AuditRegel.objects.get(actie="partnerinzet.delete")
    assert (regel.door, regel.team_id, regel.details) == (
        world.coordinator,
        world.team.pk,
        {"partner_id": politie.pk},
    )


# --- another team through the admin ------------------------------------------------------


def test_a_coordinator_posting_a_change_to_another_team_is_refused_and_audited(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:buurten_team_change", args=[world.other_team.pk])
    response = client.post(url, team_form(world.other_team, drempel_huishoudens="1"))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    world.other_team.refresh_from_db()
    assert world.other_team.drempel_huishoudens == 5
    regel = AuditRegel.objects.get()
    assert (regel.actie, regel.resultaat, regel.object_type, regel.object_id, regel.team_id) == (
        "toegang.geweigerd",
        "geweigerd",
        "buurten.team",
        str(world.other_team.pk),
        world.other_team.pk,
    )
    assert regel.door == world.coordinator and regel.herkomst == "admin"


def test_an_action_with_another_teams_ids_is_refused_audited_and_does_nothing(client, world):
    other = world.other_subgebied
    client.force_login(world.coordinator)
    response = action(
        client,
        "admin:buurten_subgebied_changelist",
        "delete_selected",
        [world.subgebied.pk, other.pk],
        post="yes",
    )
    assert "Dit hoort bij een team dat je niet beheert; er is niets gewijzigd." in response.content.decode()
    assert world.subgebied.__class__.objects.filter(pk__in=[world.subgebied.pk, other.pk]).count() == 2
    regel = AuditRegel.objects.get()
    assert (regel.actie, regel.object_id, regel.team_id, regel.details) == (
        "toegang.geweigerd",
        str(other.pk),
        world.other_team.pk,
        {"status": 403},
    )


def test_deleting_another_teams_seat_is_refused_and_audited(client, world):
    other_seat = Lidmaatschap.objects.get(team=world.other_team)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("admin:buurten_lidmaatschap_delete", args=[other_seat.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert Lidmaatschap.objects.filter(pk=other_seat.pk).exists()
    regel = AuditRegel.objects.get()
    assert (regel.actie, regel.object_type, regel.object_id) == (
        "toegang.geweigerd",
        "buurten.lidmaatschap",
        str(other_seat.pk),
    )


# --- list filters and places ------------------------------------------------------------------


@pytest.mark.parametrize("model", ["lidmaatschap", "subgebied"])
def test_team_filter_shows_a_coordinator_only_their_own_teams(client, world, model):
    client.force_login(world.coordinator)
    body = client.get(reverse(f"admin:buurten_{model}_changelist")).content.decode()
    assert "Team West" in body and "Team Oost" not in body
    client.force_login(world.staff)
    body = client.get(reverse(f"admin:buurten_{model}_changelist")).content.decode()
    assert "Team West" in body and "Team Oost" in body


def test_gemeente_filters_offer_only_gemeenten_in_view(client, world, heerlen):
    client.force_login(world.coordinator)
    for model in ("partner", "wijk", "buurt"):
        body = client.get(reverse(f"admin:buurten_{model}_changelist")).content.decode()
        assert "Heerlen" not in body, model


def test_places_are_read_only_in_the_admin_even_for_staff(client, world):
    client.force_login(world.staff)
    url = reverse("admin:buurten_buurt_change", args=[world.buurt.pk])
    client.post(url, {"code": world.buurt.code, "naam": "Hernoemd", "wijk": world.buurt.wijk_id})
    world.buurt.refresh_from_db()
    assert world.buurt.naam == "Westbuurt"
    assert client.get(reverse("admin:buurten_buurt_add")).status_code == 403
    assert (
        client.post(reverse("admin:buurten_buurt_delete", args=[world.buurt.pk]), {"post": "yes"}).status_code
        == 403
    )


# --- partners ----------------------------------------------------------------------------------


def partner_post(partner, **overrides):
    data = {
        "gemeente": partner.gemeente_id,
        "naam": partner.naam,
        "type": partner.type,
        "contact_email": partner.contact_email,
    }
    data.update(overrides)
    return data


def test_a_partner_with_seats_keeps_its_gemeente_and_nothing_is_written(client, world, heerlen):
    gemeente, _buurt = heerlen
    partner = world.coordinator_seat.partner
    client.force_login(world.staff)
    url = reverse("admin:buurten_partner_change", args=[partner.pk])
    response = client.post(url, partner_post(partner, gemeente=gemeente.pk, naam="Verhuisd"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["gemeente"] == [
        "De gemeente van een partner ligt vast zodra die in een team zit of is uitgenodigd."
    ]
    partner.refresh_from_db()
    assert (partner.gemeente_id, partner.naam) == (world.team.gemeente_id, "Partner gemeente")


def test_staff_changes_and_adds_partners_through_the_services(client, world):
    partner = world.partners["welzijn"]
    client.force_login(world.staff)
    url = reverse("admin:buurten_partner_change", args=[partner.pk])
    assert client.post(url, partner_post(partner, naam="Trajekt")).status_code == 302
    partner.refresh_from_db()
    assert partner.naam == "Trajekt"
    assert AuditRegel.objects.get(actie="partner.update").details == {"velden": ["naam"]}

    response = client.post(reverse("admin:buurten_partner_add"), partner_post(partner, naam="trajekt"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["naam"] == [
        "Deze gemeente heeft al een partner met deze naam."
    ]
    response = client.post(reverse("admin:buurten_partner_add"), partner_post(partner, naam="Woonpunt"))
    assert response.status_code == 302
    assert AuditRegel.objects.filter(actie="partner.create").count() == 1
    assert (
        client.post(reverse("admin:buurten_partner_delete", args=[partner.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_a_password_set_in_the_admin_goes_through_the_service(client, world):
    client.force_login(world.staff)
    url = reverse("admin:auth_user_password_change", args=[world.teamlid.pk])
    response = client.post(url, {"password1": "kort", "password2": "kort"})
    assert response.status_code == 200  # the validators refuse it; nothing written
    assert not AuditRegel.objects.filter(actie="user.set_password").exists()
    data = {"password1": "Zonnebloem-Maas-7", "password2": "Zonnebloem-Maas-7", "usable_password": "true"}
    assert client.post(url, data).status_code == 302
    world.teamlid.refresh_from_db()
    assert world.teamlid.check_password("Zonnebloem-Maas-7")
    regel = AuditRegel.objects.get(actie="user.set_password")
    assert (regel.door, regel.details) == (world.staff, {"bruikbaar": True})
    assert client.post(url, {"usable_password": "false", "unset-password": "1"}).status_code == 302
    world.teamlid.refresh_from_db()
    assert not world.teamlid.has_usable_password()
    assert AuditRegel.objects.filter(actie="user.set_password").count() == 2


def test_a_switched_off_account_is_switched_on_again_through_the_service(client, world):
    client.force_login(world.staff)
    action(client, USERS, "deactivate_action", [world.teamlid.pk])
    response = action(client, USERS, "deactivate_action", [world.teamlid.pk])
    assert "Dit account is al uitgeschakeld. Er is niets gewijzigd." in response.content.decode()
    response = action(client, USERS, "activate_action", [world.teamlid.pk])
    assert "1 account(s) weer ingeschakeld." in response.content.decode()
    world.teamlid.refresh_from_db()
    assert world.teamlid.is_active
    assert AuditRegel.objects.filter(actie="user.activate", object_id=str(world.teamlid.pk)).count() == 1


def test_a_short_name_in_use_gets_one_dutch_message(client, world):
    client.force_login(world.staff)
    url = reverse("admin:buurten_team_change", args=[world.team.pk])
    response = client.post(url, team_form(world.team, slug=world.other_team.slug))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [
        "Deze korte naam is al in gebruik door een ander team."
    ]
    world.team.refresh_from_db()
    assert world.team.slug != world.other_team.slug
