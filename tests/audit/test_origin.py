"""Where an audited action came from: a page (with the IP), the admin, a Celery task (eager and
on the real worker) or a management command."""

from io import StringIO

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.context import Herkomst, current_origin
from signalen.models import Signaal, Status
from tests import factories as f
from tests.audit.conftest import rows


@pytest.mark.django_db
def test_a_page_action_has_origin_view_and_the_clients_ip(client, world):
    client.force_login(world.teamlid)
    response = client.post(
        reverse("signalen:steun_anoniem", args=[world.open.pk]),
        {
            "anoniem-kanaal": "buurtbijeenkomst",
            "anoniem-datum": timezone.localdate().isoformat(),
            "anoniem-aantal": 3,
        },
        REMOTE_ADDR="198.51.100.23",
    )
    assert response.status_code == 302
    row = rows("steun.register_anoniem").get()
    assert (row.herkomst, row.ip, row.door) == (Herkomst.VIEW, "198.51.100.23", world.teamlid)


@pytest.mark.django_db
def test_an_admin_action_has_origin_admin(client, world):
    client.force_login(world.coordinator)
    client.post(
        reverse("admin:signalen_signaal_changelist"),
        {
            "action": "afwijzen_action",
            ACTION_CHECKBOX_NAME: [str(world.open.pk)],
            "toepassen": "1",
            "reden": "Dubbel gemeld.",
        },
        REMOTE_ADDR="192.0.2.44",
    )
    row = rows("signaal.status").get()
    assert (row.herkomst, row.ip, row.details["naar"]) == (Herkomst.ADMIN, "192.0.2.44", Status.AFGEWEZEN)


@pytest.mark.django_db
def test_a_command_has_origin_command(world):
    f.SteunbetuigingFactory(signaal=world.open, datum=timezone.localdate())
    Signaal.objects.filter(pk=world.open.pk).update(steun_herberekenen=True)
    call_command("tally_support", stdout=StringIO())
    row = rows("signaal.status").get()
    assert (row.herkomst, row.ip, row.door_label) == (Herkomst.COMMAND, None, "systeem (beheercommando)")
    assert current_origin().herkomst == Herkomst.SYSTEEM  # the command's origin ended with it
