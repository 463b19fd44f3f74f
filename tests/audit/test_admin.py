"""The audit log in the admin: read-only for everyone; superusers see every row, a coördinator
the rows of their own teams, a teamlid nothing."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from audit.admin import AuditRegelAdmin
from audit.models import AuditRegel
from audit.services import audit_record
from core.actors import RETENTION

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audit_auditregel_changelist")


@pytest.fixture
def log(world):
    return {
        "west": audit_record(
            door=world.teamlid, actie="signaal.log", object=world.open, team_id=world.team.pk
        ),
        "oost": audit_record(
            door=world.other_coordinator, actie="signaal.log", object=world.oost, team_id=world.other_team.pk
        ),
        "geen_team": audit_record(door=RETENTION, actie="gebieden.import"),
    }


def _listed(client, user, query="") -> set[int]:
    client.force_login(user)
    response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


def test_a_superuser_sees_every_row(client, world, log):
    assert _listed(client, world.staff) == {row.pk for row in log.values()}


def test_a_coordinator_sees_only_the_rows_of_their_own_teams(client, world, log):
    assert _listed(client, world.coordinator) == {log["west"].pk}
    assert _listed(client, world.other_coordinator) == {log["oost"].pk}
    client.force_login(world.coordinator)
    other = reverse("admin:audit_auditregel_change", args=[log["oost"].pk])
    assert client.get(other).status_code == 302  # "does not exist", like every other team's object
    own = reverse("admin:audit_auditregel_change", args=[log["west"].pk])
    assert client.get(own).status_code == 200


def test_a_teamlid_sees_nothing(client, world, log):
    client.force_login(world.teamlid)
    assert client.get(CHANGELIST).status_code == 302  # to the admin login: no staff
    # Even with is_staff a person without a coordinator seat reads no row.
    world.teamlid.is_staff = True
    world.teamlid.save(update_fields=["is_staff"])
    request = RequestFactory().get(CHANGELIST)
    request.user = world.teamlid
    model_admin = AuditRegelAdmin(AuditRegel, site)
    assert not model_admin.has_module_permission(request)
    assert not model_admin.get_queryset(request).exists()


def test_filters_and_search(client, world, log):
    assert _listed(client, world.staff, "?actie=gebieden.import") == {log["geen_team"].pk}
    assert _listed(client, world.staff, "?herkomst=systeem&resultaat=gelukt") == {
        row.pk for row in log.values()
    }
    assert _listed(client, world.staff, f"?q={world.teamlid.email}") == {log["west"].pk}
    assert _listed(client, world.staff, f"?q={world.oost.pk}") >= {log["oost"].pk}


@pytest.mark.parametrize("user", ["staff", "coordinator"])
def test_nothing_can_be_added_changed_or_deleted(client, world, log, user):
    client.force_login(getattr(world, user))
    row = log["west"]
    assert client.get(reverse("admin:audit_auditregel_add")).status_code == 403
    change = reverse("admin:audit_auditregel_change", args=[row.pk])
    client.post(change, {"actie": "iets anders", "door_label": "niemand"})
    assert (
        client.post(reverse("admin:audit_auditregel_delete", args=[row.pk]), {"post": "yes"}).status_code
        == 403
    )
    response = client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [row.pk]})
    assert response.status_code in (200, 302)
    row = AuditRegel.objects.get(pk=row.pk)
    assert (row.actie, row.door_label) == ("signaal.log", world.teamlid.email)
    request = RequestFactory().get(CHANGELIST)
    request.user = getattr(world, user)
    assert AuditRegelAdmin(AuditRegel, site).get_actions(request) == {}
    assert 'name="_save"' not in client.get(change).content.decode()


@pytest.mark.parametrize(
    ("model", "obj"),
    [
        ("buurten_team", lambda w: w.other_team),
        ("buurten_subgebied", lambda w: w.other_subgebied),
        ("signalen_signaal", lambda w: w.oost),
    ],
)
def test_a_coordinator_opening_another_teams_object_in_the_admin_is_refused_and_on_record(
    client, world, model, obj
):
    client.force_login(world.coordinator)
    target = obj(world)
    response = client.post(reverse(f"admin:{model}_change", args=[target.pk]), {"naam": "Overgenomen"})
    # The admin's "does not exist" (302), or 403 where the admin allows no change at all.
    assert response.status_code in (302, 403)
    row = AuditRegel.objects.get(actie="toegang.geweigerd")
    assert (row.door, row.object_id, row.team_id, row.herkomst) == (
        world.coordinator,
        str(target.pk),
        world.other_team.pk,
        "admin",
    )
    target.refresh_from_db()
    assert getattr(target, "naam", "") != "Overgenomen"
