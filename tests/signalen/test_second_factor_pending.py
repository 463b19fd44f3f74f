"""A coördinator who has not set up TOTP yet gets only what a teamlid gets (issue #10, item 6):
no confidential signal, no CSV export, no coordinator choices or links, until TOTP is set up."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from audit.models import AuditRegel
from buurten.models import Rol
from signalen.models import Status
from tests import factories as f

pytestmark = pytest.mark.django_db

SETUP = reverse("mfa_activate_totp")


@pytest.fixture
def open_signaal(team, thema):
    return f.SignaalFactory(team=team, thema=thema, titel="Losliggende stoeptegels")


@pytest.fixture
def vertrouwelijk(team, thema):
    return f.SignaalFactory(
        team=team, thema=thema, titel="Drugsoverlast achter de school", vertrouwelijk=True
    )


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def setup_url(next_path: str) -> str:
    return f"{SETUP}?{urlencode({'next': next_path})}"


def test_a_confidential_signal_sends_the_coordinator_to_the_totp_setup(coordinator_client, vertrouwelijk):
    detail = reverse("signalen:detail", kwargs={"pk": vertrouwelijk.pk})
    audit_before = AuditRegel.objects.count()
    response = coordinator_client.get(detail)
    assert response.status_code == 302
    assert response.url == setup_url(detail)
    page = coordinator_client.get(response.url, follow=True)
    html = page.content.decode()
    assert "Dit signaal is vertrouwelijk." in html
    assert "pas als je tweestapsverificatie hebt ingesteld" in html
    assert "Drugsoverlast achter de school" not in html
    assert AuditRegel.objects.count() == audit_before  # nothing written


def test_the_list_and_map_hide_confidential_signals_until_totp(
    coordinator_client, vertrouwelijk, open_signaal
):
    html = coordinator_client.get(reverse("signalen:lijst")).content.decode()
    assert "Losliggende stoeptegels" in html
    assert "Drugsoverlast achter de school" not in html


def test_the_csv_export_sends_the_coordinator_to_the_totp_setup(coordinator_client, vertrouwelijk):
    export = reverse("signalen:csv")
    response = coordinator_client.get(export)
    assert response.status_code == 302
    assert response.url == setup_url(export)
    assert not response.has_header("Content-Disposition")
    html = coordinator_client.get(response.url, follow=True).content.decode()
    assert "De export van signalen kan pas als je tweestapsverificatie hebt ingesteld" in html


def test_after_the_setup_the_coordinator_reads_the_confidential_signal_and_the_csv(
    coordinator_client, coordinator, vertrouwelijk
):
    f.activate_totp(coordinator)
    detail = coordinator_client.get(reverse("signalen:detail", kwargs={"pk": vertrouwelijk.pk}))
    assert detail.status_code == 200
    assert "Drugsoverlast achter de school" in detail.content.decode()
    export = coordinator_client.get(reverse("signalen:csv"))
    assert export.status_code == 200
    assert "Drugsoverlast achter de school" in b"".join(export.streaming_content).decode("utf-8-sig")


def test_a_teamlid_still_reads_confidential_signals_and_the_csv(client, team, vertrouwelijk):
    teamlid = f.LidmaatschapFactory(team=team, rol=Rol.TEAMLID).user
    client.force_login(teamlid)
    assert client.get(reverse("signalen:detail", kwargs={"pk": vertrouwelijk.pk})).status_code == 200
    export = client.get(reverse("signalen:csv"))
    assert "Drugsoverlast achter de school" in b"".join(export.streaming_content).decode("utf-8-sig")


def test_another_teams_confidential_signal_stays_a_404(coordinator_client, ander_team):
    elders = f.SignaalFactory(team=ander_team, vertrouwelijk=True)
    response = coordinator_client.get(reverse("signalen:detail", kwargs={"pk": elders.pk}))
    assert response.status_code == 404


def test_without_totp_the_coordinator_sees_a_teamlids_pages(
    coordinator_client, coordinator, team, open_signaal
):
    team_page = coordinator_client.get(reverse("buurten:team_detail", kwargs={"team_id": team.pk}))
    assert "Team beheren" not in team_page.content.decode()
    lijst = coordinator_client.get(reverse("signalen:lijst"))
    assert reverse("signalen:dashboard") not in lijst.content.decode()
    detail = coordinator_client.get(reverse("signalen:detail", kwargs={"pk": open_signaal.pk}))
    keuzes = [value for value, _label in detail.context["status_form"].fields["naar"].choices]
    assert Status.AFGEWEZEN not in keuzes  # a coördinator's decision
    assert Status.DRAAGVLAK_GEZOCHT in keuzes  # what any team member may do

    f.activate_totp(coordinator)
    team_page = coordinator_client.get(reverse("buurten:team_detail", kwargs={"team_id": team.pk}))
    assert "Team beheren" in team_page.content.decode()
    detail = coordinator_client.get(reverse("signalen:detail", kwargs={"pk": open_signaal.pk}))
    keuzes = [value for value, _label in detail.context["status_form"].fields["naar"].choices]
    assert Status.AFGEWEZEN in keuzes
