"""The audit log is append-only, and the retention purge keeps what it deleted and why."""

import datetime as dt
import json

import pytest

from audit.models import AppendOnly, AuditRegel
from audit.services import audit_record
from core.actors import DEMO, RETENTION
from signalen.models import Signaal, Status
from signalen.services import signalen_purge_expired
from signalen.services.fotos import foto_add_upload
from tests import factories as f
from tests.audit.conftest import rows
from tests.signalen.test_bewaren import NOW, closed_signal
from tests.signalen.ui import jpeg_upload

pytestmark = pytest.mark.django_db


def test_a_row_cannot_be_changed_or_deleted(world):
    row = audit_record(door=world.teamlid, actie="signaal.log", object=world.open, team_id=world.team.pk)
    row.actie = "iets anders"
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()
    with pytest.raises(AppendOnly):
        AuditRegel.objects.filter(pk=row.pk).update(actie="iets anders")
    with pytest.raises(AppendOnly):
        AuditRegel.objects.all().delete()
    assert AuditRegel.objects.get(pk=row.pk).actie == "signaal.log"


def test_an_object_that_is_gone_is_named_by_its_reference(world):
    row = audit_record(door=DEMO, actie="signaal.purge", object=("signalen.signaal", 42))
    assert (row.object_type, row.object_id, row.door, row.door_label) == (
        "signalen.signaal",
        "42",
        None,
        "systeem (demo)",
    )
    with pytest.raises(TypeError):
        audit_record(door=DEMO, actie="x", object="signaal 42")
    with pytest.raises(TypeError):
        audit_record(door=None, actie="x")


def test_the_purge_writes_one_row_per_signal_with_what_and_why(world):
    team = f.TeamFactory(bewaartermijn_maanden=24)
    oud = closed_signal(team=team, days_ago=800)
    afgewezen = closed_signal(team=team, status=Status.AFGEWEZEN, days_ago=800)
    foto_add_upload(signaal=oud, upload=jpeg_upload(), door=DEMO)
    blijft = closed_signal(team=team, days_ago=100)
    titels = {oud.titel, afgewezen.titel}

    assert signalen_purge_expired(door=RETENTION, now=NOW).verwijderd == 2
    purged = {row.object_id: row for row in rows("signaal.purge")}
    assert set(purged) == {str(oud.pk), str(afgewezen.pk)}
    row = purged[str(oud.pk)]
    assert (row.door_label, row.team_id, row.object_type) == (
        "systeem (bewaartermijn)",
        team.pk,
        "signalen.signaal",
    )
    assert row.details["reden"] == "bewaartermijn verstreken"
    assert row.details["bewaartermijn_maanden"] == 24
    assert (row.details["status"], row.details["thema_id"], row.details["fotos"]) == (
        Status.AFGEROND,
        oud.thema_id,
        1,
    )
    assert row.details["status_gewijzigd"].startswith((NOW - dt.timedelta(days=800)).date().isoformat()[:4])
    assert purged[str(afgewezen.pk)].details["status"] == Status.AFGEWEZEN
    text = json.dumps([r.details for r in purged.values()])
    for secret in (*titels, oud.omschrijving, "bewoner@example.nl"):
        assert secret not in text
    # The audit rows outlive what they describe; nothing more is purged the second time.
    assert not Signaal.objects.filter(pk__in=[oud.pk, afgewezen.pk]).exists()
    assert Signaal.objects.filter(pk=blijft.pk).exists()
    assert signalen_purge_expired(door=RETENTION, now=NOW).verwijderd == 0
    assert rows("signaal.purge").count() == 2
