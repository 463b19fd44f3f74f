"""Reads of the outbox that pages share."""

from .models import Bericht, BerichtStatus
from .services import _sleutel


def bericht_is_sent(*, sleutel: str) -> bool:
    """Whether the mail queued under `sleutel` has left (a page says "sent" or "will follow")."""
    return Bericht.objects.filter(sleutel=_sleutel(sleutel), status=BerichtStatus.VERZONDEN).exists()
