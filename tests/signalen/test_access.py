"""Who sees which signals: the access selectors, and the admin built on them (incl. triage actions)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from signalen.models import Status, StatusWijziging, TriageUitkomst
from signalen.selectors import (
    signaal_get_for_user,
    signaal_list_for_user,
    statuswijzigingen_for_signaal,
    steun_list_for_signaal,
)
from tests import factories as f
from tests.buurten.teams_world import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world_once(world_once):
    """The two-team world with three signals, built once for this module."""
    w = world_once
    w.open = f.SignaalFactory(team=w.team, buurt=w.buurt, titel="Zwerfvuil op het plein")
    w.geheim = f.SignaalFactory(
        team=w.team, buurt=w.buurt, titel="Overlast door buurman", over_persoon=True, vertrouwelijk=True
    )
    w.oost = f.SignaalFactory(team=w.other_team, buurt=w.other_buurt, titel="Fietswrakken bij het station")
    return w


# Selectors

SEES = {
    "anonymous": set(),
    "teamlid": {"open", "geheim"},
    "coordinator": {"open", "geheim"},
    "other_coordinator": {"oost"},
    "staff": {"open", "geheim", "oost"},
}


@pytest.mark.parametrize("role", ROLES)
def test_signaal_list_for_user(world, role, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    user = world.user(role) or AnonymousUser()
    titles = set(signaal_list_for_user(user=user).values_list("titel", flat=True))
    assert titles == {getattr(world, name).titel for name in SEES[role]}


def test_staff_flag_alone_sees_nothing(world):
    assert not signaal_list_for_user(user=f.UserFactory(is_staff=True)).exists()


def test_an_inactive_member_sees_nothing(world):
    world.teamlid.is_active = False
    world.teamlid.save()
    assert not signaal_list_for_user(user=world.teamlid).exists()


def test_another_teams_signal_is_a_404(world):
    assert signaal_get_for_user(user=world.teamlid, pk=world.open.pk) == world.open
    for pk in (world.oost.pk, 999_999, "abc"):
        with pytest.raises(Http404):
            signaal_get_for_user(user=world.teamlid, pk=pk)


def test_a_confidential_signal_only_for_its_team(world):
    assert signaal_get_for_user(user=world.teamlid, pk=world.geheim.pk) == world.geheim
    with pytest.raises(Http404):
        signaal_get_for_user(user=world.other_coordinator, pk=world.geheim.pk)


def test_list_query_count_does_not_grow(world, django_assert_num_queries):
    for _ in range(5):
        f.SignaalFactory(team=world.team, buurt=world.buurt)
    # One query for the rows, one asking whether the person's role needs TOTP (confidential signals).
    with django_assert_num_queries(2):
        rows = [(s.team.naam, s.thema.naam, s.buurt.naam) for s in signaal_list_for_user(user=world.teamlid)]
    assert len(rows) == 7


def test_support_and_history_of_a_signal(world):
    oud = f.SteunbetuigingFactory(signaal=world.open, datum=f.days_ago(10))
    nieuw = f.SteunbetuigingFactory(signaal=world.open, datum=f.days_ago(1), ingetrokken_at=timezone.now())
    f.SteunbetuigingFactory(signaal=world.oost)
    assert list(steun_list_for_signaal(signaal=world.open)) == [nieuw, oud]
    a = StatusWijziging.objects.create(signaal=world.open, van="", naar=Status.NIEUW)
    b = StatusWijziging.objects.create(signaal=world.open, van=Status.NIEUW, naar=Status.DRAAGVLAK_GEZOCHT)
    assert list(statuswijzigingen_for_signaal(signaal=world.open)) == [a, b]


# Admin


CHANGELIST = "admin:signalen_signaal_changelist"


@pytest.mark.parametrize("role", ROLES)
def test_admin_signal_list_per_role(client, world, role):
    if world.user(role):
        client.force_login(world.user(role))
    response = client.get(reverse(CHANGELIST))
    if role in ("anonymous", "teamlid"):
        assert response.status_code == 302  # the admin is for coördinatoren
        return
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("open", "geheim", "oost"):
        assert (getattr(world, name).titel in body) == (name in SEES[role])


def test_admin_change_page_of_another_teams_signal(client, world):
    client.force_login(world.other_coordinator)
    response = client.get(reverse("admin:signalen_signaal_change", args=[world.geheim.pk]), follow=True)
    assert "Overlast door buurman" not in response.content.decode()
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:signalen_signaal_change", args=[world.geheim.pk]))
    assert response.status_code == 200
    assert "Overlast door buurman" in response.content.decode()


def test_admin_shows_no_household_hash(client, world):
    steun = f.SteunbetuigingFactory(signaal=world.open)
    client.force_login(world.coordinator)
    for url in (
        reverse("admin:signalen_steunbetuiging_changelist"),
        reverse("admin:signalen_steunbetuiging_change", args=[steun.pk]),
        reverse("admin:signalen_signaal_change", args=[world.open.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert steun.huishouden_hash not in response.content.decode()


def test_status_is_not_editable_in_the_admin(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:signalen_signaal_change", args=[world.open.pk])
    client.post(url, {"status": Status.AFGEROND, "titel": "Anders"})
    world.open.refresh_from_db()
    assert world.open.status == Status.NIEUW and world.open.titel == "Zwerfvuil op het plein"


def _action(client, action, pks, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], **extra}
    return client.post(reverse(CHANGELIST), data, follow=True)


def test_admin_triage_integraal(client, world):
    world.open.status = Status.DRAAGVLAK_BEREIKT
    world.open.save()
    client.force_login(world.coordinator)
    response = _action(client, "triage_action", [world.open.pk])
    assert "Signalen trieren" in response.content.decode()
    response = _action(client, "triage_action", [world.open.pk], toepassen="1", uitkomst="integraal")
    assert "1 signaal/signalen getrieerd." in response.content.decode()
    world.open.refresh_from_db()
    assert (world.open.status, world.open.triage_uitkomst) == (Status.GETRIEERD, TriageUitkomst.INTEGRAAL)
    assert world.open.statuswijzigingen.get().door == world.coordinator


def test_admin_triage_primaire_taak_needs_a_partner(client, world, mailoutbox):
    world.open.status = Status.DRAAGVLAK_BEREIKT
    world.open.save()
    client.force_login(world.coordinator)
    response = _action(client, "triage_action", [world.open.pk], toepassen="1", uitkomst="primaire_taak")
    assert "Kies de partner naar wie het signaal wordt doorgezet." in response.content.decode()
    world.open.refresh_from_db()
    assert world.open.status == Status.DRAAGVLAK_BEREIKT
    partner = world.partners["politie"]
    _action(
        client,
        "triage_action",
        [world.open.pk],
        toepassen="1",
        uitkomst="primaire_taak",
        partner=str(partner.pk),
    )
    world.open.refresh_from_db()
    assert (world.open.status, world.open.doorgezet_naar) == (Status.GETRIEERD, partner)


def test_admin_triage_refuses_signals_without_draagvlak(client, world):
    client.force_login(world.coordinator)
    response = _action(client, "triage_action", [world.open.pk], toepassen="1", uitkomst="integraal")
    assert "kan niet naar" in response.content.decode()
    world.open.refresh_from_db()
    assert world.open.status == Status.NIEUW


def test_admin_reject_needs_a_reason(client, world):
    client.force_login(world.coordinator)
    response = _action(client, "afwijzen_action", [world.open.pk], toepassen="1", reden="")
    assert "Geef een reden op." in response.content.decode()
    world.open.refresh_from_db()
    assert world.open.status == Status.NIEUW
    _action(
        client,
        "afwijzen_action",
        [world.open.pk],
        toepassen="1",
        reden="Hoort bij de gemeentelijke meldlijn.",
    )
    world.open.refresh_from_db()
    assert world.open.status == Status.AFGEWEZEN
    assert world.open.statuswijzigingen.get().reden == "Hoort bij de gemeentelijke meldlijn."


def test_admin_withdraw_support(client, world):
    steun = f.SteunbetuigingFactory(signaal=world.open)
    client.force_login(world.coordinator)
    data = {"action": "intrekken_action", ACTION_CHECKBOX_NAME: [str(steun.pk)]}
    client.post(reverse("admin:signalen_steunbetuiging_changelist"), data)
    steun.refresh_from_db()
    assert steun.ingetrokken_at is not None and steun.ingetrokken_door == world.coordinator
