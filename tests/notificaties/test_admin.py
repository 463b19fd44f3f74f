"""The outbox in the admin: superusers only, read-only, "Opnieuw versturen" through bericht_retry."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from buurten.models import Rol, Uitnodiging
from notificaties.models import Bericht, BerichtStatus
from notificaties.services import bericht_retry
from tests import factories as f
from tests.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:notificaties_bericht_changelist")


@pytest.fixture
def beheerder():
    user = f.UserFactory(email="beheer@example.org", is_superuser=True, is_staff=True)
    f.activate_totp(f.verify_email(user))
    return user


@pytest.fixture
def coordinator():
    user = f.LidmaatschapFactory(rol=Rol.COORDINATOR).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    f.activate_totp(f.verify_email(user))
    return user


@pytest.fixture
def rows():
    """A failed invitation mail (its invitation still usable) and one that was sent."""
    team = f.TeamFactory(naam="Malberg")
    partner = f.PartnerFactory(gemeente=team.gemeente)
    uitnodiging = Uitnodiging.objects.create(
        team=team,
        partner=partner,
        rol=Rol.TEAMLID,
        email="anna@example.nl",
        token="t" * 43,
        uitgenodigd_door=f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR).user,
        verloopt_at=timezone.now() + dt.timedelta(days=7),
    )
    mislukt = Bericht.objects.create(
        ontvanger="anna@example.nl",
        soort="buurten.uitnodiging",
        context={"uitnodiging_id": uitnodiging.pk, "base_url": ""},
        sleutel=f"uitnodiging:{uitnodiging.pk}:anna@example.nl",
        status=BerichtStatus.MISLUKT,
        pogingen=8,
        fout="SMTPRecipientsRefused: 451 4.3.0 Probeer het later",
    )
    verzonden = Bericht.objects.create(
        ontvanger="piet@example.nl",
        soort="buurten.toegevoegd",
        context={"lidmaatschap_id": 0},
        sleutel="toegevoegd:0:piet@example.nl",
        status=BerichtStatus.VERZONDEN,
        pogingen=1,
    )
    return mislukt, verzonden


def test_superuser_sees_the_list_with_status_kind_recipient_attempts_and_error(client, beheerder, rows):
    client.force_login(beheerder)
    body = client.get(CHANGELIST).content.decode()
    for text in ("anna@example.nl", "piet@example.nl", "buurten.uitnodiging", "451 4.3.0 Probeer het later"):
        assert text in body
    for column in ("Status", "Soort", "Ontvanger", "Pogingen", "Laatste fout"):
        assert column in body
    assert "Opnieuw versturen" in body
    filtered = client.get(CHANGELIST, {"status__exact": "mislukt"}).content.decode()
    assert "anna@example.nl" in filtered and "piet@example.nl" not in filtered
    assert client.get(CHANGELIST, {"soort": "buurten.toegevoegd"}).status_code == 200


def test_nothing_is_added_changed_or_deleted_there(client, beheerder, rows):
    mislukt, _ = rows
    client.force_login(beheerder)
    assert client.get(reverse("admin:notificaties_bericht_add")).status_code == 403
    assert client.post(reverse("admin:notificaties_bericht_delete", args=[mislukt.pk])).status_code == 403
    change = reverse("admin:notificaties_bericht_change", args=[mislukt.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(change, {"ontvanger": "ander@example.nl", "status": "verzonden"})
    assert Bericht.objects.get(pk=mislukt.pk).ontvanger == "anna@example.nl"
    assert "delete_selected" not in client.get(CHANGELIST).content.decode()


def test_send_again_sends_a_failed_mail_once_and_never_a_sent_one(
    client, beheerder, rows, django_capture_on_commit_callbacks
):
    mislukt, verzonden = rows
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": "opnieuw_versturen", "_selected_action": [mislukt.pk, verzonden.pk]},
            follow=True,
        )
    deliver_outbox()
    body = response.content.decode()
    assert "1 e-mail wordt opnieuw verstuurd." in body
    assert "1 e-mail was al verstuurd en wordt niet nog eens verstuurd." in body
    (message,) = mail.outbox
    assert message.to == ["anna@example.nl"]
    row = Bericht.objects.get(pk=mislukt.pk)
    assert (row.status, row.pogingen, row.fout) == ("verzonden", 1, "")
    assert Bericht.objects.get(pk=verzonden.pk).pogingen == 1


def test_a_coordinator_is_refused(client, coordinator, rows):
    mislukt, _ = rows
    client.force_login(coordinator)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:notificaties_bericht_change", args=[mislukt.pk])).status_code == 403
    response = client.post(CHANGELIST, {"action": "opnieuw_versturen", "_selected_action": [mislukt.pk]})
    assert response.status_code == 403
    assert "notificaties" not in client.get(reverse("admin:index")).content.decode()
    with pytest.raises(PermissionDenied, match="Alleen beheerders kunnen e-mail opnieuw versturen."):
        bericht_retry(bericht=mislukt, door=coordinator)
    assert Bericht.objects.get(pk=mislukt.pk).status == "mislukt"
    assert mail.outbox == []
