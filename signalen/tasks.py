"""Celery tasks of signalen: each takes ids, calls one service and is safe to run twice.

A task imports its service inside its body, so services may import this module to queue a task
(through one function per task, e.g. `signalen.services.steun.tally_support_queue`) without a cycle.
"""

from celery import shared_task
from django.db import OperationalError

from core.actors import DOORZET_HERINNERING, RETENTION, TALLY


# A lost database or broker connection is retried; the tally is idempotent, so a retry (or a
# redelivery after a worker died mid-run, acks_late) only finishes what was left marked.
# Time limits: a full tally of 100,000 signals takes seconds; one that hangs is stopped after
# 8 minutes (each batch commits on its own, so what was done stays done and the rest stays
# marked for the next run), always before the broker's 10-minute visibility timeout.
@shared_task(
    acks_late=True,
    autoretry_for=(OSError, OperationalError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=480,
    time_limit=540,
)
def tally_support(signaal_ids: list[int] | None = None) -> dict:
    """Recount support (of `signaal_ids`, or of every signal that needs it) and apply the threshold.

    Runs every 5 minutes from Celery beat and is queued after commit whenever support changes.
    """
    from .services.tally import signalen_tally

    result = signalen_tally(door=TALLY, signaal_ids=signaal_ids)
    return {
        "verwerkt": result.verwerkt,
        "bereikt": result.bereikt,
        "teruggevallen": result.teruggevallen,
        "gezocht": result.gezocht,
        "gemeld": result.gemeld,
        "mislukt": result.mislukt,
    }


@shared_task(acks_late=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def purge_expired() -> dict:
    """Remove closed signals past their team's bewaartermijn (AVG); runs daily from Celery beat."""
    from .services.bewaren import signalen_purge_expired

    result = signalen_purge_expired(door=RETENTION)
    return {"verwijderd": result.verwijderd, "mislukt": result.mislukt}


@shared_task(acks_late=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def retentie_daily() -> dict:
    """The daily retention run (AVG): idle open signals closed, routes, withdrawn supports'
    addresses, the purge, invitations, unused accounts and sessions (`services.retentie`)."""
    from .services.retentie import retentie_run

    return retentie_run(door=RETENTION)


@shared_task(acks_late=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def doorzet_herinneringen() -> dict:
    """One reminder per overdue forwarded signal to its partner; runs daily from Celery beat.
    A retry or a second run sends nothing twice: each forward is marked reminded in the same
    transaction that queues its mail, and the outbox key is per forward."""
    from .services.doorzetten import doorzettingen_herinneren

    return {"herinnerd": doorzettingen_herinneren(door=DOORZET_HERINNERING)}
