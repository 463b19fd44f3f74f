"""Tests that read the mail a service queued: send what waits in the outbox, here and now.

On the embedded default the send task already ran in-process at the commit, so nothing waits
and this does nothing. With REDIS_URL the task went to the broker, and a test without the
`celery_worker` fixture has no worker: the rows are sent by the same service a worker calls.
"""

import time


def wait_for(condition, timeout: float = 30.0) -> bool:
    """Poll until `condition()` holds: a real worker sends in its own time."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def deliver_outbox() -> int:
    from notificaties.models import Bericht, BerichtStatus
    from notificaties.services import bericht_send

    ids = Bericht.objects.filter(status=BerichtStatus.WACHTEND, volgende_poging_at__isnull=True).values_list(
        "pk", flat=True
    )
    return sum(bericht_send(bericht_id=pk) == BerichtStatus.VERZONDEN for pk in list(ids))
