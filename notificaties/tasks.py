"""Sending the outbox: one task per message, and a beat task for what is due again."""

from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=8)
def bericht_send_task(self, bericht_id: int) -> str:
    """Send one outbox row; retried with backoff on SMTP and connection errors, never twice."""
    from .services import VerzendFout, backoff, bericht_send

    try:
        return bericht_send(bericht_id=bericht_id)
    except VerzendFout as exc:
        if self.request.is_eager:
            # In-process (embedded default): the beat task tries again; never fail the request.
            return "wachtend"
        raise self.retry(exc=exc, countdown=backoff(self.request.retries + 1).total_seconds()) from exc


@shared_task(acks_late=True)
def berichten_resend_due() -> int:
    """Every minute from beat: send what is due (after a failure, or never reached a worker)."""
    from .services import VerzendFout, bericht_send, berichten_due

    sent = 0
    for pk in berichten_due():
        try:
            bericht_send(bericht_id=pk)
            sent += 1
        except VerzendFout:
            continue
    return sent
