"""The acties admin: the triage queue and its actions (as coördinator allowed; teamlid and another
team's coördinator refused), and the actie admin (details through actie_update, status by action)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from acties.models import Actie, ActieSignaal, ActieStatus
from acties.services import actie_create_from_signalen
from audit.models import AuditRegel
from signalen.models import Status
from tests import factories as f

pytestmark = pytest.mark.django_db

TRIAGE = "admin:acties_triage_changelist"
ACTIES = "admin:acties_actie_changelist"


@pytest.fixture(scope="module")
def world_once(world_once):
    w = world_once
    w.trekker = w.partners["woningcorporatie"]
    w.bereikt = [
        f.SignaalFactory(team=w.team, buurt=w.buurt, titel=f"Hondenpoep {i}", status=Status.DRAAGVLAK_BEREIKT)
        for i in range(2)
    ]
    w.nieuw = f.SignaalFactory(team=w.team, buurt=w.buurt, titel="Losse stoeptegel", status=Status.NIEUW)
    w.gezocht = f.SignaalFactory(team=w.team, buurt=w.buurt, titel="Bankje", status=Status.DRAAGVLAK_GEZOCHT)
    w.oost = f.SignaalFactory(
        team=w.other_team, buurt=w.other_buurt, titel="Fietswrakken", status=Status.DRAAGVLAK_BEREIKT
    )
    return w


def action(client, changelist, name, pks, **extra):
    data = {"action": name, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], **extra}
    return client.post(reverse(changelist), data, follow=True)


def test_the_queue_shows_draagvlak_first_then_nieuw_with_the_columns(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(30):
        response = client.get(reverse(TRIAGE))
    page = response.content.decode()
    titels = [s.titel for s in response.context["cl"].result_list]
    assert titels == ["Hondenpoep 0", "Hondenpoep 1", "Losse stoeptegel"]
    assert "Bankje" not in page and "Fietswrakken" not in page
    assert "Westbuurt" in page and "Straatgesprek" in page
    assert f"0 / 0 / {world.team.drempel_huishoudens}" in page


def test_the_change_view_shows_the_point_on_a_small_map(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("admin:acties_triage_change", args=[world.bereikt[0].pk])).content.decode()
    assert "data-kaart-weergave" in page and "leaflet.js" in page
    assert "<script>" not in page.replace('<script type="application/json"', "")


def test_queue_is_not_for_a_teamlid_and_hides_other_teams(client, world):
    client.force_login(world.teamlid)
    assert client.get(reverse(TRIAGE)).status_code in (302, 403)
    client.force_login(world.other_coordinator)
    page = client.get(reverse(TRIAGE)).content.decode()
    assert "Fietswrakken" in page and "Hondenpoep" not in page


def test_integraal_into_a_new_actie(client, world):
    client.force_login(world.coordinator)
    pks = [s.pk for s in world.bereikt]
    response = action(client, TRIAGE, "nieuwe_actie_action", pks)
    assert "Nieuwe VBT-actie" in response.content.decode()
    assert not Actie.objects.exists()
    response = action(
        client,
        TRIAGE,
        "nieuwe_actie_action",
        pks,
        toepassen="1",
        titel="Hondenpoep aanpakken",
        trekker=world.trekker.pk,
        partners=[world.partners["politie"].pk],
        start="2026-02-01",
        eind="2026-01-01",
    )
    assert "vóór de start" in response.content.decode()
    assert not Actie.objects.exists()
    response = action(
        client,
        TRIAGE,
        "nieuwe_actie_action",
        pks,
        toepassen="1",
        titel="Hondenpoep aanpakken",
        trekker=world.trekker.pk,
        partners=[world.partners["politie"].pk],
    )
    actie = Actie.objects.get()
    assert response.redirect_chain[-1][0] == reverse("admin:acties_actie_change", args=[actie.pk])
    assert set(actie.koppelingen.values_list("signaal_id", flat=True)) == set(pks)
    assert Status.GETRIEERD == world.bereikt[0].__class__.objects.get(pk=pks[0]).status


def test_another_teams_signal_is_refused_and_audited(client, world):
    client.force_login(world.coordinator)
    response = action(
        client,
        TRIAGE,
        "nieuwe_actie_action",
        [world.bereikt[0].pk, world.oost.pk],
        toepassen="1",
        titel="X",
        trekker=world.trekker.pk,
    )
    assert response.status_code == 200
    assert not Actie.objects.exists()
    assert AuditRegel.objects.filter(resultaat="geweigerd", object_id=str(world.oost.pk)).exists()


def test_link_to_an_existing_actie_and_reject(client, world):
    actie = actie_create_from_signalen(
        signalen=[world.bereikt[0]], titel="Hondenpoep", trekker=world.trekker, door=world.coordinator
    )
    client.force_login(world.coordinator)
    action(client, TRIAGE, "koppel_action", [world.bereikt[1].pk], toepassen="1", actie=actie.pk)
    assert ActieSignaal.objects.filter(actie=actie).count() == 2
    response = action(client, TRIAGE, "afwijzen_action", [world.nieuw.pk], toepassen="1", reden="")
    assert "Geef een reden op" in response.content.decode()
    action(
        client, TRIAGE, "afwijzen_action", [world.nieuw.pk], toepassen="1", reden="Valt buiten ons gebied."
    )
    world.nieuw.refresh_from_db()
    assert world.nieuw.status == Status.AFGEWEZEN


def test_actie_admin_edits_through_the_service_and_changes_status(client, world):
    actie = actie_create_from_signalen(
        signalen=world.bereikt, titel="Hondenpoep", trekker=world.trekker, door=world.coordinator
    )
    client.force_login(world.coordinator)
    url = reverse("admin:acties_actie_change", args=[actie.pk])
    page = client.get(url).content.decode()
    assert "Hondenpoep 0" in page  # the linked signals, read-only
    response = client.post(
        url,
        {
            "titel": "Schone stoepen",
            "omschrijving": "",
            "trekker": world.trekker.pk,
            "partners": [],
            "start": "2026-03-01",
            "eind": "2026-02-01",
            "subgebied": "",
            **_inline_management(page),
        },
    )
    assert response.status_code == 200  # the form again, with the Dutch error
    assert "vóór de start" in response.content.decode()
    actie.refresh_from_db()
    assert actie.titel == "Hondenpoep"
    response = client.post(
        url,
        {
            "titel": "Schone stoepen",
            "omschrijving": "",
            "trekker": world.trekker.pk,
            "start": "",
            "eind": "",
            "subgebied": "",
            **_inline_management(page),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    actie.refresh_from_db()
    assert actie.titel == "Schone stoepen"
    assert AuditRegel.objects.filter(actie="actie.update").exists()

    action(
        client, ACTIES, "status_action", [actie.pk], toepassen="1", naar=ActieStatus.IN_UITVOERING, reden=""
    )
    actie.refresh_from_db()
    assert actie.status == ActieStatus.IN_UITVOERING
    action(
        client,
        ACTIES,
        "status_action",
        [actie.pk],
        toepassen="1",
        naar=ActieStatus.GESTOPT,
        reden="Geen budget.",
        signalen_terug="triage",
    )
    actie.refresh_from_db()
    assert actie.status == ActieStatus.GESTOPT
    assert not actie.koppelingen.exists()


def test_actie_admin_refuses_another_team_and_a_teamlid(client, world):
    actie = actie_create_from_signalen(
        signalen=[world.bereikt[0]], titel="Hondenpoep", trekker=world.trekker, door=world.coordinator
    )
    client.force_login(world.other_coordinator)
    response = client.get(reverse("admin:acties_actie_change", args=[actie.pk]))
    assert response.status_code in (302, 404)
    response = action(
        client, ACTIES, "status_action", [actie.pk], toepassen="1", naar=ActieStatus.IN_UITVOERING
    )
    actie.refresh_from_db()
    assert actie.status == ActieStatus.GEPLAND
    client.force_login(world.teamlid)
    assert client.get(reverse(ACTIES)).status_code in (302, 403)


def _inline_management(page: str) -> dict:
    """The management forms of the read-only inlines, as the browser sends them back."""
    import re

    data = {}
    for name, value in re.findall(
        r'name="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)" value="(\d*)"', page
    ):
        data[name] = value
    return data
