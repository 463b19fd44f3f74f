"""Two tallies at once: no double notification, no lost work.

With REDIS_URL set these run against a real Celery worker (two threads) and PostgreSQL;
on the embedded default the tasks run eagerly, one after the other.
"""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from buurten.models import Rol
from core.actors import TALLY
from notificaties.models import Bericht, BerichtStatus
from signalen.models import Signaal, Status, Steunbetuiging
from signalen.services import signalen_tally
from signalen.tasks import tally_support
from tests import factories as f
from tests.outbox import deliver_outbox, wait_for


def _signals_with_support(n_signals: int, households: int) -> list[Signaal]:
    team = f.TeamFactory()
    f.LidmaatschapFactory(team=team, rol=Rol.COORDINATOR, user__email="coordinator@example.nl")
    signalen = [f.SignaalFactory(team=team) for _ in range(n_signals)]
    Steunbetuiging.objects.bulk_create(
        Steunbetuiging(
            signaal=s, kanaal="huisbezoek", datum=timezone.localdate(), huishouden_hash=f"{s.pk:032x}{i:032x}"
        )
        for s in signalen
        for i in range(households)
    )
    Signaal.objects.filter(pk__in=[s.pk for s in signalen]).update(steun_herberekenen=True)
    return signalen


def test_two_workers_at_once_notify_once(celery_worker, mailoutbox):
    signalen = _signals_with_support(20, 5)
    first = tally_support.delay()
    second = tally_support.delay()
    results = [first.get(timeout=60), second.get(timeout=60)]
    assert sum(r["verwerkt"] for r in results) == 20  # every signal counted by exactly one of them
    assert sum(r["gemeld"] for r in results) == 20
    assert set(Signaal.objects.values_list("status", flat=True)) == {Status.DRAAGVLAK_BEREIKT}
    assert not Signaal.objects.filter(steun_herberekenen=True).exists()
    # The announcements were queued with the batches; the worker sends them.
    assert wait_for(lambda: not Bericht.objects.filter(status=BerichtStatus.WACHTEND).exists())
    # Each crossing is in exactly one e-mail.
    bodies = "".join(m.body for m in mailoutbox)
    for s in signalen:
        assert bodies.count(f"/admin/signalen/signaal/{s.pk}/change/") == 1
    # Running again changes nothing and sends nothing.
    assert tally_support.delay(signaal_ids=[s.pk for s in signalen]).get(timeout=60)["verwerkt"] == 0
    assert len(mailoutbox) == sum(1 for r in results if r["gemeld"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_worker_is_skipped_not_waited_for(mailoutbox):
    (signaal,) = _signals_with_support(1, 5)
    locked = threading.Event()
    release = threading.Event()

    def other_worker():
        with transaction.atomic():
            Signaal.objects.select_for_update().get(pk=signaal.pk)
            locked.set()
            release.wait(timeout=30)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        result = signalen_tally(door=TALLY)  # would block here without SKIP LOCKED
        assert result.verwerkt == 0
        assert Signaal.objects.get(pk=signaal.pk).steun_herberekenen
    finally:
        release.set()
        thread.join()
    assert signalen_tally(door=TALLY).verwerkt == 1
    assert Signaal.objects.get(pk=signaal.pk).status == Status.DRAAGVLAK_BEREIKT
    deliver_outbox()
    assert len(mailoutbox) == 1
