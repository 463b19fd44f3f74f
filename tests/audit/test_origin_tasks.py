"""Audit origin of Celery tasks (eager, and the real worker against Redis): a module of its own,
since these tests commit and tests/audit/test_origin.py builds its world once per module."""

import pytest
from django.utils import timezone

from audit.context import Herkomst, current_origin
from signalen.models import Signaal, Status
from tests import factories as f
from tests.audit.conftest import rows


@pytest.mark.django_db(transaction=True)
def test_a_celery_task_has_origin_task(celery_worker):
    """Eager on the embedded default, the real worker against Redis on the PostgreSQL run."""
    from signalen.tasks import tally_support

    signaal = f.SignaalFactory()
    f.SteunbetuigingFactory(signaal=signaal, datum=timezone.localdate())
    Signaal.objects.filter(pk=signaal.pk).update(steun_herberekenen=True)
    assert tally_support.delay(signaal_ids=[signaal.pk]).get(timeout=30)["gezocht"] == 1
    row = rows("signaal.status").get()
    assert (row.herkomst, row.door_label, row.object_id) == (
        Herkomst.TASK,
        "systeem (steuntelling)",
        str(signaal.pk),
    )
    assert current_origin().herkomst == Herkomst.SYSTEEM  # an eager task does not leak its origin


@pytest.mark.django_db(transaction=True)
def test_the_retention_task_records_each_purged_signal_as_a_task(celery_worker):
    import datetime as dt

    from signalen.tasks import purge_expired

    signaal = f.SignaalFactory(status=Status.AFGEROND)
    Signaal.objects.filter(pk=signaal.pk).update(status_gewijzigd_at=timezone.now() - dt.timedelta(days=2000))
    assert purge_expired.delay().get(timeout=30) == {"verwijderd": 1, "mislukt": {}}
    row = rows("signaal.purge").get()
    assert (row.herkomst, row.door_label, row.object_id) == (
        Herkomst.TASK,
        "systeem (bewaartermijn)",
        str(signaal.pk),
    )
