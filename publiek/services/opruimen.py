"""The daily cleanup of publiek: pending supports and wishes go once their link expired."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.actors import require_actor

from ..models import OnlineSteun, OnlineWens
from .links import LINK_GELDIG


@transaction.atomic
def online_opruimen(*, door, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete every pending support and wish whose link expired, confirmed or not (a confirmed one
    lives on as its Steunbetuiging or Signaal); one audit row with the counts."""
    require_actor(door)
    grens = (now or timezone.now()) - LINK_GELDIG
    steun, _per_model = OnlineSteun.objects.filter(created_at__lte=grens).delete()
    wensen, _per_model = OnlineWens.objects.filter(created_at__lte=grens).delete()
    result = {"steun": steun, "wensen": wensen}
    audit_record(door=door, actie="publiek.online_opruimen", details=result)
    return result
