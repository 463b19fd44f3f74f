"""The admin's AVG export: an action on accounts (zip with JSON and HTML) and a page per address."""

import io
import json
import zipfile

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditRegel
from core.actors import COMMAND
from signalen.services.avg import avg_erase, avg_export
from tests import factories as f

pytestmark = pytest.mark.django_db

USERS = "admin:buurten_user_changelist"
PAGE = "admin:buurten_user_avg_export"


def test_the_action_exports_each_selected_account_as_json_and_html(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse(USERS),
        {
            "action": "avg_export_action",
            ACTION_CHECKBOX_NAME: [str(world.teamlid.pk), str(world.coordinator.pk)],
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archief = zipfile.ZipFile(io.BytesIO(response.content))
    namen = sorted(archief.namelist())
    assert namen == sorted(
        f"avg-export-{pk}.{ext}"
        for pk in (world.teamlid.pk, world.coordinator.pk)
        for ext in ("json", "html")
    )
    data = json.loads(archief.read(f"avg-export-{world.teamlid.pk}.json"))
    assert data["account"]["email"] == world.teamlid.email
    assert data["lidmaatschappen"]
    assert world.teamlid.email in archief.read(f"avg-export-{world.teamlid.pk}.html").decode()
    assert AuditRegel.objects.filter(actie="avg.export", door=world.staff).count() == 2


def test_the_page_exports_a_residents_address_without_an_account(client, world):
    steun = f.SteunbetuigingFactory(email="bewoner@example.nl", email_toestemming=True)
    client.force_login(world.staff)
    assert client.get(reverse(PAGE)).status_code == 200

    response = client.post(reverse(PAGE), {"email": "bewoner@example.nl", "formaat": "json"})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["account"] is None
    assert [s["signaal_id"] for s in data["steunbetuigingen"]] == [steun.signaal_id]

    html = client.post(reverse(PAGE), {"email": "bewoner@example.nl", "formaat": "html"})
    assert html["Content-Type"].startswith("text/html") and steun.signaal.titel in html.content.decode()


def test_a_bad_address_on_the_page_is_a_dutch_message_and_no_audit_row(client, world):
    client.force_login(world.staff)
    response = client.post(reverse(PAGE), {"email": "geen-adres", "formaat": "json"})
    assert response.status_code == 400
    assert "Geef een geldig e-mailadres op." in response.content.decode()
    assert not AuditRegel.objects.filter(actie="avg.export").exists()


def test_a_coordinator_cannot_export_or_erase_anyone(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse(PAGE)).status_code in (302, 403)
    response = client.post(reverse(PAGE), {"email": world.teamlid.email, "formaat": "json"})
    assert response.status_code in (302, 403)
    with pytest.raises(PermissionDenied):
        avg_export(email=world.teamlid.email, door=world.coordinator)
    with pytest.raises(PermissionDenied):
        avg_erase(email=world.teamlid.email, door=world.coordinator)
    assert not AuditRegel.objects.filter(actie__in=["avg.export", "avg.erase"]).exists()
    assert avg_export(email=world.teamlid.email, door=COMMAND)["json"]["account"]["id"] == world.teamlid.pk
