"""Celery tasks of acties: each calls one service and is safe to run twice (the outbox keys and
the `geholpen_gevraagd_at` marks make a retry or a redelivery send nothing new)."""

from celery import shared_task
from django.db import OperationalError


@shared_task(acks_late=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def geholpen_daily() -> dict:
    """Daily from beat: ask "heeft het geholpen?" where an actie or forward is due."""
    from .services.geholpen import GEHOLPEN_TAAK, geholpen_vragen_versturen

    return geholpen_vragen_versturen(door=GEHOLPEN_TAAK)


@shared_task(acks_late=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def weekoverzicht_weekly() -> int:
    """Weekly from beat (Monday morning): each coördinator's digest, once per ISO week."""
    from .services.weekoverzicht import WEEKOVERZICHT_TAAK, weekoverzichten_versturen

    return weekoverzichten_versturen(door=WEEKOVERZICHT_TAAK)
