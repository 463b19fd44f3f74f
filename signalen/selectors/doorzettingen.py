"""Reads of forwarded signals (`Doorzetting`): the overdue list for coördinatoren (dashboards)
and the forwards of one signal (its page, the admin)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from buurten.selectors import coordinator_team_ids_for_user, second_factor_pending

from ..models import Doorzetting


def doorzettingen_te_laat(
    *, user: Any = None, team_ids: Iterable[int] | QuerySet | None = None, vandaag: dt.date | None = None
) -> QuerySet[Doorzetting]:
    """Open forwards past their follow-up date, oldest date first: of the teams `user`
    coordinates, or of `team_ids` (a task, a digest). Signal, team, thema, buurt and partner come
    along (one query). A coördinator without the second factor yet sees no confidential signal."""
    if (user is None) == (team_ids is None):
        raise TypeError("give exactly one of user or team_ids")
    vandaag = vandaag or timezone.localdate()
    qs = Doorzetting.objects.filter(gesloten_at__isnull=True, opvolgen_op__lt=vandaag)
    if user is not None:
        qs = qs.filter(signaal__team_id__in=coordinator_team_ids_for_user(user=user))
        if second_factor_pending(user=user):
            qs = qs.exclude(signaal__vertrouwelijk=True)
    else:
        qs = qs.filter(signaal__team_id__in=team_ids)
    return qs.select_related(
        "signaal", "signaal__team", "signaal__thema", "signaal__buurt", "partner"
    ).order_by("opvolgen_op", "pk")


def doorzettingen_for_signaal(*, signaal: Any) -> list[Doorzetting]:
    """The forwards of one signal, newest first, with their partner (the signal's page)."""
    return list(
        Doorzetting.objects.filter(signaal=signaal).select_related("partner").order_by("-created_at", "-pk")
    )
