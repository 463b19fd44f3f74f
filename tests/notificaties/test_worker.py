"""The outbox with a real Celery worker (Redis) and a real SMTP server: sent exactly once when SMTP
fails first, when the same task is delivered twice, and when the broker is down at the commit.

Needs REDIS_URL (the PostgreSQL/Redis run of the CI); on the embedded default there is no broker.
"""

import datetime as dt

import pytest
from django.conf import settings

from buurten.models import Uitnodiging
from buurten.services.uitnodigingen import uitnodiging_mail_sleutel
from notificaties.models import Bericht, BerichtStatus
from notificaties.services import berichten_resend_due
from notificaties.tasks import bericht_send_task
from tests.notificaties.pages import post_invitation
from tests.outbox import wait_for

pytestmark = [
    pytest.mark.skipif(
        not settings.REDIS_URL, reason="no REDIS_URL: there is no broker, tasks run in-process"
    ),
    pytest.mark.django_db(transaction=True),
]


def invitation_mail() -> Bericht:
    uitnodiging = Uitnodiging.objects.get()
    return Bericht.objects.get(sleutel=uitnodiging_mail_sleutel(uitnodiging))


def test_a_refused_first_attempt_is_retried_by_the_worker_and_sent_once(
    celery_worker, smtp, settings, client, coordinator
):
    settings.NOTIFICATIES_BACKOFF_SECONDS = 1
    smtp.refuse("451 4.3.0 Probeer het later opnieuw", times=1)
    response, page = post_invitation(client, coordinator)
    assert response.status_code == 302
    assert "de e-mail wordt zo snel mogelijk verstuurd" in page  # the worker has it, not the page
    assert wait_for(lambda: invitation_mail().status == BerichtStatus.VERZONDEN)
    row = invitation_mail()
    assert row.pogingen == 2 and row.fout == ""
    assert len(smtp.messages) == 1
    # Nothing else is on its way: the retry was the only one.
    assert not wait_for(lambda: len(smtp.messages) > 1, timeout=3)


def test_the_same_task_delivered_twice_sends_once(celery_worker, smtp, coordinator, client):
    port = smtp.port
    smtp.stop()  # the page's own task fails at once, so the row is still waiting below
    post_invitation(client, coordinator)
    assert wait_for(lambda: invitation_mail().pogingen == 1)
    smtp.start()
    assert smtp.port == port
    pk = invitation_mail().pk
    # A redelivery (a worker died before its ack) and a second copy of the task, at once.
    results = [bericht_send_task.apply_async(args=[pk], task_id=f"bericht-{pk}") for _ in range(2)]
    results.append(bericht_send_task.apply_async(args=[pk]))
    assert wait_for(lambda: invitation_mail().status == BerichtStatus.VERZONDEN)
    for result in results:
        result.get(timeout=30)
    assert len(smtp.messages) == 1
    assert invitation_mail().pogingen == 2


@pytest.fixture
def broker_down():
    """Point the Celery app at a port where no Redis listens, then back (kombu's pools are per URL)."""
    from vbt.celery import app

    def switch(url):
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    working = app.conf.broker_url
    switch("redis://127.0.0.1:1/0")
    yield
    switch(working)


def test_a_broker_that_is_down_at_the_commit_leaves_the_row_for_beat(smtp, client, coordinator, broker_down):
    response, page = post_invitation(client, coordinator)
    assert response.status_code == 302
    assert (
        "De uitnodiging voor anna@example.nl is opgeslagen; de e-mail wordt zo snel mogelijk verstuurd."
        in page
    )
    row = invitation_mail()
    assert (row.status, row.pogingen) == (BerichtStatus.WACHTEND, 0)
    assert berichten_resend_due(now=row.created_at + dt.timedelta(minutes=3)) == {"verzonden": 1}
    assert berichten_resend_due(now=row.created_at + dt.timedelta(hours=1)) == {}
    assert len(smtp.messages) == 1
