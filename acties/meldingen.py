"""Mails that acties and follow-up send, all through the outbox (`notificaties`).

The services call these in their own transaction, after the change is written; each queues
outbox rows with an idempotency key, so a retried service or task never mails twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Actie, Voortgangsupdate


def actie_aangemaakt_melden(*, actie: Actie, door) -> None:
    """Supporters who consented of the actie's signals: their signal became a VBT-actie; the lead
    partner's contact: a new actie for it."""


def actie_update_melden(*, update: Voortgangsupdate, door) -> None:
    """Supporters who consented: a public update of the actie their signal is in."""


def actie_status_melden(*, actie: Actie, van: str, naar: str, door) -> None:
    """Residents who pick up the actie (with consent) on every status change; supporters when it
    is done (afgerond)."""
