"""The signalen admin cannot bypass the services: deleting a signal, withdrawing support, refusals."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from audit.models import AuditRegel
from core.actors import DEMO, RETENTION
from signalen.models import Foto, Signaal, StatusWijziging, Steunbetuiging
from signalen.services import signaal_delete
from signalen.services.fotos import foto_add_upload
from tests import factories as f
from tests.signalen.ui import jpeg_upload

pytestmark = pytest.mark.django_db

SIGNALEN = "admin:signalen_signaal_changelist"
STEUN = "admin:signalen_steunbetuiging_changelist"


@pytest.fixture(scope="module")
def world_once(world_once):
    """The two-team world with a signal in each team, built once for this module."""
    w = world_once
    w.open = f.SignaalFactory(team=w.team, buurt=w.buurt, titel="Zwerfvuil op het plein")
    w.oost = f.SignaalFactory(team=w.other_team, buurt=w.other_buurt, titel="Fietswrakken bij het station")
    return w


def with_photos(signaal, n=2):
    fotos = [foto_add_upload(signaal=signaal, upload=jpeg_upload(), door=DEMO) for _ in range(n)]
    names = [foto.bestand.name for foto in fotos]
    assert all(default_storage.exists(name) for name in names)
    f.SteunbetuigingFactory(signaal=signaal)
    StatusWijziging.objects.create(signaal=signaal, van="", naar=signaal.status)
    return names


def action(client, changelist, name, pks, **extra):
    data = {"action": name, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], **extra}
    return client.post(reverse(changelist), data, follow=True)


# --- deleting a signal ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_admin_delete_of_a_signal_with_photos_removes_rows_and_files_and_is_audited(
    client, world, role, django_capture_on_commit_callbacks
):
    names = with_photos(world.open)
    pk = world.open.pk
    client.force_login(world.user(role))

    response = action(client, SIGNALEN, "verwijderen_action", [pk])
    assert "Signalen verwijderen" in response.content.decode()  # the reason is asked first
    assert Signaal.objects.filter(pk=pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = action(client, SIGNALEN, "verwijderen_action", [pk], toepassen="1", reden="dubbel")
    assert "1 signaal/signalen verwijderd." in response.content.decode()
    assert not Signaal.objects.filter(pk=pk).exists()
    assert not Foto.objects.filter(signaal_id=pk).exists()
    assert not Steunbetuiging.objects.filter(signaal_id=pk).exists()
    assert not any(default_storage.exists(name) for name in names)

    regel = AuditRegel.objects.get(actie="signaal.delete")
    assert (regel.object_type, regel.object_id, regel.resultaat) == ("signalen.signaal", str(pk), "gelukt")
    assert regel.door == world.user(role) and regel.herkomst == "admin" and regel.team_id == world.team.pk
    assert regel.details == {
        "team_id": world.team.pk,
        "status": "nieuw",
        "vertrouwelijk": False,
        "fotos": 2,
        "steunbetuigingen": 1,
        "statuswijzigingen": 1,
        "reden": "dubbel",
    }
    assert "Zwerfvuil" not in str(regel.details)  # no free text of residents


def test_admin_delete_without_a_reason_asks_for_one_and_deletes_nothing(client, world):
    names = with_photos(world.open, n=1)
    client.force_login(world.coordinator)
    for reden in ("", "omdat het moet"):
        response = action(client, SIGNALEN, "verwijderen_action", [world.open.pk], toepassen="1", reden=reden)
        body = response.content.decode()
        assert "Kies waarom het signaal wordt verwijderd." in body or "Selecteer een geldige keuze" in body
    assert Signaal.objects.filter(pk=world.open.pk).exists()
    assert default_storage.exists(names[0])
    assert not AuditRegel.objects.filter(actie="signaal.delete").exists()


def test_a_coordinator_deleting_another_teams_signal_is_refused_audited_and_nothing_goes(client, world):
    client.force_login(world.coordinator)
    response = action(
        client, SIGNALEN, "verwijderen_action", [world.open.pk, world.oost.pk], toepassen="1", reden="dubbel"
    )
    assert "Dit hoort bij een team dat je niet beheert; er is niets gewijzigd." in response.content.decode()
    assert Signaal.objects.filter(pk__in=[world.open.pk, world.oost.pk]).count() == 2  # not even their own
    regel = AuditRegel.objects.get(resultaat="geweigerd")
    assert (regel.actie, regel.object_id, regel.team_id, regel.details) == (
        "toegang.geweigerd",
        str(world.oost.pk),
        world.other_team.pk,
        {"status": 403},
    )
    assert regel.door == world.coordinator


def test_the_admins_own_delete_is_gone_for_signals_support_and_walks(client, world):
    steun = f.SteunbetuigingFactory(signaal=world.open)
    ronde = f.WijkrondeFactory(team=world.team)
    client.force_login(world.staff)
    for model, obj in (("signaal", world.open), ("steunbetuiging", steun), ("wijkronde", ronde)):
        assert client.get(reverse(f"admin:signalen_{model}_delete", args=[obj.pk])).status_code == 403
        assert (
            client.post(reverse(f"admin:signalen_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code
            == 403
        )
        changelist = client.get(reverse(f"admin:signalen_{model}_changelist"))
        assert "delete_selected" not in changelist.content.decode()
    action(client, SIGNALEN, "delete_selected", [world.open.pk], post="yes")
    assert Signaal.objects.filter(pk=world.open.pk).exists()
    assert Steunbetuiging.objects.filter(pk=steun.pk).exists()


def test_signaal_delete_service_refuses_a_teamlid_a_missing_actor_and_a_bad_reason(world):
    with pytest.raises(PermissionDenied):
        signaal_delete(signaal=world.open, door=world.teamlid, reden="dubbel")
    with pytest.raises(PermissionDenied):
        signaal_delete(signaal=world.open, door=world.other_coordinator, reden="dubbel")
    with pytest.raises(TypeError):
        signaal_delete(signaal=world.open, door=None, reden="dubbel")
    with pytest.raises(ValidationError) as exc:
        signaal_delete(signaal=world.open, door=world.coordinator, reden="")
    assert exc.value.message_dict == {"reden": ["Kies waarom het signaal wordt verwijderd."]}
    assert Signaal.objects.filter(pk=world.open.pk).exists()
    assert not AuditRegel.objects.filter(actie="signaal.delete").exists()


# --- support -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_withdrawing_support_in_the_admin_goes_through_the_service_and_marks_the_recount(client, world, role):
    steun = f.SteunbetuigingFactory(signaal=world.open)
    Signaal.objects.filter(pk=world.open.pk).update(steun_herberekenen=False)
    client.force_login(world.user(role))
    response = action(client, STEUN, "intrekken_action", [steun.pk])
    assert "1 steunbetuiging(en) ingetrokken." in response.content.decode()
    steun.refresh_from_db()
    world.open.refresh_from_db()
    assert steun.ingetrokken_at is not None and steun.ingetrokken_door == world.user(role)
    assert world.open.steun_herberekenen  # the tally recounts it


def test_withdrawing_another_teams_support_is_refused_and_audited(client, world):
    mine = f.SteunbetuigingFactory(signaal=world.open)
    theirs = f.SteunbetuigingFactory(signaal=world.oost)
    client.force_login(world.coordinator)
    response = action(client, STEUN, "intrekken_action", [mine.pk, theirs.pk])
    assert "Dit hoort bij een team dat je niet beheert" in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.ingetrokken_at is None and theirs.ingetrokken_at is None
    regel = AuditRegel.objects.get(resultaat="geweigerd")
    assert (regel.object_type, regel.object_id, regel.team_id) == (
        "signalen.steunbetuiging",
        str(theirs.pk),
        world.other_team.pk,
    )


# --- another team's signal, list filters ----------------------------------------------------


def test_opening_another_teams_signal_in_the_admin_is_refused_and_audited(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:signalen_signaal_change", args=[world.oost.pk]))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    regel = AuditRegel.objects.get()
    assert (regel.actie, regel.resultaat, regel.object_id, regel.team_id) == (
        "toegang.geweigerd",
        "geweigerd",
        str(world.oost.pk),
        world.other_team.pk,
    )
    # A pk that does not exist is no refusal: nothing to audit.
    client.get(reverse("admin:signalen_signaal_change", args=[999_999]))
    assert AuditRegel.objects.count() == 1


@pytest.mark.parametrize("model", ["signaal", "steunbetuiging", "wijkronde"])
def test_team_filter_lists_only_the_persons_own_teams(client, world, model):
    client.force_login(world.coordinator)
    response = client.get(reverse(f"admin:signalen_{model}_changelist"))
    body = response.content.decode()
    assert "Team West" in body
    assert "Team Oost" not in body
    client.force_login(world.staff)
    body = client.get(reverse(f"admin:signalen_{model}_changelist")).content.decode()
    assert "Team West" in body and "Team Oost" in body


def test_team_filter_keeps_the_dashboards_link_and_filters(client, world):
    client.force_login(world.staff)
    response = client.get(reverse(SIGNALEN), {"team__id__exact": world.other_team.pk})
    assert list(response.context["cl"].queryset) == [world.oost]


# --- no photo file outlives its row --------------------------------------------------------


def test_a_photo_row_deleted_any_other_way_takes_its_file_along(django_capture_on_commit_callbacks, world):
    names = with_photos(world.open, n=1)
    with django_capture_on_commit_callbacks(execute=True):
        Foto.objects.filter(signaal=world.open).delete()
    assert not default_storage.exists(names[0])


def test_the_retention_purge_leaves_no_photo_file(django_capture_on_commit_callbacks, world):
    import datetime as dt

    from django.utils import timezone

    from signalen.models import Status
    from signalen.services import signalen_purge_expired

    names = with_photos(world.open, n=2)
    long_ago = timezone.now() - dt.timedelta(days=3 * 365)
    Signaal.objects.filter(pk=world.open.pk).update(status=Status.AFGEROND, status_gewijzigd_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        removed = signalen_purge_expired(door=RETENTION)
    assert removed.verwijderd == 1
    assert not any(default_storage.exists(name) for name in names)


# --- themas -----------------------------------------------------------------------------------


def test_themas_through_the_services_switched_off_never_deleted(client, world):
    thema = world.open.thema
    client.force_login(world.staff)
    url = reverse("admin:signalen_thema_change", args=[thema.pk])
    data = {"gemeente": thema.gemeente_id, "naam": thema.naam}  # "actief" unticked
    assert client.post(url, data).status_code == 302
    thema.refresh_from_db()
    assert not thema.actief
    assert AuditRegel.objects.get(actie="thema.update").details == {"velden": ["actief"]}
    response = client.post(
        reverse("admin:signalen_thema_add"), {**data, "naam": thema.naam.upper(), "actief": "on"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["naam"] == [
        "Deze gemeente heeft al een thema met deze naam."
    ]
    assert (
        client.post(reverse("admin:signalen_thema_delete", args=[thema.pk]), {"post": "yes"}).status_code
        == 403
    )
    other = f.GemeenteFactory(code="GM0917", naam="Heerlen")
    response = client.post(url, {"gemeente": other.pk, "naam": thema.naam})
    assert response.context["adminform"].form.errors["gemeente"] == [
        "Dit thema heeft al signalen; de gemeente ligt vast."
    ]
    client.force_login(world.coordinator)
    assert client.post(url, {**data, "actief": "on"}).status_code == 403
    thema.refresh_from_db()
    assert not thema.actief


# --- residents' e-mail addresses -------------------------------------------------------------


def test_support_of_a_team_where_the_coordinator_is_only_a_teamlid_stays_out_of_the_admin(client, world):
    """A coördinator of team A who is a teamlid in team B never sees B's supporters' e-mail addresses."""
    from buurten.models import Rol

    f.LidmaatschapFactory(
        team=world.other_team, user=world.coordinator, partner=world.coordinator_seat.partner, rol=Rol.TEAMLID
    )
    eigen = f.SteunbetuigingFactory(signaal=world.open, email="bewoner-a@example.nl", email_toestemming=True)
    ander = f.SteunbetuigingFactory(signaal=world.oost, email="bewoner-b@example.nl", email_toestemming=True)
    client.force_login(world.coordinator)

    lijst = client.get(reverse(STEUN)).content.decode()
    assert "Zwerfvuil op het plein" in lijst
    assert "Fietswrakken bij het station" not in lijst
    eigen_pagina = client.get(reverse("admin:signalen_steunbetuiging_change", args=[eigen.pk]))
    assert "bewoner-a@example.nl" in eigen_pagina.content.decode()
    ander_pagina = client.get(reverse("admin:signalen_steunbetuiging_change", args=[ander.pk]), follow=True)
    assert "bewoner-b@example.nl" not in ander_pagina.content.decode()
