"""The triage page for coördinatoren outside the admin (/triage/): the queue as cards and the four
actions; teamlid 403, another team's signal 404; bad input a Dutch message with nothing written."""

import pytest
from django.urls import reverse

from acties.models import Actie, ActieSignaal
from acties.services import actie_create_from_signalen
from core.werkdagen import werkdagen_erbij
from notificaties.models import Bericht
from signalen.models import Signaal, Status, StatusWijziging, TriageUitkomst
from tests import factories as f

pytestmark = pytest.mark.django_db

TRIAGE = "/triage/"


@pytest.fixture(scope="module")
def world_once(world_once):
    w = world_once
    w.trekker = w.partners["woningcorporatie"]
    w.bereikt = [
        f.SignaalFactory(team=w.team, buurt=w.buurt, titel=f"Hondenpoep {i}", status=Status.DRAAGVLAK_BEREIKT)
        for i in range(2)
    ]
    w.nieuw = f.SignaalFactory(team=w.team, buurt=w.buurt, titel="Losse stoeptegel", status=Status.NIEUW)
    w.oost = f.SignaalFactory(
        team=w.other_team, buurt=w.other_buurt, titel="Fietswrakken", status=Status.DRAAGVLAK_BEREIKT
    )
    return w


def stap(client, naam, signalen, **data):
    return client.post(f"/triage/{naam}/", {"signaal": [s.pk for s in signalen], **data})


def test_the_queue_as_cards_draagvlak_first(client, world):
    client.force_login(world.coordinator)
    response = client.get(TRIAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Hondenpoep 0") < page.index("Hondenpoep 1") < page.index("Losse stoeptegel")
    assert "Fietswrakken" not in page
    assert 'name="viewport"' in page and "style=" not in page and "<script>" not in page
    assert f"drempel {world.team.drempel_huishoudens}" in page
    # The navigation shows the page to coördinatoren.
    assert 'href="/triage/"' in page


@pytest.mark.parametrize("aantal", [10, 100])
def test_query_count_does_not_grow_with_the_queue(client, world, aantal, django_assert_max_num_queries):
    for i in range(aantal):
        f.SignaalFactory(
            team=world.team,
            buurt=world.buurt,
            titel=f"Extra {i}",
            status=Status.NIEUW if i % 2 else Status.DRAAGVLAK_BEREIKT,
            thema=f.ThemaFactory(gemeente=world.team.gemeente, naam=f"thema {i % 7}"),
        )
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(TRIAGE)
    assert response.content.decode().count('name="signaal"') == aantal + 3


def test_a_teamlid_gets_the_403_page(client, world):
    client.force_login(world.teamlid)
    response = client.get(TRIAGE)
    assert response.status_code == 403
    assert "Alleen coördinatoren" in response.content.decode()
    assert stap(client, "afwijzen", [world.nieuw], reden="X").status_code == 403
    world.nieuw.refresh_from_db()
    assert world.nieuw.status == Status.NIEUW
    assert 'href="/triage/"' not in client.get("/signalen/").content.decode()


def test_another_teams_signal_is_a_404(client, world):
    client.force_login(world.other_coordinator)
    response = stap(client, "afwijzen", [world.nieuw], reden="Niet van ons.")
    assert response.status_code == 404
    assert client.get(f"/triage/nieuw/?signaal={world.bereikt[0].pk}").status_code == 404
    world.nieuw.refresh_from_db()
    assert world.nieuw.status == Status.NIEUW


@pytest.mark.parametrize("waarde", ["abc", "99999999999999999999", "-1", "0"])
def test_garbage_ids_are_a_404(client, world, waarde):
    client.force_login(world.coordinator)
    assert client.get(f"/triage/nieuw/?signaal={waarde}").status_code == 404


def test_unknown_step_and_empty_selection(client, world):
    client.force_login(world.coordinator)
    assert client.get("/triage/weg/?signaal=1").status_code == 404
    response = client.get("/triage/nieuw/", follow=True)
    assert "Kies eerst een of meer signalen." in response.content.decode()


def test_new_actie_from_two_related_signals(client, world):
    client.force_login(world.coordinator)
    response = client.get(f"/triage/nieuw/?signaal={world.bereikt[0].pk}&signaal={world.bereikt[1].pk}")
    assert response.status_code == 200
    assert "Trekker (partner)" in response.content.decode()
    response = stap(
        client,
        "nieuw",
        world.bereikt,
        titel="Hondenpoep aanpakken",
        trekker=world.trekker.pk,
        partners=[world.partners["politie"].pk],
        start="2026-03-01",
        eind="2026-02-01",
    )
    assert response.status_code == 400
    assert "Het geplande einde ligt vóór de start." in response.content.decode()
    assert not Actie.objects.exists()
    response = stap(
        client,
        "nieuw",
        world.bereikt,
        titel="Hondenpoep aanpakken",
        trekker=world.trekker.pk,
        partners=[world.partners["politie"].pk],
    )
    assert response.status_code == 302
    actie = Actie.objects.get()
    assert set(actie.koppelingen.values_list("signaal_id", flat=True)) == {s.pk for s in world.bereikt}
    assert "VBT-actie ‘Hondenpoep aanpakken’ gemaakt." in client.get(TRIAGE).content.decode()


def test_new_actie_of_a_signal_without_draagvlak_is_refused(client, world):
    client.force_login(world.coordinator)
    response = stap(client, "nieuw", [world.nieuw], titel="Stoep", trekker=world.trekker.pk)
    assert response.status_code == 400
    assert "heeft geen draagvlak" in response.content.decode()
    assert not Actie.objects.exists()


def test_link_to_an_existing_actie(client, world):
    actie = actie_create_from_signalen(
        signalen=[world.bereikt[0]], titel="Hondenpoep", trekker=world.trekker, door=world.coordinator
    )
    client.force_login(world.coordinator)
    page = client.get(f"/triage/koppel/?signaal={world.bereikt[1].pk}").content.decode()
    assert "Hondenpoep" in page
    assert stap(client, "koppel", [world.bereikt[1]]).status_code == 400
    assert stap(client, "koppel", [world.bereikt[1]], actie=actie.pk).status_code == 302
    assert ActieSignaal.objects.filter(actie=actie).count() == 2


def test_reject_needs_a_reason_residents_read(client, world):
    client.force_login(world.coordinator)
    response = stap(client, "afwijzen", [world.nieuw, world.bereikt[0]], reden="  ")
    assert response.status_code == 400
    assert "Geef een reden op die bewoners kunnen lezen." in response.content.decode()
    assert (
        stap(client, "afwijzen", [world.nieuw, world.bereikt[0]], reden="Buiten ons gebied.").status_code
        == 302
    )
    assert set(
        Signaal.objects.filter(pk__in=[world.nieuw.pk, world.bereikt[0].pk]).values_list("status", flat=True)
    ) == {Status.AFGEWEZEN}


def test_forward_as_primary_task(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    partner = world.partners["politie"]
    with django_capture_on_commit_callbacks(execute=True):
        response = stap(client, "doorzetten", [world.bereikt[0]], partner=partner.pk, opvolgen_werkdagen=5)
    assert response.status_code == 302
    world.bereikt[0].refresh_from_db()
    assert world.bereikt[0].triage_uitkomst == TriageUitkomst.PRIMAIRE_TAAK
    assert world.bereikt[0].doorgezet_naar == partner
    doorzetting = world.bereikt[0].doorzettingen.get()
    assert doorzetting.opvolgen_op == werkdagen_erbij(doorzetting.created_at.date(), 5)
    assert Bericht.objects.filter(ontvanger=partner.contact_email).exists()


@pytest.mark.parametrize("werkdagen", ["0", "61", "tien"])
def test_a_follow_up_term_out_of_range_is_refused_and_nothing_is_forwarded(client, world, werkdagen):
    client.force_login(world.coordinator)
    response = stap(
        client,
        "doorzetten",
        [world.bereikt[0]],
        partner=world.partners["politie"].pk,
        opvolgen_werkdagen=werkdagen,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Kies een termijn van 1 tot en met 60 werkdagen." in page
        or "Vul een heel aantal werkdagen in." in page
    )
    assert not StatusWijziging.objects.filter(signaal=world.bereikt[0]).exists()


def test_forwarding_a_new_signal_with_one_with_draagvlak_writes_nothing(client, world):
    client.force_login(world.coordinator)
    response = stap(
        client, "doorzetten", [world.bereikt[0], world.nieuw], partner=world.partners["politie"].pk
    )
    assert response.status_code == 400
    assert "kan niet naar" in response.content.decode()
    assert not StatusWijziging.objects.filter(signaal__in=[world.bereikt[0], world.nieuw]).exists()


def test_signals_of_two_teams_at_once_are_refused(client, world):
    client.force_login(world.staff)
    response = client.get(f"/triage/afwijzen/?signaal={world.nieuw.pk}&signaal={world.oost.pk}", follow=True)
    assert "Kies signalen van één team tegelijk." in response.content.decode()


def test_anonymous_goes_to_login(client):
    response = client.get(TRIAGE)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
