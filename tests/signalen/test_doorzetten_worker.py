"""The daily reminder of overdue forwards on a worker: a module of its own, since it commits.

In the PostgreSQL/Redis run a real worker picks the tasks from Redis (a retried run, two copies
at once and a redelivered one); on the embedded default they run in-process. Either way the
partner gets exactly one reminder."""

import datetime as dt

import pytest
from django.utils import timezone

from notificaties.models import Bericht, BerichtStatus
from signalen.models import Doorzetting, Status, TriageUitkomst
from signalen.services import signaal_triage
from signalen.tasks import doorzet_herinneringen
from tests import factories as f
from tests.outbox import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_reminder_is_sent_once_whatever_the_worker_does(celery_worker, team, coordinator):
    partner = f.PartnerFactory(gemeente=team.gemeente, contact_email="mor@example.nl")
    signaal = f.SignaalFactory(team=team, status=Status.DRAAGVLAK_BEREIKT)
    signaal_triage(signaal=signaal, uitkomst=TriageUitkomst.PRIMAIRE_TAAK, door=coordinator, partner=partner)
    doorzetting = Doorzetting.objects.get(signaal=signaal)
    Doorzetting.objects.filter(pk=doorzetting.pk).update(
        opvolgen_op=timezone.localdate() - dt.timedelta(days=2)
    )

    assert doorzet_herinneringen.delay().get(timeout=60) == {"herinnerd": 1}
    # A retry after a lost connection, a second copy and a redelivery of the same task id.
    results = [doorzet_herinneringen.apply_async(task_id="herinnering-1") for _ in range(2)]
    results.append(doorzet_herinneringen.delay())
    assert [r.get(timeout=60) for r in results] == [{"herinnerd": 0}] * 3

    sleutel = f"doorzet-herinnering:{doorzetting.pk}"
    assert wait_for(lambda: Bericht.objects.get(sleutel=sleutel).status == BerichtStatus.VERZONDEN)
    assert Bericht.objects.filter(sleutel__startswith="doorzet-herinnering:").count() == 1
    assert Bericht.objects.get(sleutel=sleutel).ontvanger == "mor@example.nl"
    doorzetting.refresh_from_db()
    assert doorzetting.herinnerd_at is not None
