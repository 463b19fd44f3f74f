"""Queue and send e-mail through the outbox. No other code calls send_mail.

`notificatie_queue` writes the row in the caller's transaction and queues the send task after
commit. `bericht_send` sends one row under a row lock: a second delivery of the same task (a
retry, a redelivery after a worker died) finds it sent and does nothing.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from . import registry
from .models import Bericht, BerichtStatus

logger = logging.getLogger(__name__)

MAX_POGINGEN = 8


def backoff(pogingen: int) -> dt.timedelta:
    """1, 2, 4, … minutes, at most an hour."""
    return dt.timedelta(minutes=min(60, 2 ** max(0, pogingen - 1)))


def notificatie_queue(*, ontvanger: str, soort: str, context: dict, sleutel: str) -> Bericht | None:
    """Write one outbox row (idempotent by `sleutel`) and send it after commit.

    Returns the row, or None when an earlier row with the same key exists (nothing new is sent).
    """
    registry.get(soort)  # an unknown kind fails here, in the caller's transaction
    bericht, created = Bericht.objects.get_or_create(
        sleutel=sleutel[:200],
        defaults={"ontvanger": ontvanger, "soort": soort, "context": context},
    )
    if not created:
        return None
    pk = bericht.pk
    transaction.on_commit(lambda: bericht_enqueue(bericht_id=pk))
    return bericht


def bericht_enqueue(*, bericht_id: int) -> None:
    """Hand the row to a worker; if the broker is down the beat task sends it later."""
    from .tasks import bericht_send_task

    try:
        bericht_send_task.delay(bericht_id)
    except Exception:  # the broker is down: the row waits in the outbox for the beat task
        logger.warning("E-mail %s kon niet in de wachtrij; de periodieke taak verstuurt hem", bericht_id)


def _render(bericht: Bericht) -> EmailMessage:
    soort = registry.get(bericht.soort)
    context = soort.build(dict(bericht.context))
    subject = " ".join(render_to_string(soort.subject_template, context).split())
    body = render_to_string(soort.body_template, context)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "vbt.invalid"
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [bericht.ontvanger],
        # The same message id on every attempt, so a receiving server can spot a duplicate.
        headers={"Message-ID": f"<vbt-{bericht.pk}@{domain}>"},
    )


class VerzendFout(Exception):
    """Sending failed in a way worth retrying (SMTP or connection error)."""


def bericht_send(*, bericht_id: int, now: dt.datetime | None = None) -> str:
    """Send one outbox row unless it was sent already; returns its status afterwards.

    A retryable failure (OSError, SMTPException) records the error and the next attempt's time,
    then raises VerzendFout so the task retries with backoff; after MAX_POGINGEN it is `mislukt`.
    """
    now = now or timezone.now()
    with transaction.atomic():
        bericht = Bericht.objects.select_for_update().filter(pk=bericht_id).first()
        if bericht is None or bericht.status == BerichtStatus.VERZONDEN:
            return bericht.status if bericht else "weg"
        try:
            message = _render(bericht)
        except registry.BerichtVervallen as exc:
            bericht.status = BerichtStatus.MISLUKT
            bericht.fout = f"vervallen: {exc}"[:2000]
            bericht.volgende_poging_at = None
            bericht.save(update_fields=["status", "fout", "volgende_poging_at"])
            return bericht.status
        bericht.pogingen += 1
        try:
            # The row stays locked while the message goes out: a concurrent delivery waits, then
            # finds it sent.
            message.send()
        except OSError as exc:  # smtplib.SMTPException is an OSError
            bericht.fout = f"{type(exc).__name__}: {exc}"[:2000]
            if bericht.pogingen >= MAX_POGINGEN:
                bericht.status = BerichtStatus.MISLUKT
                bericht.volgende_poging_at = None
            else:
                bericht.volgende_poging_at = now + backoff(bericht.pogingen)
            bericht.save(update_fields=["pogingen", "fout", "status", "volgende_poging_at"])
            failed = bericht.status
        else:
            bericht.status = BerichtStatus.VERZONDEN
            bericht.verzonden_at = now
            bericht.volgende_poging_at = None
            bericht.fout = ""
            bericht.save(update_fields=["pogingen", "status", "verzonden_at", "volgende_poging_at", "fout"])
            return bericht.status
    if failed == BerichtStatus.WACHTEND:
        raise VerzendFout(bericht.fout)
    return failed


def berichten_due(*, now: dt.datetime | None = None) -> list[int]:
    """Waiting rows whose next attempt is due (or that never reached a worker)."""
    now = now or timezone.now()
    never_tried = Bericht.objects.filter(
        status=BerichtStatus.WACHTEND,
        volgende_poging_at__isnull=True,
        created_at__lte=now - dt.timedelta(minutes=2),
    )
    due = Bericht.objects.filter(status=BerichtStatus.WACHTEND, volgende_poging_at__lte=now)
    return list((never_tried | due).order_by("pk").values_list("pk", flat=True)[:1000])


def bericht_retry(*, bericht: Bericht, door) -> None:
    """'Opnieuw versturen' of a failed mail: back to waiting with a fresh attempt count."""
    from core.actors import require_actor

    require_actor(door)
    with transaction.atomic():
        locked = Bericht.objects.select_for_update().get(pk=bericht.pk)
        if locked.status == BerichtStatus.VERZONDEN:
            return
        locked.status = BerichtStatus.WACHTEND
        locked.pogingen = 0
        locked.volgende_poging_at = None
        locked.save(update_fields=["status", "pogingen", "volgende_poging_at"])
        transaction.on_commit(lambda: bericht_enqueue(bericht_id=locked.pk))
