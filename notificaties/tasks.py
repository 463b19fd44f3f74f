"""Sending the outbox: one task per message, and a beat task for what is due again."""

from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=8)
def bericht_send_task(self, bericht_id: int) -> str:
    """Send one outbox row; retried with backoff on SMTP and connection errors, never sent twice
    (the row lock in `bericht_send`), so a retry or a redelivered task is harmless."""
    from .services import VerzendFout, backoff, bericht_send

    try:
        return bericht_send(bericht_id=bericht_id)
    except VerzendFout as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            # In-process (the embedded default) the request that queued it must not wait or fail:
            # the row waits with its next attempt's time for the beat task.
            return "wachtend"
        raise self.retry(exc=exc, countdown=backoff(self.request.retries + 1).total_seconds()) from exc


@shared_task(acks_late=True)
def berichten_resend_due() -> dict:
    """Every minute from beat: send what is due (after a failure, or never reached a worker)."""
    from .services import berichten_resend_due as resend

    return resend()
