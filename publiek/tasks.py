"""Celery tasks of publiek: each calls one service and is safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from core.actors import RETENTION


@shared_task(acks_late=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def online_opruimen() -> dict:
    """Daily from Celery beat: pending online supports and wishes whose link expired are deleted."""
    from .services.opruimen import online_opruimen as opruimen

    return opruimen(door=RETENTION)
