"""The mails of acties and the supporters' mails on the real Celery worker (Redis) and a real SMTP
server: each address gets each mail exactly once, with a refused first attempt (the task's
retry), a redelivered and a duplicated send task, and the beat tasks run twice.

Needs REDIS_URL (the PostgreSQL/Redis run of the CI); on the embedded default there is no broker.
These tests commit, so they live in a module of their own (no module-wide world here).
"""

import datetime as dt
from collections import Counter

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from acties.emails import ACTIE_STEUN_MAIL, GEHOLPEN_MAIL, WEEKOVERZICHT_MAIL
from acties.meldingen import actie_aangemaakt_melden
from acties.models import ActieStatus
from acties.tasks import geholpen_daily, weekoverzicht_weekly
from buurten.models import Rol
from core.actors import RETENTION, SystemActor
from notificaties.models import Bericht, BerichtStatus
from notificaties.tasks import bericht_send_task
from signalen.emails import STEUN_STATUS_MAIL
from signalen.models import Status
from signalen.services.status import signaal_status_change
from tests import factories as f
from tests.notificaties.conftest import smtp  # noqa: F401 - the real SMTP server fixture
from tests.outbox import wait_for

pytestmark = [
    pytest.mark.skipif(
        not settings.REDIS_URL, reason="no REDIS_URL: there is no broker, tasks run in-process"
    ),
    pytest.mark.django_db(transaction=True),
]

DOOR = SystemActor("test")


def sent(soort) -> list[Bericht]:
    return list(Bericht.objects.filter(soort=soort))


def all_sent(soort, n) -> bool:
    rows = sent(soort)
    return len(rows) == n and all(r.status == BerichtStatus.VERZONDEN for r in rows)


def recipients(server) -> Counter:
    return Counter(m["To"] for m in server.messages)


def redeliver(soort) -> None:
    """A redelivery (a worker died before its ack) and a duplicate of every send task, at once."""
    results = []
    for pk in Bericht.objects.filter(soort=soort).values_list("pk", flat=True):
        results += [bericht_send_task.apply_async(args=[pk], task_id=f"again-{pk}") for _ in range(2)]
        results.append(bericht_send_task.apply_async(args=[pk]))
    for result in results:
        result.get(timeout=30)


@pytest.fixture
def actie():
    team = f.TeamFactory(naam="Malberg")
    actie = f.ActieFactory(team=team, titel="Speeltuin", trekker__contact_email="")
    for _ in range(2):
        signaal = f.ActieSignaalFactory(actie=actie).signaal
        f.SteunbetuigingFactory(signaal=signaal, email="thuis@example.nl", email_toestemming=True)
    f.SteunbetuigingFactory(signaal=signaal, email="buren@example.nl", email_toestemming=True)
    return actie


def test_new_actie_mail_refused_once_then_sent_once_per_address(celery_worker, smtp, settings, actie):  # noqa: F811
    settings.NOTIFICATIES_BACKOFF_SECONDS = 1
    smtp.refuse("451 4.3.0 Probeer het later opnieuw", times=1)
    with transaction.atomic():
        actie_aangemaakt_melden(actie=actie, door=DOOR)
    assert wait_for(lambda: all_sent(ACTIE_STEUN_MAIL, 2))
    assert sorted(r.pogingen for r in sent(ACTIE_STEUN_MAIL)) == [1, 2]  # one was retried
    redeliver(ACTIE_STEUN_MAIL)
    # The hook again (a retried service) queues nothing new.
    with transaction.atomic():
        actie_aangemaakt_melden(actie=actie, door=DOOR)
    assert not wait_for(lambda: len(smtp.messages) > 2, timeout=3)
    assert recipients(smtp) == Counter({"thuis@example.nl": 1, "buren@example.nl": 1})


def test_a_declined_signal_mails_its_supporters_once(celery_worker, smtp):  # noqa: F811
    signaal = f.SignaalFactory(status=Status.NIEUW)
    f.SteunbetuigingFactory(signaal=signaal, email="a@example.nl", email_toestemming=True)
    signaal_status_change(signaal=signaal, naar=Status.AFGEWEZEN, door=RETENTION, reden="Geen activiteit.")
    assert wait_for(lambda: all_sent(STEUN_STATUS_MAIL, 1))
    redeliver(STEUN_STATUS_MAIL)
    assert not wait_for(lambda: len(smtp.messages) > 1, timeout=3)
    assert "Reden: Geen activiteit." in smtp.messages[0].get_payload(decode=True).decode()
    assert smtp.messages[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_beat_tasks_twice_send_each_question_and_digest_once(celery_worker, smtp, actie):  # noqa: F811
    actie.status = ActieStatus.AFGEROND
    actie.afgerond_at = timezone.now() - dt.timedelta(weeks=5)
    actie.save(update_fields=["status", "afgerond_at"])
    f.LidmaatschapFactory(team=actie.team, rol=Rol.COORDINATOR, user__email="coord@example.nl")
    f.SignaalFactory(team=actie.team, status=Status.DRAAGVLAK_BEREIKT)
    # Both beat tasks delivered twice, at once (a redelivery after a lost ack).
    results = [task.apply_async() for task in (geholpen_daily, weekoverzicht_weekly) for _ in range(2)]
    for result in results:
        result.get(timeout=60)
    assert wait_for(lambda: all_sent(GEHOLPEN_MAIL, 2) and all_sent(WEEKOVERZICHT_MAIL, 1))
    redeliver(GEHOLPEN_MAIL)
    assert not wait_for(lambda: len(smtp.messages) > 3, timeout=3)
    assert recipients(smtp) == Counter({"thuis@example.nl": 1, "buren@example.nl": 1, "coord@example.nl": 1})
