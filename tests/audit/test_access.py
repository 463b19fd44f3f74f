"""Refused access to another team's object (404 and 403) and every read of a confidential
signal are on record; allowed reads of open signals and anonymous visitors are not."""

import pytest
from django.urls import reverse

from audit.context import Herkomst
from audit.models import Resultaat
from core.actors import DEMO
from signalen.services.fotos import foto_add_upload
from tests import factories as f
from tests.audit.conftest import rows
from tests.signalen.ui import jpeg_upload

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


def _get(client, user, url, **extra):
    client.force_login(user)
    return client.get(url, REMOTE_ADDR=IP, **extra)


def _refused():
    return rows("toegang.geweigerd")


def test_another_teams_signal_is_a_404_on_record(client, world):
    assert _get(client, world.teamlid, reverse("signalen:detail", args=[world.oost.pk])).status_code == 404
    row = _refused().get()
    assert (row.door, row.resultaat, row.object_type, row.object_id) == (
        world.teamlid,
        Resultaat.GEWEIGERD,
        "signalen.signaal",
        str(world.oost.pk),
    )
    # The row belongs to the team whose signal it was, so that team's coördinatoren see it.
    assert (row.team_id, row.details, row.herkomst, row.ip) == (
        world.other_team.pk,
        {"status": 404},
        Herkomst.VIEW,
        IP,
    )


def test_a_signal_that_does_not_exist_is_on_record_without_a_team(client, world):
    assert _get(client, world.teamlid, reverse("signalen:detail", args=[999_999])).status_code == 404
    assert (_refused().get().object_id, _refused().get().team_id) == ("999999", None)


@pytest.mark.parametrize(
    "page",
    ["signalen:steun_huishouden", "signalen:status_wijzigen", "signalen:foto_toevoegen"],
)
def test_a_post_on_another_teams_signal_is_a_404_on_record(client, world, page):
    client.force_login(world.teamlid)
    assert client.post(reverse(page, args=[world.oost.pk]), {}).status_code == 404
    assert _refused().get().object_id == str(world.oost.pk)


def test_another_teams_page_is_a_404_on_record(client, world):
    url = reverse("buurten:team_detail", args=[world.other_team.pk])
    assert _get(client, world.teamlid, url).status_code == 404
    row = _refused().get()
    assert (row.object_type, row.object_id, row.team_id) == (
        "buurten.team",
        str(world.other_team.pk),
        world.other_team.pk,
    )


def test_a_coordinator_page_for_a_teamlid_is_a_403_on_record(client, world):
    url = reverse("buurten:team_doel", args=[world.team.pk])
    assert _get(client, world.teamlid, url).status_code == 403
    row = _refused().get()
    assert (row.object_type, row.object_id, row.team_id, row.details) == (
        "buurten.team",
        str(world.team.pk),
        world.team.pk,
        {"status": 403},
    )


def test_another_teams_photo_and_walk_are_404s_on_record(client, world):
    foto = foto_add_upload(signaal=world.oost, upload=jpeg_upload(), door=DEMO)
    ronde = f.WijkrondeFactory(team=world.other_team)
    assert _get(client, world.teamlid, reverse("signalen:foto", args=[foto.uuid])).status_code == 404
    assert _get(client, world.teamlid, reverse("signalen:wijkronde", args=[ronde.pk])).status_code == 404
    assert {(r.object_type, r.team_id) for r in _refused()} == {
        ("signalen.foto", world.other_team.pk),
        ("signalen.wijkronde", world.other_team.pk),
    }


def test_another_teams_subgebied_and_seat_are_404s_on_record(client, world):
    client.force_login(world.coordinator)
    sub_url = reverse("buurten:subgebied_bewerken", args=[world.team.pk, world.other_subgebied.pk])
    assert client.get(sub_url).status_code == 404
    other_seat = world.other_team.lidmaatschappen.first()
    rol_url = reverse("buurten:lid_rol", args=[world.team.pk, other_seat.pk])
    assert client.post(rol_url, {"rol": "teamlid"}).status_code == 404
    assert {(r.object_type, r.team_id) for r in _refused()} == {
        ("buurten.subgebied", world.other_team.pk),
        ("buurten.lidmaatschap", world.other_team.pk),
    }


def test_an_anonymous_visitor_is_sent_to_login_without_a_row(client, world):
    assert client.get(reverse("signalen:detail", args=[world.oost.pk])).status_code == 302
    assert not rows().exists()


def test_an_allowed_read_of_an_open_signal_writes_nothing(client, world):
    assert _get(client, world.teamlid, reverse("signalen:detail", args=[world.open.pk])).status_code == 200
    assert not rows().exists()


def test_every_read_of_a_confidential_signal_is_on_record(client, world):
    url = reverse("signalen:detail", args=[world.geheim.pk])
    assert _get(client, world.teamlid, url).status_code == 200
    assert _get(client, world.teamlid, url).status_code == 200
    gelezen = rows("signaal.vertrouwelijk_gelezen")
    assert gelezen.count() == 2
    row = gelezen.first()
    assert (row.door, row.object_id, row.team_id, row.herkomst, row.ip) == (
        world.teamlid,
        str(world.geheim.pk),
        world.team.pk,
        Herkomst.VIEW,
        IP,
    )
    assert row.door_partner == "Partner gemeente"


def test_a_confidential_signal_read_in_the_admin_is_on_record(client, world):
    client.force_login(world.staff)
    url = reverse("admin:signalen_signaal_change", args=[world.geheim.pk])
    assert client.get(url, REMOTE_ADDR=IP).status_code == 200
    row = rows("signaal.vertrouwelijk_gelezen").get()
    assert (row.door, row.herkomst, row.ip) == (world.staff, Herkomst.ADMIN, IP)


def test_a_csv_export_is_one_row_with_its_filter_and_row_count(client, world):
    response = _get(client, world.teamlid, reverse("signalen:csv") + "?status=nieuw")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    row = rows("signalen.export").get()
    assert row.details["rijen"] == len(lines) - 1 == 2
    assert row.details["filter"]["status"] == "nieuw"
    assert (row.team_id, row.herkomst) == (world.team.pk, Herkomst.VIEW)
