"""Queue and send e-mail through the outbox. No other code calls send_mail.

`notificatie_queue` (one row) and `notificaties_queue_bulk` (many rows in one statement) write
in the caller's transaction and hand the rows to the send task after commit. `bericht_send`
sends one row under a row lock: a second delivery of the same task (a retry, a redelivery after
a worker died) waits for the lock, finds the row sent and does nothing.
"""

import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import require_actor

from . import registry
from .models import Bericht, BerichtStatus

logger = logging.getLogger(__name__)

MAX_POGINGEN = 8
# A row that never reached a worker (the broker was down at commit) is sent by the beat task
# once it is this old; younger ones are still on their way.
ONDERWEG = dt.timedelta(minutes=2)
SLEUTEL_MAX = 200
# The beat task stops trying more rows after this long (a hanging server costs EMAIL_TIMEOUT per
# row); the next run, a minute later, goes on.
RESEND_BUDGET = dt.timedelta(seconds=45)
BEZIG = "bezig"  # another process is sending the row right now
# The key under which a kind's builder returns extra mail headers ({name: value}).
HEADERS = "mail_headers"


def backoff(pogingen: int) -> dt.timedelta:
    """The wait before attempt `pogingen` + 1: 1, 2, 4, … times NOTIFICATIES_BACKOFF_SECONDS
    (default a minute), at most an hour."""
    base = getattr(settings, "NOTIFICATIES_BACKOFF_SECONDS", 60)
    return dt.timedelta(seconds=min(3600, base * 2 ** max(0, pogingen - 1)))


def _sleutel(sleutel: str) -> str:
    """The key as stored: a key longer than the column keeps its head and a hash of the whole."""
    if len(sleutel) <= SLEUTEL_MAX:
        return sleutel
    return sleutel[: SLEUTEL_MAX - 65] + ":" + hashlib.sha256(sleutel.encode()).hexdigest()


@dataclass(frozen=True)
class NieuwBericht:
    """One mail to queue: recipient, registered kind, stored context (ids) and idempotency key."""

    ontvanger: str
    soort: str
    context: dict
    sleutel: str


def _clean(bericht: NieuwBericht) -> Bericht:
    registry.get(bericht.soort)  # an unknown kind fails here, in the caller's transaction
    ontvanger = (bericht.ontvanger or "").strip()
    try:
        validate_email(ontvanger)
    except ValidationError:
        raise ValidationError(
            _("‘%(ontvanger)s’ is geen bruikbaar e-mailadres; de e-mail is niet in de wachtrij gezet."),
            code="ontvanger",
            params={"ontvanger": ontvanger},
        ) from None
    if not bericht.sleutel:
        raise ValueError("notificatie_queue: een idempotentiesleutel is verplicht")
    return Bericht(
        ontvanger=ontvanger, soort=bericht.soort, context=bericht.context, sleutel=_sleutel(bericht.sleutel)
    )


def notificatie_queue(*, ontvanger: str, soort: str, context: dict, sleutel: str) -> Bericht | None:
    """Write one outbox row (idempotent by `sleutel`) in the caller's transaction and send it
    after commit. Returns the row, or None when a row with the same key exists (nothing new is
    sent). Refused: an unknown kind, an unusable address."""
    nieuw = _clean(NieuwBericht(ontvanger=ontvanger, soort=soort, context=context, sleutel=sleutel))
    with transaction.atomic():
        bericht, created = Bericht.objects.get_or_create(
            sleutel=nieuw.sleutel,
            defaults={"ontvanger": nieuw.ontvanger, "soort": nieuw.soort, "context": nieuw.context},
        )
    if not created:
        return None
    pk = bericht.pk
    transaction.on_commit(lambda: bericht_enqueue(bericht_id=pk), robust=True)
    return bericht


def notificaties_queue_bulk(*, berichten: list[NieuwBericht]) -> int:
    """Write many outbox rows in one INSERT (rows whose key exists are skipped) in the caller's
    transaction; after commit one query finds them and each is handed to the send task.
    Returns how many rows were offered."""
    rows = [_clean(b) for b in berichten]
    if not rows:
        return 0
    Bericht.objects.bulk_create(rows, ignore_conflicts=True)
    sleutels = [row.sleutel for row in rows]
    transaction.on_commit(lambda: berichten_enqueue(sleutels=sleutels), robust=True)
    return len(rows)


def berichten_enqueue(*, sleutels: list[str]) -> None:
    """Hand the waiting rows with these keys to the send task (after the commit that wrote them)."""
    ids = Bericht.objects.filter(sleutel__in=sleutels, status=BerichtStatus.WACHTEND).values_list(
        "pk", flat=True
    )
    for pk in list(ids):
        bericht_enqueue(bericht_id=pk)


def bericht_enqueue(*, bericht_id: int) -> None:
    """Hand the row to a worker (in-process on the embedded default). Never raises: if the broker
    is down, or the in-process send fails in an unforeseen way, the row waits in the outbox and the
    beat task sends it; the request or job that queued it carries on."""
    from .tasks import bericht_send_task

    try:
        bericht_send_task.delay(bericht_id)
    except Exception:
        logger.exception(
            "E-mail %s is niet meteen verstuurd; de periodieke taak probeert het opnieuw", bericht_id
        )


def _render(bericht: Bericht) -> EmailMessage:
    soort = registry.get(bericht.soort)
    context = soort.build(dict(bericht.context))
    subject = " ".join(render_to_string(soort.subject_template, context).split())
    body = render_to_string(soort.body_template, context)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "vbt.invalid"
    # A builder may add headers (e.g. List-Unsubscribe for RFC 8058 one-click unsubscribe).
    headers = {str(k): str(v) for k, v in (context.get(HEADERS) or {}).items()}
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [bericht.ontvanger],
        # The same message id on every attempt, so a receiving server can spot a duplicate.
        headers={**headers, "Message-ID": f"<vbt-{bericht.pk}@{domain}>"},
    )


class VerzendFout(Exception):
    """Sending failed in a way worth retrying (SMTP or connection error)."""


def _fout(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def bericht_send(*, bericht_id: int, now: dt.datetime | None = None, skip_locked: bool = False) -> str:
    """Send one outbox row unless it was sent (or given up) already; returns its status afterwards.

    The row is locked while the message goes out, so a concurrent delivery of the same row waits
    and then finds it sent (with `skip_locked` it does not wait but returns "bezig"). An SMTP or
    connection error (OSError) records the error and the next attempt's time and raises
    VerzendFout, so that the task retries with backoff; after MAX_POGINGEN attempts, or on an
    error that a retry cannot fix (the kind's builder finds its object gone, a template fails),
    the row is `mislukt` with the error, for the admin to see.
    """
    now = now or timezone.now()
    with transaction.atomic():
        bericht = Bericht.objects.select_for_update(skip_locked=skip_locked).filter(pk=bericht_id).first()
        if bericht is None:
            return BEZIG if skip_locked and Bericht.objects.filter(pk=bericht_id).exists() else "weg"
        if bericht.status != BerichtStatus.WACHTEND:
            return bericht.status
        try:
            message = _render(bericht)
        except registry.BerichtVervallen as exc:
            return _give_up(bericht, _("vervallen: %(reden)s") % {"reden": exc})
        except Exception as exc:
            logger.exception("E-mail %s (%s) kon niet worden opgemaakt", bericht.pk, bericht.soort)
            return _give_up(bericht, _fout(exc))
        bericht.pogingen += 1
        try:
            message.send()
        except OSError as exc:  # smtplib.SMTPException, refused connections and timeouts
            bericht.fout = _fout(exc)
            if bericht.pogingen >= MAX_POGINGEN:
                bericht.status = BerichtStatus.MISLUKT
                bericht.volgende_poging_at = None
            else:
                bericht.volgende_poging_at = now + backoff(bericht.pogingen)
            bericht.save(update_fields=["pogingen", "fout", "status", "volgende_poging_at"])
            logger.warning("E-mail %s: poging %s mislukt: %s", bericht.pk, bericht.pogingen, bericht.fout)
        except Exception as exc:
            logger.exception("E-mail %s (%s) kon niet worden verstuurd", bericht.pk, bericht.soort)
            return _give_up(bericht, _fout(exc))
        else:
            bericht.status = BerichtStatus.VERZONDEN
            bericht.verzonden_at = now
            bericht.volgende_poging_at = None
            bericht.fout = ""
            bericht.save(update_fields=["pogingen", "status", "verzonden_at", "volgende_poging_at", "fout"])
            return bericht.status
    if bericht.status == BerichtStatus.WACHTEND:
        raise VerzendFout(bericht.fout)
    return bericht.status


def _give_up(bericht: Bericht, fout: str) -> str:
    bericht.status = BerichtStatus.MISLUKT
    bericht.fout = fout[:2000]
    bericht.volgende_poging_at = None
    bericht.save(update_fields=["status", "fout", "volgende_poging_at"])
    return bericht.status


def berichten_due(*, now: dt.datetime | None = None, limit: int = 1000) -> list[int]:
    """Waiting rows whose next attempt is due, and rows that never reached a worker."""
    now = now or timezone.now()
    never_tried = Bericht.objects.filter(
        status=BerichtStatus.WACHTEND, volgende_poging_at__isnull=True, created_at__lte=now - ONDERWEG
    )
    due = Bericht.objects.filter(status=BerichtStatus.WACHTEND, volgende_poging_at__lte=now)
    return list((never_tried | due).order_by("pk").values_list("pk", flat=True)[:limit])


def berichten_resend_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Try each due row once now (the beat task), skipping rows another process is sending and
    stopping after RESEND_BUDGET: {status: count} of what happened."""
    counts: dict[str, int] = {}
    deadline = time.monotonic() + RESEND_BUDGET.total_seconds()
    for pk in berichten_due(now=now):
        if time.monotonic() > deadline:
            break
        try:
            status = bericht_send(bericht_id=pk, now=now, skip_locked=True)
        except VerzendFout:
            status = BerichtStatus.WACHTEND
        counts[status] = counts.get(status, 0) + 1
    return counts


def bericht_retry(*, bericht: Bericht, door) -> bool:
    """'Opnieuw versturen' (superusers): a failed or waiting mail goes back to waiting with a
    fresh attempt count and is sent after commit. A sent mail is never sent again: returns False."""
    require_actor(door)
    if not getattr(door, "is_superuser", False):
        raise PermissionDenied(_("Alleen beheerders kunnen e-mail opnieuw versturen."))
    with transaction.atomic():
        locked = Bericht.objects.select_for_update().get(pk=bericht.pk)
        if locked.status == BerichtStatus.VERZONDEN:
            return False
        locked.status = BerichtStatus.WACHTEND
        locked.pogingen = 0
        locked.volgende_poging_at = None
        locked.save(update_fields=["status", "pogingen", "volgende_poging_at"])
        pk = locked.pk
        transaction.on_commit(lambda: bericht_enqueue(bericht_id=pk), robust=True)
    for field in ("status", "pogingen", "volgende_poging_at"):
        setattr(bericht, field, getattr(locked, field))
    return True
